/**
 * Meetings and attendance: scheduling, changes, cancellations, replies, roll calls,
 * and the notices to every linked member of the cell (fanned out through the outbox: fan-out.ts).
 * Callers check permissions first (see feature.ts / members/permissions.ts).
 *
 * Safe to run twice for one chat update (the inbox replays an update whose processing a
 * crash interrupted): given the update's key (`sourceKey`), scheduling finds the meeting
 * that update created, and a change or cancellation finds the MeetingChange it recorded
 * (in the same transaction as the change), so nothing is created or changed twice; every
 * fan-out is keyed so that re-queuing it adds nobody.
 */
import type { Meeting, MeetingChange } from "@prisma/client";
import type { ChannelName } from "../conversation/types.js";
import { sqliteTime } from "../db/store.js";
import { T } from "./strings.js";
import { cellMembers } from "../members/cell-messages.js";
import { planReminders } from "./reminders.js";
import { attendanceChoices, fanOut, linkedExcept, meetingView, type MeetingsContext, type MeetingWithCell } from "./fan-out.js";

export { attendanceChoices, fanOut, linkedExcept, meetingView, type MeetingsContext, type MeetingWithCell } from "./fan-out.js";

/**
 * Creates a meeting, plans its reminders and queues the notice to the cell. With a
 * `sourceKey` already used (a replay of the same update), the meeting it created is
 * taken instead, and the rest is done again without adding anything.
 */
export async function scheduleMeeting(
  ctx: MeetingsContext,
  input: { organizationId: number; startsAt: Date; location: string; agenda: string; createdById?: number; sourceKey?: string },
): Promise<{ meeting: MeetingWithCell; linked: number; unlinked: number }> {
  const earlier = input.sourceKey
    ? await ctx.prisma.meeting.findUnique({ where: { sourceKey: input.sourceKey }, include: { organization: true } })
    : null;
  const meeting = earlier ?? (await ctx.prisma.meeting.create({ data: input, include: { organization: true } }));
  await planReminders(ctx, meeting);
  const recipients = await cellMembers(ctx.prisma, meeting.organizationId);
  const notice = { text: T.notice(meetingView(ctx, meeting)), choices: attendanceChoices(meeting.id) };
  const linked = await fanOut(ctx, meeting, `notice:${meeting.id}:v${meeting.timeVersion}`, notice, recipients.linked);
  return { meeting, linked, unlinked: recipients.unlinked.length };
}

/** The change or cancellation this update already made (a replay), if any. */
export async function changeMadeBy(ctx: MeetingsContext, sourceKey: string | undefined): Promise<MeetingChange | null> {
  return sourceKey ? ctx.prisma.meetingChange.findUnique({ where: { sourceKey } }) : null;
}

/**
 * Cancels a meeting (attendance rows are kept as history), skips its reminders, tells
 * the cell. With a `sourceKey`, the cancellation is recorded once for that update.
 */
export async function cancelMeeting(ctx: MeetingsContext, meeting: MeetingWithCell, sourceKey?: string): Promise<number> {
  if (!(await changeMadeBy(ctx, sourceKey))) {
    await ctx.prisma.$transaction([
      ctx.prisma.meeting.update({ where: { id: meeting.id }, data: { status: "cancelled" } }),
      ctx.prisma.reminder.updateMany({ where: { meetingId: meeting.id, status: "pending" }, data: { status: "skipped", processedAt: ctx.clock() } }),
      ...(sourceKey ? [ctx.prisma.meetingChange.create({ data: { meetingId: meeting.id, sourceKey, kind: "cancel" } })] : []),
    ]);
  }
  return fanOut(ctx, meeting, `cancel:${meeting.id}`, { text: T.cancelNotice(meetingView(ctx, meeting)) });
}

/**
 * Changes time and/or place. A new time bumps timeVersion, which voids earlier
 * replies (they are kept, but no longer count) and re-plans the reminders. With a
 * `sourceKey`, the change is recorded with it in the same transaction; a replay of that
 * update changes nothing again and queues the same notices (already there).
 */
export async function changeMeeting(
  ctx: MeetingsContext,
  meeting: MeetingWithCell,
  change: { startsAt?: Date; location?: string },
  sourceKey?: string,
): Promise<{ meeting: MeetingWithCell; timeChanged: boolean; notified: number }> {
  const earlier = await changeMadeBy(ctx, sourceKey);
  let updated: MeetingWithCell;
  let timeChanged: boolean;
  if (earlier) {
    updated = await ctx.prisma.meeting.findUniqueOrThrow({ where: { id: earlier.meetingId }, include: { organization: true } });
    timeChanged = earlier.timeChanged;
  } else {
    timeChanged = change.startsAt !== undefined && change.startsAt.getTime() !== meeting.startsAt.getTime();
    [updated] = await ctx.prisma.$transaction([
      ctx.prisma.meeting.update({
        where: { id: meeting.id },
        data: {
          ...(timeChanged ? { startsAt: change.startsAt, timeVersion: { increment: 1 } } : {}),
          ...(change.location ? { location: change.location } : {}),
        },
        include: { organization: true },
      }),
      ...(sourceKey ? [ctx.prisma.meetingChange.create({ data: { meetingId: meeting.id, sourceKey, kind: "change", timeChanged } })] : []),
    ]);
  }
  if (timeChanged) await planReminders(ctx, updated);
  const notified = await fanOut(ctx, updated, `change:${updated.id}:${sourceKey ?? updated.updatedAt.getTime()}`, {
    text: T.changeNotice(meetingView(ctx, updated), timeChanged),
    choices: timeChanged ? attendanceChoices(updated.id) : undefined,
  });
  return { meeting: updated, timeChanged, notified };
}

