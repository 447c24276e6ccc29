/**
 * The web chat as one platform object (see ../platform.ts): on unless
 * WEB_CHAT_ENABLED=false; a page and a JSON endpoint (plugin.ts). Replies go back in
 * the HTTP response, so it has no sender, cannot push notices, and needs no inbox.
 */
import type { Platform } from "../platform.js";
import { webPlugin } from "./plugin.js";

export const web: Platform = {
  name: "web",
  capabilities: { buttons: "native", bold: true, textLimit: null, push: false, typing: true, inbox: false },
  enabled: (config) => config.WEB_CHAT_ENABLED,
  plugin: webPlugin,
};
