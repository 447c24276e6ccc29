/** Options of the Telegram channel plugin. */
import type { Bot } from "grammy";
import type { ChannelContext } from "../channel-context.js";

export interface TelegramPluginOptions extends ChannelContext {
  /** A prepared bot (tests); by default one is made from the configuration. */
  bot?: Bot;
}

/** Where Telegram posts updates. */
export const TELEGRAM_WEBHOOK_PATH = "/webhooks/telegram";
