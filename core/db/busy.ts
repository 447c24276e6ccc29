/**
 * "The database is locked right now": recognising it, and waiting for it without
 * holding the event loop. better-sqlite3 is synchronous, so SQLite's own busy timeout
 * would freeze the whole server while another process holds a lock; the server keeps
 * that timeout tiny (SERVER_BUSY_TIMEOUT_MS) and waits here instead, between attempts.
 *
 *   if (isDatabaseBusy(err)) ...                                   // SQLite and Prisma errors alike
 *   await retryWhileBusy(() => stmt.run(...), { deadlineMs: 300 }); // gives up with the busy error
 */

/** The longest a synchronous SQLite call in the server may wait for a lock before it fails as busy. */
export const SERVER_BUSY_TIMEOUT_MS = 5;

/** True for SQLITE_BUSY / SQLITE_LOCKED, raised by better-sqlite3 or wrapped by Prisma's driver adapter. */
export function isDatabaseBusy(err: unknown): boolean {
  if (!err || typeof err !== "object") return false;
  const code = (err as { code?: unknown }).code;
  if (typeof code === "string" && /^SQLITE_(BUSY|LOCKED)/.test(code)) return true;
  const cause = (err as { meta?: { driverAdapterError?: { cause?: { originalCode?: unknown } } } }).meta?.driverAdapterError?.cause;
  return typeof cause?.originalCode === "string" && /^SQLITE_(BUSY|LOCKED)/.test(cause.originalCode);
}

export interface RetryOptions {
  /** Give up (rethrowing the busy error) once this many ms have passed; default: never. */
  deadlineMs?: number;
  /** Stop waiting when aborted (rethrows the last busy error). */
  signal?: AbortSignal;
  /** First pause between attempts (doubles up to 500 ms); default 5 ms. */
  firstDelayMs?: number;
}

/**
 * Runs `attempt` until it does not fail as busy. Other errors go straight to the caller.
 */
export async function retryWhileBusy<T>(attempt: () => T | Promise<T>, options: RetryOptions = {}): Promise<T> {
  const started = Date.now();
  let delay = options.firstDelayMs ?? 5;
  for (;;) {
    try {
      return await attempt();
    } catch (err) {
      if (!isDatabaseBusy(err)) throw err;
      const left = options.deadlineMs === undefined ? Infinity : options.deadlineMs - (Date.now() - started);
      if (left <= 0 || options.signal?.aborted) throw err;
      await new Promise((r) => setTimeout(r, Math.min(delay, left)));
      delay = Math.min(delay * 2, 500);
    }
  }
}
