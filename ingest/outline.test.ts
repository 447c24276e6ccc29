import { describe, expect, it } from "vitest";
import { CHARTER_LIKE } from "./fixture-documents.js";
import { cleanLines } from "./chunker.js";
import { buildOutline, unitText, unitTextLength, type Unit } from "./outline.js";

const walk = (unit: Unit): Unit[] => [unit, ...unit.children.flatMap(walk)];

describe("the outline of a long document", () => {
  // Thousands of articles side by side, as in a large law or a compiled handbook.
  const lines: string[] = [];
  for (let n = 1; n <= 3000; n++) lines.push(`Điều ${n}. Quy định số ${n}`, `1. Khoản thứ nhất của điều ${n}.`, `2. Khoản thứ hai của điều ${n}.`);

  it("checks each number against the last sibling of its own kind, however many siblings came before", () => {
    const root = buildOutline([...lines, "Điều 17. Trích dẫn lại một điều cũ", "Điều 3001. Điều cuối"]);
    expect(root.children).toHaveLength(3001);
    expect(root.children.at(-1)!.marker).toBe("Điều 3001.");
    // "Điều 17." after Điều 3000 is out of sequence: text of the unit open there, not an article.
    const article3000 = root.children[2999]!;
    expect(article3000.children.map((u) => u.marker)).toEqual(["1.", "2."]);
    expect(article3000.children[1]!.lines).toContain("Điều 17. Trích dẫn lại một điều cũ");
  });

  it("keeps the clauses' numbering per article", () => {
    const root = buildOutline([...lines.slice(0, 6), "3. Khoản thứ ba của điều 2.", "7. Không phải khoản"]);
    expect(root.children[1]!.children.map((u) => u.marker)).toEqual(["1.", "2.", "3."]);
    expect(root.children[1]!.children[2]!.lines).toContain("7. Không phải khoản");
  });
});

describe("unitTextLength", () => {
  it("is the length of unitText for every unit, without building the text", () => {
    const root = buildOutline(cleanLines(CHARTER_LIKE));
    const memo = new Map<Unit, number>();
    const units = walk(root);
    expect(units.length).toBeGreaterThan(5);
    for (const unit of units) expect(unitTextLength(unit, memo)).toBe(unitText(unit).length);
  });
});
