import { describe, expect, it } from "vitest";
import { findReferences, mayHoldReference, topDown } from "./references.js";

const charter = { name: "charter", title: "Điều lệ Đảng Cộng sản Việt Nam", number: null, docType: "Điều lệ" };
const qd294 = { name: "qd294", title: "Quy định thi hành Điều lệ Đảng", number: "294-QĐ/TW", docType: "Quy định" };
const docs = [charter, qd294];
const refs = (text: string) => findReferences(text, docs).map((r) => [r.documents.map((d) => d.name).join("+"), r.pieces.join(" | ")]);

describe("exact references in a message", () => {
  it("reads a section marker next to a document's name, as the issue writes them", () => {
    expect(refs("Điều 5 Điều lệ")).toEqual([["charter", "Điều 5"]]);
    expect(refs("khoản 2 Điều 8 Điều lệ Đảng")).toEqual([["charter", "khoản 2 | Điều 8"]]);
    expect(refs("mục 3.5 Quy định 294")).toEqual([["qd294", "mục 3.5"]]);
    expect(refs("dieu 24 dieu le")).toEqual([["charter", "dieu 24"]]);
  });

  it("reads the document first, connecting words, several references, and a question around them", () => {
    expect(refs("Điều lệ Đảng, Điều 5, khoản 1")).toEqual([["charter", "Điều 5 | khoản 1"]]);
    expect(refs("Điều 5 của Điều lệ Đảng nói gì?")).toEqual([["charter", "Điều 5"]]);
    expect(refs("Điều 5 và Điều 6 Điều lệ")).toEqual([["charter", "Điều 5"], ["charter", "Điều 6"]]);
    expect(refs("Quy định 294, mục 4.5.1 điểm b")).toEqual([["qd294", "mục 4.5.1 | điểm b"]]);
    expect(refs("mục III, 2 Quy định 294")).toEqual([["qd294", "mục III, 2"]]);
  });

  it("is no reference without both a document and a marker: those are questions for the search", () => {
    expect(refs("Điều lệ quy định gì về đảng phí?")).toEqual([]);
    expect(refs("Điều 5 nói gì?")).toEqual([]);
    expect(refs("Điều kiện vào Đảng theo Điều lệ")).toEqual([]);
    expect(refs("chương trình học Điều lệ Đảng")).toEqual([]);
    expect(refs("điểm danh buổi học Điều lệ")).toEqual([]);
    expect(refs("Theo Điều lệ, chi bộ có 3 đảng viên thì bầu ai?")).toEqual([]);
    expect(mayHoldReference("đảng phí bao nhiêu")).toBe(false);
    expect(mayHoldReference("khoản 2 điều 8")).toBe(true);
  });

  it("orders the pieces from the top unit down, as section paths read", () => {
    expect(topDown(["khoản 2", "Điều 8"])).toEqual(["Điều 8", "khoản 2"]);
    expect(topDown(["điểm a", "khoản 1", "Điều 4"])).toEqual(["Điều 4", "khoản 1", "điểm a"]);
    expect(topDown(["mục 4.5.1", "điểm b"])).toEqual(["mục 4.5.1", "điểm b"]);
  });
});
