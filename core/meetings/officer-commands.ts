/**
 * The officers' meeting commands: /hop (schedule), /huyhop (cancel), /doihop (change) and
 * /diemdanh (the roll, or "nhac": nudge who has not answered). Each checks that the sender is an
 * officer of the meeting's cell; each passes the update's key on, so a replay acts once (service.ts).
 */
import type { ConversationFeature, OutgoingMessage } from "../conversation/types.js";
import { fold } from "../text/vietnamese.js";
import { say, type MeetingsKit } from "./feature-kit.js";
import { deliverPrivately, privateChatOf } from "./private-replies.js";
import {
  acceptsReplies,
  cancelMeeting,
  changeMadeBy,
  changeMeeting,
  latestMeeting,
  meetingView,
  nudgeUnanswered,
  rollCall,
  scheduleMeeting,
  type MeetingWithCell,
} from "./service.js";
import { T } from "./strings.js";

export function officerCommands(kit: MeetingsKit): NonNullable<ConversationFeature["commands"]> {
  const { ctx, prisma, officer, managedMeeting, replayedMeeting, parseFutureTime, formatRoll } = kit;
  return {
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
  };
}
