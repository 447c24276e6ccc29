import { describe, expect, it } from "vitest";
import { DomainTerms } from "./domain-terms.js";

describe("DomainTerms", () => {
  const terms = DomainTerms.parse("# comment\nđảng | chi bộ\nhuy hiệu\n");
  it("finds a term typed with or without accents", () => {
    expect(terms.size).toBe(3);
    expect(terms.mentionedIn("Chi bộ họp mấy lần?")).toBe(true);
    expect(terms.mentionedIn("huy hieu 50 nam")).toBe(true);
    expect(terms.mentionedIn("Làm hộ chiếu ở đâu?")).toBe(false);
  });
  it("does not take a differently accented word for a term", () => {
    expect(terms.mentionedIn("Đăng ký kết hôn cần gì?")).toBe(false);
    expect(terms.mentionedIn("tôi đang hỏi về dang vien")).toBe(true);
  });
  it("checks nothing when the list is empty", () => {
    expect(DomainTerms.empty().mentionedIn("giá vàng")).toBe(true);
  });
});
