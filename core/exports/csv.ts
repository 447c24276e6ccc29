/**
 * CSV for spreadsheets (study progress, evaluation summaries): UTF-8 with a BOM so Excel shows
 * Vietnamese, CRLF line ends, and formula-safe cells: a value starting with = + - @ or a tab/CR
 * gets a leading apostrophe, so a name such as "=HYPERLINK(...)" typed into a form is shown, not run.
 * One function on purpose: the meetings export gets its own safe helper (issue 10), and the two
 * can become one at merge by changing only this body.
 *
 *   spreadsheetCsv([{ ho_ten: "Nguyễn Văn A" }], ["ho_ten"]);
 */
import { stringify } from "csv-stringify/sync";

const FORMULA_START = /^[=+\-@\t\r]/;

/** A header row and one row per record, in `columns` order. */
export function spreadsheetCsv<T extends Record<string, unknown>>(rows: T[], columns: (keyof T & string)[]): string {
  const safe = rows.map((row) =>
    Object.fromEntries(
      columns.map((c) => {
        const v = row[c];
        const text = v === null || v === undefined ? "" : String(v);
        return [c, FORMULA_START.test(text) ? `'${text}` : text];
      }),
    ),
  );
  return "\uFEFF" + stringify(safe, { header: true, columns, record_delimiter: "windows" });
}
