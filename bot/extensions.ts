/**
 * The one place where the product's features and services are plugged into the server
 * (meetings and attendance, the reminder scheduler). The server calls it once its state
 * store and channels exist; main.ts passes it as `extensions`.
 *
 *   const app = await buildServer({ ..., extensions: loadExtensions });
 */
import type { Config } from "../core/config.js";
import type { Logger } from "../core/logger.js";
import type { Store } from "../core/db/store.js";
import type { ConversationStateStore } from "../core/conversation/state-store.js";
import type { ChannelName, ConversationFeature } from "../core/conversation/types.js";
import type { BackgroundService } from "./server.js";
// meetings (core/meetings): wired by the meetings engineer
import { createMeetingsFeature } from "../core/meetings/feature.js";
import { createMeetingScheduler } from "../core/meetings/scheduler.js";

export interface ExtensionDeps {
  config: Config;
  logger: Logger;
  store: Store;
  /** The server's conversation state store (the only one). */
  state: ConversationStateStore;
  /** Channels that can deliver notices (they can push and have a sender). */
  noticeChannels: ChannelName[];
}

export interface Extensions {
  features: ConversationFeature[];
  services: BackgroundService[];
}

/** Builds the product's features and services (add new ones here). */
export async function loadExtensions(deps: ExtensionDeps): Promise<Extensions> {
  const features: ConversationFeature[] = [];
  const services: BackgroundService[] = [];

  // --- meetings and attendance: /dangky /hop /doihop /huyhop /diemdanh /lichhop and replies,
  // plus the service that fans out due reminders (the server's outbox delivers them).
  const { config, logger, store, state, noticeChannels } = deps;
  features.push(createMeetingsFeature({ prisma: store.prisma, config, state, noticeChannels }));
  const scheduler = createMeetingScheduler({ prisma: store.prisma, config, logger });
  services.push({ name: "meetings", start: () => scheduler.start(), stop: () => scheduler.stop() });
  // --- end meetings

  return { features, services };
}
