import { describe, expect, it } from "vitest";
import { documentLabel, findMentions, parseDocumentNumber } from "./document-names.js";

const charter = { title: "Điều lệ Đảng Cộng sản Việt Nam", number: null, docType: "Điều lệ" };
const qd294 = { title: "Quy định thi hành Điều lệ Đảng", number: "294-QĐ/TW", docType: "Quy định" };
const hd06 = { title: "Hướng dẫn một số vấn đề cụ thể thi hành Điều lệ Đảng", number: "06-HD/TW", docType: "Hướng dẫn" };
const qd24 = { title: "Quy định số 24-QĐ/TW ngày 30/7/2021", number: "24-QĐ/TW" };
const docs = [charter, qd294, hd06, qd24];

/** The names found in `text`, as written there, with the document's label. */
const named = (text: string) => findMentions(text, docs).map((m) => [text.slice(m.start, m.end), documentLabel(m.document)]);

describe("reading a số hiệu", () => {
  it("takes the number and kind, not a date", () => {
    expect(parseDocumentNumber("Quy định số 24-QĐ/TW ngày 30/7/2021")).toEqual({ n: 24, code: "qd" });
    expect(parseDocumentNumber("06-HD/TW")).toEqual({ n: 6, code: "hd" });
    expect(parseDocumentNumber("ngày 30/7/2021")).toBeUndefined();
  });
});

describe("where a text names a document", () => {
  it("by type and number, abbreviation, full number, accents and zeros optional", () => {
    expect(named("mục 3.5 Quy định 294")).toEqual([["Quy định 294", "Quy định 294-QĐ/TW"]]);
    expect(named("theo quy dinh so 294-QĐ/TW")).toEqual([["quy dinh so 294-QĐ/TW", "Quy định 294-QĐ/TW"]]);
    expect(named("QĐ294 nói gì")).toEqual([["QĐ294", "Quy định 294-QĐ/TW"]]);
    expect(named("xem 294-qđ/tw")).toEqual([["294-qđ/tw", "Quy định 294-QĐ/TW"]]);
    expect(named("Hướng dẫn 6 mục 1")).toEqual([["Hướng dẫn 6", "Hướng dẫn 06-HD/TW"]]);
  });

  it("never a longer or shorter number: Quy định 24 is not Quy định 294", () => {
    expect(named("Quy định 24 nói gì về tuổi đảng")).toEqual([["Quy định 24", "24-QĐ/TW"]]);
    expect(named("Quy định 2941")).toEqual([]);
    expect(named("Quy định 294.5")).toEqual([]);
  });

  it("the Charter by its usual names, but not the Charter of another organisation", () => {
    expect(named("Điều 5 Điều lệ")).toEqual([["Điều lệ", "Điều lệ Đảng"]]);
    expect(named("dieu 24 dieu le dang")).toEqual([["dieu le dang", "Điều lệ Đảng"]]);
    expect(named("Điều lệ Đoàn quy định gì")).toEqual([]);
  });

  it("a name inside a longer one counts once, as the longer one", () => {
    expect(named("mục 4 Quy định thi hành Điều lệ Đảng")).toEqual([["Quy định thi hành Điều lệ Đảng", "Quy định 294-QĐ/TW"]]);
  });
});
