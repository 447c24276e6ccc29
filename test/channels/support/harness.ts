/**
 * Builds the real server for end-to-end tests: a temp DATA_DIR, the real store and
 * knowledge base over a tiny handbook written here, and channel settings pointing at
 * local fake platform APIs. `reopen()` simulates a restart on the same DATA_DIR (and database).
 * The store is on the run's engine (test/support/database.ts): on PostgreSQL a fresh database per
 * harness, unless `env` names one (a second instance on the same database).
 *
 *   const h = await startHarness({ env: { TELEGRAM_BOT_TOKEN: "1:x", TELEGRAM_API_ROOT: fake.url, ... } });
 *   await h.app.inject({ method: "POST", url: "/webhooks/telegram", ... });
 *   await h.close();
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { FastifyInstance } from "fastify";
import { loadConfig, type Config } from "../../../core/config.js";
import { createLogger } from "../../../core/logger.js";
import { openStore, type Store } from "../../../core/db/store.js";
import { KnowledgeBase } from "../../../core/knowledge/knowledge-base.js";
import { heldKnowledge, knowledgeReplica, publishedKnowledge, type KnowledgeWrites } from "../../../core/knowledge/replica.js";
import type { Answerer } from "../../../core/search/types.js";
import type { ConversationFeature } from "../../../core/conversation/types.js";
import { ingestPaths } from "../../../ingest/pipeline.js";
import { buildServer, type ServerDeps } from "../../../bot/server.js";
import { testDatabaseEnv } from "../../support/database.js";

/** A two-section handbook; one passage carries characters that Telegram HTML must escape. */
const TINY_HANDBOOK = `---
loai: Sổ tay
co_quan: Nhóm thử nghiệm
ngay: 27/11/2026
---
# Sổ tay thử nghiệm: Đảng phí

## Mức đóng đảng phí của đảng viên hưu trí là bao nhiêu?
Đảng viên hưu trí đóng đảng phí hằng tháng bằng 0,5% lương hưu. Chi bộ thu đảng phí <mỗi tháng> & ghi sổ theo mẫu_01 *x* [a] (b).

## Đảng viên dự bị được bao lâu thì xét chuyển chính thức?
Thời gian dự bị là mười hai tháng, tính từ ngày chi bộ tổ chức lễ kết nạp. Khi hết thời gian dự bị, chi bộ họp xét công nhận đảng viên chính thức.
`;

export interface Harness {
  app: FastifyInstance;
  /** The server's store (to look at what it recorded). */
  store: Store;
  /** The server's configuration (its DATABASE_URL names the test's database on either engine). */
  config: Config;
  dataDir: string;
  /** Closes the server, the knowledge base and the store (the data stays for `reopen`). */
  close(): Promise<void>;
  /** Closes and starts again on the same DATA_DIR (a restart). */
  reopen(): Promise<Harness>;
}

export interface HarnessOptions {
  env?: Record<string, string>;
  /** Default: the real knowledge base over TINY_HANDBOOK. */
  answerer?: Answerer;
  features?: ConversationFeature[];
  /** Call listen on a random port (default: ready only; inject works either way). */
  listen?: boolean;
  deps?: Partial<ServerDeps>;
  dataDir?: string;
  /** Collect the server's log lines here (at LOG_LEVEL, default silent). */
  logLines?: string[];
  /** Delay every answer this long (to see "typing…"). */
  slowAnswerMs?: number;
  /** More handbook files (name → content) ingested with the tiny handbook. */
  documents?: Record<string, string>;
}

/** Starts a server over a fresh (or the given) DATA_DIR. */
export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const dataDir = options.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), "sotay-channels-"));
  const handbookDir = path.join(dataDir, "handbook");
  fs.mkdirSync(handbookDir, { recursive: true });
  fs.writeFileSync(path.join(handbookDir, "so-tay-thu.md"), TINY_HANDBOOK);
  for (const [name, content] of Object.entries(options.documents ?? {})) fs.writeFileSync(path.join(handbookDir, name), content);
  const database = options.env?.DATABASE_URL ? {} : await testDatabaseEnv();
  const config = loadConfig({
    DATA_DIR: dataDir,
    ...database,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? "silent",
    SAMPLE_HANDBOOK_DIR: handbookDir,
    WEB_CHAT_ENABLED: "true",
    ...options.env,
  });
  const lines = options.logLines;
  const logger = createLogger(config, lines ? { write: (line: string) => void lines.push(line) } : undefined);
  const store = await openStore(config);
  let kb: KnowledgeBase | undefined;
  let writer: KnowledgeWrites | undefined;
  let answerer = options.answerer;
  if (!answerer) {
    // As bot/main.ts does: on PostgreSQL the local copy first catches up with the database, and
    // writes (the tiny handbook, members' picks) are published to it, so other readers of the
    // database (the library, a second instance) see them.
    kb = await KnowledgeBase.open(config, { logger, store });
    const replica = knowledgeReplica(store, logger, heldKnowledge(kb));
    await replica?.pull({ exclusive: true });
    writer = publishedKnowledge(kb, replica);
    if (await kb.isEmpty()) await ingestPaths([handbookDir], writer, { logger });
    answerer = kb;
  }
  if (options.slowAnswerMs) {
    const inner = answerer;
    const ms = options.slowAnswerMs;
    answerer = { answer: async (q) => (await new Promise((r) => setTimeout(r, ms)), inner.answer(q)) };
  }
  const app = await buildServer({ config, logger, store, answerer, teacher: writer, features: options.features, ...options.deps });
  if (options.listen) await app.listen({ port: 0, host: "127.0.0.1" });
  else await app.ready();

  const harness: Harness = {
    app,
    store,
    config,
    dataDir,
    async close() {
      await app.close();
      await kb?.close();
      await store.close();
    },
    async reopen() {
      await harness.close();
      // The same database: on PostgreSQL the restarted server finds what the first one stored.
      return startHarness({ ...options, dataDir, env: { ...options.env, DATABASE_URL: config.DATABASE_URL } });
    },
  };
  return harness;
}

/** The URL of a listening harness. */
export function urlOf(app: FastifyInstance): string {
  const address = app.server.address();
  if (!address || typeof address !== "object") throw new Error("server is not listening");
  return `http://127.0.0.1:${address.port}`;
}
