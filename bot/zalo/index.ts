/**
 * Zalo as one platform object (see ../platform.ts): on with ZALO_BOT_TOKEN; webhook or
 * long polling (plugin.ts); plain text with choices as numbered lines (render.ts,
 * choices.ts); replies and notices through the outbox at ZALO_RATE_PER_SECOND (Zalo
 * publishes no per-chat limit; one a second per chat is kept as courtesy).
 */
import type { Platform } from "../platform.js";
import { zaloChoiceMemory } from "./choices.js";
import { zaloPlugin } from "./plugin.js";
import { ZALO_TEXT_LIMIT } from "./render.js";
import { createZaloSender } from "./sender.js";

export const zalo: Platform = {
  name: "zalo",
  capabilities: { buttons: "numbered", bold: false, textLimit: ZALO_TEXT_LIMIT, push: true, typing: true, inbox: true },
  enabled: (config) => Boolean(config.ZALO_BOT_TOKEN),
  limits: (config) => ({ perSecond: config.ZALO_RATE_PER_SECOND, perChatPerSecond: 1 }),
  plugin: zaloPlugin,
  createSender: ({ config, logger, state, fileLinks }) =>
    createZaloSender({ token: config.ZALO_BOT_TOKEN ?? "", apiRoot: config.ZALO_API_ROOT, logger, choiceMemory: zaloChoiceMemory(state), fileLinks }),
};
