import { describe, expect, it } from "vitest";
import { findSections, parseSectionRef } from "./section-path.js";

const REGULATION = ["n4", "n4/n4.5", "n4/n4.5/n4.5.1", "n6", "n6/n6.3", "n6/n6.3/n6.3.1", "n6/n6.3/n6.3.1/pb", "n6/n6.3/n6.3.1/pdd"];
const CHARTER = ["mo-dau", "ch1", "ch1/d5", "ch1/d5/n1", "ch1/d5/n2", "ch2/d11/n1"];
const HANOI = ["ph1/r1/n2/n2.3", "ph2/la/r1/n4/n4.4/n4.4.3", "ph2/lb/r1/n4/n4.4/n4.4.3", "ph2/lb/r3/n2/n2.1/n2.1.2"];

describe("section references as people write them", () => {
  it("reads numbers, points, articles and clauses, with or without the words mục / điểm / khoản", () => {
    expect(findSections(parseSectionRef("4.5.1")!, REGULATION)).toEqual(["n4/n4.5/n4.5.1"]);
    expect(findSections(parseSectionRef("mục 6.3.1, điểm b")!, REGULATION)).toEqual(["n6/n6.3/n6.3.1/pb"]);
    expect(findSections(parseSectionRef("6.3.1 b)")!, REGULATION)).toEqual(["n6/n6.3/n6.3.1/pb"]);
    expect(findSections(parseSectionRef("Điều 5, khoản 1")!, CHARTER)).toEqual(["ch1/d5/n1"]);
    expect(findSections(parseSectionRef("dieu 5")!, CHARTER)).toEqual(["ch1/d5"]);
    expect(findSections(parseSectionRef("Mở đầu")!, CHARTER)).toEqual(["mo-dau"]);
  });

  it("keeps point đ apart from point d", () => {
    expect(findSections(parseSectionRef("6.3.1 điểm đ")!, REGULATION)).toEqual(["n6/n6.3/n6.3.1/pdd"]);
  });

  it("uses the parts, letters and Roman sections above a number to tell apart numbers that repeat", () => {
    expect(findSections(parseSectionRef("Phần thứ hai, A.I, 4.4.3")!, HANOI)).toEqual(["ph2/la/r1/n4/n4.4/n4.4.3"]);
    expect(findSections(parseSectionRef("Phần thứ hai, B, I, 4.4.3")!, HANOI)).toEqual(["ph2/lb/r1/n4/n4.4/n4.4.3"]);
    // Without them the reference is ambiguous: both match.
    expect(findSections(parseSectionRef("4.4.3")!, HANOI)).toHaveLength(2);
  });

  it("finds nothing for a section that does not exist, and cannot read nonsense", () => {
    expect(findSections(parseSectionRef("4.9.9")!, REGULATION)).toEqual([]);
    expect(findSections(parseSectionRef("Điều 49")!, CHARTER)).toEqual([]);
    expect(parseSectionRef("xem phía trên")).toBeUndefined();
    expect(parseSectionRef("")).toBeUndefined();
  });
});
