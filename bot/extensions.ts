/**
 * The one place where features and background services are plugged into the server
 * (meetings and attendance, the outbox worker, the reminder scheduler). main.ts calls
 * it once the store and the senders exist.
 *
 *   const { features, services } = await loadExtensions({ config, logger, store, senders, state });
 */
import type { Config } from "../core/config.js";
import type { Logger } from "../core/logger.js";
import type { Store } from "../core/db/store.js";
import type { ConversationStateStore } from "../core/conversation/state-store.js";
import type { ChannelName, ChannelSender, ConversationFeature } from "../core/conversation/types.js";
import type { BackgroundService } from "./server.js";

export interface ExtensionDeps {
  config: Config;
  logger: Logger;
  store: Store;
  senders: Map<ChannelName, ChannelSender>;
  state: ConversationStateStore;
}

export interface Extensions {
  features: ConversationFeature[];
  services: BackgroundService[];
}

/** Builds the product's features and services (add new ones here). */
export async function loadExtensions(_deps: ExtensionDeps): Promise<Extensions> {
  const features: ConversationFeature[] = [];
  const services: BackgroundService[] = [];
  return { features, services };
}
