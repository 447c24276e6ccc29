/**
 * The meetings background service: polls due reminders (fanning them out to the
 * outbox) and runs the outbox worker that delivers everything within rate limits.
 *
 *   const scheduler = createMeetingScheduler({ prisma, config, senders: [telegram, zalo], logger });
 *   await scheduler.start();  ...  await scheduler.stop();
 */
import type { PrismaClient } from "@prisma/client";
import type { Config } from "../config.js";
import type { Logger } from "../logger.js";
import type { ChannelSender } from "../conversation/types.js";
import { createOutboxWorker, type OutboxWorker, type OutboxWorkerOptions } from "../outbox/worker.js";
import { processDueReminders } from "./reminders.js";

export interface MeetingSchedulerOptions {
  prisma: PrismaClient;
  config: Pick<
    Config,
    "TIMEZONE" | "REMINDER_OFFSETS" | "TELEGRAM_RATE_PER_SECOND" | "TELEGRAM_RATE_PER_CHAT_PER_SECOND" | "ZALO_RATE_PER_SECOND"
  >;
  senders: ChannelSender[];
  clock?: () => Date;
  logger?: Logger;
  /** How often due reminders are looked for (default 30 s). */
  reminderPollMs?: number;
  /** Extra outbox worker settings (maxAttempts, maxInFlight, ...). */
  worker?: Partial<OutboxWorkerOptions>;
}

export interface MeetingScheduler {
  readonly worker: OutboxWorker;
  /** Runs one reminder pass now (also used by tests with an injected clock). */
  runReminders(): Promise<number>;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Rate limits per channel from the configuration (Zalo documents no per-chat limit; 1/s
 * is kept as courtesy). The web chat has no sender (no push), so it needs no limit.
 */
function channelLimits(config: MeetingSchedulerOptions["config"]): OutboxWorkerOptions["limits"] {
  return {
    telegram: { perSecond: config.TELEGRAM_RATE_PER_SECOND, perChatPerSecond: config.TELEGRAM_RATE_PER_CHAT_PER_SECOND },
    zalo: { perSecond: config.ZALO_RATE_PER_SECOND, perChatPerSecond: 1 },
  };
}

/** Creates the service; nothing runs until start(). */
export function createMeetingScheduler(options: MeetingSchedulerOptions): MeetingScheduler {
  const clock = options.clock ?? (() => new Date());
  const ctx = { prisma: options.prisma, config: options.config, clock };
  const worker = createOutboxWorker({
    prisma: options.prisma,
    senders: options.senders,
    limits: channelLimits(options.config),
    clock,
    logger: options.logger,
    ...options.worker,
  });
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<unknown> = Promise.resolve();

  const runReminders = async () => {
    try {
      return await processDueReminders(ctx);
    } catch (err) {
      options.logger?.error({ err }, "reminder pass failed");
      return 0;
    }
  };

  return {
    worker,
    runReminders,
    async start() {
      await worker.start();
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
      await worker.stop();
    },
  };
}
