import { describe, expect, it } from "vitest";
import { formatDueOn, parseDueDate, reminderTime } from "./due-date.js";

const zone = "Asia/Ho_Chi_Minh";
const now = new Date("2026-12-01T02:00:00Z"); // 09:00 on 1/12 in Hanoi

describe("due days as officers type them", () => {
  it("reads both forms and ends the day at midnight in the cell's zone", () => {
    expect(parseDueDate("2026-12-20", zone, now)).toEqual({ ok: true, dueOn: "2026-12-20", deadlineAt: new Date("2026-12-20T16:59:59.999Z") });
    expect(parseDueDate("20/12/2026", zone, now)).toMatchObject({ ok: true, dueOn: "2026-12-20" });
    expect(parseDueDate("1/12/2026", zone, now)).toMatchObject({ ok: true, dueOn: "2026-12-01" }); // today is allowed
  });
  it("says what is wrong", () => {
    expect(parseDueDate("30/11/2026", zone, now)).toEqual({ ok: false, reason: "past" });
    expect(parseDueDate("31/02/2027", zone, now)).toEqual({ ok: false, reason: "invalid" });
    expect(parseDueDate("cuối tháng", zone, now)).toEqual({ ok: false, reason: "format" });
  });
  it("reminds at 08:00 local time the given days before", () => {
    expect(reminderTime("2026-12-20", 3, zone)).toEqual(new Date("2026-12-17T01:00:00Z"));
    expect(formatDueOn("2026-12-20")).toBe("20/12/2026");
  });
});
