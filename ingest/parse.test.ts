import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { PROJECT_ROOT } from "../core/config.js";
import { collapseSpace } from "../core/text/vietnamese.js";
import { IngestError } from "./errors.js";
import { parseFile } from "./parse.js";
import { htmlToText } from "./readers.js";
import { minimalDocx, minimalPdf, pdfTextLines } from "./test-fixtures.js";

import { CORPUS_DIR as CORPUS, HAS_CORPUS, NEEDS_CORPUS } from "../test/support/shared-corpus.js";
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "ingest-parse-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function write(name: string, content: string | Buffer): string {
  const file = path.join(tmp, name);
  fs.writeFileSync(file, content);
  return file;
}

async function failure(file: string): Promise<IngestError> {
  const error = await parseFile(file).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(IngestError);
  return error as IngestError;
}

const collapsed = (doc: { passages: { text: string }[] }) => doc.passages.map((p) => collapseSpace(p.text));

describe.skipIf(!HAS_CORPUS)(`PDF and text versions of the same document ${NEEDS_CORPUS}`, () => {
  it("give the same passages and headings for Quy định 294", async () => {
    const pdf = await parseFile(path.join(CORPUS, "pdf", "quydinh294.pdf"));
    const txt = await parseFile(path.join(CORPUS, "qd294-tw-2025-thi-hanh-dieu-le-dang.txt"));
    expect(pdf.format).toBe("pdf");
    // Metadata read from the letterhead of the PDF (the text file has a header block instead).
    expect(pdf).toMatchObject({ number: "294-QĐ/TW", docType: "Quy định", title: "Quy định thi hành Điều lệ Đảng", issuedOn: "26/5/2025", issuer: "Ban Chấp hành Trung ương" });
    expect(collapsed(pdf)).toEqual(collapsed(txt));
    expect(pdf.passages.map((p) => p.heading)).toEqual(txt.passages.map((p) => p.heading));
  });

  it("agree on nearly all passages for Hướng dẫn 06", async () => {
    const pdf = await parseFile(path.join(CORPUS, "pdf", "huongdan06.pdf"));
    const txt = await parseFile(path.join(CORPUS, "hd06-tw-2025-mot-so-van-de-cu-the-thi-hanh-dieu-le-dang.txt"));
    expect(pdf).toMatchObject({ number: "06-HD/TW", docType: "Hướng dẫn", issuedOn: "09/6/2025", issuer: "Ban Bí thư" });
    // Not all: the text file moved the signature ("T/M BAN BÍ THƯ") before the last
    // paragraph's end and the recipients list, where the PDF's text layer has it after them.
    const txtSet = new Set(collapsed(txt));
    const same = collapsed(pdf).filter((t) => txtSet.has(t)).length;
    expect(pdf.passages.length).toBe(txt.passages.length);
    expect(same / txt.passages.length).toBeGreaterThan(0.95);
  });

  it("reads a Hà Nội guide's letterhead: issuer, month, title (no number given)", async () => {
    const pdf = await parseFile(path.join(CORPUS, "pdf", "huongdan21.pdf"));
    expect(pdf.number).toBeUndefined();
    expect(pdf).toMatchObject({
      title: "Hướng dẫn thực hiện quy trình, thủ tục, tổ chức trao tặng Huy hiệu Đảng",
      issuer: "Ban Tổ chức Thành uỷ Hà Nội",
      issuedOn: "8/2025",
    });
    expect(pdf.passages[0]!.heading).toBe(pdf.title);
  });

  it("drops page numbers and joins wrapped lines of a small hand-made PDF", async () => {
    const file = write(
      "small.pdf",
      minimalPdf(pdfTextLines(["1. Dieu 1: Tuoi doi", "1.1. Nguoi vao Dang phai du 18 tuoi.", "1.2. Hoc van tot nghiep", "trung hoc co so.", "2"])),
    );
    const doc = await parseFile(file);
    const text = doc.passages.map((p) => p.text).join("\n");
    expect(collapseSpace(text)).toBe("1. Dieu 1: Tuoi doi 1.1. Nguoi vao Dang phai du 18 tuoi. 1.2. Hoc van tot nghiep trung hoc co so.");
  });
});

