import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import { spreadsheetCsv, type SpreadsheetColumn } from "./spreadsheet-csv.js";

/** The payloads of issue 10, as a member's reply and as imported names. */
const PAYLOADS = [
  'vắng #1 =HYPERLINK("http://evil.example/x","Bấm xem")',
  '=HYPERLINK("http://evil.example/x","Bấm xem")',
  "+cmd|' /C calc'!A0",
  "-2+3+cmd|' /C calc'!A0",
  "=1+1",
  "@SUM(1+1)*cmd|' /C calc'!A0",
  "\t=1+1",
  "\r=1+1",
  "＝1+1", // full-width, which some spreadsheets turn into "="
];

interface Row {
  id: number;
  name: string;
  balance: number | null;
  at: Date | null;
}

const COLUMNS: SpreadsheetColumn<Row>[] = [
  { key: "id", kind: "number" },
  { key: "name", kind: "text", header: "ho_ten" },
  { key: "balance", kind: "number" },
  { key: "at", kind: "date" },
];
const ZONE = { timeZone: "Asia/Ho_Chi_Minh" };

/** The cells a spreadsheet sees (quotes removed, BOM dropped). */
function cells(csv: string): string[][] {
  expect(csv.startsWith("\uFEFF")).toBe(true);
  return parse(csv.slice(1), { relax_column_count: false }) as string[][];
}

/** What a spreadsheet does with a cell's first character: these start a formula. */
const FORMULA_START = /^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/;

describe("spreadsheetCsv", () => {
  it("neutralises every cell of text that a spreadsheet would read as a formula, keeping its visible text", () => {
    const rows: Row[] = PAYLOADS.map((name, i) => ({ id: i + 1, name, balance: null, at: null }));
    const table = cells(spreadsheetCsv(rows, COLUMNS, ZONE));
    expect(table[0]).toEqual(["id", "ho_ten", "balance", "at"]);
    const names = table.slice(1).map((r) => r[1]!);
    expect(names).toHaveLength(PAYLOADS.length);
    for (const [i, name] of names.entries()) {
      expect(name).not.toMatch(FORMULA_START);
      // A reply that does not start with "=" is left alone: it is text already.
      expect(name).toBe(PAYLOADS[i]!.startsWith("vắng") ? PAYLOADS[i] : `'${PAYLOADS[i]}`);
    }
  });

  it("quotes every text cell, so a delimiter inside cannot open a new (formula) cell in any locale", () => {
    const csv = spreadsheetCsv([{ id: 1, name: "a;=1+1,=2+2", balance: 0, at: null }], COLUMNS, ZONE);
    expect(csv).toContain('1,"a;=1+1,=2+2",0,');
    expect(cells(csv)[1]).toEqual(["1", "a;=1+1,=2+2", "0", ""]);
  });

  it("keeps numbers (negative ones too) and dates as data a spreadsheet reads as such", () => {
    const at = new Date("2026-12-04T12:30:00Z"); // 19:30 in Hanoi
    const csv = spreadsheetCsv(
      [
        { id: 7, name: "Nguyễn Văn An", balance: -2, at },
        { id: 8, name: "-2", balance: 3.5, at: null },
      ],
      COLUMNS,
      ZONE,
    );
    const lines = csv.slice(1).trimEnd().split("\n");
    // Unquoted and unprefixed: -2 is a negative number, the time an ISO-ordered local date-time.
    expect(lines[1]).toBe('7,"Nguyễn Văn An",-2,2026-12-04 19:30');
    // "-2" typed as a name is text that starts with "-": it is neutralised like any other.
    expect(lines[2]).toBe(`8,"'-2",3.5,`);
  });

  it("refuses a value of the wrong kind instead of writing text into a data column", () => {
    const bad = [{ id: "=1+1", name: "x", balance: null, at: null }] as unknown as Row[];
    expect(() => spreadsheetCsv(bad, COLUMNS, ZONE)).toThrow(/column "id" is numeric/);
    const badDate = [{ id: 1, name: "x", balance: null, at: "2026-12-04" }] as unknown as Row[];
    expect(() => spreadsheetCsv(badDate, COLUMNS, ZONE)).toThrow(/column "at" holds dates/);
    expect(() => spreadsheetCsv([], COLUMNS, { timeZone: "Mars/Olympus" })).toThrow(/unknown time zone/);
  });
});
