import { describe, expect, it } from "vitest";
import { answerType, askedUnit, hasAnswerOfType, hasCountOf } from "./answer-type.js";

describe("askedUnit / hasCountOf", () => {
  it("reads the unit a how-many question counts, with or without accents", () => {
    expect(askedUnit("Dự bị phải học bao nhiêu buổi?")).toBe("buoi");
    expect(askedUnit("chi uy yeu cau may lan")).toBe("lan");
    expect(askedUnit("bao nhiêu người tán thành")).toBeUndefined();
    expect(askedUnit("ngày nào thì trao huy hiệu")).toBeUndefined();
  });
  it("finds counts and ordinals of the unit but not item numbers", () => {
    expect(hasCountOf("buoi", "Học lớp bồi dưỡng 03 buổi")).toBe(true);
    expect(hasCountOf("lan", "đã yêu cầu đến lần thứ 3 nhưng")).toBe(true);
    expect(hasCountOf("thang", "đảng ủy họp thường lệ 3 tháng một lần")).toBe(true);
    expect(hasCountOf("buoi", "Điều 5 quy định buổi lễ kết nạp")).toBe(false);
    expect(hasCountOf("lan", "thảo luận lần cuối")).toBe(false);
  });
  it("asks for a person only about who holds an office now, and finds capitalised names", () => {
    expect(answerType("bí thư thành ủy hiện nay là ai")).toBe("person");
    expect(answerType("ai ký giấy giới thiệu sinh hoạt đảng")).toBe("body");
    expect(answerType("doi ho ten trong ly lich thi can giay to gi")).not.toBe("person");
    expect(hasAnswerOfType("person", "Đồng chí Nguyễn Văn A, Bí thư Thành ủy")).toBe(true);
    expect(hasAnswerOfType("person", "đồng chí bí thư chi bộ ký giấy giới thiệu")).toBe(false);
  });
  it("keeps the older answer types", () => {
    expect(answerType("bao lâu thì được kết nạp lại")).toBe("duration");
    expect(hasAnswerOfType("duration", "Ít nhất là 36 tháng kể từ khi ra khỏi Đảng")).toBe(true);
  });
});
