/**
 * Sends the core's messages to Zalo: plain text split at 2,000 characters, choices as a
 * numbered list (remembered per chat so the adapter can map "2" back to a choice), and
 * API failures as `ChannelSendError`.
 *
 *   const sender = createZaloSender({ token, apiRoot: config.ZALO_API_ROOT, logger });
 *   await sender.send(chatId, { text: "Đồng chí có dự họp?", choices: [{ label: "Có", value: "att:yes" }] });
 */
import type { Logger } from "../../core/logger.js";
import { ChannelSendError, type ChannelSender, type Choice, type OutgoingMessage } from "../../core/conversation/types.js";
import { ZaloApiError, ZaloClient, ZaloNetworkError } from "./client.js";
import { numberedOf, renderZalo } from "./render.js";
import { fileAsLink, type FileLinks } from "../files/links.js";

/** Where offered choices are remembered so a numeric reply can be understood later. */
export interface ChoiceMemory {
  remember(channel: "zalo", chatId: string, choices: Choice[]): Promise<void>;
}

export interface ZaloSenderOptions {
  token: string;
  /** Default https://bot-api.zaloplatforms.com. */
  apiRoot?: string;
  logger: Logger;
  /** Use this client instead of making one. */
  client?: ZaloClient;
  /** Remember offered choices (the server passes its state store; without it numbers are not mapped). */
  choiceMemory?: ChoiceMemory;
  /** Zalo bots cannot upload files: a message's file goes out as a one-time link made here. */
  fileLinks?: FileLinks;
}

/** A ChannelSender for Zalo. */
export function createZaloSender(options: ZaloSenderOptions): ChannelSender {
  const client = options.client ?? new ZaloClient({ token: options.token, apiRoot: options.apiRoot });
  const logger = options.logger;
  return {
    channel: "zalo",
    async send(chatId: string, original: OutgoingMessage) {
      const message = await fileAsLink(original, options.fileLinks);
      let firstId: string | undefined;
      for (const text of renderZalo(message)) {
        try {
          const sent = await client.sendMessage({ chat_id: chatId, text });
          firstId ??= sent?.message_id !== undefined ? String(sent.message_id) : undefined;
        } catch (err) {
          throw toChannelSendError(err, logger);
        }
      }
      if (numberedOf(message.choices).length && options.choiceMemory) {
        await options.choiceMemory.remember("zalo", chatId, numberedOf(message.choices));
      }
      return { messageId: firstId };
    },
  };
}

/** Classifies a Zalo failure: 429, 403, 408, 5xx and network errors are retryable. */
function toChannelSendError(err: unknown, logger?: Logger): ChannelSendError {
  if (err instanceof ChannelSendError) return err;
  if (err instanceof ZaloApiError) {
    logger?.warn({ method: err.method, errorCode: err.error_code }, "zalo send failed");
    // Zalo publishes no retry_after; a 429 waits a conservative default.
    return new ChannelSendError(err.message, err.retryable, err.error_code === 429 ? 30 : undefined);
  }
  if (err instanceof ZaloNetworkError) {
    logger?.warn({ err: err.message }, "zalo network error");
    return new ChannelSendError(err.message, true);
  }
  logger?.error({ err }, "zalo send failed unexpectedly");
  return new ChannelSendError(`Zalo send failed: ${err instanceof Error ? err.message : String(err)}`, false);
}
