import { describe, expect, it } from "vitest";
import { documentsDeclared, inForceSuccessor, parseReplacesField, replacedDocumentIds, replacementOf, resolveReplacements, type DocumentKey } from "./replacements.js";

const doc = (id: number, source: string, title: string, number: string | null, issuedOn: string | null = null): DocumentKey => ({
  id,
  source,
  title,
  number,
  docType: number ? "Quy định" : "Điều lệ",
  issuedOn,
});
const charter = doc(1, "dieu-le.txt", "Điều lệ Đảng Cộng sản Việt Nam", null);
const old24 = doc(2, "qd24.txt", "Quy định thi hành Điều lệ Đảng (2021)", "24-QĐ/TW", "30/7/2021");
const new294 = doc(3, "qd294.txt", "Quy định thi hành Điều lệ Đảng", "294-QĐ/TW", "26/5/2025");
const local24 = doc(4, "qd24-tu.txt", "Quy định của Thành ủy", "24-QĐ/TU");
const docs = [charter, old24, new294, local24];

describe("declarations of what a document replaces", () => {
  it("splits a THAY THẾ value at semicolons, keeping the commas of one document's name", () => {
    expect(parseReplacesField("Quy định số 24-QĐ/TW, ngày 30/7/2021; Hướng dẫn số 01-HD/TW.")).toEqual(["Quy định số 24-QĐ/TW, ngày 30/7/2021", "Hướng dẫn số 01-HD/TW"]);
    expect(parseReplacesField("  ")).toEqual([]);
  });

  it("name the stored document by its number (issuer included), file name or title, never one it merely mentions", () => {
    expect(documentsDeclared("Quy định số 24-QĐ/TW ngày 30/7/2021", docs)).toEqual([old24]);
    expect(documentsDeclared("24-QĐ/TU", docs)).toEqual([local24]);
    expect(documentsDeclared("qd24.txt", docs)).toEqual([old24]);
    expect(documentsDeclared("Điều lệ Đảng Cộng sản Việt Nam", docs)).toEqual([charter]);
    // "… thi hành Điều lệ Đảng" mentions the Charter further on: it does not replace it.
    expect(documentsDeclared("Quy định 21 về thi hành Điều lệ Đảng", docs)).toEqual([]);
  });

  it("count while the newer document is stored; a chain leads to the document in force", () => {
    const rows = [
      { newerSource: "qd294.txt", older: "Quy định số 24-QĐ/TW ngày 30/7/2021", origin: "document" },
      { newerSource: "qd294.txt", older: "Quy định số 45-QĐ/TW", origin: "document" },
      { newerSource: "gone.txt", older: "qd24-tu.txt", origin: "cli" },
    ];
    const resolved = resolveReplacements(docs, rows);
    expect(resolved.map((r) => [r.declared, r.older?.source, r.newer.source])).toEqual([
      ["Quy định số 24-QĐ/TW ngày 30/7/2021", "qd24.txt", "qd294.txt"],
      ["Quy định số 45-QĐ/TW", undefined, "qd294.txt"],
    ]);
    expect([...replacedDocumentIds(resolved)]).toEqual([2]);
    const newer = doc(5, "qd300.txt", "Quy định mới", "300-QĐ/TW", "01/01/2027");
    const chain = resolveReplacements([...docs, newer], [...rows, { newerSource: "qd300.txt", older: "294-QĐ/TW", origin: "cli" }]);
    expect(inForceSuccessor(chain, replacementOf(chain, 2)!).source).toBe("qd300.txt");
  });
});
