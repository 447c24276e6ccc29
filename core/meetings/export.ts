/**
 * Attendance export for the admin CLI: one row per member of the cell with their
 * answer, as JSON-ready objects or CSV (UTF-8 with a BOM so Excel shows accents).
 */
import { stringify } from "csv-stringify/sync";
import { DateTime } from "luxon";
import { roleLabel } from "../members/roles.js";
import { rollCall, type MeetingsContext } from "./service.js";
import { formatMeetingTime } from "./time.js";

export interface AttendanceExportRow {
  meeting_id: number;
  meeting_time: string;
  ho_ten: string;
  vai_tro: string;
  tra_loi: "Có mặt" | "Vắng" | "Chưa trả lời";
  ly_do: string;
  kenh: string;
  thoi_diem_tra_loi: string;
}

/** The roll of a meeting as export rows; null when the meeting does not exist. */
export async function attendanceExport(ctx: MeetingsContext, meetingId: number): Promise<AttendanceExportRow[] | null> {
  const meeting = await ctx.prisma.meeting.findUnique({ where: { id: meetingId } });
  if (!meeting) return null;
  const zone = ctx.config.TIMEZONE;
  const when = formatMeetingTime(meeting.startsAt, zone);
  return (await rollCall(ctx, meeting)).map((r) => ({
    meeting_id: meeting.id,
    meeting_time: when,
    ho_ten: r.fullName,
    vai_tro: roleLabel(r.role),
    tra_loi: r.response === "present" ? "Có mặt" : r.response === "absent" ? "Vắng" : "Chưa trả lời",
    ly_do: r.reason ?? "",
    kenh: r.channel ?? "",
    thoi_diem_tra_loi: r.respondedAt ? DateTime.fromJSDate(r.respondedAt, { zone }).toFormat("dd/MM/yyyy HH:mm") : "",
  }));
}

/** CSV text with a header row and a UTF-8 BOM. */
export function attendanceCsv(rows: AttendanceExportRow[]): string {
  const columns = ["meeting_id", "meeting_time", "ho_ten", "vai_tro", "tra_loi", "ly_do", "kenh", "thoi_diem_tra_loi"];
  return "\uFEFF" + stringify(rows, { header: true, columns });
}
