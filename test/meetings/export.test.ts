import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { parse } from "csv-parse/sync";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runAdmin } from "../../bot/cli/admin.js";
import { createMeetingsFeature } from "../../core/meetings/feature.js";
import { dispatch, openTestEnv, press, said, text, type TestEnv } from "./helpers.js";

const run = promisify(execFile);

let env: TestEnv;
beforeEach(async () => {
  env = await openTestEnv();
});
afterEach(async () => {
  await env.cleanup();
});

/** Names as a hostile roster would carry them (issue 10), beside an ordinary one. */
const HOSTILE_NAMES = ["+cmd|' /C calc'!A0", "-2+3+cmd|' /C calc'!A0", "=1+1", "@SUM(1+1)*cmd|' /C calc'!A0"];
const HYPERLINK = '=HYPERLINK("http://evil.example/x","Bấm xem")';

async function admin(...argv: string[]) {
  const io = { out: "", err: "" };
  const code = await runAdmin(argv, { DATA_DIR: env.dir, DATABASE_URL: env.config.DATABASE_URL, LOG_LEVEL: "silent" }, {
    out: { write: (t: string) => (io.out += t) },
    err: { write: (t: string) => (io.err += t) },
  });
  return { code, ...io };
}

/**
 * A cell of hostile names (as imported) with linked accounts; the member "=1+1" answers with a formula as the
 * absence reason. Returns the CLI's CSV export of the meeting.
 */
async function hostileExport(): Promise<string> {
  const roster = [
    "ho_ten,chi_bo,vai_tro",
    "Nguyễn Văn Bí,Chi bộ 1,Bí thư",
    ...HOSTILE_NAMES.map((n) => `"${n.replace(/"/g, '""')}",Chi bộ 1,Đảng viên`),
  ].join("\n");
  const file = path.join(env.dir, "roster.csv");
  fs.writeFileSync(file, roster);
  expect((await admin("import-members", file)).code).toBe(0);
  const members = await env.store.prisma.member.findMany();
  const byName = (name: string) => members.find((m) => m.fullName === name)!;
  for (const [name, userId] of [["Nguyễn Văn Bí", "100"], ["=1+1", "101"], ["+cmd|' /C calc'!A0", "102"]] as const) {
    await env.store.prisma.chatIdentity.create({ data: { memberId: byName(name).id, channel: "telegram", platformUserId: userId, chatId: userId } });
  }
  const feature = createMeetingsFeature({ prisma: env.store.prisma, config: env.config, state: env.state, clock: env.clock.now });
  expect(said(await dispatch(feature, text("telegram", "100", "/hop 2026-12-04 19:30 | Hội trường | Họp")))).toContain("Đã lên lịch");
  expect(said(await dispatch(feature, text("telegram", "101", `vắng #1 ${HYPERLINK}`)))).toContain("Đã ghi nhận");
  await dispatch(feature, press("telegram", "102", "att:1:present"));
  const exported = await admin("export-attendance", "1", "--csv");
  expect(exported).toMatchObject({ code: 0, err: "" });
  return exported.out;
}

describe("npm run admin -- export-attendance <id> --csv against CSV injection", () => {
  it("neutralises hostile names and a formula typed as an absence reason; ids and times stay data", async () => {
    const csv = await hostileExport();
    expect(csv.startsWith("\uFEFF")).toBe(true);
    const [header, ...rows] = parse(csv.slice(1)) as string[][];
    expect(header).toEqual(["meeting_id", "meeting_time", "ho_ten", "vai_tro", "tra_loi", "ly_do", "kenh", "thoi_diem_tra_loi"]);
    expect(rows).toHaveLength(5);
    // No cell a spreadsheet sees starts a formula.
    for (const row of rows) for (const cell of row) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
    const names = rows.map((r) => r[2]);
    for (const hostile of HOSTILE_NAMES) expect(names).toContain(`'${hostile}`);
    const absent = rows.find((r) => r[2] === "'=1+1")!;
    expect(absent[4]).toBe("Vắng");
    expect(absent[5]).toBe(`'${HYPERLINK}`);
    // Data columns: a number and local date-times in ISO order, unquoted in the file.
    expect(rows.every((r) => r[0] === "1" && r[1] === "2026-12-04 19:30")).toBe(true);
    expect(absent[7]).toBe("2026-12-01 09:00");
    expect(csv).toContain(`1,2026-12-04 19:30,"'=1+1","Đảng viên","Vắng","'=HYPERLINK(""http://evil.example/x"",""Bấm xem"")","telegram",2026-12-01 09:00\n`);

    // The JSON export keeps the raw values (it is not opened by a spreadsheet).
    const json = JSON.parse((await admin("export-attendance", "1")).out) as { ho_ten: string; ly_do: string; meeting_time: string }[];
    expect(json.find((r) => r.ho_ten === "=1+1")!.ly_do).toBe(HYPERLINK);
    expect(json[0]!.meeting_time).toBe("2026-12-04T12:30:00.000Z");
  });
});

/** LibreOffice Calc, when installed (`apt-get install libreoffice-calc-nogui`): a real spreadsheet reading the file. */
const SOFFICE = ["/usr/bin/soffice", "/usr/local/bin/soffice"].find((p) => fs.existsSync(p));

/** The file as LibreOffice reads it (CSV import with formula evaluation on, in the given locale), saved as flat ODS XML. */
async function openInCalc(csv: string, name: string, locale: number): Promise<string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sotay-calc-"));
  try {
    fs.writeFileSync(path.join(dir, `${name}.csv`), csv);
    // Separator ",", quote '"', UTF-8, from line 1, locale, quoted fields not forced to text, detect numbers and dates, evaluate formulas.
    const filter = `CSV:44,34,76,1,,${locale},false,true,false,false,false,-1,true`;
    await run(SOFFICE!, [`-env:UserInstallation=file://${dir}/profile`, "--headless", `--infilter=${filter}`, "--convert-to", "fods", "--outdir", dir, path.join(dir, `${name}.csv`)], { timeout: 240_000 });
    return fs.readFileSync(path.join(dir, `${name}.fods`), "utf8");
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const count = (text: string, needle: string) => text.split(needle).length - 1;

describe.skipIf(!SOFFICE)(`the export opened in LibreOffice Calc${SOFFICE ? "" : " (skipped: soffice is not installed)"}`, () => {
  it("has no formula, and reads the meeting id as a number and the times as dates, in English and Vietnamese locales", async () => {
    // The check itself: Calc does run the same cells when they are not neutralised.
    const control = await openInCalc('\uFEFFa,b\n=1+1,-2\n"=HYPERLINK(""http://evil.example/x"",""x"")",x\n', "control", 1033);
    expect(control).toContain('table:formula="of:=1+1"');
    expect(control).toContain("table:formula=\"of:=HYPERLINK(");

    const csv = await hostileExport();
    for (const locale of [1033, 1066]) {
      const sheet = await openInCalc(csv, `export-${locale}`, locale);
      expect(sheet).not.toContain("table:formula=");
      expect(count(sheet, 'office:value-type="float" office:value="1"')).toBe(5); // meeting_id in each row
      expect(count(sheet, 'office:date-value="2026-12-04T19:30:00"')).toBe(5); // meeting_time
      expect(count(sheet, 'office:date-value="2026-12-01T09:00:00"')).toBe(2); // the two answers
      expect(sheet).toContain("<text:p>&apos;=1+1</text:p>");
    }
  }, 600_000);
});
