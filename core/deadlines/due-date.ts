/**
 * Deadlines as officers type them ("2026-12-20" or "20/12/2026"): a whole day in the cell's time
 * zone, due at its very end.
 *
 *   parseDueDate("20/12/2026", "Asia/Ho_Chi_Minh", now) // { ok: true, dueOn: "2026-12-20", deadlineAt: 2026-12-20T16:59:59.999Z }
 */
import { DateTime } from "luxon";

export type ParsedDueDate = { ok: true; dueOn: string; deadlineAt: Date } | { ok: false; reason: "format" | "invalid" | "past" };

const FORMS = [/^(?<y>\d{4})-(?<m>\d{1,2})-(?<d>\d{1,2})$/, /^(?<d>\d{1,2})[/.-](?<m>\d{1,2})[/.-](?<y>\d{4})$/];

/** Reads a due day; it may be today but not earlier. */
export function parseDueDate(text: string, zone: string, now: Date): ParsedDueDate {
  const t = text.trim();
  for (const form of FORMS) {
    const g = form.exec(t)?.groups;
    if (!g) continue;
    const day = DateTime.fromObject({ year: Number(g.y), month: Number(g.m), day: Number(g.d) }, { zone });
    if (!day.isValid) return { ok: false, reason: "invalid" };
    const end = day.endOf("day");
    if (end.toMillis() < now.getTime()) return { ok: false, reason: "past" };
    return { ok: true, dueOn: day.toFormat("yyyy-MM-dd"), deadlineAt: end.toJSDate() };
  }
  return { ok: false, reason: "format" };
}

/** "2026-12-20" → "20/12/2026". */
export function formatDueOn(dueOn: string): string {
  const [y, m, d] = dueOn.split("-");
  return `${d}/${m}/${y}`;
}

/** 08:00 on the day `daysBefore` days before `dueOn`, in `zone`: when a reminder goes out. */
export function reminderTime(dueOn: string, daysBefore: number, zone: string): Date {
  return DateTime.fromISO(dueOn, { zone }).minus({ days: daysBefore }).set({ hour: 8, minute: 0, second: 0, millisecond: 0 }).toJSDate();
}
