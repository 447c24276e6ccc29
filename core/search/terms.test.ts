import { describe, expect, it } from "vitest";
import { HashingEmbedder } from "./embedders/hashing.js";
import { answerType, hasAnswerOfType } from "./answer-type.js";
import { Synonyms } from "./synonyms.js";
import { queryTerms } from "./terms.js";

describe("query terms", () => {
  it("drops question and function words, keeps content words and pairs", () => {
    const t = queryTerms("Bao nhiêu tuổi thì được vào Đảng?");
    expect(t.words).toEqual(["tuoi", "vao", "dang"]);
    expect(t.bigrams).toContain("vao dang");
    expect(t.bigrams).not.toContain("bao nhieu");
    expect(t.accented).toEqual(["tuổi", "vào", "đảng"]);
  });

  it("keeps folded forms that are content words as often as function words when typed without accents", () => {
    const t = queryTerms("toi bi ky luat thi sao");
    expect(t.words).toEqual(["toi", "bi", "ky", "luat"]);
    expect(queryTerms("Tôi bị kỷ luật thì sao").words).toEqual(["ky", "luat"]);
  });

  it("treats kinship pronouns as function words, but not their folded look-alikes", () => {
    expect(queryTerms("ông tôi muốn nghỉ sinh hoạt").words).toEqual(["nghi", "sinh", "hoat"]);
    expect(queryTerms("chu doanh nghiep").words).toContain("chu");
  });
});

describe("synonyms", () => {
  const syn = Synonyms.parse("# comment\nvào Đảng | kết nạp\nthử thách | dự bị  # trailing comment\nlẻ loi\n");
  it("parses groups, ignores comments and reports single-phrase lines", () => {
    expect(syn.size).toBe(2);
    expect(syn.problems).toEqual(['line 4: a group needs at least two phrases separated by "|"']);
  });
  it("expands a phrase found in the folded question, accents or not", () => {
    expect(syn.expand(["xin", "vao", "dang"])).toEqual([{ matched: ["vao", "dang"], alternatives: [["ket", "nap"]] }]);
    expect(syn.expand(["het", "thoi", "gian", "thu", "thach"])[0]!.alternatives).toEqual([["du", "bi"]]);
    expect(syn.expand(["dang", "phi"])).toEqual([]);
  });
  it("maps a line with => one way only", () => {
    const oneWay = Synonyms.parse("nghỉ đẻ | nghỉ sinh => thai sản\nsai => dòng | lỗi => thừa\n");
    expect(oneWay.size).toBe(1);
    expect(oneWay.problems).toEqual(['line 2: a one-way line needs phrases on both sides of a single "=>"']);
    expect(oneWay.expand(["xin", "nghi", "sinh"])).toEqual([{ matched: ["nghi", "sinh"], alternatives: [["thai", "san"]] }]);
    expect(oneWay.expand(["thoi", "gian", "thai", "san"])).toEqual([]);
  });
});

describe("answer types", () => {
  it("recognises what kind of fact is asked and finds it in text", () => {
    expect(answerType("bao lâu thì được kết nạp lại")).toBe("duration");
    expect(answerType("đóng bao nhiêu phần trăm lương")).toBe("percent");
    expect(answerType("Huy hiệu kèm bao nhiêu tiền thưởng")).toBe("money");
    expect(answerType("Lương cơ sở hiện nay là bao nhiêu?")).toBe("money");
    expect(answerType("thẻ đảng dùng để làm gì")).toBeUndefined();
    expect(answerType("Ai là Tổng Bí thư đầu tiên?")).toBe("person");
    expect(answerType("ai ký giấy giới thiệu")).toBe("body");
    expect(answerType("tỷ lệ đảng viên nữ")).toBe("share");
    expect(hasAnswerOfType("percent", "hai phần ba số đảng viên")).toBe(false);
    expect(hasAnswerOfType("share", "hai phần ba số đảng viên")).toBe(true);
    expect(hasAnswerOfType("duration", "ít nhất 36 tháng kể từ khi")).toBe(true);
    expect(hasAnswerOfType("percent", "đóng 1% tiền lương")).toBe(true);
    expect(hasAnswerOfType("percent", "đóng đảng phí hằng tháng")).toBe(false);
  });
});

describe("hashing embedder", () => {
  it("gives unit vectors, the same for accented and unaccented text", async () => {
    const e = new HashingEmbedder(64);
    const [a, b, c] = await e.embed(["Kết nạp vào Đảng", "ket nap vao dang", "đóng đảng phí"], "passage");
    expect(Math.hypot(...a!)).toBeCloseTo(1, 5);
    expect([...a!]).toEqual([...b!]);
    const dot = a!.reduce((s, x, i) => s + x * c![i]!, 0);
    expect(dot).toBeLessThan(0.5);
  });
});
