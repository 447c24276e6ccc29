import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { collapseSpace } from "../core/text/vietnamese.js";
import { balancedGroups, chunkDocument, MAX_PASSAGE_CHARS } from "./chunker.js";
import { documentLabel, extractMetadata } from "./metadata.js";

import { CORPUS_DIR as CORPUS, HAS_CORPUS, NEEDS_CORPUS } from "../test/support/shared-corpus.js";
import { CHARTER_LIKE } from "./fixture-documents.js";
const QD294 = "qd294-tw-2025-thi-hanh-dieu-le-dang.txt";
const HD06 = "hd06-tw-2025-mot-so-van-de-cu-the-thi-hanh-dieu-le-dang.txt";
const HANOI = "hd-btctu-hanoi-2025-nghiep-vu-cong-tac-to-chuc-dang-va-dang-vien.txt";
const HUYHIEU = "hd-btctu-hanoi-2025-trao-tang-huy-hieu-dang.txt";

function chunkCorpusFile(name: string) {
  const { meta, body } = extractMetadata(fs.readFileSync(path.join(CORPUS, name), "utf8"), name);
  return { meta, body, passages: chunkDocument(body, { label: documentLabel(meta) }) };
}

const passageWith = <P extends { text: string }>(passages: P[], quote: string) =>
  passages.find((p) => collapseSpace(p.text).includes(collapseSpace(quote)));

describe.skipIf(!HAS_CORPUS)(`chunking the real corpus documents ${NEEDS_CORPUS}`, () => {
  const docs = HAS_CORPUS ? [QD294, HD06, HANOI, HUYHIEU].map((name) => ({ name, ...chunkCorpusFile(name) })) : [];

  it("keeps every passage within 1,200 characters and none empty", () => {
    for (const doc of docs) {
      expect(doc.passages.length).toBeGreaterThan(10);
      for (const p of doc.passages) {
        expect(p.text.length).toBeLessThanOrEqual(MAX_PASSAGE_CHARS);
        expect(collapseSpace(p.text).length).toBeGreaterThan(0);
      }
    }
  });

  it("puts only the document's own words in passages, and loses none of them", () => {
    for (const doc of docs) {
      const body = collapseSpace(doc.body.replace(/[-_=*–—]{3,}/g, " "));
      for (const p of doc.passages) expect(body).toContain(collapseSpace(p.text));
      // Every word of the body is in some passage, in order (overlap only repeats words).
      const words = body.split(" ");
      const covered = doc.passages.map((p) => collapseSpace(p.text)).join(" ");
      for (const w of words) expect(covered).toContain(w);
      expect(covered.length).toBeGreaterThanOrEqual(body.length - 5);
    }
  });

  it("cites Quy định 294 by its number and numbered units", () => {
    const qd = docs[0]!;
    expect(qd.meta).toMatchObject({ number: "294-QĐ/TW", docType: "Quy định", title: "Quy định thi hành Điều lệ Đảng" });
    const age = passageWith(qd.passages, "người vào Đảng phải đủ 18 tuổi đến đủ 60 tuổi (tính theo tháng)")!;
    expect(age.heading).toMatch(/^Quy định 294-QĐ\/TW › 1\. Điều 1 .*› 1\.1\b/);
    expect(age.text).toContain("1.1.1. Tại thời điểm chi bộ xét kết nạp");

    const partyAge = passageWith(qd.passages, "tuổi đảng của đảng viên được tính từ ngày cấp có thẩm quyền ra quyết định kết nạp")!;
    expect(partyAge.heading).toContain("4. Điều 5");
    expect(partyAge.heading).toContain("4.5");

    const readmit = passageWith(qd.passages, "Ít nhất là 36 tháng kể từ khi ra khỏi Đảng")!;
    expect(readmit.heading).toMatch(/3\.5\.1.*b\)/);
  });

  it("cites the Hà Nội guide by Phần, letter and Roman sections", () => {
    const hn = docs[2]!;
    const p = passageWith(hn.passages, "Trên cơ sở đề nghị của cấp ủy cơ sở (nơi doanh nghiệp có trụ sở chính)")!;
    expect(p.heading).toMatch(/Phần thứ hai › A\. › I\. › .*4\.4.*› 4\.4\.3/);
    const huy = passageWith(docs[3]!.passages, "Các đơn vị gửi hồ sơ đề nghị tặng, truy tặng Huy hiệu Đảng")!;
    expect(huy.heading).toMatch(/› I\. Thời gian thực hiện trao tặng Huy hiệu Đảng/);
  });

  it("never mixes two top-level sections in one passage", () => {
    const topLevel = (doc: (typeof docs)[number], re: RegExp) =>
      new Set(doc.body.split("\n").map((l) => l.trim()).filter((l) => re.test(l)));
    const check = (doc: (typeof docs)[number], re: RegExp, expected: number) => {
      const headings = topLevel(doc, re);
      expect(headings.size).toBe(expected);
      for (const p of doc.passages) {
        const inside = p.text.split("\n").filter((l) => headings.has(l));
        expect(inside.length, p.text.slice(0, 120)).toBeLessThanOrEqual(1);
        if (inside.length === 1) expect(p.text.startsWith(inside[0]!)).toBe(true);
      }
    };
    check(docs[0]!, /^\d{1,2}\. /, 33); // Quy định 294: sections 1 to 33
    check(docs[2]!, /^PHẦN THỨ /, 3); // Hà Nội guide: three parts
    check(docs[3]!, /^[IV]+\. /, 5); // Huy hiệu guide: I to V
  });

  it("keeps each quote of the evaluation set inside one passage", () => {
    const dev = fs
      .readFileSync(path.join(CORPUS, "..", "eval", "dev.jsonl"), "utf8")
      .split("\n")
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { doc: string | null; answer_quote: string | null });
    const byName = new Map(docs.map((d) => [d.name, d]));
    for (const q of dev) {
      if (!q.doc || !q.answer_quote) continue;
      expect(passageWith(byName.get(q.doc)!.passages, q.answer_quote), q.answer_quote).toBeDefined();
    }
  });

  it("gives an NFD copy exactly the passages of the NFC original", () => {
    const { meta, body } = chunkCorpusFile(HD06);
    const nfc = chunkDocument(body, { label: documentLabel(meta) });
    const nfd = chunkDocument(body.normalize("NFD"), { label: documentLabel(meta) });
    expect(body.normalize("NFD")).not.toBe(body);
    expect(nfd).toEqual(nfc);
  });
});

