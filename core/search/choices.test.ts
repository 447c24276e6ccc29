import { describe, expect, it } from "vitest";
import { distinctChoices } from "./retriever.js";

describe("distinctChoices", () => {
  const label = (s: { cite: string }) => s.cite;

  it("offers a citation once and lets the next section take the place", () => {
    // One regulation stored twice (its PDF and its text): the member would see the same choice twice.
    const sections = [
      { id: 1, cite: "Quy định 294-QĐ/TW, mục 3.5.2–3.5.4" },
      { id: 2, cite: "Quy định 294-QĐ/TW, mục 3.5.2–3.5.4" },
      { id: 3, cite: "Điều lệ Đảng, Điều 5, khoản 1" },
      { id: 4, cite: "Hướng dẫn 06-HD/TW, mục 3.1" },
    ];
    expect(distinctChoices(sections, 3, label).map((s) => s.id)).toEqual([1, 3, 4]);
  });

  it("offers fewer when fewer distinct ones exist, and keeps the order", () => {
    const sections = [{ id: 5, cite: "a" }, { id: 6, cite: "a" }, { id: 7, cite: "b" }];
    expect(distinctChoices(sections, 3, label).map((s) => s.id)).toEqual([5, 7]);
    expect(distinctChoices(sections, 1, label).map((s) => s.id)).toEqual([5]);
  });
});
