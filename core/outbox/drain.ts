/**
 * What both outbox workers (SQLite's worker.ts, PostgreSQL's postgresql-worker.ts) do alike
 * around their own loops: replies sent outside the loop are tracked so that stopping waits for
 * them, and draining ticks until a tick starts nothing.
 */

/** Runs `work` as a tracked call: it is in `pending` until it ends. */
export function trackCall(pending: Set<Promise<void>>, work: Promise<void>): Promise<void> {
  const tracked = work.finally(() => pending.delete(tracked));
  pending.add(tracked);
  return tracked;
}

/** Ticks, waiting for each tick's sends, until a tick starts nothing; returns how many were started. */
export async function drainUntilIdle(tick: () => Promise<number>, settle: () => Promise<void>): Promise<number> {
  let total = 0;
  for (;;) {
    const started = await tick();
    await settle();
    total += started;
    if (started === 0) return total;
  }
}
