/**
 * Yearly evaluation rounds: opening one (notice and reminders to the cell), the members' entries
 * (self-assessment saved as it is typed), the cell's proposed grades under the configured rules,
 * closing, and the reminders before the deadline. Callers check permissions first (feature.ts).
 */
import type { EvaluationEntry, EvaluationRound, Member, Organization, PrismaClient } from "@prisma/client";
import { DateTime } from "luxon";
import type { Config } from "../config.js";
import type { OutgoingMessage } from "../conversation/types.js";
import { formatDueOn } from "../deadlines/due-date.js";
import { cellMembers, queueForMembers } from "../members/cell-messages.js";
import { planDeadlineReminders, runDueReminders, skipDeadlineReminders } from "../deadlines/reminders.js";
import { barredByDiscipline, checkExcellentCap, gradeLabel, GRADES, type Grade } from "./grades.js";
import { E, type RoundView } from "./strings.js";

export interface EvaluationContext {
  prisma: PrismaClient;
  config: Pick<Config, "TIMEZONE" | "EVALUATION_REMINDER_DAYS" | "EVALUATION_EXCELLENT_CAP_PERCENT" | "EVALUATION_DISCIPLINED_MAX_GRADE">;
  clock: () => Date;
}

export type RoundWithCell = EvaluationRound & { organization: Organization };

export const roundView = (r: RoundWithCell): RoundView => ({ id: r.id, cell: r.organization.name, year: r.year, due: formatDueOn(r.dueOn) });

/** True while members may fill and change their self-assessment. */
export function acceptsSelfAssessment(ctx: EvaluationContext, round: EvaluationRound): boolean {
  return round.status === "open" && round.deadlineAt.getTime() >= ctx.clock().getTime();
}

/** The cell's most recent round (by year), or null. */
export async function latestRound(ctx: EvaluationContext, organizationId: number): Promise<RoundWithCell | null> {
  return ctx.prisma.evaluationRound.findFirst({ where: { organizationId }, include: { organization: true }, orderBy: [{ year: "desc" }, { id: "desc" }] });
}

/** Opens a round, plans its reminders and queues the notice; null when the cell already has one for that year. */
export async function openRound(
  ctx: EvaluationContext,
  input: { organizationId: number; year: number; dueOn: string; deadlineAt: Date; createdById?: number },
): Promise<{ round: RoundWithCell; linked: number; unlinked: number } | { existing: RoundWithCell }> {
  const existing = await ctx.prisma.evaluationRound.findUnique({
    where: { organizationId_year: { organizationId: input.organizationId, year: input.year } },
    include: { organization: true },
  });
  if (existing) return { existing };
  const round = await ctx.prisma.evaluationRound.create({ data: input, include: { organization: true } });
  const now = ctx.clock();
  await planDeadlineReminders(ctx.prisma, "evaluation", round.id, round.dueOn, ctx.config.EVALUATION_REMINDER_DAYS, ctx.config.TIMEZONE, now);
  const { linked, unlinked } = await cellMembers(ctx.prisma, round.organizationId);
  const notice: OutgoingMessage = { text: E.notice(roundView(round)), choices: [{ label: E.startLabel, value: `ev:start:${round.id}` }] };
  await queueForMembers(ctx.prisma, `evaluation-notice:${round.id}`, notice, linked, now);
  return { round, linked: linked.length, unlinked: unlinked.length };
}

/** The member's entry in the round, created empty on first use. */
export async function entryOf(ctx: EvaluationContext, roundId: number, memberId: number): Promise<EvaluationEntry> {
  return ctx.prisma.evaluationEntry.upsert({ where: { roundId_memberId: { roundId, memberId } }, create: { roundId, memberId }, update: {} });
}

export type FormField = "strengths" | "shortcomings" | "remedies";

/** Longest text one written part may hold. */
export const MAX_FIELD = 6000;

/**
 * Changes the member's self-assessment. Any change after submission withdraws it: the member
 * submits again, so what the cell receives is always a complete form the member sent on purpose.
 */
export async function updateEntry(
  ctx: EvaluationContext,
  entry: EvaluationEntry,
  change: Partial<Record<FormField, string>> & { selfGrade?: Grade },
): Promise<{ entry: EvaluationEntry; withdrawn: boolean }> {
  const withdrawn = entry.submittedAt !== null;
  const updated = await ctx.prisma.evaluationEntry.update({ where: { id: entry.id }, data: { ...change, submittedAt: null } });
  return { entry: updated, withdrawn };
}

/** True when all four parts are filled in. */
export const isComplete = (e: EvaluationEntry) => !!(e.strengths.trim() && e.shortcomings.trim() && e.remedies.trim() && e.selfGrade);

export async function submitEntry(ctx: EvaluationContext, entry: EvaluationEntry): Promise<EvaluationEntry> {
  return ctx.prisma.evaluationEntry.update({ where: { id: entry.id }, data: { submittedAt: ctx.clock() } });
}

export interface RosterLine {
  /** 1-based number officers use in commands. */
  n: number;
  member: Member;
  entry: EvaluationEntry | null;
}

