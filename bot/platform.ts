/**
 * A chat platform as one object: its name, what it can do, its outgoing rate limits,
 * its Fastify plugin (webhook routes or polling) and its sender. The server serves the
 * platforms of the registry (platforms.ts) that the configuration turns on, and builds
 * everything per platform from these objects: no `if (telegram)` anywhere else. Each
 * platform lives in its own folder, bot/<platform>/index.ts.
 *
 *   export const zalo: Platform = { name: "zalo", capabilities, enabled, limits, plugin, createSender };
 */
import type { FastifyInstance } from "fastify";
import type { Config } from "../core/config.js";
import type { Logger } from "../core/logger.js";
import type { ConversationStateStore } from "../core/conversation/state-store.js";
import type { ChannelName, ChannelSender } from "../core/conversation/types.js";
import type { ChannelLimits } from "../core/outbox/worker.js";
import type { ChannelContext } from "./channel-context.js";
import type { FileLinks } from "./files/links.js";

/** What a platform shows natively, emulates, or lacks (the capability matrix of bot/README.md). */
export interface PlatformCapabilities {
  /** Choices: buttons of the platform, or numbered lines the member answers with a number. */
  buttons: "native" | "numbered";
  /** `**bold**` is shown as bold (else it is dropped). */
  bold: boolean;
  /** Longest text of one message; longer replies are split at paragraphs and sentences. null: no limit. */
  textLimit: number | null;
  /** The bot can message a member first (notices, reminders), so accounts may be linked there. */
  push: boolean;
  /** "typing…" is shown while a slow search runs. */
  typing: boolean;
  /** Updates go through the inbox: stored before they are acknowledged, redelivered when not. */
  inbox: boolean;
}

export interface SenderDeps {
  config: Config;
  logger: Logger;
  state: ConversationStateStore;
  /** One-time links for files, for platforms that cannot upload them (Zalo). */
  fileLinks?: FileLinks;
}

export interface Platform {
  readonly name: ChannelName;
  readonly capabilities: PlatformCapabilities;
  /** Whether the configuration turns this platform on (a token, a flag). */
  enabled(config: Config): boolean;
  /** Outgoing rate limits, which the outbox keeps to (platforms that cannot push have none). */
  limits?(config: Config): ChannelLimits;
  /** Registers the platform's routes and polling; encapsulated, so platforms never see each other. */
  plugin(app: FastifyInstance, context: ChannelContext): Promise<void>;
  /** The sender for replies and proactive messages (absent when replies go back in the HTTP response). */
  createSender?(deps: SenderDeps): ChannelSender;
}
