/**
 * The Telegram channel as a Fastify plugin. Updates arrive at POST /webhooks/telegram
 * (secret header checked in constant time) or by long polling; either way each update
 * is validated at the edge (parse.ts), stored in the inbox, and only then acknowledged
 * (webhook: 200; polling: the next getUpdates offset). Processing happens from the
 * inbox: this plugin tells it how a stored update becomes the core's message; the
 * replies go out through the outbox (the platform's sender, index.ts).
 *
 *   await app.register(telegramPlugin, context);
 */
import { Api } from "grammy";
import type { UserFromGetMe } from "grammy/types";
import type { FastifyInstance } from "fastify";
import type { IncomingMessage } from "../../core/conversation/types.js";
import type { Logger } from "../../core/logger.js";
import type { ChannelContext, ChannelInbox } from "../channel-context.js";
import { requireSecretHeader } from "../secrets.js";
import { storeThenAcknowledge } from "../webhook-ack.js";
import { registerWebhookOnReady } from "../webhook-registration.js";
import { autoRetry } from "./retry.js";
import { keepAliveFetchConfig } from "./sender.js";
import { fromCallbackQuery, fromMessage, groupTextForBot, readTelegramUpdate } from "./parse.js";
import { telegramCommands } from "./render.js";
import { TELEGRAM_WEBHOOK_PATH } from "./types.js";

const ALLOWED_UPDATES = ["message", "callback_query"] as const;

/** Checks the Telegram settings; throws an operator-readable error when webhook mode lacks its secret. */
function checkTelegramConfig(config: ChannelContext["config"]): void {
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
export async function telegramPlugin(app: FastifyInstance, context: ChannelContext): Promise<void> {
  const { config, conversation, inbox } = context;
  const logger = context.logger.child({ channel: "telegram" });
  checkTelegramConfig(config);
  const token = config.TELEGRAM_BOT_TOKEN;
  if (!token) throw new Error("the Telegram channel needs TELEGRAM_BOT_TOKEN");

  // The bot's own calls (typing, button answers, webhook and menu set-up); replies go through the outbox's sender.
  const api = new Api(token, { apiRoot: config.TELEGRAM_API_ROOT, baseFetchConfig: keepAliveFetchConfig(config.TELEGRAM_API_ROOT) });
  api.config.use(autoRetry());
  const me = memo(() => api.getMe());

  inbox.process({
    async toMessage(payload): Promise<IncomingMessage | null> {
      const read = readTelegramUpdate(payload);
      if (read.kind !== "update") return null;
      const { update } = read;
      if ("callback_query" in update) {
        // Stops the button's spinner; a late answer (after a restart) is refused by Telegram, which is harmless.
        await api.answerCallbackQuery(update.callback_query.id).catch((err: unknown) => logger.warn({ err: describe(err) }, "answerCallbackQuery failed"));
        return fromCallbackQuery(update.callback_query);
      }
      const message = fromMessage(update.message);
      if (update.message.chat.type === "private") return message;
      // In groups, only what is meant for the bot: its commands, replies to it, mentions of it. Nothing else, not even stickers.
      if (message.kind !== "text") return null;
      const bot = await me();
      const text = groupTextForBot(message.text, bot.username, update.message.reply_to_message?.from?.id === bot.id);
      return text === null ? null : { ...message, text };
    },
    typing: (chatId) => api.sendChatAction(chatId, "typing"),
  });

  // The "/" menu of Telegram clients: set with the webhook, or when polling starts. Not fatal.
  async function registerCommandMenu(): Promise<void> {
    try {
      await api.setMyCommands(telegramCommands(conversation.menu()));
      logger.info("telegram command menu set");
    } catch (err) {
      logger.warn({ err: describe(err) }, "telegram setMyCommands failed; the command menu stays as it was");
    }
  }

  if (config.TELEGRAM_MODE === "webhook") {
    const secret = config.TELEGRAM_WEBHOOK_SECRET!;
    app.post(TELEGRAM_WEBHOOK_PATH, { onRequest: requireSecretHeader("x-telegram-bot-api-secret-token", secret) }, async (req, res) => {
      const read = readTelegramUpdate(req.body);
      if (read.kind === "invalid") return res.code(400).send({ error: read.reason });
      if (read.kind === "ignored") {
        logger.info({ updateId: read.updateId, reason: read.reason }, "telegram update ignored");
        return res.code(200).send({ ok: true });
      }
      // The body is stored as received; processing reads it with the same schemas.
      return storeThenAcknowledge(res, inbox, { updateKey: read.updateKey, chatKey: read.chatKey, payload: req.body }, logger);
    });
    registerWebhookOnReady(app, {
      channel: "telegram",
      path: TELEGRAM_WEBHOOK_PATH,
      publicUrl: config.PUBLIC_URL,
      logger,
      register: (url) => api.setWebhook(url, { secret_token: secret, allowed_updates: [...ALLOWED_UPDATES] }),
    });
    if (config.PUBLIC_URL) app.addHook("onReady", registerCommandMenu);
  } else {
    const stop = new AbortController();
    let polling: Promise<void> | undefined;
    app.addHook("onReady", async () => {
      await registerCommandMenu();
      polling = pollTelegram(api, inbox, stop.signal, logger);
    });
    app.addHook("onClose", async () => {
      stop.abort();
      await polling;
    });
  }
}

/**
 * Long-polls getUpdates until `signal` aborts. Each update is stored in the inbox before
 * the next call's offset confirms it to Telegram, so a crash loses nothing (Telegram
 * sends again what was not confirmed, and the inbox recognises what it already has).
 */
async function pollTelegram(api: Api, inbox: ChannelInbox, signal: AbortSignal, logger: Logger): Promise<void> {
  try {
    await api.deleteWebhook(); // webhook and getUpdates exclude each other
  } catch (err) {
    logger.warn({ err: describe(err) }, "telegram deleteWebhook failed; polling anyway");
  }
  logger.info("telegram polling started");
  let offset = 0;
  let backoff = 1000;
  while (!signal.aborted) {
    try {
      // grammY types its signal with the abort-controller package; the platform one is the same object.
      const updates = await api.getUpdates({ offset, timeout: 30, allowed_updates: [...ALLOWED_UPDATES] }, signal as Parameters<Api["getUpdates"]>[1]);
      for (const u of updates) {
        const read = readTelegramUpdate(u);
        if (read.kind === "update") await inbox.accept({ updateKey: read.updateKey, chatKey: read.chatKey, payload: u });
        else if (read.kind === "ignored") logger.info({ updateId: read.updateId, reason: read.reason }, "telegram update ignored");
        offset = u.update_id + 1;
      }
      backoff = 1000;
    } catch (err) {
      if (signal.aborted) break;
      logger.warn({ err: describe(err), backoffMs: backoff }, "telegram getUpdates failed");
      await pause(backoff, signal);
      backoff = Math.min(backoff * 2, 30_000);
    }
  }
  logger.info("telegram polling stopped");
}

/** Calls `load` once it first succeeds, sharing the result; a failure is tried again next time. */
function memo(load: () => Promise<UserFromGetMe>): () => Promise<UserFromGetMe> {
  let value: Promise<UserFromGetMe> | undefined;
  return () => (value ??= load().catch((err: unknown) => ((value = undefined), Promise.reject(err))));
}

function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise<void>((resolve) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener("abort", () => (clearTimeout(t), resolve()), { once: true });
  });
}

/** grammY errors carry no token in their message; other errors are reduced to theirs. */
function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
