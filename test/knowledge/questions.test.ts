/**
 * Questions members ask, attached to sections (data/questions), end to end: ingest of
 * documents written for the tests, the question files' report, the question field in search,
 * exact citations, and a newer rule quoted before the one it changed (data/amendments.txt).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../core/config.js";
import { openStore, type Store } from "../../core/db/store.js";
import { KnowledgeBase } from "../../core/knowledge/knowledge-base.js";
import { citation } from "../../core/search/answer.js";
import { CHARTER_LIKE, REGULATION_LIKE } from "../../ingest/fixture-documents.js";
import { ingestPaths } from "../../ingest/pipeline.js";
import { attachQuestions, formatQuestionReports } from "../../ingest/questions.js";

let dir: string;
let store: Store;
let kb: KnowledgeBase;
let report: string[];

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "sotay-questions-"));
  fs.mkdirSync(path.join(dir, "docs"));
  fs.mkdirSync(path.join(dir, "questions"));
  fs.writeFileSync(path.join(dir, "docs", "dieu-le-mau.txt"), CHARTER_LIKE);
  fs.writeFileSync(path.join(dir, "docs", "qd999-mau.txt"), REGULATION_LIKE);
  fs.writeFileSync(
    path.join(dir, "questions", "dieu-le.txt"),
    [
      "tài liệu: Điều lệ Đảng",
      "Điều 2 = Thời kỳ dự bị và công nhận chính thức",
      "Điều 2, khoản 1 | lên chính thức phải chờ mấy tháng",
      "Điều 3, khoản 2 | chi ủy một năm họp mấy lần",
      "Điều 9, khoản 1 | điều không có",
      "Điều 1 | nhiều đoạn",
    ].join("\n"),
  );
  fs.writeFileSync(path.join(dir, "questions", "qd999.txt"), ["tài liệu: 999-QĐ/TW", "2.1 | làm rơi mất thẻ thì báo ai"].join("\n"));
  fs.writeFileSync(path.join(dir, "amendments.txt"), "999-QĐ/TW | 1.2 a | Điều lệ Đảng | Điều 2, khoản 2\n");
  const config = loadConfig({ DATA_DIR: path.join(dir, "data"), LOG_LEVEL: "silent", QUESTIONS_DIR: path.join(dir, "questions"), AMENDMENTS_FILE: path.join(dir, "amendments.txt") });
  store = await openStore(config);
  kb = await KnowledgeBase.open(config, { logger: pino({ level: "silent" }), store });
  await ingestPaths([path.join(dir, "docs")], kb);
  report = formatQuestionReports(await attachQuestions(kb, config.QUESTIONS_DIR));
});

afterAll(async () => {
  await kb.close();
  await store.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("questions attached to sections", () => {
  it("reports how many attached per file, and every line that did not, with its line number and why", () => {
    expect(report).toContain("questions dieu-le.txt: 3 attached to dieu-le-mau.txt, 1 section titles, 1 line(s) not attached");
    expect(report).toContain('  dieu-le.txt:5: section "Điều 9, khoản 1" is not in dieu-le-mau.txt (renumbered, or mistyped?)');
    expect(report).toContain("questions qd999.txt: 1 attached to qd999-mau.txt, 0 section titles, 0 line(s) not attached");
  });

  it("finds a section through a question asked of it, in words its text does not use", async () => {
    // "bao lâu họp một lần": the clause says "họp thường lệ mỗi tháng một lần".
    const r = await kb.search("chi uy bao lau phai hop mot lan vay", { k: 3 });
    expect(r.mode).not.toBe("none");
    expect(r.passages[0]!.text).toContain("Chi uỷ họp thường lệ mỗi tháng một lần");
    expect(citation(r.passages[0]!)).toMatch(/^Điều lệ Đảng, Điều 3\b/);
  });

  it("names a section by the title its question file gives it, where the document gives none", async () => {
    const r = await kb.retrieve("thời kỳ dự bị mười hai tháng", 5);
    const clause = r.hits.find((h) => h.text.includes("thời kỳ dự bị mười hai tháng"))!;
    expect(clause.subject).toBe("Thời kỳ dự bị và công nhận chính thức");
  });

  it("cites a regulation's unit by its number", async () => {
    const r = await kb.search("làm rơi mất thẻ đảng viên thì báo ai", { k: 3 });
    expect(citation(r.passages[0]!)).toMatch(/^Quy định 999-QĐ\/TW, mục 2\b/);
  });

  it("quotes the newer rule before the Charter's when data/amendments.txt says it changed it", async () => {
    const r = await kb.retrieve("hết dự bị thì chi bộ xét công nhận chính thức trong bao nhiêu ngày", 3);
    if (r.mode === "answer" && r.note === "amended") {
      expect(citation(r.hits[0]!)).toMatch(/^Quy định 999-QĐ\/TW, mục 1\.2/);
      expect(citation(r.hits[1]!)).toMatch(/^Điều lệ Đảng, Điều 2/);
    } else {
      // Not committed to one answer: both rules are offered.
      expect(r.hits.slice(0, 3).map((h) => citation(h))).toEqual(expect.arrayContaining([expect.stringMatching(/^Quy định 999-QĐ\/TW, mục 1\.2/)]));
    }
  });

  it("says not found for a question outside the handbook's subject", async () => {
    expect((await kb.search("làm hộ chiếu ở đâu")).mode).toBe("none");
  });
});
