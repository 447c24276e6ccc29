import { describe, expect, it } from "vitest";
import { plainText, segments, splitText } from "./format.js";

describe("formatting", () => {
  it("parses bold runs and leaves an unmatched ** literal", () => {
    expect(segments("a **b** c")).toEqual([
      { text: "a ", bold: false },
      { text: "b", bold: true },
      { text: " c", bold: false },
    ]);
    expect(plainText("5 ** 2")).toBe("5 ** 2");
  });

  it("splits at paragraph, then sentence boundaries, within the limit", () => {
    const para = "Câu thứ nhất khá dài về sinh hoạt chi bộ. Câu thứ hai cũng vậy, nói về đảng phí.";
    const text = `${para}\n\n${para}\n\n${para}`;
    const parts = splitText(text, 100);
    for (const p of parts) expect(p.length).toBeLessThanOrEqual(100);
    expect(parts[0]).toBe(para);
    const tiny = splitText(para, 50);
    expect(tiny[0]).toBe("Câu thứ nhất khá dài về sinh hoạt chi bộ.");
  });

  it("keeps bold balanced across a cut", () => {
    const text = `**${"chữ đậm ".repeat(30).trim()}** và thường`;
    const parts = splitText(text, 100);
    expect(parts.length).toBeGreaterThan(1);
    for (const p of parts) {
      expect(p.length).toBeLessThanOrEqual(100);
      expect((p.match(/\*\*/g) ?? []).length % 2).toBe(0);
    }
    expect(parts.map(plainText).join(" ")).toBe(plainText(text));
  });

  it("cuts a word longer than the limit without losing characters", () => {
    const word = "x".repeat(250);
    const parts = splitText(word, 100);
    expect(parts.join("")).toBe(word);
  });
});
