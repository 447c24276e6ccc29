/**
 * The meetings background service: polls due reminders and fans them out to the
 * outbox (the server's outbox worker delivers them within each channel's limits). With several
 * server instances on one database each pass runs on one instance at a time (`jobs`), so a
 * reminder goes out once.
 *
 *   const scheduler = createMeetingScheduler({ prisma, config, logger });
 *   await scheduler.start();  ...  await scheduler.stop();
 */
import type { PrismaClient } from "@prisma/client";
import type { Config } from "../config.js";
import type { Logger } from "../logger.js";
import { isDatabaseBusy } from "../db/busy.js";
import { singleInstanceJobs, type ClusterJobs } from "../db/cluster-jobs.js";
import { processDueReminders } from "./reminders.js";

export interface MeetingSchedulerOptions {
  prisma: PrismaClient;
  config: Pick<Config, "TIMEZONE" | "REMINDER_OFFSETS">;
  clock?: () => Date;
  logger?: Logger;
  /** How often due reminders are looked for (default 30 s). */
  reminderPollMs?: number;
  /** Runs each pass once cluster-wide (default: every pass runs, one server on its database). */
  jobs?: ClusterJobs;
}

export interface MeetingScheduler {
  /** Runs one reminder pass now (also used by tests with an injected clock); 0 when another instance is running one. */
  runReminders(): Promise<number>;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** Creates the service; nothing runs until start(). */
export function createMeetingScheduler(options: MeetingSchedulerOptions): MeetingScheduler {
  const clock = options.clock ?? (() => new Date());
  const ctx = { prisma: options.prisma, config: options.config, clock };
  const jobs = options.jobs ?? singleInstanceJobs;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<unknown> = Promise.resolve();

  const runReminders = async () => {
    try {
      return (await jobs.exclusive("meeting reminders", () => processDueReminders(ctx))) ?? 0;
    } catch (err) {
      // A locked database only delays the pass: reminders stay due and the next pass takes them.
      if (isDatabaseBusy(err)) options.logger?.warn("reminder pass postponed: the database is locked");
      else options.logger?.error({ err }, "reminder pass failed");
      return 0;
    }
  };

  return {
    runReminders,
    async start() {
      await runReminders();
      timer = setInterval(() => {
        running = runReminders();
      }, options.reminderPollMs ?? 30_000);
      timer.unref();
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = null;
      await running;
    },
  };
}