describe.skipIf(!HAS_CORPUS)(`the Party Charter ${NEEDS_CORPUS}`, () => {
  const charter = HAS_CORPUS ? chunkCorpusFile("dieu-le-dang-2011.txt") : undefined;

  it("reads its articles and clauses and cites them as members do", () => {
    const { meta, passages } = charter!;
    expect(documentLabel(meta)).toBe("Điều lệ Đảng");
    const probation = passageWith(passages, "Người được kết nạp vào Đảng phải trải qua thời kỳ dự bị mười hai tháng")!;
    expect(probation.locator).toBe("Điều 5, khoản 1");
    expect(probation.sections).toContain("ch1/d5/n1");
    expect(probation.heading).toBe("Điều lệ Đảng › Chương I › Điều 5. › 1");
    const quorum = passageWith(passages, "Đại hội chỉ hợp lệ khi có ít nhất hai phần ba số đại biểu")!;
    expect(quorum.locator).toMatch(/^Điều 11, khoản (\d+–)?6/);
    // Every one of the 48 articles is a section of its own.
    const articles = new Set(passages.flatMap((p) => p.sections ?? []).map((s) => /\/d(\d+)/.exec(s)?.[1]).filter(Boolean));
    expect(articles.size).toBe(48);
  });

  it("keeps the opening part apart, as \"phần mở đầu\"", () => {
    const opening = passageWith(charter!.passages, "lấy chủ nghĩa Mác - Lênin và tư tưởng Hồ Chí Minh làm nền tảng tư tưởng")!;
    expect(opening.locator).toBe("phần mở đầu");
    expect(opening.sections).toEqual(["mo-dau"]);
  });
});

describe("a charter's structure: bare articles, clauses, the opening part", () => {
  const { meta, body } = extractMetadata(CHARTER_LIKE, "dieu-le-mau.txt");
  const passages = chunkDocument(body, { label: documentLabel(meta), mergeChars: 60 });

  it("cites an article's clause as \"Điều N, khoản M\" under the label \"Điều lệ Đảng\"", () => {
    expect(documentLabel(meta)).toBe("Điều lệ Đảng");
    const p = passageWith(passages, "phải trải qua thời kỳ dự bị mười hai tháng")!;
    expect(p).toMatchObject({ locator: "Điều 2, khoản 1", sectionPath: "ch1/d2/n1", subject: "Đảng viên" });
    expect(p.heading).toBe("Điều lệ Đảng › Chương I › Điều 2. › 1");
    expect(passageWith(passages, "Chi uỷ họp thường lệ")!.locator).toBe("Điều 3, khoản 2");
  });

  it("takes a chapter's title from the line after \"Chương I\"", () => {
    const p = passageWith(passages, "Chi bộ được lập khi có từ ba đảng viên chính thức")!;
    expect(p.subject).toBe("Tổ chức cơ sở");
  });

  it("names the text before the first chapter the opening part", () => {
    const p = passageWith(passages, "hoạt động theo nguyên tắc tập trung dân chủ")!;
    expect(p).toMatchObject({ locator: "phần mở đầu", sectionPath: "mo-dau" });
  });
});

