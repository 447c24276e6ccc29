/**
 * One search thread of the pool (search-pool.ts): its own read-only connection to the store
 * and its own KnowledgeBase (indexes, caches, embedder), answering one task at a time. Before
 * each search the knowledge base checks whether another connection changed the knowledge
 * (SQLite's data_version, then the KnowledgeVersion counter), so documents ingested by the CLI
 * and questions taught by an officer are seen here as in any other process.
 *
 * What crosses the thread boundary is plain data: a task in, an outcome out. A failure
 * comes back as an outcome with its SQLite code (structured clone would drop it), so the
 * pool can raise an error that the conversation core recognises as a locked database.
 */
import { isMainThread, threadId, workerData } from "node:worker_threads";
import type { Config } from "../config.js";
import { openReadOnlyStore } from "../db/store.js";
import { createLogger } from "../logger.js";
import type { Answer } from "../search/types.js";
import { KnowledgeBase } from "./knowledge-base.js";

export type SearchTask =
  | { kind: "answer"; question: string }
  | { kind: "passage"; passageId: number; question?: string }
  /** Resolves once this thread's knowledge base is open (the pool's readiness). */
  | { kind: "ready" };

export interface SearchFailure {
  message: string;
  code?: string;
  stack?: string;
}

export type SearchOutcome = { ok: true; answer?: Answer } | { ok: false; error: SearchFailure };

export interface SearchWorkerData {
  config: Config;
  /** The module the thread loads (search-thread.mjs): this one, or a test's wrapper of it. */
  module: string;
}

/** An error as plain data, keeping SQLite's code. */
export function asFailure(err: unknown): SearchFailure {
  const e = err instanceof Error ? err : new Error(String(err));
  const code = (e as { code?: unknown }).code;
  return { message: e.message, ...(typeof code === "string" ? { code } : {}), ...(e.stack ? { stack: e.stack } : {}) };
}

async function openKnowledgeBase(config: Config): Promise<KnowledgeBase> {
  const logger = createLogger(config).child({ searchThread: threadId });
  const store = openReadOnlyStore(config);
  try {
    return await KnowledgeBase.open(config, { logger, store, readOnly: true });
  } catch (err) {
    store.close();
    throw err;
  }
}

/** The task handler once the knowledge base is open; an open that failed fails every task with its error (no crash loop). */
async function load(): Promise<(task: SearchTask) => Promise<SearchOutcome>> {
  const { config } = workerData as SearchWorkerData;
  let kb: KnowledgeBase;
  try {
    kb = await openKnowledgeBase(config);
  } catch (err) {
    const error = asFailure(err);
    return async () => ({ ok: false, error });
  }
  return async (task) => {
    try {
      if (task.kind === "answer") return { ok: true, answer: await kb.answer(task.question) };
      if (task.kind === "passage") return { ok: true, answer: await kb.passage(task.passageId, task.question) };
      return { ok: true };
    } catch (err) {
      return { ok: false, error: asFailure(err) };
    }
  };
}

/** The thread's task handler, which piscina awaits; imported outside a thread (for its types), the module does nothing. */
export default isMainThread ? undefined : load();
