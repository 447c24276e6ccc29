/**
 * The Telegram channel as a Fastify plugin: grammY receives updates (webhook at
 * POST /webhooks/telegram, or long polling), each update is claimed once in the update
 * log, translated for the conversation core, and the replies are sent back. When no
 * reply could be delivered for a transient reason (5xx, network), the webhook answers
 * 500 and unclaims the update, so Telegram's redelivery is answered.
 *
 *   await app.register(telegramPlugin, { config, logger, conversation, updateLog, state, inflight });
 */
import { Bot, BotError, webhookCallback } from "grammy";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { IncomingMessage } from "../../core/conversation/types.js";
import { handleAndReply, type ReplyDeps } from "../reply.js";
import { requireSecretHeader } from "../secrets.js";
import { registerWebhookOnReady } from "../webhook-registration.js";
import { autoRetry } from "./retry.js";
import { createTelegramSender, keepAliveFetchConfig } from "./sender.js";
import { fromCallbackQuery, fromMessage, groupTextForBot } from "./parse.js";
import { telegramCommands } from "./render.js";
import { TELEGRAM_WEBHOOK_PATH, type TelegramPluginOptions } from "./types.js";

/** Thrown when no reply could be delivered for a transient reason, so Telegram should deliver the update again. */
class RedeliverUpdate extends Error {
  override name = "RedeliverUpdate";
}

/** Checks the Telegram settings; throws an operator-readable error when webhook mode lacks its secret. */
function checkTelegramConfig(config: TelegramPluginOptions["config"]): void {
  if (config.TELEGRAM_MODE !== "webhook") return;
  const secret = config.TELEGRAM_WEBHOOK_SECRET;
  if (!secret) {
    throw new Error(
      "TELEGRAM_MODE=webhook needs TELEGRAM_WEBHOOK_SECRET (1-256 characters of A-Z a-z 0-9 _ -) so that only Telegram can post updates. Set it, or use TELEGRAM_MODE=polling for local development.",
    );
  }
  if (!/^[A-Za-z0-9_-]{1,256}$/.test(secret)) {
    throw new Error("TELEGRAM_WEBHOOK_SECRET may only contain A-Z a-z 0-9 _ - (1-256 characters), as Telegram requires.");
  }
}

/** Registers the Telegram channel. */
export async function telegramPlugin(app: FastifyInstance, opts: TelegramPluginOptions): Promise<void> {
  const { config, conversation, updateLog } = opts;
  const logger = opts.logger.child({ channel: "telegram" });
  checkTelegramConfig(config);
  const token = config.TELEGRAM_BOT_TOKEN;
  if (!token && !opts.bot) throw new Error("telegramPlugin needs TELEGRAM_BOT_TOKEN");

  const bot =
    opts.bot ??
    new Bot(token!, { client: { apiRoot: config.TELEGRAM_API_ROOT, baseFetchConfig: keepAliveFetchConfig(config.TELEGRAM_API_ROOT) } });
  bot.api.config.use(autoRetry());
  const sender = createTelegramSender({ token: token ?? "", logger, api: bot.api });

  const replyDeps: ReplyDeps = { conversation, sender, logger, typing: (chatId) => bot.api.sendChatAction(chatId, "typing") };
  const handle = (message: IncomingMessage) =>
    handleAndReply(replyDeps, message, (e, delivered) => {
      // Nothing reached the user and Telegram may succeed later: let it redeliver the update.
      if (delivered === 0 && e?.retryable && config.TELEGRAM_MODE === "webhook") throw new RedeliverUpdate(e.message);
    });

  // Each update once, across restarts: a redelivered update_id stops here.
  bot.use(async (ctx, next) => {
    const key = String(ctx.update.update_id);
    if (!updateLog.claim("telegram", key)) {
      logger.info({ updateId: ctx.update.update_id }, "redelivered update ignored");
      return;
    }
    try {
      await next();
    } catch (err) {
      // Unclaim so the redelivery is handled; the webhook answers 500, which makes Telegram retry.
      if (err instanceof RedeliverUpdate) updateLog.release("telegram", key);
      throw err;
    }
  });

  bot.on("message:text", async (ctx) => {
    const message = fromMessage(ctx.message);
    if (ctx.chat.type !== "private") {
      // In groups, only what is meant for the bot: its commands, replies to it, mentions of it.
      const text = groupTextForBot(message.text, ctx.me?.username, ctx.message.reply_to_message?.from?.id === ctx.me?.id);
      if (text === null) return;
      message.text = text;
    }
    await handle(message);
  });

  bot.on("callback_query:data", async (ctx) => {
    await ctx.answerCallbackQuery().catch((err: unknown) => logger.warn({ err: String(err) }, "answerCallbackQuery failed"));
    await handle(fromCallbackQuery(ctx.callbackQuery));
  });

  // Stickers, photos, voice...: a polite "text only" in private chats; silence in groups.
  bot.on("message", async (ctx) => {
    if (ctx.chat.type !== "private") return;
    await handle(fromMessage(ctx.message));
  });

  // The "/" menu of Telegram clients: set with the webhook, or when polling starts. Not fatal.
  async function registerCommandMenu(): Promise<void> {
    try {
      await bot.api.setMyCommands(telegramCommands(conversation.menu()));
      logger.info("telegram command menu set");
    } catch (err) {
      logger.warn({ err: err instanceof Error ? err.message : String(err) }, "telegram setMyCommands failed; the command menu stays as it was");
    }
  }

  bot.catch((err) => logger.error({ err: err.error instanceof Error ? err.error.message : String(err.error) }, "telegram update failed"));

  if (config.TELEGRAM_MODE === "webhook") {
    const secret = config.TELEGRAM_WEBHOOK_SECRET!;
    const callback = webhookCallback(bot, "fastify", { secretToken: secret, onTimeout: "return", timeoutMilliseconds: 55_000 });
    // grammY's BotError carries the context (token, message text): log one clean line instead.
    const handler = async (req: FastifyRequest, res: FastifyReply) => {
      try {
        return await callback(req, res);
      } catch (err) {
        const inner = err instanceof BotError ? err.error : err;
        logger.warn({ err: inner instanceof Error ? inner.message : String(inner) }, "telegram update not handled; answering 500 so Telegram redelivers it");
        return res.code(500).send({ error: "temporarily unavailable" });
      }
    };
    app.post(
      TELEGRAM_WEBHOOK_PATH,
      {
        onRequest: requireSecretHeader("x-telegram-bot-api-secret-token", secret),
        schema: {
          body: {
            type: "object",
            required: ["update_id"],
            properties: { update_id: { type: "integer", minimum: 0 } },
          },
        },
      },
      handler,
    );
    registerWebhookOnReady(app, {
      channel: "telegram",
      path: TELEGRAM_WEBHOOK_PATH,
      publicUrl: config.PUBLIC_URL,
      logger,
      register: (url) => bot.api.setWebhook(url, { secret_token: secret, allowed_updates: ["message", "callback_query"] }),
    });
    if (config.PUBLIC_URL) app.addHook("onReady", registerCommandMenu);
  } else {
    let polling: Promise<void> | undefined;
    app.addHook("onReady", async () => {
      await registerCommandMenu();
      polling = bot
        .start({ allowed_updates: ["message", "callback_query"], onStart: (me) => logger.info({ bot: me.username }, "telegram polling started") })
        .catch((err: unknown) => logger.error({ err: err instanceof Error ? err.message : String(err) }, "telegram polling stopped with an error"));
    });
    app.addHook("onClose", async () => {
      if (bot.isRunning()) await bot.stop();
      await polling;
    });
  }
}
