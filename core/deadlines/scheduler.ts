/**
 * The background pass for deadline reminders (study tasks, evaluation rounds): every `pollMs` it
 * runs each feature's reminder pass; the outbox worker (run by the meetings service) delivers.
 * With several server instances on one database a run happens on one instance at a time (`jobs`).
 *
 *   const service = createDeadlineScheduler({ passes: [() => processStudyReminders(ctx)], logger });
 *   await service.start();  ...  await service.stop();
 */
import type { Logger } from "../logger.js";
import { singleInstanceJobs, type ClusterJobs } from "../db/cluster-jobs.js";

export interface DeadlineScheduler {
  /** Runs every pass once now; returns how many reminders they processed (0 when another instance is running them). */
  runOnce(): Promise<number>;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** Creates the service; nothing runs until start(). A failing pass is logged and retried next time. */
export function createDeadlineScheduler(options: { passes: (() => Promise<number>)[]; logger?: Logger; pollMs?: number; jobs?: ClusterJobs }): DeadlineScheduler {
  const jobs = options.jobs ?? singleInstanceJobs;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<unknown> = Promise.resolve();
  async function runPasses(): Promise<number> {
    let n = 0;
    for (const pass of options.passes) {
      try {
        n += await pass();
      } catch (err) {
        options.logger?.error({ err }, "deadline reminder pass failed");
      }
    }
    return n;
  }
  async function runOnce(): Promise<number> {
    try {
      return (await jobs.exclusive("deadline reminders", runPasses)) ?? 0;
    } catch (err) {
      // The job's lock could not be asked for (the database unreachable): the next run retries.
      options.logger?.error({ err }, "deadline reminder run failed");
      return 0;
    }
  }
  return {
    runOnce,
    async start() {
      await runOnce();
      timer = setInterval(() => {
        running = runOnce();
      }, options.pollMs ?? 60_000);
      timer.unref();
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = null;
      await running;
    },
  };
}
