import { describe, expect, it } from "vitest";
import { parseStudyConfirmation } from "./replies.js";

describe("“đã học” as members type it", () => {
  it("accepts the usual forms, with or without accents, and a task id", () => {
    for (const t of ["đã học", "Da hoc", "em đã học xong rồi ạ", "Đã đọc xong.", "học xong", "đã nghiên cứu"]) expect(parseStudyConfirmation(t), t).toEqual({});
    expect(parseStudyConfirmation("đã học #12")).toEqual({ taskId: 12 });
  });
  it("leaves questions and vague words to the Q&A", () => {
    for (const t of ["đã học thì làm gì?", "học", "xong", "học tập nghị quyết là gì", "đã học chưa?"]) expect(parseStudyConfirmation(t), t).toBeNull();
  });
});
