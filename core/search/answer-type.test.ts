import { describe, expect, it } from "vitest";
import { answerType, askedUnit, countedNoun, hasAnswerOfType, hasCountOf, statesCountOf } from "./answer-type.js";

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
    expect(askedUnit("chấm theo thang bao nhiêu điểm")).toBe("diem");
    expect(hasCountOf("diem", "Thực hiện theo Điểm 4.3 mục II")).toBe(false);
  });
});

describe("answerType / hasAnswerOfType", () => {
  it("asks for a year and finds one, but not in the date a document was signed", () => {
    expect(answerType("Đảng được thành lập năm nào?")).toBe("year");
    expect(answerType("dang vien du bi bao nhieu nam")).not.toBe("year");
    expect(hasAnswerOfType("year", "Đảng ra đời ngày 3/2/1930 tại Hương Cảng, năm 1930")).toBe(true);
    expect(hasAnswerOfType("year", "theo Quy định số 294-QĐ/TW, ngày 26/5/2025 của Ban Chấp hành")).toBe(false);
  });
  it("asks for a person only about who holds an office now, and finds capitalised names", () => {
    expect(answerType("bí thư thành ủy hiện nay là ai")).toBe("person");
    expect(answerType("ai ký giấy giới thiệu sinh hoạt đảng")).toBe("body");
    expect(answerType("doi ho ten trong ly lich thi can giay to gi")).not.toBe("person");
    expect(hasAnswerOfType("person", "Đồng chí Nguyễn Văn A, Bí thư Thành ủy")).toBe(true);
    expect(hasAnswerOfType("person", "đồng chí bí thư chi bộ ký giấy giới thiệu")).toBe(false);
  });
  it("asks for a duration and finds one written in figures or words", () => {
    expect(answerType("bao lâu thì được kết nạp lại")).toBe("duration");
    expect(hasAnswerOfType("duration", "Ít nhất là 36 tháng kể từ khi ra khỏi Đảng")).toBe(true);
    expect(hasAnswerOfType("duration", "trong thời hạn hai mươi ngày làm việc")).toBe(true);
    expect(hasAnswerOfType("duration", "theo Điều 5 tháng trước")).toBe(false);
  });
});

describe("counted things", () => {
  it("finds what a how-many question counts and a count of it in text", () => {
    expect(countedNoun("cơ quan có mấy đảng viên thì được lập tổ chức đảng")).toBe("dang vien");
    expect(countedNoun("cần bao nhiêu người biểu quyết")).toBe("nguoi bieu");
    expect(countedNoun("dang phi dong bao nhieu")).toBeUndefined();
    expect(statesCountOf("dang vien", "Nơi có từ 3 đảng viên chính thức trở lên thì lập")).toBe(true);
    expect(statesCountOf("nguoi bieu", "nếu có hai phần ba số đảng viên đồng ý")).toBe(true);
    expect(statesCountOf("cap uy", "không quá 7 cấp ủy viên")).toBe(true);
    expect(statesCountOf("dang vien", "Đảng viên có trách nhiệm đóng đảng phí")).toBe(false);
  });
});
