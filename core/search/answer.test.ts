import { describe, expect, it } from "vitest";
import { bestSentence, citation, composeAnswer, splitSentences } from "./answer.js";
import type { PassageHit } from "./types.js";

const hit = (over: Partial<PassageHit> = {}): PassageHit => ({
  passageId: 1,
  source: "qd.txt",
  title: "Quy định mẫu",
  number: "01-QĐ/M",
  heading: "Quy định 01-QĐ/M › 2. Thẻ đảng viên",
  text: "2. Thẻ đảng viên. Thẻ do cấp ủy phát. Khi mất thẻ, đảng viên báo ngay với chi ủy để xét cấp lại.\n- Thẻ hỏng thì đổi thẻ mới.",
  score: 0.9,
  ...over,
});

describe("answer composition", () => {
  it("splits at sentence ends and line breaks", () => {
    expect(splitSentences(hit().text)).toEqual([
      "2. Thẻ đảng viên.",
      "Thẻ do cấp ủy phát.",
      "Khi mất thẻ, đảng viên báo ngay với chi ủy để xét cấp lại.",
      "- Thẻ hỏng thì đổi thẻ mới.",
    ]);
  });

  it("picks the sentence sharing most question terms, accents or not", () => {
    expect(bestSentence("mat the thi bao ai?", hit().text)).toContain("Khi mất thẻ");
    expect(bestSentence("Thẻ hỏng thì làm sao?", hit().text)).toContain("Thẻ hỏng");
  });

  it("cites the heading path, which already names the document", () => {
    expect(citation(hit())).toBe("Quy định 01-QĐ/M › 2. Thẻ đảng viên");
    expect(citation(hit({ heading: "Mục 3", number: undefined }))).toBe("Quy định mẫu › Mục 3");
  });

  it("never highlights a restated question, such as a handbook heading", () => {
    const text = "Đóng đảng phí bao nhiêu?\nMức đảng phí tính trên tiền lương và phụ cấp. Chi bộ thu hằng tháng.";
    expect(bestSentence("dong dang phi bao nhieu", text)).toBe("Mức đảng phí tính trên tiền lương và phụ cấp.");
  });

  it("never highlights a section title, which repeats the question's words but states nothing", () => {
    const text = "3.2. Đơn xin vào Đảng\nNgười vào Đảng phải tự làm đơn, trình bày rõ nhận thức về mục đích, lý tưởng của Đảng.";
    expect(bestSentence("đơn xin vào đảng phải viết những gì", text)).toMatch(/^Người vào Đảng phải tự làm đơn/);
    const numbered = "6.2.3. Hằng năm, cấp ủy kiểm tra việc bổ sung lý lịch đảng viên.";
    expect(bestSentence("bổ sung lý lịch đảng viên hằng năm", numbered)).toBe(numbered);
  });

  it("highlights nothing when not answered", () => {
    const answer = composeAnswer("giá vàng?", { mode: "none", answered: false, passages: [hit()], offered: 0 });
    expect(answer.highlights).toEqual([]);
  });
});

describe("answer composition details", () => {
  it("prefers the sentence holding the asked kind of fact over a heading with the same words", () => {
    const text = "1. Tuổi đời của người vào Đảng\n1.1. Người vào Đảng phải đủ 18 tuổi (tính theo tháng).";
    expect(bestSentence("bao nhiêu tuổi thì được vào Đảng?", text)).toContain("18 tuổi");
  });

  it("shows a second passage only when it scores nearly as well as the first", () => {
    const close = composeAnswer("mất thẻ", { mode: "answer", answered: true, passages: [hit(), hit({ passageId: 2, score: 0.85 })], offered: 0 });
    const far = composeAnswer("mất thẻ", { mode: "answer", answered: true, passages: [hit(), hit({ passageId: 2, score: 0.5 })], offered: 0 });
    expect(close.highlights).toHaveLength(2);
    expect(far.highlights).toHaveLength(1);
  });
});
