import { describe, expect, it } from "vitest";
import { parseQuestionFile } from "./question-file.js";

describe("question files (data/questions)", () => {
  it("reads the document, questions with their writer group, and section titles", () => {
    const file = parseQuestionFile(
      ["# một ghi chú", "tài liệu: 294-QĐ/TW", "nhóm: A", "", "4.5.1 = Tuổi đảng tính từ ngày nào", "4.5.1 | tuổi đảng tính từ ngày nào", "nhóm: B", "6.3.1 điểm b | chuyen sinh hoat sang tinh khac"].join("\n"),
      "qd.txt",
    );
    expect(file.document).toBe("294-QĐ/TW");
    expect(file.titles).toEqual([{ line: 5, section: "4.5.1", title: "Tuổi đảng tính từ ngày nào" }]);
    expect(file.questions).toEqual([
      { line: 6, section: "4.5.1", text: "tuổi đảng tính từ ngày nào", group: "A" },
      { line: 8, section: "6.3.1 điểm b", text: "chuyen sinh hoat sang tinh khac", group: "B" },
    ]);
    expect(file.problems).toEqual([]);
  });

  it("reports every line it cannot read with its line number, and keeps the others", () => {
    const file = parseQuestionFile(["tài liệu: Điều lệ Đảng", "Điều 5 | dự bị bao lâu", "chỉ có chữ, không có dấu phân cách", "xem ở trên | câu hỏi", "Điều 5 | ", "Điều 5 | hai | dấu"].join("\n"), "dl.txt");
    expect(file.questions.map((q) => q.line)).toEqual([2]);
    expect(file.problems.map((p) => p.line)).toEqual([3, 4, 5, 6]);
    expect(file.problems[1]!.message).toMatch(/not a section reference/);
  });

  it("says so when the file names no document", () => {
    expect(parseQuestionFile("4.5.1 | tuổi đảng", "x.txt").problems[0]).toMatchObject({ line: 0, message: expect.stringMatching(/tài liệu/) });
  });
});
