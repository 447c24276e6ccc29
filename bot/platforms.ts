/**
 * The registry of platforms: the one list the server reads to know which channels
 * exist. Everything per platform (routes, senders, outbox rate limits, which channels
 * can carry notices) is built from these objects, so adding a channel is adding its
 * folder (bot/<platform>/index.ts exporting a Platform) and its entry here.
 *
 *   const on = enabledPlatforms(config);
 *   const senders = createSenders(on, { config, logger, state });
 *   const limits = outboxLimits(on, config);
 */
import type { Config } from "../core/config.js";
import type { ChannelName, ChannelSender } from "../core/conversation/types.js";
import type { ChannelLimits } from "../core/outbox/worker.js";
import type { Platform, SenderDeps } from "./platform.js";
import { telegram } from "./telegram/index.js";
import { web } from "./web/index.js";
import { zalo } from "./zalo/index.js";

export const PLATFORMS: readonly Platform[] = [telegram, zalo, web];

/** The platforms the configuration turns on. */
export function enabledPlatforms(config: Config, platforms: readonly Platform[] = PLATFORMS): Platform[] {
  return platforms.filter((p) => p.enabled(config));
}

/** One sender per platform that has one (replies and proactive messages go through them). */
export function createSenders(platforms: readonly Platform[], deps: SenderDeps): Map<ChannelName, ChannelSender> {
  const senders = new Map<ChannelName, ChannelSender>();
  for (const p of platforms) {
    const sender = p.createSender?.(deps);
    if (sender) senders.set(p.name, sender);
  }
  return senders;
}

/** Each platform's outgoing rate limits, for the outbox. */
export function outboxLimits(platforms: readonly Platform[], config: Config): Record<ChannelName, ChannelLimits> {
  const limits: Record<ChannelName, ChannelLimits> = {};
  for (const p of platforms) {
    const l = p.limits?.(config);
    if (l) limits[p.name] = l;
  }
  return limits;
}

/** The channels that can carry notices: those that can push and have a sender. */
export function noticeChannels(platforms: readonly Platform[], senders: ReadonlyMap<ChannelName, ChannelSender>): ChannelName[] {
  return platforms.filter((p) => p.capabilities.push && senders.has(p.name)).map((p) => p.name);
}

/** Each platform's longest message text (null: no limit), for features that cut long texts into parts themselves. */
export function textLimits(platforms: readonly Platform[]): Map<ChannelName, number | null> {
  return new Map(platforms.map((p) => [p.name, p.capabilities.textLimit]));
}
