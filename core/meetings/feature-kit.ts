/**
 * What the meetings feature's handlers share: the meetings context, where pending replies are
 * kept, and the checks and answers every command needs (is the sender an officer, which meeting
 * do they mean, a time in the future, recording a member's answer). The handlers themselves are
 * in officer-commands.ts, member-commands.ts and attendance-replies.ts; feature.ts puts them together.
 */
import type { ConversationStateStore } from "../conversation/state-store.js";
import type { IncomingMessage, OutgoingMessage } from "../conversation/types.js";
import { findLinkedMember, type LinkedMember } from "../members/identity.js";
import { canManageOrganization } from "../members/permissions.js";
import { managesMeetings } from "../members/roles.js";
import { acceptsReplies, meetingView, recordAttendance, rollCall, upcomingMeetings, type MeetingWithCell, type MeetingsContext } from "./service.js";
import { clearState, writeState } from "./state.js";
import { T } from "./strings.js";
import { formatMeetingTime, formatShortTime, parseMeetingTime } from "./time.js";

export const say = (text: string, choices?: OutgoingMessage["choices"]): OutgoingMessage[] => [choices ? { text, choices } : { text }];

export type MeetingsKit = ReturnType<typeof meetingsKit>;

export function meetingsKit(ctx: MeetingsContext, pending: ConversationStateStore) {
  const { prisma } = ctx;
  const zone = ctx.config.TIMEZONE;

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

  return { ctx, prisma, pending, zone, officer, managedMeeting, replayedMeeting, parseFutureTime, answer, pickChoices, formatRoll };
}
