/**
 * A study task's progress for the admin CLI: one row per member (confirmation, channel, time,
 * self-check score), as JSON-ready objects or a spreadsheet CSV.
 */
import { DateTime } from "luxon";
import { spreadsheetCsv, type SpreadsheetColumn } from "../export/spreadsheet-csv.js";
import { roleLabel } from "../members/roles.js";
import { formatDueOn } from "../deadlines/due-date.js";
import { studyProgress, type StudyContext } from "./service.js";
import { S } from "./strings.js";

export interface StudyExportRow {
  dot_hoc_tap: number;
  van_ban: string;
  han: string;
  ho_ten: string;
  vai_tro: string;
  da_hoc: string;
  thoi_diem: string;
  sau_han: string;
  kenh: string;
  kiem_tra: string;
}

const COLUMNS: SpreadsheetColumn<StudyExportRow>[] = [
  { key: "dot_hoc_tap", kind: "number" },
  ...(["van_ban", "han", "ho_ten", "vai_tro", "da_hoc", "thoi_diem", "sau_han", "kenh", "kiem_tra"] as const).map((key) => ({ key, kind: "text" as const })),
];

/** The rows of a task; null when there is no such task. */
export async function studyExport(ctx: StudyContext, taskId: number): Promise<StudyExportRow[] | null> {
  const task = await ctx.prisma.studyTask.findUnique({ where: { id: taskId } });
  if (!task) return null;
  const questions = await ctx.prisma.studyQuestion.count({ where: { taskId } });
  return (await studyProgress(ctx, task)).map((e) => ({
    dot_hoc_tap: task.id,
    van_ban: task.documentTitle,
    han: formatDueOn(task.dueOn),
    ho_ten: e.fullName,
    vai_tro: roleLabel(e.role),
    da_hoc: e.confirmedAt ? S.csv.done : S.csv.notDone,
    thoi_diem: e.confirmedAt ? DateTime.fromJSDate(e.confirmedAt, { zone: ctx.config.TIMEZONE }).toFormat("dd/MM/yyyy HH:mm") : "",
    sau_han: e.confirmedAt && e.confirmedAt.getTime() > task.deadlineAt.getTime() ? S.csv.yes : "",
    kenh: e.channel ?? "",
    kiem_tra: questions && e.quiz ? `${e.quiz.right}/${questions}${e.quiz.answered < questions ? S.csv.unfinished : ""}` : "",
  }));
}

/** The rows as CSV for Excel. */
export function studyCsv(rows: StudyExportRow[]): string {
  // Times are already written out as text in the cell's zone: no date column needs one.
  return spreadsheetCsv(rows, COLUMNS, { timeZone: "UTC" });
}
