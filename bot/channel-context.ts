/**
 * What every channel plugin receives from the server: configuration, logging, the
 * conversation core, the one conversation state store, and its door to the inbox.
 */
import type { Config } from "../core/config.js";
import type { Logger } from "../core/logger.js";
import type { Conversation } from "../core/conversation/conversation.js";
import type { ConversationStateStore } from "../core/conversation/state-store.js";
import type { InboxChannel } from "../core/inbox/processor.js";
import type { FileLinks } from "./files/links.js";

export interface ChannelContext {
  config: Config;
  logger: Logger;
  conversation: Conversation;
  state: ConversationStateStore;
  /** One-time links for files on channels that cannot upload them (Zalo). */
  fileLinks?: FileLinks;
  /** This channel's side of the inbox (webhooks and polling store updates; processing reads them back). */
  inbox: ChannelInbox;
}

/** An update as a channel hands it to the inbox. */
export interface ReceivedUpdate {
  /** The platform's id of the update, unique on the channel (Telegram update_id, Zalo message_id). */
  updateKey: string;
  /** The chat it belongs to (updates of one chat are processed in order). */
  chatKey: string;
  /** The update as received, already validated at the edge. */
  payload: unknown;
}

export interface ChannelInbox {
  /**
   * Stores an update durably; "duplicate" when the platform delivered it before. Rejects
   * with InboxUnavailableError when it could not be stored within `deadlineMs` (default:
   * no deadline), so the platform must not be told it arrived.
   */
  accept(update: ReceivedUpdate, options?: { deadlineMs?: number }): Promise<"stored" | "duplicate">;
  /** How long a webhook waits for `accept` before answering 503 (bot/webhook-ack.ts; it depends on the database engine). */
  readonly ackDeadlineMs: number;
  /** How this channel's stored updates become the core's messages (set once, by the plugin). */
  process(reader: InboxChannel): void;
}