/** Scheduled meetings of a cell that have not started yet, soonest first. */
export async function upcomingMeetings(ctx: MeetingsContext, organizationId: number): Promise<MeetingWithCell[]> {
  return ctx.prisma.meeting.findMany({
    where: { organizationId, status: "scheduled", startsAt: { gt: ctx.clock() } },
    orderBy: { startsAt: "asc" },
    include: { organization: true },
  });
}

/** The meeting a roll call is about by default: the next upcoming one, else the latest that took place. */
export async function latestMeeting(ctx: MeetingsContext, organizationId: number): Promise<MeetingWithCell | null> {
  const [next] = await upcomingMeetings(ctx, organizationId);
  if (next) return next;
  return ctx.prisma.meeting.findFirst({
    where: { organizationId, status: "scheduled" },
    orderBy: { startsAt: "desc" },
    include: { organization: true },
  });
}

/** True while replies may still change: scheduled and not started. */
export function acceptsReplies(ctx: MeetingsContext, meeting: Meeting): boolean {
  return meeting.status === "scheduled" && meeting.startsAt.getTime() > ctx.clock().getTime();
}

/**
 * Records (or changes) a member's reply for the meeting's current time version.
 * One atomic upsert, so simultaneous replies never duplicate or lose a row.
 */
export async function recordAttendance(
  ctx: MeetingsContext,
  input: { meeting: Meeting; memberId: number; response: "present" | "absent"; reason?: string | null; channel: ChannelName },
): Promise<void> {
  // The same SQL on both engines: Prisma writes each engine's placeholders, and the time goes as the
  // text Prisma stores on SQLite, which PostgreSQL reads into the timestamp column (its offset is +00:00).
  const at = sqliteTime(ctx.clock());
  const reason = input.response === "absent" ? (input.reason ?? null) : null;
  await ctx.prisma.$executeRaw`INSERT INTO "Attendance" ("meetingId", "memberId", "response", "reason", "timeVersion", "channel", "respondedAt", "updatedAt")
     VALUES (${input.meeting.id}, ${input.memberId}, ${input.response}, ${reason}, ${input.meeting.timeVersion}, ${input.channel}, ${at}, ${at})
     ON CONFLICT ("meetingId", "memberId") DO UPDATE SET
       "response" = excluded."response", "reason" = excluded."reason", "timeVersion" = excluded."timeVersion",
       "channel" = excluded."channel", "respondedAt" = excluded."respondedAt", "updatedAt" = excluded."updatedAt"`;
}

/** Adds the reason to an absence already recorded. */
export async function setAbsenceReason(ctx: MeetingsContext, meetingId: number, memberId: number, reason: string): Promise<boolean> {
  const { count } = await ctx.prisma.attendance.updateMany({
    where: { meetingId, memberId, response: "absent" },
    data: { reason },
  });
  return count > 0;
}

/** The member's current (non-void) answers for these meetings, by meeting id, in one query. */
export async function currentAnswers(ctx: MeetingsContext, meetings: Meeting[], memberId: number): Promise<Map<number, "present" | "absent">> {
  const rows = await ctx.prisma.attendance.findMany({ where: { memberId, meetingId: { in: meetings.map((m) => m.id) } } });
  const answers = new Map<number, "present" | "absent">();
  for (const m of meetings) {
    const row = rows.find((r) => r.meetingId === m.id);
    if (row && row.timeVersion === m.timeVersion) answers.set(m.id, row.response as "present" | "absent");
  }
  return answers;
}

export interface RollEntry {
  memberId: number;
  fullName: string;
  role: string;
  linked: boolean;
  response: "present" | "absent" | null;
  reason: string | null;
  channel: string | null;
  respondedAt: Date | null;
}

/** Everyone of the cell with their current answer (void answers count as not replied). */
export async function rollCall(ctx: MeetingsContext, meeting: Meeting): Promise<RollEntry[]> {
  const members = await ctx.prisma.member.findMany({
    where: { organizationId: meeting.organizationId, active: true },
    include: { identities: { select: { id: true } } },
    orderBy: { fullName: "asc" },
  });
  const answers = await ctx.prisma.attendance.findMany({ where: { meetingId: meeting.id, timeVersion: meeting.timeVersion } });
  const byMember = new Map(answers.map((a) => [a.memberId, a]));
  // Someone who answered and later left the cell still appears in the roll of that meeting.
  const extra = answers.filter((a) => !members.some((m) => m.id === a.memberId)).map((a) => a.memberId);
  const former = extra.length
    ? await ctx.prisma.member.findMany({ where: { id: { in: extra } }, include: { identities: { select: { id: true } } } })
    : [];
  return [...members, ...former].map((m) => {
    const a = byMember.get(m.id);
    return {
      memberId: m.id,
      fullName: m.fullName,
      role: m.role,
      linked: m.identities.length > 0,
      response: (a?.response as "present" | "absent" | undefined) ?? null,
      reason: a?.reason ?? null,
      channel: a?.channel ?? null,
      respondedAt: a?.respondedAt ?? null,
    };
  });
}

/** Queues a reminder to linked members who have not answered; `tag` keeps one nudge per request. */
export async function nudgeUnanswered(ctx: MeetingsContext, meeting: MeetingWithCell, tag: string): Promise<number> {
  const unanswered = await linkedExcept(ctx, meeting, ["present", "absent"]);
  if (unanswered.length === 0) return 0;
  const nudge = { text: T.nudge(meetingView(ctx, meeting)), choices: attendanceChoices(meeting.id) };
  return fanOut(ctx, meeting, `nudge:${meeting.id}:v${meeting.timeVersion}:${tag}`, nudge, unanswered);
}
