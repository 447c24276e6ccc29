/**
 * Study tasks: creating one (and queueing its notice to the cell), confirmations, progress, and
 * the reminders before the deadline. Callers check permissions first (see feature.ts).
 */
import type { Organization, PrismaClient, StudyTask } from "@prisma/client";
import { DateTime } from "luxon";
import type { Config } from "../config.js";
import type { Choice, OutgoingMessage } from "../conversation/types.js";
import { isUniqueViolation } from "../db/errors.js";
import { formatDueOn } from "../deadlines/due-date.js";
import { cellMembers, queueForMembers } from "../members/cell-messages.js";
import { planDeadlineReminders, runDueReminders } from "../deadlines/reminders.js";
import { documentOutline, sectionLabel, type OutlineSection, type StudyDocument } from "./documents.js";
import { S, type TaskView } from "./strings.js";

export interface StudyContext {
  prisma: PrismaClient;
  config: Pick<Config, "TIMEZONE" | "STUDY_REMINDER_DAYS">;
  clock: () => Date;
}

export type TaskWithCell = StudyTask & { organization: Organization };

/** How long after its deadline a task still takes a (late) confirmation. */
const LATE_DAYS = 30;
/** Sections offered as buttons per outline page. */
export const OUTLINE_PAGE = 8;

export function taskView(t: TaskWithCell, doc?: Pick<StudyDocument, "docType" | "issuedOn" | "number"> | null): TaskView {
  const details = doc ? [doc.docType && doc.number ? `${doc.docType} ${doc.number}` : doc.number ?? doc.docType, doc.issuedOn].filter(Boolean).join(", ") : "";
  return { id: t.id, cell: t.organization.name, title: t.documentTitle, details, due: formatDueOn(t.dueOn), note: t.note };
}

/**
 * The outline's sections from `from` (a page), "more" when some are left, then "✅ Đã học" last:
 * on Zalo a bare "1" meant for an older menu (a meeting notice's "có mặt") then opens a section
 * instead of confirming the study.
 */
export function outlineChoices(taskId: number, outline: OutlineSection[], from = 0, withDone = true): Choice[] {
  const page = outline.slice(from, from + OUTLINE_PAGE).map((s) => ({ label: short(sectionLabel(s, S.introLabel)), value: `st:s:${taskId}:${s.id}` }));
  const more = from + OUTLINE_PAGE < outline.length ? [{ label: S.moreLabel, value: `st:o:${taskId}:${from + OUTLINE_PAGE}` }] : [];
  return [...page, ...more, ...(withDone ? [{ label: S.doneLabel, value: `st:ok:${taskId}` }] : [])];
}

/** Button labels stay on one line. */
export const short = (label: string, max = 48) => (label.length > max ? `${label.slice(0, max - 1)}…` : label);

/** The notice: title, deadline, note, outline, and the buttons to read or confirm. */
export async function taskNotice(ctx: StudyContext, task: TaskWithCell, doc: StudyDocument | null): Promise<OutgoingMessage> {
  const outline = doc ? await documentOutline(ctx.prisma, doc.source) : [];
  return { text: S.notice(taskView(task, doc), outline.map((s) => sectionLabel(s, S.introLabel))), choices: outlineChoices(task.id, outline) };
}

/** Creates the task, plans its reminders and queues the notice to every linked member of the cell. */
export async function createStudyTask(
  ctx: StudyContext,
  input: { organizationId: number; document: StudyDocument; dueOn: string; deadlineAt: Date; note: string; createdById?: number },
): Promise<{ task: TaskWithCell; linked: number; unlinked: number }> {
  const task = await ctx.prisma.studyTask.create({
    data: {
      organizationId: input.organizationId,
      documentSource: input.document.source,
      documentTitle: input.document.title,
      dueOn: input.dueOn,
      deadlineAt: input.deadlineAt,
      note: input.note,
      createdById: input.createdById,
    },
    include: { organization: true },
  });
  const now = ctx.clock();
  await planDeadlineReminders(ctx.prisma, "study", task.id, task.dueOn, ctx.config.STUDY_REMINDER_DAYS, ctx.config.TIMEZONE, now);
  const { linked, unlinked } = await cellMembers(ctx.prisma, task.organizationId);
  const notice = await taskNotice(ctx, task, input.document);
  await queueForMembers(ctx.prisma, `study-notice:${task.id}`, notice, linked, now);
  return { task, linked: linked.length, unlinked: unlinked.length };
}

/** True while a confirmation is taken (until LATE_DAYS after the deadline). */
export function acceptsConfirmation(ctx: StudyContext, task: StudyTask): boolean {
  return task.deadlineAt.getTime() + LATE_DAYS * 86_400_000 > ctx.clock().getTime();
}