describe("structure recognition", () => {
  const chunk = (text: string, max?: number) => chunkDocument(text, { label: "Tài liệu", maxChars: max });

  it("does not take a numbered list in running text, a date or an amount for a section", () => {
    const text = [
      "1. Về đảng phí",
      "1.1. Mức đóng",
      "Đảng viên đóng theo các bước sau:",
      "1. Kê khai thu nhập hằng tháng.",
      "2. Nộp cho chi bộ trước ngày 26/5/2025.",
      "1.000 đồng là mức tối thiểu.",
      "1.2. Thời hạn",
      "Nộp hằng tháng.",
      "2. Về thẻ đảng viên",
      "Thẻ do Ban Bí thư quy định.",
    ].join("\n");
    const passages = chunkDocument(text, { label: "Tài liệu", mergeChars: 10 });
    const headings = passages.map((p) => p.heading);
    expect(headings).toEqual(["Tài liệu › 1. Về đảng phí › 1.1", "Tài liệu › 1. Về đảng phí › 1.2", "Tài liệu › 2"]);
    expect(passages[0]!.text).toContain("2. Nộp cho chi bộ trước ngày 26/5/2025.\n1.000 đồng là mức tối thiểu.");
  });

  it("recognises Chương and Điều with khoản and điểm", () => {
    const text = [
      "Chương I",
      "NHỮNG QUY ĐỊNH CHUNG",
      "Điều 1. Phạm vi điều chỉnh",
      "Quy định này áp dụng cho chi bộ.",
      "Điều 2. Giải thích từ ngữ",
      "1. Đảng viên là người đã được kết nạp.",
      "2. Chi bộ gồm:",
      "a) Chi bộ cơ sở;",
      "b) Chi bộ trực thuộc.",
      "Chương II",
      "TỔ CHỨC THỰC HIỆN",
      "Điều 3. Hiệu lực",
      "Có hiệu lực từ ngày ký.",
    ].join("\n");
    const passages = chunkDocument(text, { label: "Quy chế 1-QC/X", mergeChars: 40 });
    const heading = (quote: string) => passageWith(passages, quote)!.heading;
    expect(heading("Chi bộ trực thuộc")).toBe("Quy chế 1-QC/X › Chương I › Điều 2. Giải thích từ ngữ › 2. Chi bộ gồm › b)");
    expect(heading("Có hiệu lực từ ngày ký")).toBe("Quy chế 1-QC/X › Chương II › Điều 3. Hiệu lực");
  });

  it("splits a long unit at sentence ends, repeating one short sentence, never cutting a sentence", () => {
    const sentences = Array.from({ length: 40 }, (_, i) => `Câu số ${i + 1} nói về việc sinh hoạt chi bộ định kỳ hằng tháng.`);
    const text = `1. Sinh hoạt chi bộ\n${sentences.join(" ")}`;
    const passages = chunk(text, 600);
    expect(passages.length).toBeGreaterThan(3);
    for (const p of passages) {
      expect(p.text.length).toBeLessThanOrEqual(600);
      expect(p.heading).toBe("Tài liệu › 1");
    }
    for (const s of sentences) expect(passageWith(passages, s)).toBeDefined();
    // consecutive pieces share one sentence
    const first = passages[0]!.text.split(/(?<=\.)\s/).at(-1)!;
    expect(passages[1]!.text.startsWith(first)).toBe(true);
    expect(passages[0]!.text.startsWith("1. Sinh hoạt chi bộ")).toBe(true);
  });

  it("groups evenly instead of leaving a scrap", () => {
    const groups = balancedGroups([400, 400, 400, 100], (n) => n, 1000);
    expect(groups).toEqual([[400, 400], [400, 100]]);
    expect(balancedGroups([1500, 10], (n) => n, 1000)).toEqual([[1500], [10]]);
  });
});
