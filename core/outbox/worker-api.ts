/**
 * What an outbox worker offers the server (OutboxWorker), and the part of it that both workers
 * (SQLite's worker.ts, PostgreSQL's postgresql-worker.ts) implement alike around their own start,
 * passes and sends: stopping, draining and tracking the replies sent at once.
 */
import type { QueuedMessage } from "./outbox.js";
import type { WorkerLoop } from "./worker-loop.js";

export interface OutboxWorker {
  /** Recovers rows left in "sending" by a previous process, then keeps delivering until stop(). */
  start(): Promise<void>;
  /**
   * Sends these rows now, in id order (a reply's parts), without waiting for a rate slot;
   * a row that fails goes back to the loop with its retry time, and the rows after it
   * wait at least as long, so the parts keep their order. Never rejects.
   */
  deliverNow(queued: QueuedMessage[]): Promise<void>;
  /** Stops claiming rows and waits for the requests in flight to be marked. */
  stop(): Promise<void>;
  /** Puts rows left in "sending" back to "pending"; returns how many (the possible duplicates). */
  recover(): Promise<number>;
  /** Claims and starts every send allowed right now; returns how many started. */
  tick(): Promise<number>;
  /** Waits until the requests in flight are marked. */
  settle(): Promise<void>;
  /** tick + settle until nothing more can be sent at the current clock time (tests). */
  drain(): Promise<number>;
  /** Number of requests in flight now. */
  inFlight(): number;
}

/** What a worker brings of its own. */
export interface WorkerParts {
  loop: WorkerLoop;
  /** The sends in flight (the loop's and the replies'), until each is marked. */
  pending: Set<Promise<void>>;
  /** Recovers, prepares and starts the loop. */
  start(): Promise<void>;
  deliverNow(queued: QueuedMessage[]): Promise<void>;
  recover(): Promise<number>;
  tick(): Promise<number>;
  inFlight(): number;
}

export function outboxWorker(parts: WorkerParts): OutboxWorker {
  const settle = async () => {
    while (parts.pending.size > 0) await Promise.all([...parts.pending]);
  };
  return {
    start: parts.start,
    async stop() {
      await parts.loop.stop();
      await settle();
    },
    deliverNow: (queued) => trackCall(parts.pending, parts.deliverNow(queued)),
    recover: parts.recover,
    tick: parts.tick,
    settle,
    drain: () => drainUntilIdle(parts.tick, settle),
    inFlight: parts.inFlight,
  };
}

/** Runs `work` as a tracked call: it is in `pending` until it ends. */
function trackCall(pending: Set<Promise<void>>, work: Promise<void>): Promise<void> {
  const tracked = work.finally(() => pending.delete(tracked));
  pending.add(tracked);
  return tracked;
}

/** Ticks, waiting for each tick's sends, until a tick starts nothing; returns how many were started. */
async function drainUntilIdle(tick: () => Promise<number>, settle: () => Promise<void>): Promise<number> {
  let total = 0;
  for (;;) {
    const started = await tick();
    await settle();
    total += started;
    if (started === 0) return total;
  }
}
