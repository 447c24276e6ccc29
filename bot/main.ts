/**
 * Composition root: configuration, logger, the one-server-per-DATA_DIR lock, store,
 * knowledge base (ingesting the sample handbook into an empty one when
 * AUTO_INGEST_SAMPLE), the pool of search threads (SEARCH_THREADS), then the server with
 * the product's features and services. The server listens at once (GET /readyz answers
 * 503 until the search threads are ready; questions arriving earlier wait for them, safe in
 * the inbox). SIGTERM/SIGINT shut down cleanly, search threads included; after a kill, the
 * next start processes what was left unfinished.
 *
 *   npm start            # PORT=3000, web chat at http://localhost:3000/
 */
import { loadConfig } from "../core/config.js";
import { createLogger } from "../core/logger.js";
import { openStore } from "../core/db/store.js";
import { acquireInstanceLock, InstanceLockedError, type InstanceLock } from "../core/db/instance-lock.js";
import { retryWhileBusy } from "../core/db/busy.js";
import { KnowledgeBase } from "../core/knowledge/knowledge-base.js";
import { createSearchPool, type SearchPool } from "../core/knowledge/search-pool.js";
import { pickTeacher } from "../core/knowledge/teach.js";
import { knowledgeVersion } from "../core/knowledge/version.js";
import { heldKnowledge, knowledgeOpenedPerUse, knowledgeReplica, publishedKnowledge, type KnowledgeAccess } from "../core/knowledge/replica.js";
import { followKnowledge, type KnowledgeFollower } from "../core/knowledge/replica-follower.js";
import type { Answerer } from "../core/search/types.js";
import { ingestPaths } from "../ingest/pipeline.js";
import { attachQuestions } from "../ingest/questions.js";
import { loadExtensions } from "./extensions.js";
import { buildServer } from "./server.js";

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    console.error((err as Error).message);
    process.exit(1);
  }
  const logger = createLogger(config);
  let lock: InstanceLock;
  try {
    lock = acquireInstanceLock(config.DATA_DIR);
  } catch (err) {
    if (!(err instanceof InstanceLockedError)) throw err;
    logger.fatal({ pid: err.pid, dataDir: err.dataDir }, err.message);
    process.exit(1);
  }
  const store = await openStore(config);

  let kb: KnowledgeBase | undefined;
  // ---- knowledge replica (PostgreSQL only; core/knowledge/replica.ts): the local copy follows the
  // database, and this instance's writes to the knowledge reach every other instance. Pulls index
  // with the start-up knowledge base while it is open, later with one opened for the pull.
  const openedPerUse = knowledgeOpenedPerUse(config, logger, store);
  const knowledgeAccess: KnowledgeAccess = (use) => (kb ? heldKnowledge(kb)(use) : openedPerUse(use));
  const replica = knowledgeReplica(store, logger, knowledgeAccess);
  let follower: KnowledgeFollower | undefined;
  // ----
  let search: SearchPool | undefined;
  let ready = false;
  let resolveSearch!: (pool: SearchPool) => void;
  let rejectSearch!: (err: unknown) => void;
  const searchReady = new Promise<SearchPool>((resolve, reject) => ((resolveSearch = resolve), (rejectSearch = reject)));
  searchReady.catch(() => undefined);
  // Questions that arrive while the search threads load wait for them.
  const answerer: Answerer = {
    answer: async (question) => (await searchReady).answer(question),
    passage: async (passageId, question) => (await searchReady).passage(passageId, question),
    // Cached answers are dropped when the knowledge changes (an ingest, a taught question).
    version: () => knowledgeVersion(store.sqlite),
  };

  let app;
  try {
    // Members' agreeing picks attach questions in the store; the search threads follow it.
    const localTeacher = pickTeacher(store.sqlite);
    const teacher = replica ? { learnPick: (question: string, passageId: number) => replica.publish(() => localTeacher.learnPick(question, passageId)) } : localTeacher;
    app = await buildServer({ config, logger, store, answerer, teacher, extensions: loadExtensions, isReady: () => ready });
  } catch (err) {
    logger.fatal((err as Error).message);
    await store.close();
    lock.release();
    process.exit(1);
  }

  let closing = false;
  const shutdown = async (signal: string, exitCode = 0) => {
    if (closing) return;
    closing = true;
    logger.info({ signal }, "shutting down");
    const force = setTimeout(() => {
      logger.error("shutdown took over 15 s; exiting anyway");
      process.exit(1);
    }, 15_000);
    force.unref();
    try {
      await app.close(); // stops polling and services, waits for replies in flight
      await follower?.stop();
      await search?.close();
      await kb?.close();
      await store.close();
      lock.release();
      process.exit(exitCode);
    } catch (err) {
      logger.error({ err }, "shutdown failed");
      process.exit(1);
    }
  };
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  process.on("SIGINT", () => void shutdown("SIGINT"));

  await app.listen({ port: config.PORT, host: config.HOST });
  if (config.WEB_CHAT_ENABLED) logger.info(`web chat at http://localhost:${config.PORT}/`);

  try {
    kb = await KnowledgeBase.open(config, { logger, store });
    await replica?.pull({ exclusive: true }); // exclusive: an ingest CLI may share this DATA_DIR
    const writer = publishedKnowledge(kb, replica);
    const empty = await kb.isEmpty();
    if (empty && config.AUTO_INGEST_SAMPLE) {
      logger.info({ dir: config.SAMPLE_HANDBOOK_DIR }, "knowledge base is empty: ingesting the sample handbook");
      const results = await ingestPaths([config.SAMPLE_HANDBOOK_DIR], writer, { logger });
      const failed = results.filter((r) => r.outcome === "failed").length;
      logger.info({ files: results.length, failed }, "sample handbook ingested");
    }
    if (!empty || config.AUTO_INGEST_SAMPLE) {
      // Questions members ask (data/questions) follow the documents' current sections. The server's
      // store fails at once on a lock (an import running): this start-up write waits it out instead.
      for (const r of await retryWhileBusy(() => attachQuestions(writer, config.QUESTIONS_DIR), { deadlineMs: 60_000 })) {
        if (r.problems.length) logger.warn({ file: r.file, problems: r.problems.slice(0, 20), notAttached: r.problems.length }, "question file lines not attached");
        if (r.documents.length) logger.info({ file: r.file, attached: r.attached, documents: r.documents }, "questions attached");
      }
    } else if (empty) {
      logger.warn("knowledge base is empty: run `npm run ingest -- <files>` so questions can be answered");
    }
    // Searches run in the pool's threads, each with its own read-only knowledge base. This
    // one only wrote the start-up changes above: closing it frees its indexes and model.
    search = await createSearchPool(config, { logger, threads: config.SEARCH_THREADS });
    await kb.close();
    kb = undefined;
    if (replica && store.engine === "postgresql") follower = followKnowledge({ pool: store.pg, replica, logger });
    resolveSearch(search);
    ready = true;
    logger.info("knowledge base loaded; ready");
  } catch (err) {
    rejectSearch(err);
    logger.fatal({ err }, "could not open the knowledge base");
    await shutdown("startup failure", 1);
  }
}

void main();
