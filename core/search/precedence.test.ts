import { describe, expect, it } from "vitest";
import { charterReferences, documentLevel, parseAmendments, preferredOrder } from "./precedence.js";
import type { PassageHit } from "./types.js";

const hit = (id: number, heading: string, locator: string, text: string, score: number, number?: string): PassageHit => ({
  passageId: id,
  source: `${id}.txt`,
  title: heading.split(" › ")[0]!,
  ...(number ? { number } : {}),
  heading,
  locator,
  text,
  score,
});

const charter = hit(1, "Điều lệ Đảng › Chương I › Điều 5. › 1", "Điều 5, khoản 1", "1. Người được kết nạp vào Đảng phải trải qua thời kỳ dự bị mười hai tháng.", 2.0);
const regulation = hit(2, "Quy định 294-QĐ/TW › 4. Điều 5 › 4.1", "mục 4.1", "4.1. Thời kỳ dự bị tính từ ngày chi bộ tổ chức lễ kết nạp.", 2.2, "294-QĐ/TW");
const guide = hit(3, "Hướng dẫn 06-HD/TW › 3 › 3.8", "mục 3.8", "3.8. Lễ kết nạp đảng viên do chi bộ tổ chức.", 2.1, "06-HD/TW");

describe("which document to quote", () => {
  it("ranks the documents: Charter, Quy định, Hướng dẫn of the Centre, local guidance", () => {
    expect(documentLevel(charter)).toBe(0);
    expect(documentLevel(regulation)).toBe(1);
    expect(documentLevel(guide)).toBe(2);
    expect(documentLevel(hit(4, "Hướng dẫn nghiệp vụ công tác tổ chức đảng › Phần thứ hai", "Phần thứ hai", "x", 1))).toBe(3);
  });

  it("reads the Charter articles a regulation's units say they implement", () => {
    expect(charterReferences("Quy định 294-QĐ/TW › 4. Điều 5 › 4.2. (Khoản 2): Thời điểm")).toEqual([{ article: 5 }, { article: 5, clause: 2 }]);
    expect(charterReferences("Quy định 294-QĐ/TW › 10. Điều 10, Điều 13 › 10.4. (Khoản 2, Điều 10); (Khoản 5, Điều 13)")).toEqual(
      expect.arrayContaining([{ article: 10, clause: 2 }, { article: 13, clause: 5 }]),
    );
    expect(charterReferences("Hướng dẫn › 2. Miễn công tác (Khoản 3, Điều 5 Quy định số 02-QĐ/TU)")).toEqual([]);
  });

  it("quotes the Charter first when the best match implements its article and it matches nearly as well", () => {
    const order = preferredOrder("dự bị bao lâu", [regulation, guide, charter], []);
    expect(order.reason).toBe("same-rule");
    expect(order.hits.map((h) => h.passageId)).toEqual([1, 2, 3]);
  });

  it("keeps the best match when the Charter's article is a much weaker match", () => {
    const weak = { ...charter, score: 1.0 };
    expect(preferredOrder("dự bị bao lâu", [regulation, weak], []).hits[0]).toBe(regulation);
  });

  it("quotes a newer rule before the older one it changed, from either side", () => {
    const older = hit(5, "Điều lệ Đảng › Chương V › Điều 24. › 3", "Điều 24, khoản 3", "3. Đại hội chi bộ do chi uỷ triệu tập năm năm hai lần.", 3);
    const newer = hit(6, "Quy định 294-QĐ/TW › 23 › 23.1", "mục 23.1", "23.1. Thí điểm đại hội chi bộ 5 năm một lần.", 2.5, "294-QĐ/TW");
    const amendments = [{ newer: new Set([6]), older: new Set([5]), newerText: [newer.text], olderText: [older.text] }];
    expect(preferredOrder("đại hội chi bộ mấy năm", [older, newer], amendments)).toMatchObject({ reason: "amended", hits: [newer, older] });
    expect(preferredOrder("đại hội chi bộ mấy năm", [newer, guide, older], amendments)).toMatchObject({ reason: "amended", hits: [newer, older, guide] });
  });

  it("leaves the order alone when the question is about another clause of the amended passage", () => {
    const older = hit(5, "Điều lệ Đảng › Chương V › Điều 24. › 3–4", "Điều 24, khoản 3–4", "3. Đại hội chi bộ do chi uỷ triệu tập năm năm hai lần.\n4. Chi bộ có dưới chín đảng viên chính thức thì bầu bí thư.", 3);
    const newer = hit(6, "Quy định 294-QĐ/TW › 23 › 23.1", "mục 23.1", "23.1. Thí điểm đại hội chi bộ 5 năm một lần.", 2.5, "294-QĐ/TW");
    const amendments = [{ newer: new Set([6]), older: new Set([5]), newerText: [newer.text], olderText: ["3. Đại hội chi bộ do chi uỷ triệu tập năm năm hai lần."] }];
    expect(preferredOrder("chi bộ có dưới chín đảng viên thì bầu bí thư không", [older, newer], amendments).reason).toBeUndefined();
  });

  it("reads data/amendments.txt and reports a line it cannot read", () => {
    const { amendments, problems } = parseAmendments("# ghi chú\n294-QĐ/TW | 23.1 | Điều lệ Đảng | Điều 24, khoản 3\nthiếu | cột\n");
    expect(amendments).toEqual([{ newer: { document: "294-QĐ/TW", section: "23.1" }, older: { document: "Điều lệ Đảng", section: "Điều 24, khoản 3" } }]);
    expect(problems).toEqual([expect.stringMatching(/^line 3:/)]);
  });
});
