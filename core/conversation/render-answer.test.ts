import { describe, expect, it } from "vitest";
import type { Answer, PassageHit } from "../search/types.js";
import { renderAnswer } from "./render-answer.js";

const p = (id: number, over: Partial<PassageHit> = {}): PassageHit => ({
  passageId: id,
  source: "dieu-le.txt",
  title: "Điều lệ Đảng Cộng sản Việt Nam",
  heading: "Điều lệ Đảng › Chương I › Điều 5. › 1",
  locator: "Điều 5, khoản 1",
  subject: "Thời kỳ dự bị",
  text: "1. Người được kết nạp vào Đảng phải trải qua thời kỳ dự bị mười hai tháng.",
  score: 3,
  ...over,
});
const regulation = p(2, {
  source: "qd294.txt",
  title: "Quy định thi hành Điều lệ Đảng",
  number: "294-QĐ/TW",
  heading: "Quy định 294-QĐ/TW › 4. Điều 5 › 4.5. Tính tuổi đảng › 4.5.1",
  locator: "mục 4.5.1",
  subject: "Tuổi đảng tính từ ngày nào",
  text: "4.5.1. Tuổi đảng tính từ ngày cấp có thẩm quyền ra quyết định kết nạp.",
});
const answer = (over: Partial<Answer>): Answer => ({ question: "q", mode: "answer", answered: true, passages: [p(1)], offered: 0, highlights: [], ...over });

describe("what a member reads, per mode", () => {
  it("answer: the passage with the answering sentence in bold and one citation line, as members cite", () => {
    const [reply] = renderAnswer(answer({ highlights: [{ passageId: 1, sentence: "1. Người được kết nạp vào Đảng phải trải qua thời kỳ dự bị mười hai tháng." }] }));
    expect(reply!.text).toContain("**1. Người được kết nạp vào Đảng phải trải qua thời kỳ dự bị mười hai tháng.**");
    expect(reply!.text.match(/Nguồn/g)).toHaveLength(1);
    expect(reply!.text).toContain("📖 **Nguồn:** Điều lệ Đảng, Điều 5, khoản 1");
    expect(reply!.choices).toBeUndefined();
  });

  it("answer: a second section under “Xem thêm” has a readable title and a button that opens it", () => {
    const [reply] = renderAnswer(answer({ passages: [p(1), regulation], note: "same-rule", highlights: [{ passageId: 1, sentence: "" }, { passageId: 2, sentence: "" }] }));
    expect(reply!.text).toContain("**Xem thêm:** Tuổi đảng tính từ ngày nào (Quy định 294-QĐ/TW, mục 4.5.1)");
    expect(reply!.text).not.toMatch(/Xem thêm:\*\* Quy định 294-QĐ\/TW, mục/);
    expect(reply!.choices).toEqual([{ label: "Xem thêm: Tuổi đảng tính từ ngày nào (Quy định 294-QĐ/TW, mục 4.5.1)", value: "open:2" }]);
  });

  it("answer: a newer rule is quoted and the older one it changed is mentioned as no longer applying", () => {
    const older = p(3, { locator: "Điều 24, khoản 3", text: "3. Đại hội chi bộ do chi uỷ triệu tập năm năm hai lần." });
    const [reply] = renderAnswer(answer({ passages: [regulation, older], note: "amended", highlights: [{ passageId: 2, sentence: "" }, { passageId: 3, sentence: "" }] }));
    expect(reply!.text).toContain("Trước đó, Điều lệ Đảng, Điều 24, khoản 3 quy định");
    expect(reply!.text).toContain("Quy định mới hơn (trích ở trên) là quy định đang áp dụng.");
  });

  it("answer: a handbook passage's own question line is not shown as if it were the answer", () => {
    const handbook = p(4, { locator: undefined, heading: "Sổ tay › Kết nạp", text: "Bao nhiêu tuổi thì được vào Đảng?\nTừ đủ 18 tuổi đến đủ 60 tuổi." });
    const [reply] = renderAnswer(answer({ passages: [handbook] }));
    expect(reply!.text).not.toContain("Bao nhiêu tuổi thì được vào Đảng?");
    expect(reply!.text).toContain("Từ đủ 18 tuổi");
  });

  it("choices: asks which section, with up to three readable buttons in the order offered", () => {
    const [reply] = renderAnswer(answer({ mode: "choices", answered: false, passages: [p(1), regulation, p(5, { subject: undefined, locator: "Điều 8, khoản 1", text: "1. Đảng viên bỏ sinh hoạt chi bộ ba tháng thì bị xoá tên." })], offered: 3 }));
    expect(reply!.text).toContain("Đồng chí muốn hỏi về:");
    expect(reply!.choices!.map((c) => c.value)).toEqual(["open:1", "open:2", "open:5"]);
    expect(reply!.choices!.map((c) => c.label)).toEqual([
      "Thời kỳ dự bị (Điều lệ Đảng, Điều 5, khoản 1)",
      "Tuổi đảng tính từ ngày nào (Quy định 294-QĐ/TW, mục 4.5.1)",
      "Đảng viên bỏ sinh hoạt chi bộ ba tháng thì bị… (Điều lệ Đảng, Điều 8, khoản 1)",
    ]);
  });

  it("none: says it found nothing and offers the nearby sections the handbook does cover", () => {
    const [reply] = renderAnswer(answer({ mode: "none", answered: false, passages: [p(1), regulation] }));
    expect(reply!.text).toMatch(/^Chưa tìm thấy/);
    expect(reply!.text).toContain("các mục gần với câu hỏi");
    expect(reply!.choices).toHaveLength(2);
    expect(renderAnswer(answer({ mode: "none", answered: false, passages: [] }))[0]!.choices).toBeUndefined();
  });
});
