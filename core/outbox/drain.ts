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

/**
 * Rows a worker's own loop claimed, from just before the claim until their send settles. A reply
 * the inbox sends at once may find its row already taken by the loop: `deliverNow` then waits for
 * that send here, so an update processed means its replies were attempted (a test's drain, a stop).
 */
export class LoopClaims {
  private readonly held = new Map<number, { settled: Promise<void>; settle: () => void }>();

  /** Call before the claim is written, so nobody sees the row taken without its entry here. */
  hold(ids: Iterable<number>): void {
    for (const id of ids) {
      if (this.held.has(id)) continue;
      let settle!: () => void;
      const settled = new Promise<void>((r) => (settle = r));
      this.held.set(id, { settled, settle });
    }
  }

  /** The send ended, or the row was not claimed after all. */
  release(id: number): void {
    this.held.get(id)?.settle();
    this.held.delete(id);
  }

  /** Resolves when this loop's send of the row settles (at once when the loop does not hold it). */
  async settled(id: number): Promise<void> {
    await this.held.get(id)?.settled;
  }
}
