/**
 * The senders for proactive messages (the outbox), one per configured channel. They
 * report "slow down" as ChannelSendError instead of waiting, so the outbox reschedules.
 *
 *   const senders = buildSenders(config, logger, state);
 *   await senders.get("zalo")?.send(chatId, { text: "..." });
 */
import type { Config } from "../core/config.js";
import type { Logger } from "../core/logger.js";
import type { ConversationStateStore } from "../core/conversation/state-store.js";
import type { ChannelName, ChannelSender } from "../core/conversation/types.js";
import { createTelegramSender } from "./telegram/sender.js";
import { zaloChoiceMemory } from "./zalo/choices.js";
import { createZaloSender } from "./zalo/sender.js";

/** Builds a sender for Telegram and Zalo when their tokens are set (the web chat has no push). */
export function buildSenders(config: Config, logger: Logger, state: ConversationStateStore): Map<ChannelName, ChannelSender> {
  const senders = new Map<ChannelName, ChannelSender>();
  if (config.TELEGRAM_BOT_TOKEN) {
    senders.set("telegram", createTelegramSender({ token: config.TELEGRAM_BOT_TOKEN, apiRoot: config.TELEGRAM_API_ROOT, logger }));
  }
  if (config.ZALO_BOT_TOKEN) {
    senders.set(
      "zalo",
      createZaloSender({ token: config.ZALO_BOT_TOKEN, apiRoot: config.ZALO_API_ROOT, logger, choiceMemory: zaloChoiceMemory(state) }),
    );
  }
  return senders;
}
