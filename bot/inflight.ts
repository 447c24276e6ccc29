/**
 * Tracks work started after a webhook was already acknowledged (Zalo answers 200 first
 * and processes in the background), so shutdown and tests can wait for it.
 *
 *   inflight.track(processUpdate(update));
 *   await inflight.drain(); // every tracked task settled
 */
export interface Inflight {
  track(task: Promise<unknown>): void;
  /** Resolves once nothing is in flight (tasks started while draining are awaited too). */
  drain(): Promise<void>;
}

/** Creates an in-flight task tracker. Tracked rejections are swallowed: tasks log their own errors. */
export function createInflight(): Inflight {
  const tasks = new Set<Promise<unknown>>();
  return {
    track(task) {
      const t = task.catch(() => undefined).finally(() => tasks.delete(t));
      tasks.add(t);
    },
    async drain() {
      while (tasks.size > 0) await Promise.allSettled([...tasks]);
    },
  };
}
