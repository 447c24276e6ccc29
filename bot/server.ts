/**
 * Builds the Fastify server: health and readiness, one encapsulated plugin per platform
 * the configuration turns on (from the registry, platforms.ts), the conversation core
 * they share, and the services started with the server and stopped with it:
 *
 * - the inbox processor: platform updates are stored before they are acknowledged and
 *   processed from there (core/inbox);
 * - the outbox worker: every message the bot sends, replies included, goes through it,
 *   within each platform's rate limits (core/outbox);
 * - maintenance, and the product's own services (bot/extensions.ts: reminders).
 *
 * The event loop never waits on the database: the store's connections give up on a
 * lock at once and callers wait asynchronously (core/db/busy.ts). While another process
 * holds the database, /readyz answers 503, webhooks answer 503 (the platform delivers
 * again), and /healthz stays instant.
 *
 *   const app = await buildServer({ config, logger, store, answerer, extensions: loadExtensions });
 *   await app.listen({ port: config.PORT, host: config.HOST });
 *   await app.close(); // stops polling and services, waits for updates being processed
 */
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from "fastify";
import type { Config } from "../core/config.js";
import type { Logger } from "../core/logger.js";
import type { Store } from "../core/db/store.js";
import type { Answerer } from "../core/search/types.js";
import { cachedAnswerer, type AnswerCacheOptions } from "../core/conversation/answer-cache.js";
import { createConversation } from "../core/conversation/conversation.js";
import { createRateLimiter } from "../core/conversation/rate-limiter.js";
import { createStateStore } from "../core/conversation/state-store.js";
import type { ChannelName, ConversationFeature } from "../core/conversation/types.js";
import { retryWhileBusy } from "../core/db/busy.js";
import { openInbox, type Inbox } from "../core/inbox/inbox.js";
import { createInboxProcessor, type InboxProcessor } from "../core/inbox/processor.js";
import { openOutboxWorker } from "../core/outbox/open-worker.js";
import type { OutboxWorkerOptions } from "../core/outbox/worker.js";
import { createServerInstance } from "../core/cluster/server-instance.js";
import type { ChannelContext, ChannelInbox } from "./channel-context.js";
import type { ExtensionDeps, Extensions } from "./extensions.js";
import type { Platform } from "./platform.js";
import { createQuestionLog, type PickTeacher, type QuestionLog } from "../core/learning/question-log.js";
import { accountPseudonyms } from "../core/members/account-pseudonym.js";
import { createDownloadLinks } from "../core/files/download-links.js";
import { createFileLinks } from "./files/links.js";
import { filesPlugin } from "./files/plugin.js";
import { createSenders, enabledPlatforms, noticeChannels, outboxLimits, textLimits } from "./platforms.js";
// PostgreSQL and several instances (issue 12): retention once cluster-wide, the database's health for /readyz.
import { clusterJobs } from "../core/db/cluster-jobs.js";
import { databaseHealth } from "../core/db/health.js";
import { maintenanceService, questionLogRetention } from "./maintenance.js";
import type { BackgroundService } from "./background-service.js";
import { ACK_DEADLINE_MS } from "./webhook-ack.js";

export type { BackgroundService } from "./background-service.js";

export interface ServerDeps {
  config: Config;
  logger: Logger;
  store: Store;
  answerer: Answerer;
  /** Attaches a question to a section members agreed on (the knowledge base); without it picks are only logged. */
  teacher?: PickTeacher;
  /** Conversation features (meetings and attendance, ...), offered commands and text before Q&A. */
  features?: ConversationFeature[];
  /** Started when the server is ready, stopped (in reverse order) when it closes. */
  services?: BackgroundService[];
  /** The product's features and services, built once the state store and the channels exist (bot/extensions.ts). */
  extensions?: (deps: ExtensionDeps) => Promise<Extensions>;
  /** The platforms to choose from by configuration (default: the registry, bot/platforms.ts). */
  platforms?: readonly Platform[];
  /** Outbox worker settings (tests: a quicker poll). */
  outbox?: Partial<OutboxWorkerOptions>;
  /** Reuse of recent answers to repeated questions (default on: 500 answers, 10 minutes); false turns it off. */
  answerCache?: AnswerCacheOptions | false;
  /** Show "typing…" when an answer takes longer than this (default 300 ms). */
  typingDelayMs?: number;
  /** /readyz answers 503 until this returns true (default: always ready). */
  isReady?: () => boolean;
}

declare module "fastify" {
  interface FastifyInstance {
    /** The inbox's processing: tests await `inbox.drain()` (nothing queued or being processed). */
    inbox: { drain(): Promise<void> };
  }
}

/** PostgreSQL: how often the inbox looks for updates no instance holds. */
const INBOX_POLL_MS = 2000;

