/**
 * Sends the core's messages to Telegram through grammY's API client, and turns the
 * Bot API's failures into `ChannelSendError` so callers (replies, the outbox) can tell
 * "wait and retry" from "give up".
 *
 *   const sender = createTelegramSender({ token, apiRoot: config.TELEGRAM_API_ROOT, logger });
 *   await sender.send("12345", { text: "Xin chào **đồng chí**", choices: [{ label: "Có", value: "yes" }] });
 */
import http from "node:http";
import https from "node:https";
import { Api, GrammyError, HttpError } from "grammy";
import type { Logger } from "../../core/logger.js";
import { ChannelSendError, type ChannelSender, type OutgoingMessage } from "../../core/conversation/types.js";
import { sendTelegramDocument } from "./document.js";
import { renderTelegram } from "./render.js";

export interface TelegramSenderOptions {
  token: string;
  /** Bot API server root; default https://api.telegram.org. */
  apiRoot?: string;
  logger: Logger;
  /** Use this grammY client instead of making one (the adapter shares its bot's client). */
  api?: Api;
}

/** grammY fetch settings with keep-alive connections (a new TCP connection per reply is slow). */
export function keepAliveFetchConfig(apiRoot = "https://api.telegram.org"): never {
  const agent = apiRoot.startsWith("https:") ? new https.Agent({ keepAlive: true }) : new http.Agent({ keepAlive: true });
  // node-fetch (grammY's fetch on Node) takes an `agent`; the DOM RequestInit type does not list it.
  return { agent, compress: true } as never;
}

/** Creates a grammY API client with keep-alive connections. */
function createTelegramApi(token: string, apiRoot = "https://api.telegram.org"): Api {
  return new Api(token, { apiRoot, baseFetchConfig: keepAliveFetchConfig(apiRoot) });
}

/** A ChannelSender for Telegram: HTML formatting, inline keyboard buttons, long text split. */
export function createTelegramSender(options: TelegramSenderOptions): ChannelSender {
  const api = options.api ?? createTelegramApi(options.token, options.apiRoot);
  const logger = options.logger;
  return {
    channel: "telegram",
    async send(chatId: string, message: OutgoingMessage) {
      let firstId: string | undefined;
      for (const part of renderTelegram(message)) {
        try {
          const sent = await api.sendMessage(chatId, part.html, {
            parse_mode: "HTML",
            link_preview_options: { is_disabled: true },
            reply_markup: part.keyboard,
          });
          firstId ??= String(sent.message_id);
        } catch (err) {
          throw toChannelSendError(err, logger);
        }
      }
      if (message.file) {
        try {
          const documentId = await sendTelegramDocument(api, chatId, message.file);
          firstId ??= documentId;
        } catch (err) {
          throw toChannelSendError(err, logger);
        }
      }
      return { messageId: firstId };
    },
  };
}

/** Classifies a grammY failure: 429 and 5xx and network errors are retryable, other 4xx are not. */
function toChannelSendError(err: unknown, logger?: Logger): ChannelSendError {
  if (err instanceof ChannelSendError) return err;
  if (err instanceof GrammyError) {
    const retryAfter = err.parameters?.retry_after;
    const retryable = err.error_code === 429 || err.error_code >= 500;
    logger?.warn({ method: err.method, errorCode: err.error_code, retryAfter }, "telegram send failed");
    return new ChannelSendError(
      `Telegram ${err.method} failed (${err.error_code}): ${err.description}`,
      retryable,
      err.error_code === 429 ? (retryAfter ?? 1) : undefined,
    );
  }
  if (err instanceof HttpError) {
    // grammY keeps the URL (and so the token) out of HttpError messages.
    logger?.warn({ err: err.message }, "telegram network error");
    return new ChannelSendError(`Telegram network error: ${err.message}`, true);
  }
  logger?.error({ err }, "telegram send failed unexpectedly");
  return new ChannelSendError(`Telegram send failed: ${err instanceof Error ? err.message : String(err)}`, false);
}
