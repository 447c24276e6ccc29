/**
 * Reminders some days before a deadline (study tasks, evaluation rounds), one DeadlineReminder
 * row per (subject, id, days before). A pass takes the rows now due, lets the subject's feature
 * queue its messages (dedupeKeys name the reminder, so a crash between the two steps re-queues
 * nobody twice), then marks each row sent or skipped.
 *
 *   await planDeadlineReminders(prisma, "study", task.id, task.dueOn, [3, 1], zone, now);
 *   await runDueReminders(prisma, "study", now, async (reminder) => { ...queue...; return "sent"; });
 */
import type { DeadlineReminder, PrismaClient } from "@prisma/client";
import { reminderTime } from "./due-date.js";

export type ReminderSubject = "study" | "evaluation";

/** Plans the reminders; those whose time has passed are recorded as skipped. */
export async function planDeadlineReminders(
  prisma: PrismaClient,
  subject: ReminderSubject,
  subjectId: number,
  dueOn: string,
  daysBefore: number[],
  zone: string,
  now: Date,
): Promise<void> {
  for (const days of daysBefore) {
    const dueAt = reminderTime(dueOn, days, zone);
    const status = dueAt.getTime() > now.getTime() ? "pending" : "skipped";
    await prisma.deadlineReminder.upsert({
      where: { subject_subjectId_daysBefore: { subject, subjectId, daysBefore: days } },
      create: { subject, subjectId, daysBefore: days, dueAt, status },
      update: { dueAt, status, processedAt: null },
    });
  }
}

/** Skips a subject's pending reminders (the round was closed early, say). */
export async function skipDeadlineReminders(prisma: PrismaClient, subject: ReminderSubject, subjectId: number, now: Date): Promise<void> {
  await prisma.deadlineReminder.updateMany({ where: { subject, subjectId, status: "pending" }, data: { status: "skipped", processedAt: now } });
}

/** Hands every due reminder of `subject` to `send` (which queues and says "sent" or "skipped"); returns how many. */
export async function runDueReminders(
  prisma: PrismaClient,
  subject: ReminderSubject,
  now: Date,
  send: (reminder: DeadlineReminder) => Promise<"sent" | "skipped">,
): Promise<number> {
  const due = await prisma.deadlineReminder.findMany({
    where: { subject, status: "pending", dueAt: { lte: now } },
    orderBy: { dueAt: "asc" },
  });
  for (const reminder of due) {
    const status = await send(reminder);
    await prisma.deadlineReminder.updateMany({ where: { id: reminder.id, status: "pending" }, data: { status, processedAt: now } });
  }
  return due.length;
}
