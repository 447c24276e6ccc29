import { describe, expect, it } from "vitest";
import { formatMeetingTime, parseMeetingTime } from "./time.js";

const zone = "Asia/Ho_Chi_Minh";
const iso = (t: string) => {
  const r = parseMeetingTime(t, zone);
  return r.ok ? r.date.toISOString() : r.reason;
};

describe("meeting times", () => {
  it("reads ISO-like and Vietnamese day-first forms in the configured zone", () => {
    expect(iso("2026-12-04 19:30")).toBe("2026-12-04T12:30:00.000Z");
    expect(iso("04/12/2026 19:30")).toBe("2026-12-04T12:30:00.000Z");
    expect(iso("4/12/2026 19h30")).toBe("2026-12-04T12:30:00.000Z");
    expect(iso("19:30 04/12/2026")).toBe("2026-12-04T12:30:00.000Z");
    expect(iso("4-12-2026 7:05")).toBe("2026-12-04T00:05:00.000Z");
  });
  it("tells a malformed text from an impossible date", () => {
    expect(iso("thứ sáu tuần sau")).toBe("format");
    expect(iso("2026-12-04")).toBe("format");
    expect(iso("31/02/2026 19:30")).toBe("invalid");
    expect(iso("2026-12-04 25:00")).toBe("invalid");
  });
  it("formats with the Vietnamese weekday", () => {
    expect(formatMeetingTime(new Date("2026-12-04T12:30:00Z"), zone)).toBe("19:30 Thứ Sáu, 04/12/2026");
    expect(formatMeetingTime(new Date("2026-12-06T01:00:00Z"), zone)).toBe("08:00 Chủ Nhật, 06/12/2026");
  });
});
