/**
 * What every message about a meeting is built from, and how it reaches the cell: the meetings
 * context, the fields a notice shows, the attendance choices, and the fan-out to the cell's linked
 * members (members/cell-messages.ts, tied to the meeting). Both the meeting service and the reminders use it.
 */
import type { Meeting, Organization, PrismaClient } from "@prisma/client";
import type { Config } from "../config.js";
import type { OutgoingMessage } from "../conversation/types.js";
import { cellMembers, queueForMembers, type CellRecipient } from "../members/cell-messages.js";
import { formatMeetingTime } from "./time.js";
import { T, type MeetingView } from "./strings.js";

export interface MeetingsContext {
  prisma: PrismaClient;
  config: Pick<Config, "TIMEZONE" | "REMINDER_OFFSETS">;
  /** Current time (injectable for tests). */
  clock: () => Date;
}

export type MeetingWithCell = Meeting & { organization: Organization };

/** The fields every message about a meeting shows. */
export function meetingView(ctx: MeetingsContext, m: MeetingWithCell): MeetingView {
  return {
    id: m.id,
    cell: m.organization.name,
    when: formatMeetingTime(m.startsAt, ctx.config.TIMEZONE),
    location: m.location,
    agenda: m.agenda,
  };
}

/**
 * The two answers as choices: buttons on Telegram; on Zalo the adapter lists them as
 * "1. ✅ Có mặt / 2. ❌ Vắng" and maps a bare "1"/"2" back to them, which matches the
 * text grammar and ties that reply to this very meeting. Same shape on every channel.
 */
export function attendanceChoices(meetingId: number): OutgoingMessage["choices"] {
  return [
    { label: T.presentLabel, value: `att:${meetingId}:present` },
    { label: T.absentLabel, value: `att:${meetingId}:absent` },
  ];
}

/** The cell's linked members whose current answer is none of `answers` (["absent"]: all but the excused). */
export async function linkedExcept(ctx: MeetingsContext, meeting: Meeting, answers: ("present" | "absent")[]): Promise<CellRecipient[]> {
  const { linked } = await cellMembers(ctx.prisma, meeting.organizationId);
  const rows = await ctx.prisma.attendance.findMany({
    where: { meetingId: meeting.id, timeVersion: meeting.timeVersion, response: { in: answers } },
    select: { memberId: true },
  });
  const skip = new Set(rows.map((r) => r.memberId));
  return linked.filter((m) => !skip.has(m.id));
}

/**
 * Queues the message once per linked identity of `members` (default: every linked
 * member of the cell). `key` names the logical message (e.g. "notice:12:v1"); the
 * recipient is appended, so re-running a fan-out queues nobody twice. Returns the
 * number of members addressed.
 */
export async function fanOut(
  ctx: MeetingsContext,
  meeting: MeetingWithCell,
  key: string,
  message: OutgoingMessage,
  members?: CellRecipient[],
): Promise<number> {
  const linked = members ?? (await cellMembers(ctx.prisma, meeting.organizationId)).linked;
  return queueForMembers(ctx.prisma, key, message, linked, ctx.clock(), meeting.id);
}
