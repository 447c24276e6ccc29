/**
 * Builds the Fastify server: health and readiness, one encapsulated plugin per channel
 * (Telegram and Zalo when their tokens are set, the web chat unless turned off), the
 * conversation core they share, and the background services started with the server
 * and stopped with it. bot/main.ts wires it to the real dependencies; tests build it
 * with their own.
 *
 *   const app = await buildServer({ config, logger, store, answerer });
 *   await app.listen({ port: config.PORT, host: config.HOST });
 *   await app.close(); // stops polling and services, waits for in-flight replies
 */
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from "fastify";
import type { Bot } from "grammy";
import type { Config } from "../core/config.js";
import type { Logger } from "../core/logger.js";
import type { Store } from "../core/db/store.js";
import type { Answerer } from "../core/search/types.js";
import { cachedAnswerer, type AnswerCacheOptions } from "../core/conversation/answer-cache.js";
import { createConversation } from "../core/conversation/conversation.js";
import { createUpdateLog } from "../core/conversation/dedup.js";
import { createRateLimiter } from "../core/conversation/rate-limiter.js";
import { createStateStore } from "../core/conversation/state-store.js";
import type { ConversationFeature } from "../core/conversation/types.js";
import type { ChannelContext } from "./channel-context.js";
import { createDownloadLinks } from "../core/files/download-links.js";
import { createFileLinks } from "./files/links.js";
import { filesPlugin } from "./files/plugin.js";
import { createInflight, type Inflight } from "./inflight.js";
import { telegramPlugin } from "./telegram/plugin.js";
import { webPlugin } from "./web/plugin.js";
import type { ZaloClient } from "./zalo/client.js";
import { zaloPlugin } from "./zalo/plugin.js";

/** Something that runs beside the server (outbox worker, reminder scheduler, maintenance). */
export interface BackgroundService {
  name: string;
  start(): void | Promise<void>;
  stop(): void | Promise<void>;
}

export interface ServerDeps {
  config: Config;
  logger: Logger;
  store: Store;
  answerer: Answerer;
  /** Conversation features (meetings and attendance, ...), offered commands and text before Q&A. */
  features?: ConversationFeature[];
  /** Started when the server is ready, stopped (in reverse order) when it closes. */
  services?: BackgroundService[];
  /** Reuse of recent answers to repeated questions (default on: 500 answers, 10 minutes); false turns it off. */
  answerCache?: AnswerCacheOptions | false;
  /** Show "typing…" when an answer takes longer than this (default 300 ms). */
  typingDelayMs?: number;
  /** /readyz answers 503 until this returns true (default: always ready). */
  isReady?: () => boolean;
  /** Test seams: a prepared grammY bot / Zalo client instead of ones made from the configuration. */
  telegramBot?: Bot;
  zaloClient?: ZaloClient;
}

declare module "fastify" {
  interface FastifyInstance {
    /** Replies still being worked on (Zalo acknowledges first); tests and shutdown await `drain()`. */
    inflight: Inflight;
  }
}

/** ProcessedUpdate rows are kept this long (platforms redeliver within minutes to hours). */
const PROCESSED_UPDATE_DAYS = 14;
const MAINTENANCE_EVERY_MS = 6 * 3600 * 1000;

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

  const state = createStateStore(store.sqlite);
  const updateLog = createUpdateLog(store.sqlite);
  const inflight = createInflight();
  const conversation = createConversation({
    answerer: deps.answerCache === false ? deps.answerer : cachedAnswerer(deps.answerer, deps.answerCache),
    features: deps.features,
    rateLimiter: createRateLimiter({ perMinute: config.QUESTIONS_PER_MINUTE }),
    logger,
    typingDelayMs: deps.typingDelayMs,
  });
  app.decorate("inflight", inflight);

  const downloads = createDownloadLinks(store.prisma, { ttlMinutes: config.DOWNLOAD_LINK_TTL_MINUTES });
  const fileLinks = createFileLinks(downloads, config.PUBLIC_URL);
  const context: ChannelContext = { config, logger, conversation, updateLog, state, inflight, fileLinks };

  app.get("/healthz", async () => ({ status: "ok" }));
  app.get("/readyz", async (_req, reply) => {
    const ready = deps.isReady?.() ?? true;
    return reply.code(ready ? 200 : 503).send({ status: ready ? "ready" : "starting" });
  });

  await app.register(filesPlugin, { links: downloads });

  const channels: string[] = [];
  if (config.TELEGRAM_BOT_TOKEN || deps.telegramBot) {
    await app.register(telegramPlugin, { ...context, bot: deps.telegramBot });
    channels.push(`telegram (${config.TELEGRAM_MODE})`);
  }
  if (config.ZALO_BOT_TOKEN || deps.zaloClient) {
    await app.register(zaloPlugin, { ...context, client: deps.zaloClient });
    channels.push(`zalo (${config.ZALO_MODE})`);
  }
  if (config.WEB_CHAT_ENABLED) {
    await app.register(webPlugin, context);
    channels.push("web");
  }

  const maintenance = maintenanceService(context);
  const services = [maintenance, ...(deps.services ?? [])];
  const started: BackgroundService[] = [];
  app.addHook("onReady", async () => {
    for (const s of services) {
      await s.start();
      started.push(s);
    }
    logger.info({ channels, services: services.map((s) => s.name) }, "server ready");
  });
  app.addHook("onClose", async () => {
    for (const s of started.reverse()) {
      try {
        await s.stop();
      } catch (err) {
        logger.error({ err, service: s.name }, "service did not stop cleanly");
      }
    }
    await inflight.drain();
  });
  return app;
}

/** Prunes old ProcessedUpdate rows and expired conversation state at start and every 6 hours. */
function maintenanceService({ updateLog, state, logger }: ChannelContext): BackgroundService {
  let timer: NodeJS.Timeout | undefined;
  const run = () => {
    try {
      const updates = updateLog.prune(PROCESSED_UPDATE_DAYS);
      const states = state.prune();
      if (updates || states) logger.info({ updates, states }, "pruned old update records and conversation state");
    } catch (err) {
      logger.error({ err }, "maintenance failed");
    }
  };
  return {
    name: "maintenance",
    start() {
      run();
      timer = setInterval(run, MAINTENANCE_EVERY_MS);
      timer.unref();
    },
    stop() {
      if (timer) clearInterval(timer);
    },
  };
}
