import { describe, expect, it } from "vitest";
import { parseAttendanceReply as parse } from "./replies.js";

describe("the attendance reply grammar", () => {
  it("reads present replies with or without accents", () => {
    for (const t of ["1", "có", "Có mặt", "co mat", "CÓ MẶT.", "tham dự"]) expect(parse(t), t).toEqual({ response: "present" });
  });
  it("reads absences with the reason after the keyword", () => {
    expect(parse("2 ốm")).toEqual({ response: "absent", reason: "ốm" });
    expect(parse("vắng, đi công tác")).toEqual({ response: "absent", reason: "đi công tác" });
    expect(parse("vang, di cong tac")).toEqual({ response: "absent", reason: "di cong tac" });
    expect(parse("Xin phép vắng: con ốm")).toEqual({ response: "absent", reason: "con ốm" });
    expect(parse("2")).toEqual({ response: "absent" });
    expect(parse("vắng")).toEqual({ response: "absent" });
  });
  it("reads a meeting id written as #id", () => {
    expect(parse("1 #12")).toEqual({ response: "present", meetingId: 12 });
    expect(parse("vắng #3 bận")).toEqual({ response: "absent", reason: "bận", meetingId: 3 });
  });
  it("leaves questions and other text to the handbook Q&A", () => {
    for (const t of [
      "Vắng mặt bao nhiêu lần thì bị xóa tên?",
      "vắng sinh hoạt có bị kỷ luật không",
      "có được nghỉ không",
      "Đảng viên dự bị là gì",
      "12",
      "1 2 3",
      "vangx",
      "",
    ]) {
      expect(parse(t), t).toBeNull();
    }
  });
});