/** The cell's active members (and anyone with an entry who left since), by name, with their entries. */
export async function roster(ctx: EvaluationContext, round: EvaluationRound): Promise<RosterLine[]> {
  const [members, entries] = await Promise.all([
    ctx.prisma.member.findMany({ where: { organizationId: round.organizationId, active: true }, orderBy: [{ fullName: "asc" }, { id: "asc" }] }),
    ctx.prisma.evaluationEntry.findMany({ where: { roundId: round.id }, include: { member: true } }),
  ]);
  const former = entries.filter((e) => !members.some((m) => m.id === e.memberId)).map((e) => e.member);
  return [...members, ...former].map((member, i) => ({ n: i + 1, member, entry: entries.find((e) => e.memberId === member.id) ?? null }));
}

/** A roster line by its number or by words of the name; null when none or several match. */
export function findInRoster(lines: RosterLine[], text: string): RosterLine | null {
  const t = text.trim();
  if (/^\d{1,4}$/.test(t)) return lines.find((l) => l.n === Number(t)) ?? null;
  const want = t.normalize("NFC").toLowerCase();
  const hits = lines.filter((l) => l.member.fullName.normalize("NFC").toLowerCase().includes(want));
  return hits.length === 1 ? hits[0]! : null;
}

/** Records the cell's proposed grade; refused when the member was disciplined and the grade is above the allowed one. */
export async function propose(
  ctx: EvaluationContext,
  round: EvaluationRound,
  memberId: number,
  grade: Grade,
  byId: number,
): Promise<{ ok: true } | { ok: false; reason: "discipline" }> {
  const entry = await entryOf(ctx, round.id, memberId);
  if (entry.disciplined && barredByDiscipline(grade, ctx.config.EVALUATION_DISCIPLINED_MAX_GRADE)) return { ok: false, reason: "discipline" };
  await ctx.prisma.evaluationEntry.update({ where: { id: entry.id }, data: { proposedGrade: grade, proposedById: byId, proposedAt: ctx.clock() } });
  return { ok: true };
}

/** The cap on "xuất sắc" over the round's current proposals. */
export async function capStatus(ctx: EvaluationContext, round: EvaluationRound) {
  const entries = await ctx.prisma.evaluationEntry.findMany({ where: { roundId: round.id }, select: { proposedGrade: true } });
  return checkExcellentCap(entries.map((e) => e.proposedGrade), ctx.config.EVALUATION_EXCELLENT_CAP_PERCENT);
}

/** Why the round cannot be closed yet (empty when it can). */
export async function closeProblems(ctx: EvaluationContext, round: EvaluationRound): Promise<string[]> {
  const lines = await roster(ctx, round);
  const active = lines.filter((l) => l.member.active);
  const problems: string[] = [];
  const missing = active.filter((l) => !l.entry?.proposedGrade).map((l) => l.member.fullName);
  if (missing.length) problems.push(E.missingProposals(missing));
  const cap = await capStatus(ctx, round);
  if (!cap.ok) problems.push(E.capExceeded(cap.excellent, cap.maxExcellent));
  const max = ctx.config.EVALUATION_DISCIPLINED_MAX_GRADE;
  const barred = lines.filter((l) => l.entry?.disciplined && l.entry.proposedGrade && barredByDiscipline(l.entry.proposedGrade as Grade, max));
  if (barred.length) problems.push(E.disciplineViolations(barred.map((l) => l.member.fullName)));
  return problems;
}

/** Closes the round and stops its reminders; returns the counts per grade. */
export async function closeRound(ctx: EvaluationContext, round: EvaluationRound): Promise<string> {
  const now = ctx.clock();
  await ctx.prisma.evaluationRound.update({ where: { id: round.id }, data: { status: "closed", closedAt: now } });
  await skipDeadlineReminders(ctx.prisma, "evaluation", round.id, now);
  const entries = await ctx.prisma.evaluationEntry.findMany({ where: { roundId: round.id }, select: { proposedGrade: true } });
  const parts = GRADES.map((g) => `${gradeLabel(g)}: ${entries.filter((e) => e.proposedGrade === g).length}`);
  return E.gradeCounts(parts);
}

/** Whole days from today to the due day in the cell's zone. */
function daysUntil(ctx: EvaluationContext, dueOn: string): number {
  const today = DateTime.fromJSDate(ctx.clock(), { zone: ctx.config.TIMEZONE }).startOf("day");
  return Math.round(DateTime.fromISO(dueOn, { zone: ctx.config.TIMEZONE }).diff(today, "days").days);
}

/** Queues the due reminders to linked members who have not submitted; returns how many reminders ran. */
export async function processEvaluationReminders(ctx: EvaluationContext): Promise<number> {
  const now = ctx.clock();
  return runDueReminders(ctx.prisma, "evaluation", now, async (reminder) => {
    const round = await ctx.prisma.evaluationRound.findUnique({ where: { id: reminder.subjectId }, include: { organization: true } });
    if (!round || !acceptsSelfAssessment(ctx, round)) return "skipped";
    const submitted = new Set(
      (await ctx.prisma.evaluationEntry.findMany({ where: { roundId: round.id, submittedAt: { not: null } }, select: { memberId: true } })).map((e) => e.memberId),
    );
    const { linked } = await cellMembers(ctx.prisma, round.organizationId);
    const message: OutgoingMessage = { text: E.reminder(roundView(round), daysUntil(ctx, round.dueOn)), choices: [{ label: E.startLabel, value: `ev:start:${round.id}` }] };
    await queueForMembers(ctx.prisma, `evaluation-reminder:${round.id}:${reminder.daysBefore}`, message, linked.filter((m) => !submitted.has(m.id)), now);
    return "sent";
  });
}
