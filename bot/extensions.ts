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
import type { BackgroundService } from "./background-service.js";
import { clusterJobs } from "../core/db/cluster-jobs.js";
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
// the document library (issue 11 parts 1-2)
import { createLibraryFeature } from "../core/library/feature.js";

export interface ExtensionDeps {
  config: Config;
  logger: Logger;
  store: Store;
  /** The server's conversation state store (the only one). */
  state: ConversationStateStore;
  /** Channels that can deliver notices (they can push and have a sender). */
  noticeChannels: ChannelName[];
  /** Each served channel's longest message text (null: no limit); absent in older callers. */
  textLimits?: ReadonlyMap<ChannelName, number | null>;
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
  features.push(createMeetingsFeature({ prisma: store.prisma, config, state, logger, noticeChannels }));
  // Scheduled passes run once cluster-wide when several instances share a PostgreSQL database.
  const jobs = clusterJobs(store);
  const scheduler = createMeetingScheduler({ prisma: store.prisma, config, logger, jobs });
  services.push({ name: "meetings", start: () => scheduler.start(), stop: () => scheduler.stop() });
  // --- end meetings

  // --- study tasks (/hoctap /tiendo /kiemtra, "đã học"), the yearly evaluation (/danhgia), meeting
  // minutes (/bienban), and the reminders before deadlines. The features that wait for typed text
  // go first: while a member writes the evaluation form, "vắng họp 2 lần" is a shortcoming, not an
  // attendance reply for the meetings feature.
  const beyond = { prisma: store.prisma, config, clock: () => new Date() };
  features.unshift(createEvaluationFeature({ ...beyond, state }), createMinutesFeature({ ...beyond, state }));
  features.push(createStudyFeature({ ...beyond, state }));
  const deadlines = createDeadlineScheduler({ passes: [() => processStudyReminders(beyond), () => processEvaluationReminders(beyond)], logger, jobs });
  services.push({ name: "deadline reminders", start: () => deadlines.start(), stop: () => deadlines.stop() });
  // --- end study and evaluation

  // --- the document library (issue 11 §1-2): /tailieu, exact references before the search ("Điều 5
  // Điều lệ"), long sections in parts sized to each channel, documents replaced by others.
  features.push(createLibraryFeature({ prisma: store.prisma, sqlite: store.sqlite, state, textLimits: deps.textLimits }));
  // --- end library

  return { features, services };
}