describe("Unicode normal form", () => {
  it("gives an NFD file exactly the passages and metadata of its NFC version", async () => {
    // The sample handbook's page on the badge (this project's own text, so a fresh clone has it).
    const nfcText = fs.readFileSync(path.join(PROJECT_ROOT, "data", "handbook", "07-huy-hieu-dang.md"), "utf8").normalize("NFC");
    const a = await parseFile(write("huy-hieu.md", nfcText));
    fs.mkdirSync(path.join(tmp, "nfd"), { recursive: true });
    const b = await parseFile(write("nfd/huy-hieu.md", nfcText.normalize("NFD")));
    expect(a.passages.length).toBeGreaterThan(1);
    expect(nfcText.normalize("NFD")).not.toBe(nfcText);
    expect(b.sha256).not.toBe(a.sha256);
    expect(b.passages).toEqual(a.passages);
    expect({ ...b, sha256: "", path: "" }).toEqual({ ...a, sha256: "", path: "" });
  });

  it("names a source given in NFD in NFC", async () => {
    const dir = path.join(tmp, "names");
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, "Đảng phí.txt".normalize("NFD"));
    fs.writeFileSync(file, "1. Đảng phí\nĐóng hằng tháng.");
    expect((await parseFile(file)).source).toBe("Đảng phí.txt".normalize("NFC"));
  });
});

describe("files that cannot be ingested", () => {
  it("reports an empty file", async () => {
    const e = await failure(write("rong.txt", ""));
    expect(e.message).toBe("rong.txt is empty (0 bytes)");
  });

  it("reports binary garbage with a .pdf extension", async () => {
    const e = await failure(write("hong.pdf", Buffer.from(Array.from({ length: 2048 }, (_, i) => (i * 37) % 256))));
    expect(e.message).toMatch(/^hong\.pdf is not a PDF file/);
  });

  it("reports a damaged PDF", async () => {
    const e = await failure(write("cut.pdf", minimalPdf(pdfTextLines(["Hello"])).subarray(0, 60)));
    expect(e.message).toMatch(/^cut\.pdf (is not a readable PDF|has no text layer)/);
  });

  it("reports a PDF without a text layer as scanned", async () => {
    const e = await failure(write("quet.pdf", minimalPdf("0 0 1 rg 20 20 200 200 re f")));
    expect(e.message).toMatch(/^quet\.pdf has no text layer .*scanned PDF; run OCR/);
  });

  it("reports an unsupported type and a missing file", async () => {
    expect((await failure(write("bang.xlsx", "x"))).message).toMatch(/^bang\.xlsx has an unsupported type "\.xlsx" \(supported: .*\.pdf/);
    expect((await failure(path.join(tmp, "khong-co.txt"))).message).toBe("khong-co.txt does not exist");
  });

  it("reports a text file that is really binary", async () => {
    expect((await failure(write("anh.txt", Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0x0d])))).message).toMatch(/^anh\.txt looks like a binary file/);
  });
});

