/**
 * The meetings ConversationFeature: /dangky, /hop, /doihop, /huyhop, /diemdanh,
 * /lichhop, the attendance buttons ("att:<id>:present|absent", "pick:<id>") and
 * plain-text replies ("1", "2 <lý do>", "vắng ..."). Permissions are checked here,
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
import type { ChannelName, ConversationFeature, IncomingMessage, OutgoingMessage } from "../conversation/types.js";
import { createLogger, type Logger } from "../logger.js";
import { fold } from "../text/vietnamese.js";
import { findLinkedMember, type LinkedMember } from "../members/identity.js";
import { voidInvite } from "../members/invites.js";
import { createRegistration, type RegistrationConfig, type RegistrationOutcome } from "../members/registration.js";
import { canManageOrganization } from "../members/permissions.js";
import { managesMeetings } from "../members/roles.js";
import { meetingOfSentMessage } from "../outbox/outbox.js";
import { parseAttendanceReply } from "./replies.js";
import {
  acceptsReplies,
  attendanceChoices,
  cancelMeeting,
  changeMadeBy,
  changeMeeting,
  currentAnswers,
  latestMeeting,
  meetingView,
  nudgeUnanswered,
  recordAttendance,
  rollCall,
  scheduleMeeting,
  setAbsenceReason,
  upcomingMeetings,
  type MeetingWithCell,
  type MeetingsContext,
} from "./service.js";
import { deliverPrivately, fromGroup, privateChatOf } from "./private-replies.js";
import { clearState, readState, writeState } from "./state.js";
import { T } from "./strings.js";
import { formatMeetingTime, formatShortTime, parseMeetingTime } from "./time.js";

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

const say = (text: string, choices?: OutgoingMessage["choices"]): OutgoingMessage[] => [choices ? { text, choices } : { text }];

/** What the member is told when /dangky did not link the account. */
function refusalText(outcome: Exclude<RegistrationOutcome, { ok: true }>): string {
  const locked = (scope: "account" | "everyone", minutes: number) =>
    scope === "account" ? T.registerLockedAccount(minutes) : T.registerLockedEveryone(minutes);
  if (outcome.refusal === "locked") return locked(outcome.scope, outcome.minutes);
  return outcome.lockedNow ? `${T.registerInvalid}\n${locked(outcome.lockedNow.scope, outcome.lockedNow.minutes)}` : T.registerInvalid;
}

