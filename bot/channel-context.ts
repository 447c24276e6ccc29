/** What every channel plugin receives from the server. */
import type { Config } from "../core/config.js";
import type { Logger } from "../core/logger.js";
import type { Conversation } from "../core/conversation/conversation.js";
import type { UpdateLog } from "../core/conversation/dedup.js";
import type { ConversationStateStore } from "../core/conversation/state-store.js";
import type { Inflight } from "./inflight.js";
import type { FileLinks } from "./files/links.js";

export interface ChannelContext {
  config: Config;
  logger: Logger;
  conversation: Conversation;
  updateLog: UpdateLog;
  state: ConversationStateStore;
  inflight: Inflight;
  /** One-time links for files on channels that cannot upload them (Zalo). */
  fileLinks?: FileLinks;
}
