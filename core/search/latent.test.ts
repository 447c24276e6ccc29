import { describe, expect, it } from "vitest";
import { LatentModel, dot, latentTerms } from "./latent.js";
import { foldedSyllables } from "./terms.js";

const terms = (s: string) => latentTerms(foldedSyllables(s));

describe("latent model", () => {
  it("keeps content syllables and their pairs, not function words", () => {
    expect(terms("đảng viên của chi bộ")).toEqual(["dang", "vien", "dang_vien", "chi", "bo", "chi_bo"]);
  });

  it("brings terms that share contexts together, and not unrelated ones", () => {
    const docs = [
      "kết nạp đảng viên mới tại chi bộ",
      "vào Đảng và kết nạp đảng viên tại chi bộ",
      "người vào Đảng tại chi bộ",
      "kết nạp người vào Đảng",
      "huy hiệu Đảng trao tặng dịp lễ",
      "trao tặng huy hiệu vào dịp lễ lớn",
      "lễ trao tặng huy hiệu",
    ].map(terms);
    const m = LatentModel.fit(docs, 2);
    const v = (s: string) => m.vector(terms(s));
    expect(dot(v("vào Đảng"), v("kết nạp"))).toBeGreaterThan(0.8);
    expect(dot(v("kết nạp"), v("huy hiệu"))).toBeLessThan(0.3);
    expect(Array.from(m.vector(["khong_co_tu_nay"]))).toEqual([0, 0]);
  });
});
