import { describe, expect, it } from "vitest";
import { inForceFirst } from "./in-force.js";

describe("documents in force before replaced ones", () => {
  const documentOf = (id: number) => Math.floor(id / 10);
  it("moves the passages of replaced documents after all others, each group in its own order", () => {
    const ranked = [{ id: 21 }, { id: 11 }, { id: 22 }, { id: 31 }, { id: 12 }];
    expect(inForceFirst(ranked, documentOf, new Set([2])).map((c) => c.id)).toEqual([11, 31, 12, 21, 22]);
  });
  it("changes nothing when no document is replaced", () => {
    const ranked = [{ id: 21 }, { id: 11 }];
    expect(inForceFirst(ranked, documentOf, new Set())).toBe(ranked);
    expect(inForceFirst(ranked, documentOf, new Set([5]))).toBe(ranked);
  });
});