/** Builds (but does not start) the server. Throws a clear error on an unusable channel configuration. */
export async function buildServer(deps: ServerDeps): Promise<FastifyInstance> {
  const { config, logger, store } = deps;
  const app = Fastify({
    loggerInstance: logger as FastifyBaseLogger,
    bodyLimit: 1024 * 1024,
    requestIdHeader: "x-request-id",
    // Behind a reverse proxy on this host or the private network, req.ip is the client's address.
    trustProxy: "loopback, uniquelocal",
  });
  await store.useServerSettings();

  const state = createStateStore(store);
  const downloads = createDownloadLinks(store.prisma, { ttlMinutes: config.DOWNLOAD_LINK_TTL_MINUTES });
  const fileLinks = createFileLinks(downloads, config.PUBLIC_URL);
  const platforms = enabledPlatforms(config, deps.platforms);
  const senders = createSenders(platforms, { config, logger, state, fileLinks });
  // PostgreSQL: this server is one instance of a cluster; its row names its claims on shared work
  // (inbox updates, outbox rows, send slots), handed back when it stops (core/cluster/server-instance.ts).
  const instance = store.engine === "postgresql" ? createServerInstance(store.pg, { logger, leaseMs: config.CLUSTER_LEASE_SECONDS * 1000, heartbeatMs: (config.CLUSTER_LEASE_SECONDS * 1000) / 5 }) : null;
  const outbox = openOutboxWorker(store, {
    instanceId: instance?.id,
    senders: [...senders.values()],
    limits: outboxLimits(platforms, config),
    logger,
    ...deps.outbox,
  });
  const extensions = (await deps.extensions?.({ config, logger, store, state, noticeChannels: noticeChannels(platforms, senders), textLimits: textLimits(platforms) })) ?? {
    features: [],
    services: [],
  };
  const questionLog = createQuestionLog({
    prisma: store.prisma,
    store,
    pseudonym: accountPseudonyms(store.prisma),
    teacher: deps.teacher,
    autoTeachPicks: config.AUTO_TEACH_PICKS,
    countPicksFrom: noticeChannels(platforms, senders),
    logger,
  });
  const conversation = createConversation({
    answerer: deps.answerCache === false ? deps.answerer : withAnswerCache(deps.answerer, deps.answerCache),
    features: [...(deps.features ?? []), ...extensions.features],
    rateLimiter: createRateLimiter({ perMinute: config.QUESTIONS_PER_MINUTE }),
    state,
    questionLog,
    accountChannels: noticeChannels(platforms, senders),
    logger,
    typingDelayMs: deps.typingDelayMs,
  });
  const inbox = openInbox(store, { instanceId: instance?.id });
  // On PostgreSQL updates handed back by a stopping instance (or left by a dead one) are adopted by polling.
  const processor = createInboxProcessor({ inbox, conversation, outbox, logger, pollMs: instance ? INBOX_POLL_MS : undefined });
  app.decorate("inbox", { drain: () => processor.drain() });

  app.get("/healthz", async () => ({ status: "ok" }));
  app.get("/readyz", async (_req, reply) => {
    if (!(deps.isReady?.() ?? true)) return reply.code(503).send({ status: "starting" });
    if (store.engine === "sqlite" && !(await databaseWritable(inbox))) return reply.code(503).send({ status: "database locked" });
    const health = await databaseHealth(store);
    if (!health.ok) {
      logger.warn({ engine: store.engine, reason: health.reason }, "readyz: the database is not healthy");
      return reply.code(503).send({ status: "database unavailable", reason: health.reason });
    }
    return { status: "ready" };
  });

  await app.register(filesPlugin, { links: downloads });
  for (const platform of platforms) {
    const context: ChannelContext = { config, logger, conversation, state, fileLinks, inbox: channelInbox(platform.name, inbox, processor, ACK_DEADLINE_MS[store.engine]) };
    await app.register(platform.plugin, context);
  }

  const services: BackgroundService[] = [
    // Registered first, so it is stopped last: its claims are handed back once nothing uses them.
    ...(instance ? [{ name: "server instance", start: () => instance.start(), stop: async () => void (await instance.close()) }] : []),
    maintenanceService({ inbox, store, state, jobs: clusterJobs(store), logger }),
    questionLogRetention({ log: questionLog, days: config.QUESTION_LOG_DAYS, jobs: clusterJobs(store), logger }),
    // A database locked at start (an import running) delays the start instead of failing it.
    { name: "outbox", start: () => retryWhileBusy(() => outbox.start(), { deadlineMs: 60_000 }), stop: () => outbox.stop() },
    { name: "inbox", start: () => processor.start(), stop: () => processor.stop() },
    ...extensions.services,
    ...(deps.services ?? []),
  ];
  const started: BackgroundService[] = [];
  app.addHook("onReady", async () => {
    for (const s of services) {
      await s.start();
      started.push(s);
    }
    logger.info({ channels: platforms.map((p) => p.name), services: services.map((s) => s.name) }, "server ready");
  });
  app.addHook("onClose", async () => {
    for (const s of started.reverse()) {
      try {
        await s.stop();
      } catch (err) {
        logger.error({ err, service: s.name }, "service did not stop cleanly");
      }
    }
    inbox.close();
  });
  return app;
}

/**
 * The answer cache in front of the answerer. It keeps answers to questions only; a section
 * picked among choices is read by its id, so that goes past it to the answerer (the cache
 * alone has no `passage`, and every pick was answered "Lựa chọn này đã hết hiệu lực").
 */
function withAnswerCache(answerer: Answerer, options: AnswerCacheOptions | undefined): Answerer {
  const cached = cachedAnswerer(answerer, options);
  return {
    answer: (question) => cached.answer(question),
    ...(answerer.passage ? { passage: answerer.passage.bind(answerer) } : {}),
  };
}

/** One channel's side of the inbox: stores its updates and hands new ones to the processor. */
function channelInbox(channel: ChannelName, inbox: Inbox, processor: InboxProcessor, ackDeadlineMs: number): ChannelInbox {
  return {
    ackDeadlineMs,
    async accept(update, options) {
      const row = await inbox.store({ channel, ...update }, options);
      if (!row) return "duplicate";
      processor.enqueue(row);
      return "stored";
    },
    process(reader) {
      processor.handle(channel, reader);
    },
  };
}

/** True when a write could start; a lock held for a moment by this process's own transaction is waited out briefly. */
async function databaseWritable(inbox: Inbox): Promise<boolean> {
  for (let attempt = 0; attempt < 3; attempt++) {
    if (await inbox.writable()) return true;
    await new Promise((r) => setTimeout(r, 20));
  }
  return false;
}