describe("markdown, .docx and .html", () => {
  it("reads markdown front matter, the # title and ## / ### headings", async () => {
    const file = write(
      "dang-phi.md",
      [
        "---",
        "so_hieu: 01-HD/ST",
        "co_quan: Nhóm biên soạn",
        "ngay: 27/11/2026",
        "loai: Sổ tay",
        "---",
        "# Sổ tay: Đảng phí",
        "",
        "## Mức đóng",
        "Đảng viên đóng **1%** tiền lương.",
        "",
        "### Đảng viên nghỉ hưu",
        "Đóng 0,5% lương hưu.",
        "",
        "## Thời hạn",
        "Nộp hằng tháng cho chi bộ, xem [hướng dẫn](https://example.org).",
      ].join("\n"),
    );
    const doc = await parseFile(file);
    expect(doc).toMatchObject({ title: "Sổ tay: Đảng phí", number: "01-HD/ST", issuer: "Nhóm biên soạn", issuedOn: "27/11/2026", docType: "Sổ tay", format: "md" });
    expect(doc.passages.map(({ heading, text }) => ({ heading, text }))).toEqual([
      { heading: "Sổ tay 01-HD/ST › Mức đóng", text: "Mức đóng\nĐảng viên đóng 1% tiền lương.\nĐảng viên nghỉ hưu\nĐóng 0,5% lương hưu." },
      { heading: "Sổ tay 01-HD/ST › Thời hạn", text: "Thời hạn\nNộp hằng tháng cho chi bộ, xem hướng dẫn." },
    ]);
  });

  it("reads a .docx with heading styles", async () => {
    const file = write(
      "huong-dan.docx",
      await minimalDocx([
        { text: "Hướng dẫn sinh hoạt chi bộ", style: "Heading1" },
        { text: "Sinh hoạt định kỳ", style: "Heading2" },
        { text: "Chi bộ sinh hoạt mỗi tháng một lần." },
        { text: "1. Chuẩn bị nội dung" },
        { text: "1.1. Chi ủy họp trước." },
      ]),
    );
    const doc = await parseFile(file);
    expect(doc.format).toBe("docx");
    expect(doc.title).toBe("Hướng dẫn sinh hoạt chi bộ");
    expect(doc.passages.map(({ heading, text }) => ({ heading, text }))).toEqual([
      {
        heading: "Hướng dẫn sinh hoạt chi bộ › Sinh hoạt định kỳ",
        text: "Sinh hoạt định kỳ\nChi bộ sinh hoạt mỗi tháng một lần.\n1. Chuẩn bị nội dung\n1.1. Chi ủy họp trước.",
      },
    ]);
  });

  it("gives Word's automatic numbering back to a .docx, so its items are sections and points", async () => {
    const file = write(
      "quy-che.docx",
      await minimalDocx([
        { text: "Quy chế làm việc của chi bộ", style: "Heading1" },
        { text: "Trách nhiệm của chi ủy", list: 0 },
        { text: "Chuẩn bị nội dung sinh hoạt.", list: 1 },
        { text: "Thông báo cho đảng viên trước 3 ngày.", list: 1 },
        { text: "Trách nhiệm của đảng viên", list: 0 },
        { text: "Dự sinh hoạt đầy đủ.", list: 1 },
      ]),
    );
    const doc = await parseFile(file);
    expect(doc.passages.map((p) => p.text).join("\n")).toBe(
      [
        "1. Trách nhiệm của chi ủy",
        "a) Chuẩn bị nội dung sinh hoạt.",
        "b) Thông báo cho đảng viên trước 3 ngày.",
        "2. Trách nhiệm của đảng viên",
        "a) Dự sinh hoạt đầy đủ.",
      ].join("\n"),
    );
  });

  it("numbers HTML list items as the browser shows them, with <p> inside items and nested lists", () => {
    const html = `<ol><li><p>Chi ủy</p><ol><li>chuẩn bị</li><li>thông báo</li></ol></li><li>Đảng viên</li></ol><ul><li>ghi chú</li></ul><ol type="a" start="5"><li>điểm e</li></ol>`;
    expect(htmlToText(html).text.split("\n")).toEqual(["1. Chi ủy", "a) chuẩn bị", "b) thông báo", "2. Đảng viên", "- ghi chú", "đ) điểm e"]);
  });

  it("reports a .docx that is not a zip", async () => {
    expect((await failure(write("hong.docx", "not a zip"))).message).toMatch(/^hong\.docx is not a readable \.docx file/);
  });

  it("reads HTML headings and paragraphs, skipping scripts and navigation", async () => {
    const file = write(
      "trang.html",
      `<!doctype html><html><head><title>Thẻ đảng viên</title><style>p{color:red}</style></head>
       <body><nav>Trang chủ | Liên hệ</nav><h2>Cấp lại thẻ</h2><p>Khi mất thẻ phải <b>báo cáo ngay</b> với cấp ủy.</p>
       <script>alert("x")</script><ul><li>Làm đơn</li><li>Nộp chi bộ</li></ul></body></html>`,
    );
    const doc = await parseFile(file);
    expect(doc.title).toBe("Thẻ đảng viên");
    expect(doc.passages.map(({ heading, text }) => ({ heading, text }))).toEqual([{ heading: "Thẻ đảng viên › Cấp lại thẻ", text: "Cấp lại thẻ\nKhi mất thẻ phải báo cáo ngay với cấp ủy.\n- Làm đơn\n- Nộp chi bộ" }]);
  });
});
