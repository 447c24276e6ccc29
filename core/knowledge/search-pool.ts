/**
 * Search in a small pool of worker threads (piscina), so that questions never hold the
 * server's event loop: webhooks are acknowledged and /healthz answers while searches run,
 * and on several cores searches run side by side. Each thread (search-worker.ts) opens the
 * store read-only with its own KnowledgeBase, which follows what other connections write
 * (the ingest CLI, questions taught by an officer, the server's own start-up ingest). This
 * side is the `Answerer` the conversation core already uses, so nothing above it changes;
 * the answer cache stays on the main thread, in front of it.
 *
 * - A thread that dies is replaced (by piscina); the question it was answering fails, and
 *   the conversation core apologises to the member. A search running past `timeoutMs` is
 *   treated the same way: its thread is ended and replaced, so no question hangs.
 * - A locked database comes back as an error carrying SQLite's code, so the inbox waits and
 *   retries the update (as it does for any other database work) instead of apologising.
 * - close() ends the threads (the server's shutdown).
 *
 *   const pool = await createSearchPool(config, { logger, threads: config.SEARCH_THREADS });
 *   const answer = await pool.answer("đảng phí bao nhiêu?");
 *   await pool.close();
 */
import { Piscina } from "piscina";
import type { Config } from "../config.js";
import type { Logger } from "../logger.js";
import type { Answer, Answerer } from "../search/types.js";
import type { SearchFailure, SearchOutcome, SearchTask, SearchWorkerData } from "./search-worker.js";

/** Longer than any search takes (about 10 ms, 80 ms at 100,000 passages on first sight): only a stuck thread reaches it. */
const DEFAULT_TIMEOUT_MS = 30_000;

const THREAD_ENTRY = new URL("./search-thread.mjs", import.meta.url).href;
const SEARCH_WORKER = new URL("./search-worker.ts", import.meta.url).href;

export interface SearchPoolOptions {
  logger: Logger;
  /** Threads in the pool (SEARCH_THREADS), at least 1. */
  threads: number;
  /** A search not done by then (queue time included) fails, and its thread is replaced; default 30 s. Opening a thread's knowledge base takes what it takes. */
  timeoutMs?: number;
  /** The module each thread runs (file URL); default search-worker.ts (tests wrap it to make a thread crash). */
  workerModule?: string;
}

export interface SearchPool extends Answerer {
  passage(passageId: number, question?: string): Promise<Answer | undefined>;
  readonly threads: number;
  /** Ends the threads; searches still running fail. */
  close(): Promise<void>;
}

/** A search thread's failure as an Error again, with its SQLite code (isDatabaseBusy reads it) and the thread's stack. */
function threadError(failure: SearchFailure): Error {
  const err = new Error(failure.message);
  if (failure.code) Object.assign(err, { code: failure.code });
  if (failure.stack) err.stack = failure.stack;
  return err;
}

/** Starts the threads and resolves once every one has opened the knowledge base; rejects (threads ended) when they cannot. */
export async function createSearchPool(config: Config, options: SearchPoolOptions): Promise<SearchPool> {
  const { logger } = options;
  const threads = Math.max(1, Math.floor(options.threads));
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const workerData: SearchWorkerData = { config, module: options.workerModule ?? SEARCH_WORKER };
  const pool = new Piscina<SearchTask, SearchOutcome>({
    filename: THREAD_ENTRY,
    minThreads: threads,
    maxThreads: threads,
    idleTimeout: Infinity,
    // An idle thread waits for work without blocking its own event loop (its logger may still be writing).
    atomics: "async",
    workerData,
  });
  // A thread that fails while idle: piscina replaces it; without a listener the error would end the server.
  pool.on("error", (err: unknown) => logger.error({ err }, "a search thread failed while idle; it is replaced"));

  let closed = false;
  async function run(task: SearchTask): Promise<Answer | undefined> {
    if (closed) throw new Error("the search pool is closed");
    const signal = task.kind === "ready" ? undefined : AbortSignal.timeout(timeoutMs);
    let outcome: SearchOutcome;
    try {
      outcome = await pool.run(task, { signal });
    } catch (err) {
      if (signal?.aborted) {
        logger.error({ timeoutMs, task: task.kind }, "a search did not finish in time; its thread was ended and is replaced");
        throw new Error(`search did not finish within ${timeoutMs} ms`);
      }
      logger.error({ err, task: task.kind }, "a search thread ended during a search; it is replaced");
      throw err;
    }
    if (!outcome.ok) throw threadError(outcome.error);
    return outcome.answer;
  }

  try {
    // One readiness task per thread: each resolves once a thread has opened its knowledge base.
    await Promise.all(Array.from({ length: threads }, () => run({ kind: "ready" })));
  } catch (err) {
    await pool.destroy();
    throw err;
  }
  logger.info({ threads }, "search threads ready");

  return {
    threads,
    async answer(question) {
      const answer = await run({ kind: "answer", question });
      if (!answer) throw new Error("a search thread returned no answer");
      return answer;
    },
    passage: (passageId, question) => run({ kind: "passage", passageId, ...(question === undefined ? {} : { question }) }),
    async close() {
      closed = true;
      await pool.destroy();
    },
  };
}
