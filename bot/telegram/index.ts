/**
 * Telegram as one platform object (see ../platform.ts): on with TELEGRAM_BOT_TOKEN;
 * webhook or long polling (plugin.ts); HTML rendering with inline-keyboard buttons
 * (render.ts); replies and notices through the outbox within Telegram's broadcast
 * limits (30 messages a second overall, 1 a second per chat by default).
 */
import type { Platform } from "../platform.js";
import { telegramPlugin } from "./plugin.js";
import { TELEGRAM_TEXT_LIMIT } from "./render.js";
import { createTelegramSender } from "./sender.js";

export const telegram: Platform = {
  name: "telegram",
  capabilities: { buttons: "native", bold: true, textLimit: TELEGRAM_TEXT_LIMIT, push: true, typing: true, inbox: true },
  enabled: (config) => Boolean(config.TELEGRAM_BOT_TOKEN),
  limits: (config) => ({ perSecond: config.TELEGRAM_RATE_PER_SECOND, perChatPerSecond: config.TELEGRAM_RATE_PER_CHAT_PER_SECOND }),
  plugin: telegramPlugin,
  createSender: ({ config, logger }) =>
    createTelegramSender({ token: config.TELEGRAM_BOT_TOKEN ?? "", apiRoot: config.TELEGRAM_API_ROOT, logger }),
};
