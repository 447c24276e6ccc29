/**
 * Attendance export for the admin CLI: one row per member of the cell with their
 * answer, as JSON-ready objects or as spreadsheet-safe CSV (core/export/spreadsheet-csv.ts:
 * names and absence reasons are member-typed text and are neutralised; the meeting id is
 * a number and the two times are dates, so they stay sortable data in a spreadsheet).
 */
import type { Config } from "../config.js";
import { spreadsheetCsv, type SpreadsheetColumn } from "../export/spreadsheet-csv.js";
import { roleLabel } from "../members/roles.js";
import { rollCall, type MeetingsContext } from "./service.js";

export interface AttendanceExportRow {
  meeting_id: number;
  meeting_time: Date;
  ho_ten: string;
  vai_tro: string;
  tra_loi: "Có mặt" | "Vắng" | "Chưa trả lời";
  ly_do: string;
  kenh: string;
  thoi_diem_tra_loi: Date | null;
}

const COLUMNS: SpreadsheetColumn<AttendanceExportRow>[] = [
  { key: "meeting_id", kind: "number" },
  { key: "meeting_time", kind: "date" },
  { key: "ho_ten", kind: "text" },
  { key: "vai_tro", kind: "text" },
  { key: "tra_loi", kind: "text" },
  { key: "ly_do", kind: "text" },
  { key: "kenh", kind: "text" },
  { key: "thoi_diem_tra_loi", kind: "date" },
];

/** The roll of a meeting as export rows; null when the meeting does not exist. */
export async function attendanceExport(ctx: MeetingsContext, meetingId: number): Promise<AttendanceExportRow[] | null> {
  const meeting = await ctx.prisma.meeting.findUnique({ where: { id: meetingId } });
  if (!meeting) return null;
  return (await rollCall(ctx, meeting)).map((r) => ({
    meeting_id: meeting.id,
    meeting_time: meeting.startsAt,
    ho_ten: r.fullName,
    vai_tro: roleLabel(r.role),
    tra_loi: r.response === "present" ? "Có mặt" : r.response === "absent" ? "Vắng" : "Chưa trả lời",
    ly_do: r.reason ?? "",
    kenh: r.channel ?? "",
    thoi_diem_tra_loi: r.respondedAt,
  }));
}

/** CSV text with a header row and a UTF-8 BOM; times in the configured zone. */
export function attendanceCsv(rows: AttendanceExportRow[], config: Pick<Config, "TIMEZONE">): string {
  return spreadsheetCsv(rows, COLUMNS, { timeZone: config.TIMEZONE });
}
