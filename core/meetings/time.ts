/**
 * Meeting times as people type them, in the cell's time zone:
 * "2026-12-04 19:30", "04/12/2026 19:30", "4/12/2026 19h30", "19:30 04/12/2026".
 */
import { DateTime } from "luxon";

export type ParsedTime = { ok: true; date: Date } | { ok: false; reason: "format" | "invalid" };

const DATE_TIME = [
  /^(?<y>\d{4})-(?<mo>\d{1,2})-(?<d>\d{1,2})[ T]+(?<h>\d{1,2})(?:[:hg](?<mi>\d{2})?)?$/i,
  /^(?<d>\d{1,2})[/.-](?<mo>\d{1,2})[/.-](?<y>\d{4})\s+(?<h>\d{1,2})(?:[:hg](?<mi>\d{2})?)?$/i,
  /^(?<h>\d{1,2})(?:[:hg](?<mi>\d{2})?)?\s+(?:ngày\s+)?(?<d>\d{1,2})[/.-](?<mo>\d{1,2})[/.-](?<y>\d{4})$/iu,
];

/**
 * Parses a meeting time in `zone` (an IANA name such as "Asia/Ho_Chi_Minh").
 *
 *   parseMeetingTime("2026-12-04 19:30", "Asia/Ho_Chi_Minh") // { ok: true, date: 2026-12-04T12:30:00Z }
 */
export function parseMeetingTime(text: string, zone: string): ParsedTime {
  const t = text.trim().replace(/\s+/g, " ");
  for (const pattern of DATE_TIME) {
    const m = pattern.exec(t);
    if (!m?.groups) continue;
    const g = m.groups;
    const dt = DateTime.fromObject(
      { year: Number(g.y), month: Number(g.mo), day: Number(g.d), hour: Number(g.h), minute: Number(g.mi ?? 0) },
      { zone },
    );
    // luxon rejects 31/02 or 25:00 instead of rolling over.
    if (!dt.isValid) return { ok: false, reason: "invalid" };
    return { ok: true, date: dt.toJSDate() };
  }
  return { ok: false, reason: "format" };
}

const WEEKDAYS = ["", "Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ Nhật"];

/** "19:30 Thứ Sáu, 04/12/2026" in `zone`. */
export function formatMeetingTime(date: Date, zone: string): string {
  const dt = DateTime.fromJSDate(date, { zone });
  return `${dt.toFormat("HH:mm")} ${WEEKDAYS[dt.weekday]}, ${dt.toFormat("dd/MM/yyyy")}`;
}

/** "04/12 19:30": compact form for buttons and lists. */
export function formatShortTime(date: Date, zone: string): string {
  return DateTime.fromJSDate(date, { zone }).toFormat("dd/MM HH:mm");
}
