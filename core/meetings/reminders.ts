/**
 * Reminders before a meeting at the configured offsets (REMINDER_OFFSETS, default
 * 1 day and 2 hours). Each is a Reminder row; processing one queues outbox rows with
 * dedupeKeys "reminder:<meeting>:<offset>:v<timeVersion>:..." and then marks it sent,
 * so a crash between the two steps re-queues nobody twice. Cancelled meetings and
 * members who said they are absent get no reminder.
 */
import type { Meeting } from "@prisma/client";
import { T, durationInWords } from "./strings.js";
import { attendanceChoices, fanOut, linkedExcept, meetingView, type MeetingsContext } from "./fan-out.js";

/** (Re)plans a meeting's reminders: due times from startsAt; offsets already past are skipped. */
export async function planReminders(ctx: MeetingsContext, meeting: Meeting): Promise<void> {
  const now = ctx.clock().getTime();
  for (const offsetMinutes of ctx.config.REMINDER_OFFSETS) {
    const dueAt = new Date(meeting.startsAt.getTime() - offsetMinutes * 60_000);
    const status = dueAt.getTime() > now ? "pending" : "skipped";
    await ctx.prisma.reminder.upsert({
      where: { meetingId_offsetMinutes: { meetingId: meeting.id, offsetMinutes } },
      create: { meetingId: meeting.id, offsetMinutes, dueAt, status },
      update: { dueAt, status, processedAt: null },
    });
  }
}

/** "còn 1 ngày" rather than "còn 23 giờ 59 phút": the nominal offset unless the pass ran late. */
function remainingForDisplay(offsetMinutes: number, actualMinutes: number): number {
  if (Math.abs(actualMinutes - offsetMinutes) <= offsetMinutes * 0.1) return offsetMinutes;
  return actualMinutes >= 120 ? Math.round(actualMinutes / 60) * 60 : Math.max(1, Math.round(actualMinutes));
}

/** Fans out every reminder now due; returns how many reminders were processed. */
export async function processDueReminders(ctx: MeetingsContext): Promise<number> {
  const now = ctx.clock();
  const due = await ctx.prisma.reminder.findMany({
    where: { status: "pending", dueAt: { lte: now } },
    include: { meeting: { include: { organization: true } } },
    orderBy: { dueAt: "asc" },
  });
  for (const reminder of due) {
    const meeting = reminder.meeting;
    if (meeting.status !== "scheduled" || meeting.startsAt.getTime() <= now.getTime()) {
      await ctx.prisma.reminder.updateMany({ where: { id: reminder.id, status: "pending" }, data: { status: "skipped", processedAt: now } });
      continue;
    }
    const view = meetingView(ctx, meeting);
    const left = remainingForDisplay(reminder.offsetMinutes, (meeting.startsAt.getTime() - now.getTime()) / 60_000);
    await fanOut(
      ctx,
      meeting,
      `reminder:${meeting.id}:${reminder.offsetMinutes}:v${meeting.timeVersion}`,
      { text: T.reminder(view, durationInWords(left)), choices: attendanceChoices(meeting.id) },
      await linkedExcept(ctx, meeting, ["absent"]),
    );
    await ctx.prisma.reminder.updateMany({ where: { id: reminder.id, status: "pending" }, data: { status: "sent", processedAt: now } });
  }
  return due.length;
}
