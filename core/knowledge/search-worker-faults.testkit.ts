/**
 * A search thread that fails on cue, for the pool's tests: the real worker
 * (search-worker.ts), except for three questions. Test support only.
 *
 *   await createSearchPool(config, { logger, threads: 1, workerModule: FAULTY_WORKER });
 */
import { isMainThread } from "node:worker_threads";
import { asFailure, type SearchOutcome, type SearchTask } from "./search-worker.js";

export const FAULTY_WORKER = new URL("./search-worker-faults.testkit.ts", import.meta.url).href;

/** The thread dies of an uncaught exception while answering. */
export const CRASH = "câu hỏi làm luồng tìm kiếm sập";
/** The thread never finishes (a search stuck in a loop). */
export const HANG = "câu hỏi làm luồng tìm kiếm treo";
/** The search fails as the database being locked. */
export const LOCKED = "câu hỏi gặp cơ sở dữ liệu bị khoá";

async function faulty(): Promise<(task: SearchTask) => Promise<SearchOutcome>> {
  const handle = (await (await import("./search-worker.js")).default)!;
  return async (task) => {
    const question = task.kind === "answer" ? task.question : undefined;
    if (question === CRASH) {
      setImmediate(() => {
        throw new Error("search thread crashed on cue");
      });
      return new Promise<never>(() => undefined);
    }
    if (question === HANG) for (;;);
    if (question === LOCKED) return { ok: false, error: asFailure(Object.assign(new Error("database is locked"), { code: "SQLITE_BUSY" })) };
    return handle(task);
  };
}

/** The thread's handler (the tests import this module only for its cues). */
export default isMainThread ? undefined : faulty();
