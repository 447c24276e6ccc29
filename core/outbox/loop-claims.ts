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
