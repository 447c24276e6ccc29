import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { PROJECT_ROOT } from "../config.js";
import { Abbreviations } from "./abbreviations.js";
import { queryTerms } from "./terms.js";

const abbr = Abbreviations.parse(`
# comment line
đv = đảng viên
đc = được   # trailing comment
bn = bao nhiêu
ko = không
k = không
hông = không
tw = Trung ương
cấp 3 = trung học phổ thông
`);

describe("Abbreviations.expand", () => {
  it("writes out abbreviations of an unaccented question without accents", () => {
    expect(abbr.expand("dv du bi dc bn thang thi xet chinh thuc")).toBe("dang vien du bi duoc bao nhieu thang thi xet chinh thuc");
  });

  it("writes them with accents when the member typed accents", () => {
    expect(abbr.expand("Đv dự bị đc bn tháng thì xét chính thức?")).toBe("đảng viên dự bị được bao nhiêu tháng thì xét chính thức?");
  });

  it("judges the accent style without the abbreviations themselves (đc alone is not an accented question)", () => {
    expect(abbr.expand("đv du bi đc xet ko")).toBe("dang vien du bi duoc xet khong");
  });

  it("is case-insensitive and keeps sentence punctuation", () => {
    expect(abbr.expand("DV, KO?")).toBe("dang vien, khong?");
    expect(abbr.expand("(k) theo TW.")).toBe("(khong) theo trung uong.");
  });

  it("never touches tokens inside longer words or document numbers", () => {
    for (const q of ["dvd cua dvi", "Quy định 294-QĐ/TW", "ko-k", "tw/ubnd", "50k", "kok"]) expect(abbr.expand(q)).toBe(q);
  });

  it("matches an unaccented token to an accented abbreviation, but not a differently accented word", () => {
    expect(abbr.expand("duoc hong")).toBe("duoc khong");
    expect(abbr.expand("Sông Hồng ở đâu")).toBe("Sông Hồng ở đâu");
    expect(abbr.expand("đẽ đặt")).toBe("đẽ đặt");
  });

  it("expands abbreviations of several syllables, only when they stand together", () => {
    expect(abbr.expand("hoc het cap 3 thi vao dang dc ko")).toBe("hoc het trung hoc pho thong thi vao dang duoc khong");
    expect(abbr.expand("cấp, 3")).toBe("cấp, 3");
  });

  it("changes nothing when there is nothing to expand (and keeps spacing)", () => {
    expect(abbr.expand("Tuổi  vào Đảng?")).toBe("Tuổi  vào Đảng?");
    expect(Abbreviations.empty().expand("dv ko")).toBe("dv ko");
  });

  it("rejects a malformed line with its number", () => {
    expect(() => Abbreviations.parse("ko = không\nbn bao nhiêu")).toThrow(/line 2/);
    expect(() => Abbreviations.parse("q/d = quy định")).toThrow(/line 1/);
  });
});

describe("data/abbreviations.txt", () => {
  const file = Abbreviations.parse(fs.readFileSync(path.join(PROJECT_ROOT, "data", "abbreviations.txt"), "utf8"));

  it("loads and turns a chat question into the terms of the full question", () => {
    expect(file.size).toBeGreaterThan(20);
    const full = queryTerms("dang vien du bi duoc bao nhieu thang thi xet chinh thuc");
    expect(queryTerms(file.expand("dv du bi dc bn thang thi xet chinh thuc"))).toEqual(full);
  });

  it("is idempotent: no expansion contains an abbreviation", () => {
    for (const q of ["dv ko dc sh thi sao", "Đv ko đc kn lại à?", "hoc c3 xong lm cty tw"]) {
      const once = file.expand(q);
      expect(file.expand(once)).toBe(once);
    }
  });

  it("leaves ambiguous abbreviations alone", () => {
    expect(file.expand("qd hs dh")).toBe("qd hs dh");
  });
});
