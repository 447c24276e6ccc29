import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { loadConfig } from "../config.js";
import { sampleDoc } from "./sample-docs.testkit.js";
import { closeKnowledgeBases, openTestKnowledgeBase } from "./open-kb.testkit.js";

// Own wording: one passage answers, the others share the question's "dự bị", "tháng", "xét"
// without being about a probationary party member.
const PROBATION = sampleDoc("du-bi-mau.md", "Hướng dẫn mẫu về đảng viên dự bị", [
  { heading: "1. Lớp dự bị", text: "Học viên lớp dự bị đại học học tám tháng; hết khóa, nhà trường xét chuyển lên chính khóa." },
  { heading: "2. Công nhận chính thức", text: "Hết mười hai tháng dự bị, đảng viên được chi bộ xét công nhận chính thức. Chi bộ họp vào cuối tháng." },
  { heading: "3. Quân nhân dự bị", text: "Quân nhân dự bị được gọi tập trung huấn luyện mỗi năm không quá hai tháng; xét miễn gọi theo luật." },
  { heading: "4. Sinh hoạt", text: "Đảng viên sinh hoạt chi bộ mỗi tháng một lần, tại nơi làm việc." },
]);

const FULL = "Đảng viên dự bị được bao nhiêu tháng thì xét chính thức?";
const CHAT = "dv du bi dc bn thang thi xet chinh thuc";

afterEach(closeKnowledgeBases);

async function kbWith(abbreviationsFile?: string) {
  const config = loadConfig({
    DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), "sotay-abbr-")),
    LOG_LEVEL: "silent",
    ...(abbreviationsFile ? { ABBREVIATIONS_FILE: abbreviationsFile } : {}),
  });
  const { kb } = await openTestKnowledgeBase(config);
  expect(await kb.upsert(PROBATION)).toBe("added");
  return kb;
}

describe("KnowledgeBase with chat abbreviations", () => {
  it("finds the same passage for an abbreviated unaccented question as for the full one", async () => {
    const kb = await kbWith();
    const full = await kb.search(FULL, { k: 3 });
    const chat = await kb.search(CHAT, { k: 3 });
    expect(full.passages[0]!.heading).toBe("2. Công nhận chính thức");
    expect(chat.mode).not.toBe("none");
    expect(chat.passages[0]!.passageId).toBe(full.passages[0]!.passageId);
  });

  it("highlights the same sentence and keeps the member's question as typed", async () => {
    const kb = await kbWith();
    const full = await kb.answer(FULL);
    const chat = await kb.answer(CHAT);
    expect(chat.highlights[0]!.sentence).toBe(full.highlights[0]!.sentence);
    expect(chat.highlights[0]!.sentence).toContain("mười hai tháng");
    expect(chat.question).toBe(CHAT);
  });

  it("reads the abbreviations as words, and as unknown tokens when the file is missing", async () => {
    const withFile = await (await kbWith()).retrieve(CHAT, 3);
    expect(withFile.missing.map((m) => m.word)).not.toContain("dv");
    const without = await (await kbWith(path.join(os.tmpdir(), "no-such-abbreviations.txt"))).retrieve(CHAT, 3);
    expect(without.missing.map((m) => m.word)).toContain("dv");
  });
});
