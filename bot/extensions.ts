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
// meetings (core/meetings): wired by the meetings engineer
import { createMeetingsFeature } from "../core/meetings/feature.js";
import { createMeetingScheduler } from "../core/meetings/scheduler.js";
// study tasks, yearly evaluation, meeting minutes (issue 11 parts 3-5)
import { createDeadlineScheduler } from "../core/deadlines/scheduler.js";
import { createStudyFeature } from "../core/study/feature.js";
import { processStudyReminders } from "../core/study/service.js";
import { createEvaluationFeature } from "../core/evaluation/feature.js";
import { processEvaluationReminders } from "../core/evaluation/service.js";
import { createMinutesFeature } from "../core/minutes/feature.js";

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
export async function loadExtensions(deps: ExtensionDeps): Promise<Extensions> {
  const features: ConversationFeature[] = [];
  const services: BackgroundService[] = [];

  // --- meetings and attendance: /dangky /hop /doihop /huyhop /diemdanh /lichhop and replies,
  // plus one service that fans out due reminders and runs the outbox worker (rate-limited delivery).
  const { config, logger, store, senders, state } = deps;
  features.push(createMeetingsFeature({ prisma: store.prisma, config, state, logger, noticeChannels: [...senders.keys()] }));
  const scheduler = createMeetingScheduler({ prisma: store.prisma, config, senders: [...senders.values()], logger });
  services.push({ name: "meetings", start: () => scheduler.start(), stop: () => scheduler.stop() });
  // --- end meetings

  // --- study tasks (/hoctap /tiendo /kiemtra, "đã học"), the yearly evaluation (/danhgia), meeting
  // minutes (/bienban), and the reminders before deadlines. The features that wait for typed text
  // go first: while a member writes the evaluation form, "vắng họp 2 lần" is a shortcoming, not an
  // attendance reply for the meetings feature.
  const beyond = { prisma: store.prisma, config, clock: () => new Date() };
  features.unshift(createEvaluationFeature({ ...beyond, state }), createMinutesFeature({ ...beyond, state }));
  features.push(createStudyFeature({ ...beyond, state }));
  const deadlines = createDeadlineScheduler({ passes: [() => processStudyReminders(beyond), () => processEvaluationReminders(beyond)], logger });
  services.push({ name: "deadline reminders", start: () => deadlines.start(), stop: () => deadlines.stop() });
  // --- end study and evaluation

  return { features, services };
}
