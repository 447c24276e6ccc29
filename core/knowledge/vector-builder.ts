/**
 * Builds a large document's vectors on a thread of its own while the knowledge base writes
 * its passages to the database: on two cores the vector index (embedding and hnswlib
 * inserts, about half of an ingest's work) then runs beside the SQLite and FTS5 writes
 * instead of after them. The thread starts from the saved index, so the caller saves its
 * own first; it saves the new index only when told the transaction committed.
 *
 *   const builder = await VectorBuilder.start({ indexDir, embedderId, dimension, embedsTexts: true, expected: 70_000 });
 *   builder.add(ids, { texts });                 // during the transaction, batch by batch (waits when the thread lags)
 *   await builder.finish(replacedIds);           // after the commit: the index is saved
 *   // or, when the transaction failed: await builder.cancel();
 */
import { Worker } from "node:worker_threads";

export interface BuilderSetup {
  indexDir: string;
  embedderId: string;
  dimension: number;
  /** The thread embeds the texts itself (the built-in hashing embedder); otherwise vectors are sent. */
  embedsTexts: boolean;
  /** Passages that will be sent: the index makes room for them at once. */
  expected: number;
  /** Two Int32: passages the thread has put in its index so far, and 1 once it failed. */
  progress: SharedArrayBuffer;
  /** The thread's module (vector-build-worker.ts). */
  module: string;
}

export type BuilderRequest = { type: "add"; ids: number[]; texts?: string[]; vectors?: Float32Array[] } | { type: "finish"; removed: number[] };
export type BuilderReply = { type: "ready" } | { type: "saved" } | { type: "failed"; message: string };

const THREAD_ENTRY = new URL("./vector-build-thread.mjs", import.meta.url);
/** Slots of the shared progress array. */
export const INDEXED = 0;
export const FAILED = 1;
/**
 * Passages sent that the thread may not have indexed yet. Beyond this, add() waits: the
 * texts waiting in the thread's queue are copies (a 50 MB document's would take 150 MB when
 * other work on the machine slows the thread down), while a few batches ahead keep it busy.
 */
export const MAX_AHEAD = 4000;
/** add() stops waiting when the thread has indexed nothing for this long (it died; finish() reports it). */
const STALL_MS = 30_000;
const THREAD_MODULE = new URL("./vector-build-worker.ts", import.meta.url).href;

export class VectorBuilder {
  private queued = 0;
  private failure: Error | undefined;
  private saved = false;
  private readonly waiting: ((reply: BuilderReply) => void)[] = [];

  private constructor(
    private readonly worker: Worker,
    private readonly indexed: Int32Array,
    readonly embedsTexts: boolean,
  ) {
    worker.on("message", (reply: BuilderReply) => {
      if (reply.type === "failed") this.failure ??= new Error(`vector index thread: ${reply.message}`);
      if (reply.type === "saved") this.saved = true;
      this.waiting.shift()?.(reply);
    });
    worker.on("error", (error) => {
      this.failure ??= error;
      for (const wake of this.waiting.splice(0)) wake({ type: "failed", message: error.message });
    });
    worker.on("exit", () => {
      if (!this.saved) this.failure ??= new Error("vector index thread ended early");
      for (const wake of this.waiting.splice(0)) wake({ type: "failed", message: "the thread ended" });
    });
  }

  /** Starts the thread; rejects when it cannot (no saved index, thread failure). */
  static async start(options: Omit<BuilderSetup, "progress" | "module">): Promise<VectorBuilder> {
    const progress = new SharedArrayBuffer(8);
    const setup: BuilderSetup = { ...options, progress, module: THREAD_MODULE };
    // No inherited options: the parent's (tsx's loader, --cpu-prof) are not the thread's.
    const worker = new Worker(THREAD_ENTRY, { workerData: setup, execArgv: [] });
    const builder = new VectorBuilder(worker, new Int32Array(progress), options.embedsTexts);
    const first = await builder.nextReply();
    if (first.type !== "ready") {
      await worker.terminate();
      throw builder.failure ?? new Error("vector index thread did not start");
    }
    return builder;
  }

  private nextReply(): Promise<BuilderReply> {
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  /**
   * Queues passages for the index: their texts when the thread embeds, else their vectors.
   * Blocks while the thread is more than MAX_AHEAD passages behind: the caller is inside a
   * synchronous transaction, so the wait is Atomics.wait on the thread's progress counter.
   */
  add(ids: number[], input: { texts: string[] } | { vectors: Float32Array[] }): void {
    this.waitUntilCaughtUp(MAX_AHEAD - ids.length);
    if (this.failure) throw this.failure;
    const request: BuilderRequest = "texts" in input ? { type: "add", ids, texts: input.texts } : { type: "add", ids, vectors: input.vectors };
    this.worker.postMessage(request);
    this.queued += ids.length;
  }

  /** Waits until at most `ahead` queued passages are not indexed yet, the thread failed, or it stalled. */
  private waitUntilCaughtUp(ahead: number): void {
    let stalledSince = performance.now();
    for (;;) {
      const indexed = Atomics.load(this.indexed, INDEXED);
      if (this.queued - indexed <= ahead || Atomics.load(this.indexed, FAILED) !== 0) return;
      if (Atomics.wait(this.indexed, INDEXED, indexed, 1000) !== "timed-out") stalledSince = performance.now();
      else if (performance.now() - stalledSince > STALL_MS) return;
    }
  }

  /** Passages queued so far, and those already in the thread's index. */
  get progress(): { indexed: number; queued: number } {
    return { indexed: Atomics.load(this.indexed, INDEXED), queued: this.queued };
  }

  /**
   * After the commit: drops the replaced passages, saves the index to its folder and ends
   * the thread. `onWait` is called now and then while the thread catches up.
   */
  async finish(removed: number[], onWait?: (progress: { indexed: number; queued: number }) => void): Promise<void> {
    if (this.failure) throw this.failure;
    const reply = this.nextReply();
    this.worker.postMessage({ type: "finish", removed } satisfies BuilderRequest);
    const timer = onWait ? setInterval(() => onWait(this.progress), 200) : undefined;
    try {
      const last = await reply;
      if (last.type !== "saved") throw this.failure ?? new Error(`vector index thread: ${last.type}`);
    } finally {
      if (timer) clearInterval(timer);
    }
    await this.worker.terminate();
  }

  /** Ends the thread without saving anything (the transaction failed). */
  async cancel(): Promise<void> {
    await this.worker.terminate();
  }
}
