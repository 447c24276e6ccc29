import { describe, expect, it } from "vitest";
import { barredByDiscipline, checkExcellentCap, parseGrade } from "./grades.js";

describe("grades and the rules on proposed grades", () => {
  it("reads grades as typed", () => {
    expect(parseGrade("Hoàn thành xuất sắc nhiệm vụ")).toBe("xuat_sac");
    expect(parseGrade("tốt")).toBe("tot");
    expect(parseGrade("HT")).toBe("hoan_thanh");
    expect(parseGrade("không hoàn thành")).toBe("khong_hoan_thanh");
    expect(parseGrade("khá")).toBeUndefined();
  });
  it("caps xuất sắc at the share of hoàn thành tốt, never above it", () => {
    expect(checkExcellentCap(["tot", "tot", "tot", "tot", "xuat_sac"], 20)).toMatchObject({ good: 4, maxExcellent: 0, ok: false });
    expect(checkExcellentCap([...Array(5).fill("tot"), "xuat_sac"], 20)).toMatchObject({ maxExcellent: 1, ok: true });
    expect(checkExcellentCap([...Array(9).fill("tot"), "xuat_sac", "xuat_sac"], 20)).toMatchObject({ maxExcellent: 1, ok: false });
    expect(checkExcellentCap([...Array(10).fill("tot"), "xuat_sac", "xuat_sac", null], 20)).toMatchObject({ maxExcellent: 2, ok: true });
  });
  it("bars a disciplined member from grades above the configured one", () => {
    expect(barredByDiscipline("tot", "hoan_thanh")).toBe(true);
    expect(barredByDiscipline("hoan_thanh", "hoan_thanh")).toBe(false);
    expect(barredByDiscipline("khong_hoan_thanh", "hoan_thanh")).toBe(false);
  });
});
