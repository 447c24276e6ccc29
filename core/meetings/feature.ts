/**
 * The meetings ConversationFeature: /dangky, /hop, /doihop, /huyhop, /diemdanh,
 * /lichhop, the attendance buttons ("att:<id>:present|absent", "pick:<id>") and
 * plain-text replies ("1", "2 <lý do>", "vắng ..."): officer-commands.ts, member-commands.ts and
 * attendance-replies.ts, over what feature-kit.ts gives them. Permissions are checked there,
 * in core, so every channel gets the same rules. /dangky is guarded against guessing
 * (members/registration.ts); replies with personal data asked for in a group go to the
 * asker's private chat (private-replies.ts). Commands pass the message's updateKey
 * to the service, so an update processed twice (after a crash) acts once: see service.ts.
 *
 *   const feature = createMeetingsFeature({ prisma, config, state: createStateStore(store), logger });
 *   conversation.use(feature);
 */
import type { PrismaClient } from "@prisma/client";
import type { Config } from "../config.js";
import type { ConversationStateStore } from "../conversation/state-store.js";
import type { ChannelName, ConversationFeature } from "../conversation/types.js";
import { createLogger, type Logger } from "../logger.js";
import { createRegistration, type RegistrationConfig } from "../members/registration.js";
import { attendanceReplies } from "./attendance-replies.js";
import { meetingsKit } from "./feature-kit.js";
import { memberCommands } from "./member-commands.js";
import { officerCommands } from "./officer-commands.js";
import type { MeetingsContext } from "./service.js";
import { T } from "./strings.js";

export interface MeetingsFeatureOptions {
  prisma: PrismaClient;
  config: Pick<Config, "TIMEZONE" | "REMINDER_OFFSETS"> & RegistrationConfig;
  /** Refused registrations are logged here (warn); default: nowhere. */
  logger?: Logger;
  /** Where pending replies ("waiting for a reason") are kept; its clock should match `clock`. */
  state: ConversationStateStore;
  /** Current time; defaults to the system clock. */
  clock?: () => Date;
  /**
   * Channels that can deliver notices (those with a configured sender). Registration is
   * refused elsewhere: the web chat cannot push notices, and its session id is chosen by
   * the browser, so it must never carry a member's identity. Default: Telegram and Zalo.
   */
  noticeChannels?: readonly ChannelName[];
}

/** Creates the feature; see the module comment. */
export function createMeetingsFeature(options: MeetingsFeatureOptions): ConversationFeature {
  const ctx: MeetingsContext = { prisma: options.prisma, config: options.config, clock: options.clock ?? (() => new Date()) };
  const kit = meetingsKit(ctx, options.state);
  const noticeChannels = options.noticeChannels ?? (["telegram", "zalo"] as const);
  const registration = createRegistration({ prisma: ctx.prisma, config: options.config, logger: options.logger ?? createLogger({ LOG_LEVEL: "silent" }) });
  return {
    name: "meetings",
    commands: { ...memberCommands(kit, registration, noticeChannels), ...officerCommands(kit) },
    helpLines: T.help,
    needsAccount: true,
    ...attendanceReplies(kit),
  };
}
