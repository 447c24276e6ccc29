import { describe, expect, it } from "vitest";
import { headingCoverage, longestRun, windowCoverage } from "./retriever.js";

describe("rerank features", () => {
  it("finds the longest run of the question word for word", () => {
    const padded = " tuoi dang cua dang vien duoc tinh tu ngay ky quyet dinh ";
    expect(longestRun(["tuoi", "dang", "tinh", "tu", "ngay", "nao"], padded)).toBe(3);
    expect(longestRun(["the", "dang"], padded)).toBe(1);
    expect(longestRun(["khong", "co"], padded)).toBe(0);
  });

  it("counts heading words below the document title only", () => {
    const idf = new Map([["tuoi", 2], ["doi", 3], ["quy", 1]]);
    expect(headingCoverage("Quy định 294 › 1.1. Về tuổi đời", ["tuoi", "doi", "quy"], idf)).toBe(5);
    expect(headingCoverage("Quy định 294", ["quy"], idf)).toBe(0);
  });

  it("weights distinct query words inside the best window", () => {
    const idf = new Map([["a", 1], ["b", 2]]);
    expect(windowCoverage(["a", "x", "x", "b"], new Set(["a", "b"]), idf, 4)).toBe(3);
    expect(windowCoverage(["a", "x", "x", "b"], new Set(["a", "b"]), idf, 2)).toBe(2);
  });
});