/** Creates the feature; see the module comment. */
export function createMeetingsFeature(options: MeetingsFeatureOptions): ConversationFeature {
  const ctx: MeetingsContext = { prisma: options.prisma, config: options.config, clock: options.clock ?? (() => new Date()) };
  const { prisma } = ctx;
  const pending = options.state;
  const zone = ctx.config.TIMEZONE;
  const noticeChannels = options.noticeChannels ?? (["telegram", "zalo"] as const);
  const registration = createRegistration({ prisma, config: options.config, logger: options.logger ?? createLogger({ LOG_LEVEL: "silent" }) });

  async function officer(message: IncomingMessage): Promise<LinkedMember | OutgoingMessage[]> {
    const member = await findLinkedMember(prisma, message.channel, message.userId);
    if (!member) return say(T.notRegistered);
    if (!managesMeetings(member.role)) return say(T.notOfficer);
    return member;
  }

  /** A meeting the officer may manage: by id (any cell they manage), or their cell's next one. */
  async function managedMeeting(member: LinkedMember, idText: string): Promise<MeetingWithCell | OutgoingMessage[]> {
    const id = idText.replace(/^#/, "").trim();
    if (!id) {
      const [next] = await upcomingMeetings(ctx, member.organizationId);
      return next ?? say(T.noUpcoming);
    }
    const n = Number(id);
    if (!Number.isInteger(n) || n <= 0) return say(T.meetingNotFound(0));
    const meeting = await prisma.meeting.findUnique({ where: { id: n }, include: { organization: true } });
    // Another cell's meeting is reported exactly like a missing one: officers never learn about other cells.
    if (!meeting || !(await canManageOrganization(prisma, member, meeting.organizationId))) return say(T.meetingNotFound(n));
    return meeting;
  }

  async function replayedMeeting(id: number): Promise<MeetingWithCell> {
    return prisma.meeting.findUniqueOrThrow({ where: { id }, include: { organization: true } });
  }

  function parseFutureTime(text: string): Date | OutgoingMessage[] {
    const parsed = parseMeetingTime(text, zone);
    if (!parsed.ok) return say(parsed.reason === "format" ? T.badTimeFormat(text) : T.badDate(text));
    if (parsed.date.getTime() <= ctx.clock().getTime()) return say(T.inPast(formatMeetingTime(parsed.date, zone)));
    return parsed.date;
  }

  /** Records a reply; `home` is the member's private chat, where any follow-up question (the reason) is asked. */
  async function answer(
    message: IncomingMessage,
    home: string,
    member: LinkedMember,
    meeting: MeetingWithCell,
    response: "present" | "absent",
    reason: string | undefined,
  ): Promise<OutgoingMessage[]> {
    if (!acceptsReplies(ctx, meeting)) return say(T.tooLate(meeting.id));
    await recordAttendance(ctx, { meeting, memberId: member.id, response, reason, channel: message.channel });
    const when = formatMeetingTime(meeting.startsAt, zone);
    if (response === "absent" && !reason) {
      await writeState(pending, message.channel, home, { kind: "await-reason", meetingId: meeting.id, timeVersion: meeting.timeVersion });
      return say(T.askReason(meeting.id));
    }
    await clearState(pending, message.channel, home);
    return say(response === "present" ? T.recordedPresent(meeting.id, when) : T.recordedAbsent(meeting.id, when, reason!));
  }

  /** On Zalo these become a numbered list; "1" then means the first meeting listed. */
  function pickChoices(meetings: MeetingWithCell[]): OutgoingMessage["choices"] {
    return meetings.slice(0, 5).map((m) => ({ label: `#${m.id} ${formatShortTime(m.startsAt, zone)}`, value: `pick:${m.id}` }));
  }

  function formatRoll(meeting: MeetingWithCell, roll: Awaited<ReturnType<typeof rollCall>>): string {
    const present = roll.filter((r) => r.response === "present");
    const absent = roll.filter((r) => r.response === "absent");
    const unanswered = roll.filter((r) => r.response === null);
    const lines = [T.rollTitle(meetingView(ctx, meeting), meeting.status === "cancelled"), "", T.rollPresent(present.length)];
    for (const r of present) lines.push(`• ${r.fullName}`);
    lines.push(T.rollAbsent(absent.length));
    for (const r of absent) lines.push(`• ${r.fullName} — ${r.reason ?? T.noReason}`);
    lines.push(T.rollPending(unanswered.length));
    for (const r of unanswered) lines.push(`• ${r.fullName}${r.linked ? "" : ` (${T.notLinked})`}`);
    lines.push("", T.rollTotal(roll.length));
    return lines.join("\n");
  }

  const commands: NonNullable<ConversationFeature["commands"]> = {
    async dangky(message, args) {
      const code = args.trim();
      if (!code) return say(T.registerUsage);
      if (!noticeChannels.includes(message.channel)) return say(T.registerElsewhere(noticeChannels));
      // Notices go to the chat the account was linked from, so it must be the member's private chat,
      // whose id is the user's own on every channel that delivers notices. A code typed in a group
      // has been read by others: it is voided (silently, so this cannot be used to test codes).
      if (fromGroup(message)) {
        await voidInvite(prisma, code, ctx.clock());
        return say(T.registerPrivately);
      }
      const outcome = await registration.attempt({ code, channel: message.channel, userId: message.userId, chatId: message.chatId, now: ctx.clock() });
      if (!outcome.ok) return say(refusalText(outcome));
      const member = await prisma.member.findUniqueOrThrow({ where: { id: outcome.memberId }, include: { organization: true } });
      const upcoming = await upcomingMeetings(ctx, member.organizationId);
      const lines = [T.registered(member.fullName, member.organization.name)];
      if (outcome.unlinked > 0) lines.push(T.replacedAccounts(outcome.unlinked));
      if (upcoming.length > 0) lines.push(T.upcomingHint(upcoming.length));
      return say(lines.join("\n"));
    },

    async hop(message, args) {
      const member = await officer(message);
      if (Array.isArray(member)) return member;
      if (!args.trim()) return say(T.hopUsage);
      const [when = "", location = "", agenda = ""] = args.split("|").map((s) => s.trim());
      const missing = [!when && "thời gian", !location && "địa điểm", !agenda && "nội dung"].filter(Boolean) as string[];
      if (missing.length > 0) return say(`${T.hopMissing(missing)}\n${T.hopUsage}`);
      const startsAt = parseFutureTime(when);
      if (Array.isArray(startsAt)) return startsAt;
      const { meeting, linked, unlinked } = await scheduleMeeting(ctx, {
        organizationId: member.organizationId,
        startsAt,
        location,
        agenda,
        createdById: member.id,
        sourceKey: message.updateKey,
      });
      return say(T.scheduled(meetingView(ctx, meeting), linked, unlinked));
    },

    async huyhop(message, args) {
      const member = await officer(message);
      if (Array.isArray(member)) return member;
      if (args.trim() && !/^#?\d+$/.test(args.trim())) return say(T.huyUsage);
      // A replay of this very update cancels what it cancelled the first time, not "the next meeting" now.
      const replay = await changeMadeBy(ctx, message.updateKey);
      const meeting = replay ? await replayedMeeting(replay.meetingId) : await managedMeeting(member, args);
      if (Array.isArray(meeting)) return meeting;
      if (!replay && meeting.status === "cancelled") return say(T.alreadyCancelled(meeting.id));
      if (!replay && !acceptsReplies(ctx, meeting)) return say(T.alreadyStarted(meeting.id));
      const notified = await cancelMeeting(ctx, meeting, message.updateKey);
      return say(T.cancelled(meetingView(ctx, meeting), notified));
    },

    async doihop(message, args) {
      const member = await officer(message);
      if (Array.isArray(member)) return member;
      let parts = args.split("|").map((s) => s.trim());
      // "/doihop <time> | <place>" without the id: the cell's next meeting.
      if (parts.length === 2 && parts[0] && !/^#?\d+$/.test(parts[0])) parts = ["", ...parts];
      if (parts.length < 2 || (parts[0] && !/^#?\d+$/.test(parts[0]))) return say(T.doiUsage);
      const [idText = "", when = "", location = ""] = parts;
      if (!when && !location) return say(`${T.doiNothing}\n${T.doiUsage}`);
      // A replay of this very update finds the change it made (without the id, "the next meeting" may be another one now).
      const replay = await changeMadeBy(ctx, message.updateKey);
      const meeting = replay ? await replayedMeeting(replay.meetingId) : await managedMeeting(member, idText);
      if (Array.isArray(meeting)) return meeting;
      let startsAt: Date | undefined;
      if (!replay) {
        if (meeting.status === "cancelled") return say(T.alreadyCancelled(meeting.id));
        if (!acceptsReplies(ctx, meeting)) return say(T.alreadyStarted(meeting.id));
        if (when) {
          const parsed = parseFutureTime(when);
          if (Array.isArray(parsed)) return parsed;
          startsAt = parsed;
        }
      }
      const result = await changeMeeting(ctx, meeting, { startsAt, location: location || undefined }, message.updateKey);
      return say(T.changed(meetingView(ctx, result.meeting), result.timeChanged, result.notified));
    },

    async diemdanh(message, args) {
      const member = await officer(message);
      if (Array.isArray(member)) return member;
      const tokens = fold(args).split(/\s+/).filter(Boolean);
      const nudge = tokens[0] === "nhac";
      const rest = nudge ? tokens.slice(1) : tokens;
      if (rest.length > 1 || (rest[0] && !/^#?\d+$/.test(rest[0]))) return say(T.diemdanhUsage);
      let meeting: MeetingWithCell | OutgoingMessage[] | null;
      if (rest[0]) meeting = await managedMeeting(member, rest[0]);
      else meeting = await latestMeeting(ctx, member.organizationId);
      if (!meeting) return say(T.noMeetings);
      if (Array.isArray(meeting)) return meeting;
      if (nudge) {
        if (!acceptsReplies(ctx, meeting)) return say(T.alreadyStarted(meeting.id));
        // One nudge per meeting per minute, so a double tap does not message everyone twice
        // (the minute the update arrived: the same when it is processed again after a crash).
        const tag = String(Math.floor((message.receivedAt ?? ctx.clock()).getTime() / 60_000));
        const n = await nudgeUnanswered(ctx, meeting, tag);
        return say(n > 0 ? T.nudged(n, meeting.id) : T.nobodyToNudge(meeting.id));
      }
      // Names and absence reasons (sometimes medical): never into a group.
      const home = await privateChatOf(prisma, message);
      if (home === null) return say(T.noPrivateChat(message.channel));
      return deliverPrivately(ctx, message, home, say(formatRoll(meeting, await rollCall(ctx, meeting))));
    },

    async lichhop(message) {
      const member = await findLinkedMember(prisma, message.channel, message.userId);
      if (!member) return say(T.notRegistered);
      const upcoming = await upcomingMeetings(ctx, member.organizationId);
      if (upcoming.length === 0) return say(T.noUpcoming);
      // The member's own answers are personal: asked in a group, they go to the private chat.
      const home = await privateChatOf(prisma, message);
      if (home === null) return say(T.noPrivateChat(message.channel));
      const answers = await currentAnswers(ctx, upcoming, member.id);
      const lines = [T.upcomingTitle];
      for (const m of upcoming) {
        lines.push(`• #${m.id} ${formatMeetingTime(m.startsAt, zone)} — ${m.location}: ${m.agenda} (${T.yourAnswer(answers.get(m.id) ?? null)})`);
      }
      return deliverPrivately(ctx, message, home, say(lines.join("\n")));
    },
  };

  return {
    name: "meetings",
    commands,
    helpLines: T.help,
    needsAccount: true,

    async onChoice(message) {
      const value = message.choice ?? "";
      const att = /^att:(\d+):(present|absent)$/.exec(value);
      const pick = /^pick:(\d+)$/.exec(value);
      if (!att && !pick) return null;
      const member = await findLinkedMember(prisma, message.channel, message.userId);
      if (!member) return say(T.notRegistered);
      const id = Number((att ?? pick)![1]);
      const meeting = await prisma.meeting.findUnique({ where: { id }, include: { organization: true } });
      if (!meeting || meeting.organizationId !== member.organizationId) return say(T.meetingNotFound(id));
      // Attendance is the member's own business: from a group, the conversation moves to the private chat.
      const home = await privateChatOf(prisma, message);
      if (home === null) return say(T.noPrivateChat(message.channel));
      if (att) return deliverPrivately(ctx, message, home, await answer(message, home, member, meeting, att[2] as "present" | "absent", undefined));
      const state = await readState(pending, message.channel, message.chatId);
      if (state?.kind !== "choose-meeting") return deliverPrivately(ctx, message, home, say(T.nudge(meetingView(ctx, meeting)), attendanceChoices(meeting.id)));
      return deliverPrivately(ctx, message, home, await answer(message, home, member, meeting, state.response, state.reason));
    },

    async onText(message) {
      const text = message.text.trim();
      if (message.kind !== "text" || !text || text.startsWith("/")) return null;
      const state = await readState(pending, message.channel, message.chatId);
      let reply = parseAttendanceReply(text);
      // Most texts are questions for the handbook: no reply and nothing awaited, so no member lookup.
      if (!reply && !state) return null;
      const member = await findLinkedMember(prisma, message.channel, message.userId);
      if (!member) return null;

      if (state?.kind === "await-reason" && !reply) {
        // A question asked instead of a reason goes to the Q&A; the reason is still awaited.
        if (text.includes("?")) return null;
        await clearState(pending, message.channel, message.chatId);
        const meeting = await prisma.meeting.findUnique({ where: { id: state.meetingId } });
        if (!meeting || !acceptsReplies(ctx, meeting) || meeting.timeVersion !== state.timeVersion) return say(T.tooLate(state.meetingId));
        await setAbsenceReason(ctx, meeting.id, member.id, text);
        return say(T.reasonSaved(meeting.id, text));
      }
      if (state?.kind === "choose-meeting" && !reply) {
        const id = /^#?(\d{1,9})$/.exec(text);
        if (id) reply = state.response === "present" ? { response: "present", meetingId: Number(id[1]) } : { response: "absent", reason: state.reason, meetingId: Number(id[1]) };
      }
      if (!reply) return null;

      const upcoming = await upcomingMeetings(ctx, member.organizationId);
      const repliedTo = message.replyToMessageId
        ? await meetingOfSentMessage(prisma, message.channel, message.chatId, message.replyToMessageId)
        : null;
      const wanted = reply.meetingId ?? repliedTo ?? undefined;
      if (upcoming.length === 0 && wanted === undefined) return null; // not a reply after all: a question
      const reason = reply.response === "absent" ? reply.reason : undefined;
      // A reply written in a group is recorded, but the confirmation (with the reason) goes to the private chat.
      const home = await privateChatOf(prisma, message);
      if (home === null) return say(T.noPrivateChat(message.channel));

      if (wanted !== undefined) {
        const meeting = upcoming.find((m) => m.id === wanted);
        if (meeting) return deliverPrivately(ctx, message, home, await answer(message, home, member, meeting, reply.response, reason));
        const own = await prisma.meeting.findFirst({ where: { id: wanted, organizationId: member.organizationId } });
        return say(own ? T.tooLate(wanted) : T.noSuchUpcoming(wanted));
      }
      if (upcoming.length === 1) return deliverPrivately(ctx, message, home, await answer(message, home, member, upcoming[0]!, reply.response, reason));
      await writeState(pending, message.channel, home, { kind: "choose-meeting", response: reply.response, reason });
      const list = upcoming.map((m) => `• #${m.id} ${formatMeetingTime(m.startsAt, zone)} — ${m.location}`).join("\n");
      return deliverPrivately(ctx, message, home, say(T.whichMeeting(list), pickChoices(upcoming)));
    },
  };
}