/** The cell's tasks the member has not confirmed and that still take a confirmation, newest first. */
export async function unconfirmedTasks(ctx: StudyContext, member: { id: number; organizationId: number }): Promise<TaskWithCell[]> {
  const tasks = await ctx.prisma.studyTask.findMany({
    where: {
      organizationId: member.organizationId,
      deadlineAt: { gt: new Date(ctx.clock().getTime() - LATE_DAYS * 86_400_000) },
      confirmations: { none: { memberId: member.id } },
    },
    include: { organization: true },
    orderBy: { id: "desc" },
  });
  return tasks;
}

/** Records "đã học" once; returns the confirmation (new or earlier) and whether it is new. */
export async function confirmStudy(ctx: StudyContext, task: StudyTask, memberId: number, channel: string) {
  const existing = await ctx.prisma.studyConfirmation.findUnique({ where: { taskId_memberId: { taskId: task.id, memberId } } });
  if (existing) return { confirmation: existing, created: false };
  try {
    const confirmation = await ctx.prisma.studyConfirmation.create({ data: { taskId: task.id, memberId, channel, confirmedAt: ctx.clock() } });
    return { confirmation, created: true };
  } catch (err) {
    if (!isUniqueViolation(err)) throw err;
    // A simultaneous second "đã học" lost the race to the unique key: the first one stands.
    const confirmation = await ctx.prisma.studyConfirmation.findUniqueOrThrow({ where: { taskId_memberId: { taskId: task.id, memberId } } });
    return { confirmation, created: false };
  }
}

export interface ProgressEntry {
  memberId: number;
  fullName: string;
  role: string;
  linked: boolean;
  confirmedAt: Date | null;
  channel: string | null;
  /** Self-check: right answers and questions answered (null when the member has not started). */
  quiz: { right: number; answered: number } | null;
}

/** Every active member of the cell (and anyone who confirmed and left since) with their confirmation and self-check. */
export async function studyProgress(ctx: StudyContext, task: StudyTask): Promise<ProgressEntry[]> {
  const [members, confirmations, answers] = await Promise.all([
    ctx.prisma.member.findMany({ where: { organizationId: task.organizationId, active: true }, include: { identities: { select: { id: true } } }, orderBy: { fullName: "asc" } }),
    ctx.prisma.studyConfirmation.findMany({ where: { taskId: task.id } }),
    ctx.prisma.studyAnswer.findMany({ where: { taskId: task.id }, select: { memberId: true, correct: true } }),
  ]);
  const formerIds = confirmations.map((c) => c.memberId).filter((id) => !members.some((m) => m.id === id));
  const former = formerIds.length
    ? await ctx.prisma.member.findMany({ where: { id: { in: formerIds } }, include: { identities: { select: { id: true } } } })
    : [];
  return [...members, ...former].map((m) => {
    const c = confirmations.find((x) => x.memberId === m.id);
    const mine = answers.filter((a) => a.memberId === m.id);
    return {
      memberId: m.id,
      fullName: m.fullName,
      role: m.role,
      linked: m.identities.length > 0,
      confirmedAt: c?.confirmedAt ?? null,
      channel: c?.channel ?? null,
      quiz: mine.length ? { right: mine.filter((a) => a.correct).length, answered: mine.length } : null,
    };
  });
}

/** Whole days from today to the due day in the cell's zone (negative once past). */
export function daysUntil(ctx: StudyContext, dueOn: string): number {
  const today = DateTime.fromJSDate(ctx.clock(), { zone: ctx.config.TIMEZONE }).startOf("day");
  return Math.round(DateTime.fromISO(dueOn, { zone: ctx.config.TIMEZONE }).diff(today, "days").days);
}

/** Queues the due study reminders to linked members who have not confirmed; returns how many reminders ran. */
export async function processStudyReminders(ctx: StudyContext): Promise<number> {
  const now = ctx.clock();
  return runDueReminders(ctx.prisma, "study", now, async (reminder) => {
    const task = await ctx.prisma.studyTask.findUnique({ where: { id: reminder.subjectId }, include: { organization: true } });
    if (!task || task.deadlineAt.getTime() <= now.getTime()) return "skipped";
    const confirmed = new Set((await ctx.prisma.studyConfirmation.findMany({ where: { taskId: task.id }, select: { memberId: true } })).map((c) => c.memberId));
    const { linked } = await cellMembers(ctx.prisma, task.organizationId);
    const pending = linked.filter((m) => !confirmed.has(m.id));
    const message: OutgoingMessage = {
      text: S.reminder(taskView(task), daysUntil(ctx, task.dueOn)),
      choices: [
        { label: S.outlineLabel, value: `st:o:${task.id}:0` },
        { label: S.doneLabel, value: `st:ok:${task.id}` },
      ],
    };
    await queueForMembers(ctx.prisma, `study-reminder:${task.id}:${reminder.daysBefore}`, message, pending, now);
    return "sent";
  });
}
