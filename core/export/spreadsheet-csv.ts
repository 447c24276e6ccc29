/**
 * CSV for spreadsheets (Excel, LibreOffice, Google Sheets), safe against formula
 * injection: every export of the product goes through `spreadsheetCsv`.
 *
 * OWASP's advice on CSV injection: a cell that starts with `=`, `+`, `-`, `@`, tab or
 * carriage return is read as a formula, so such text is prefixed with `'` (csv-stringify's
 * `escape_formulas`, which also covers the full-width ＝＋－＠ some spreadsheets accept),
 * and text cells are always quoted (a `;` inside cannot start a new cell in a locale that
 * splits on it). Only values the program itself produced stay data: a column declared
 * "number" takes JS numbers (so -2 stays a negative number, never a formula) and a
 * "date" column takes Date objects, written as "yyyy-MM-dd HH:mm" in the given zone,
 * which every spreadsheet reads as a date whatever its locale. Text that merely looks
 * like a number or a date is still text and is neutralised like any other.
 *
 *   spreadsheetCsv(rows, [
 *     { key: "id", kind: "number" },
 *     { key: "name", kind: "text", header: "ho_ten" },
 *     { key: "at", kind: "date" },
 *   ], { timeZone: "Asia/Ho_Chi_Minh" });
 */
import { stringify } from "csv-stringify/sync";
import { DateTime } from "luxon";

export type ColumnKind = "text" | "number" | "date";

/** The kind a row field must be declared as, from its type: numbers and dates are data, everything else text. */
type KindFor<V> = [NonNullable<V>] extends [number] ? "number" : [NonNullable<V>] extends [Date] ? "date" : "text";

/** A column: the row field it shows, how its cells are written, and its header (default: the key). */
export type SpreadsheetColumn<Row> = {
  [K in keyof Row & string]: { key: K; kind: KindFor<Row[K]>; header?: string };
}[keyof Row & string];

export interface SpreadsheetCsvOptions {
  /** IANA zone the "date" columns are written in (the cell's local time, e.g. the meeting's). */
  timeZone: string;
}

/** How a date cell is written: ISO order, so no locale reads day and month the wrong way round. */
export const SPREADSHEET_DATE_FORMAT = "yyyy-MM-dd HH:mm";

/**
 * A cell's value checked against its column's kind (the types say the same at compile
 * time; this holds for rows built from `any` too): numbers and Dates pass as they are,
 * anything else becomes text. A mismatch is a programming error, so it throws.
 */
function checkedCell(value: unknown, kind: ColumnKind, key: string): string | number | Date | null {
  if (value === null || value === undefined) return null;
  if (kind === "number") {
    if (typeof value !== "number" || !Number.isFinite(value)) throw new TypeError(`column "${key}" is numeric but holds ${JSON.stringify(value)}`);
    return value;
  }
  if (kind === "date") {
    if (!(value instanceof Date) || Number.isNaN(value.getTime())) throw new TypeError(`column "${key}" holds dates but got ${JSON.stringify(value)}`);
    return value;
  }
  if (typeof value === "object") throw new TypeError(`column "${key}" is text but holds an object`);
  return String(value);
}

/** CSV text (UTF-8 BOM, so Excel shows accents; a header row) of `rows`, safe to open in a spreadsheet. */
export function spreadsheetCsv<Row extends object>(rows: readonly Row[], columns: readonly SpreadsheetColumn<Row>[], options: SpreadsheetCsvOptions): string {
  const zone = options.timeZone;
  if (!DateTime.local().setZone(zone).isValid) throw new RangeError(`unknown time zone "${zone}"`);
  const records = rows.map((row) => columns.map((c) => checkedCell((row as Record<string, unknown>)[c.key], c.kind, c.key)));
  return stringify(records, {
    bom: true,
    header: true,
    columns: columns.map((c, i) => ({ key: String(i), header: c.header ?? c.key })),
    escape_formulas: true,
    quoted_string: true,
    // A date is text the program wrote from a Date, never input: unquoted, so it reads as a date.
    cast: { date: (d) => ({ value: DateTime.fromJSDate(d, { zone }).toFormat(SPREADSHEET_DATE_FORMAT), quoted_string: false }) },
  });
}
