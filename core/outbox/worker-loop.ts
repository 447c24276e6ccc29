/**
 * The delivery loop both outbox workers run (SQLite's worker.ts, PostgreSQL's
 * postgresql-worker.ts): a pass claims due rows and starts their sends; then the loop sleeps
 * until the earliest time a pass asked for (`wakeAt`), the next due row, or `idlePollMs`,
 * whichever comes first, unless something wakes it sooner (a send that freed room, a reply put
 * ahead of the queue). A failed pass is reported once until a pass succeeds again.
 *
 *   const loop = new WorkerLoop({ pass: tick, nextDueAt, idlePollMs, clock, onFailure, onRecovery });
 *   loop.start(); ... loop.wakeAt(t); loop.wake(); ... await loop.stop();
 */

export interface WorkerLoopOptions {
  /** Claims due rows and starts their sends; calls `wakeAt` for what it left waiting. */
  pass: () => Promise<unknown>;
  /** When the next pending row is due (ms), asked after a pass that set no wake time. */
  nextDueAt: () => Promise<number | null>;
  /** Work done after each successful pass (PostgreSQL: pruning old chat slots). */
  afterPass?: () => Promise<void>;
  idlePollMs: number;
  clock: () => Date;
  /** A pass failed (`first`: the first failure since the last success). */
  onFailure: (err: unknown, first: boolean) => void;
  /** A pass succeeded after failures. */
  onRecovery: () => void;
}

export class WorkerLoop {
  private running = false;
  private done: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private wakeUp: (() => void) | null = null;
  private nextWakeAt = Number.POSITIVE_INFINITY;
  private failing = false;
  /** A wake that came during a pass: the next sleep is skipped, so no wake-up is lost. */
  private wokenDuringPass = false;

  constructor(private readonly options: WorkerLoopOptions) {}

  get isRunning(): boolean {
    return this.running;
  }

  /** Asks the loop to pass again no later than `at` (ms). */
  wakeAt(at: number): void {
    this.nextWakeAt = Math.min(this.nextWakeAt, at);
  }

  /** Ends the current sleep now (during a pass: the loop passes again right after it). */
  wake(): void {
    if (this.wakeUp) this.wakeUp();
    else this.wokenDuringPass = true;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.done = this.run();
  }

  /** Stops after the pass in progress (sends already started are the worker's to wait for). */
  async stop(): Promise<void> {
    this.running = false;
    this.wake();
    await this.done;
    this.done = null;
  }

  private async run(): Promise<void> {
    while (this.running) {
      this.nextWakeAt = Number.POSITIVE_INFINITY;
      await this.passOnce();
      if (!this.running) break;
      await this.sleep(Math.max(1, Math.min(this.options.idlePollMs, this.nextWakeAt - this.options.clock().getTime())));
    }
  }

  private async passOnce(): Promise<void> {
    try {
      await this.options.pass();
      if (this.nextWakeAt === Number.POSITIVE_INFINITY) {
        const due = await this.options.nextDueAt();
        if (due !== null) this.nextWakeAt = due;
      }
      await this.options.afterPass?.();
      if (this.failing) this.options.onRecovery();
      this.failing = false;
    } catch (err) {
      this.options.onFailure(err, !this.failing);
      this.failing = true;
    }
  }

  private sleep(ms: number): Promise<void> {
    if (this.wokenDuringPass) {
      this.wokenDuringPass = false;
      return Promise.resolve();
    }
    return new Promise<void>((resolve) => {
      this.wakeUp = () => {
        this.wakeUp = null;
        if (this.timer) clearTimeout(this.timer);
        this.timer = null;
        resolve();
      };
      this.timer = setTimeout(() => this.wakeUp?.(), ms);
    });
  }
}
