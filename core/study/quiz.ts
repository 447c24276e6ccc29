/**
 * A study task's optional self-check: 3-10 multiple-choice questions attached from a CSV by an
 * officer (npm run admin -- study-quiz), answered in chat one at a time. Answers are final and
 * each member takes the self-check once; the officers see the scores in /tiendo and the export.
 *
 * CSV columns (headers with or without accents): cau_hoi, a, b, c, d, dap_an. Options c and d
 * are optional; dap_an is the letter of the right option.
 *
 *   const parsed = parseQuizCsv(fs.readFileSync("quiz.csv", "utf8"));
 *   if (parsed.ok) await attachQuiz(prisma, taskId, parsed.questions);
 */
import type { PrismaClient, StudyQuestion } from "@prisma/client";
import { parse } from "csv-parse/sync";
import { collapseSpace, fold, nfc } from "../text/vietnamese.js";
import { isUniqueViolation } from "../db/errors.js";

export interface QuizQuestion {
  text: string;
  options: string[];
  /** 0-based index of the right option. */
  answer: number;
}

export type ParsedQuiz = { ok: true; questions: QuizQuestion[] } | { ok: false; errors: { line: number; message: string }[] };

export const QUIZ_MIN = 3;
export const QUIZ_MAX = 10;
export const LETTERS = ["A", "B", "C", "D"] as const;

const headerKey = (h: string) => fold(h).trim().replace(/[^a-z0-9]+/g, "_").replace(/^_|_$/g, "");

/** Reads and checks a quiz CSV; every problem is reported with its line (operator-facing, English). */
export function parseQuizCsv(csvText: string): ParsedQuiz {
  let records: { record: Record<string, string>; info: { lines: number } }[];
  try {
    records = parse(csvText, { bom: true, columns: (h: string[]) => h.map(headerKey), skip_empty_lines: true, relax_column_count: true, trim: true, info: true });
  } catch (err) {
    return { ok: false, errors: [{ line: 1, message: `cannot read the CSV: ${(err as Error).message}` }] };
  }
  const errors: { line: number; message: string }[] = [];
  const first = records[0]?.record ?? {};
  const missing = ["cau_hoi", "a", "b", "dap_an"].filter((k) => !(k in first));
  if (records.length > 0 && missing.length) return { ok: false, errors: [{ line: 1, message: `missing column(s): ${missing.join(", ")} (need cau_hoi, a, b, [c, d,] dap_an)` }] };
  const questions: QuizQuestion[] = [];
  for (const { record, info } of records) {
    const get = (k: string) => collapseSpace(nfc(record[k] ?? ""));
    const text = get("cau_hoi");
    const options = ["a", "b", "c", "d"].map(get);
    const lastFilled = options.map((o) => o !== "").lastIndexOf(true);
    const letter = get("dap_an").toUpperCase().replace(/[.)]$/, "");
    const answer = LETTERS.indexOf(letter as (typeof LETTERS)[number]);
    if (!text) errors.push({ line: info.lines, message: "cau_hoi (the question) is empty" });
    else if (options.slice(0, lastFilled + 1).some((o) => o === "") || lastFilled < 1) errors.push({ line: info.lines, message: "options must be filled in order: a and b at least, then c, then d" });
    else if (answer < 0) errors.push({ line: info.lines, message: `dap_an "${get("dap_an")}" is not one of A, B, C, D` });
    else if (answer > lastFilled) errors.push({ line: info.lines, message: `dap_an ${letter} names an empty option` });
    else questions.push({ text, options: options.slice(0, lastFilled + 1), answer });
  }
  if (errors.length) return { ok: false, errors };
  if (questions.length < QUIZ_MIN || questions.length > QUIZ_MAX) {
    return { ok: false, errors: [{ line: 1, message: `a self-check has ${QUIZ_MIN}-${QUIZ_MAX} questions; this file has ${questions.length}` }] };
  }
  return { ok: true, questions };
}

/**
 * Replaces the task's questions, all or nothing. Refused once anyone has answered (their scores
 * would stop meaning anything): returns how many members have.
 */
export async function attachQuiz(prisma: PrismaClient, taskId: number, questions: QuizQuestion[]): Promise<{ ok: true } | { ok: false; answeredBy: number }> {
  return prisma.$transaction(async (tx) => {
    const answered = await tx.studyAnswer.findMany({ where: { taskId }, distinct: ["memberId"], select: { memberId: true } });
    if (answered.length > 0) return { ok: false as const, answeredBy: answered.length };
    await tx.studyQuestion.deleteMany({ where: { taskId } });
    await tx.studyQuestion.createMany({
      data: questions.map((q, i) => ({ taskId, ordinal: i + 1, text: q.text, options: JSON.stringify(q.options), answer: q.answer })),
    });
    return { ok: true as const };
  });
}

export const optionsOf = (q: StudyQuestion): string[] => JSON.parse(q.options) as string[];

export interface QuizState {
  questions: StudyQuestion[];
  /** The first question the member has not answered, or null when done. */
  next: StudyQuestion | null;
  right: number;
  answered: number;
}

/** Where a member stands in a task's self-check. */
export async function quizState(prisma: PrismaClient, taskId: number, memberId: number): Promise<QuizState> {
  const [questions, answers] = await Promise.all([
    prisma.studyQuestion.findMany({ where: { taskId }, orderBy: { ordinal: "asc" } }),
    prisma.studyAnswer.findMany({ where: { taskId, memberId } }),
  ]);
  const done = new Set(answers.map((a) => a.ordinal));
  return {
    questions,
    next: questions.find((q) => !done.has(q.ordinal)) ?? null,
    right: answers.filter((a) => a.correct).length,
    answered: answers.length,
  };
}

/** Records an answer once; "again" when that question was already answered. */
export async function recordAnswer(
  prisma: PrismaClient,
  input: { taskId: number; memberId: number; question: StudyQuestion; chosen: number; at: Date },
): Promise<"recorded" | "again"> {
  try {
    await prisma.studyAnswer.create({
      data: { taskId: input.taskId, memberId: input.memberId, ordinal: input.question.ordinal, chosen: input.chosen, correct: input.chosen === input.question.answer, answeredAt: input.at },
    });
    return "recorded";
  } catch (err) {
    if (isUniqueViolation(err)) return "again";
    throw err;
  }
}
