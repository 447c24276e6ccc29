import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ConversationFeature } from "../../core/conversation/types.js";
import { createMeetingsFeature } from "../../core/meetings/feature.js";
import { createOutboxWorker, type OutboxWorker } from "../../core/outbox/worker.js";
import { addMember, dispatch, openTestEnv, press, RecordingSender, said, text, type TestEnv, testOutboxWorker } from "./helpers.js";

let env: TestEnv;
let feature: ConversationFeature;
let telegram: RecordingSender;
let zalo: RecordingSender;
let worker: OutboxWorker;

beforeEach(async () => {
  env = await openTestEnv();
  feature = createMeetingsFeature({ prisma: env.store.prisma, config: env.config, state: env.state, clock: env.clock.now });
  telegram = new RecordingSender("telegram");
  zalo = new RecordingSender("zalo");
  worker = testOutboxWorker(env.store, { senders: [telegram, zalo],
    limits: { telegram: { perSecond: 1000 }, zalo: { perSecond: 1000 } },
    clock: env.clock.now,
  });
});
afterEach(async () => {
  await env.cleanup();
});

async function seedCell() {
  const s = env.store;
  const secretary = await addMember(s, { name: "Nguyễn Văn Bí", cell: "Chi bộ 1", role: "bi_thu", link: { channel: "telegram", userId: "100" } });
  const tg = await addMember(s, { name: "Trần Thị Hai", cell: "Chi bộ 1", link: { channel: "telegram", userId: "101" } });
  const zl = await addMember(s, { name: "Lê Văn Ba", cell: "Chi bộ 1", link: { channel: "zalo", userId: "z-102" } });
  const unlinked = await addMember(s, { name: "Phạm Bốn", cell: "Chi bộ 1" });
  const other = await addMember(s, { name: "Hoàng Năm", cell: "Chi bộ 2", role: "bi_thu", link: { channel: "telegram", userId: "200" } });
  const otherMember = await addMember(s, { name: "Vũ Sáu", cell: "Chi bộ 2", link: { channel: "telegram", userId: "201" } });
  return { secretary, tg, zl, unlinked, other, otherMember };
}

const HOP = "/hop 2026-12-04 19:30 | Hội trường khu phố | Sinh hoạt chi bộ tháng 12";

describe("scheduling a meeting with /hop", () => {
  it("confirms, and the notice reaches every linked member of the cell on their own channel, exactly once", async () => {
    await seedCell();
    const out = await dispatch(feature, text("telegram", "100", HOP));
    expect(said(out)).toContain("Đã lên lịch cuộc họp **#1**");
    expect(said(out)).toContain("19:30 Thứ Sáu, 04/12/2026");
    expect(said(out)).toContain("1 đảng viên chưa liên kết");
    await worker.drain();
    await worker.drain();
    expect(telegram.sent.map((s) => s.chatId).sort()).toEqual(["100", "101"]);
    expect(zalo.sent.map((s) => s.chatId)).toEqual(["z-102"]);
    const tgNotice = telegram.to("101")[0]!.message;
    expect(tgNotice.text).toContain("THÔNG BÁO SINH HOẠT CHI BỘ");
    expect(tgNotice.choices).toEqual([
      { label: "✅ Có mặt", value: "att:1:present" },
      { label: "❌ Vắng", value: "att:1:absent" },
    ]);
    // On Zalo the same choices become a numbered list ("1" / "2"), matching the text grammar.
    expect(zalo.sent[0]!.message.choices?.map((c) => c.value)).toEqual(["att:1:present", "att:1:absent"]);
    expect(zalo.sent[0]!.message.text).toContain("trả lời **1**");
    // Nobody of the other cell hears about it.
    expect(telegram.to("200")).toHaveLength(0);
    expect(telegram.to("201")).toHaveLength(0);
    // The platform message id is kept so replies to the notice find their meeting.
    const row = await env.store.prisma.outboxMessage.findFirstOrThrow({ where: { chatId: "101" } });
    expect(row.platformMessageId).toBe(telegram.to("101")[0]!.messageId);
    expect(row.status).toBe("delivered");
  });

  it("accepts dd/mm/yyyy and stores the time in the configured zone", async () => {
    await seedCell();
    await dispatch(feature, text("telegram", "100", "/hop 04/12/2026 19:30 | Nhà văn hóa | Họp"));
    const m = await env.store.prisma.meeting.findFirstOrThrow();
    expect(m.startsAt.toISOString()).toBe("2026-12-04T12:30:00.000Z");
  });

  it("rejects malformed dates, impossible dates, past times and missing parts with clear Vietnamese messages", async () => {
    await seedCell();
    expect(said(await dispatch(feature, text("telegram", "100", "/hop thứ sáu tới | Hội trường | Họp")))).toContain("Không hiểu thời gian");
    expect(said(await dispatch(feature, text("telegram", "100", "/hop 31/02/2027 19:30 | Hội trường | Họp")))).toContain("không tồn tại");
    expect(said(await dispatch(feature, text("telegram", "100", "/hop 2026-11-30 19:30 | Hội trường | Họp")))).toContain("đã qua");
    expect(said(await dispatch(feature, text("telegram", "100", "/hop 2026-12-04 19:30 | Hội trường")))).toContain("Thiếu nội dung");
    expect(said(await dispatch(feature, text("telegram", "100", "/hop")))).toContain("Cú pháp");
    expect(await env.store.prisma.meeting.count()).toBe(0);
    expect(await env.store.prisma.outboxMessage.count()).toBe(0);
  });

  it("refuses /hop from an ordinary member and tells unregistered users how to register", async () => {
    await seedCell();
    expect(said(await dispatch(feature, text("telegram", "101", HOP)))).toContain("Chỉ Bí thư, Phó Bí thư");
    expect(said(await dispatch(feature, text("telegram", "999", HOP)))).toContain("/dangky");
    expect(await env.store.prisma.meeting.count()).toBe(0);
  });
});

describe("permissions across cells", () => {
  it("an officer of cell 2 can neither cancel, change, read nor nudge cell 1's meeting", async () => {
    await seedCell();
    await dispatch(feature, text("telegram", "100", HOP));
    await worker.drain();
    const before = telegram.sent.length + zalo.sent.length;
    expect(said(await dispatch(feature, text("telegram", "200", "/huyhop 1")))).toContain("Không tìm thấy cuộc họp #1");
    expect(said(await dispatch(feature, text("telegram", "200", "/doihop 1 | | Chỗ khác")))).toContain("Không tìm thấy cuộc họp #1");
    expect(said(await dispatch(feature, text("telegram", "200", "/diemdanh 1")))).toContain("Không tìm thấy cuộc họp #1");
    expect(said(await dispatch(feature, text("telegram", "200", "/diemdanh nhac 1")))).toContain("Không tìm thấy cuộc họp #1");
    // Without an id, cell 2's officer only ever sees cell 2.
    expect(said(await dispatch(feature, text("telegram", "200", "/diemdanh")))).toContain("chưa có cuộc họp");
    await worker.drain();
    expect(telegram.sent.length + zalo.sent.length).toBe(before);
    const m = await env.store.prisma.meeting.findUniqueOrThrow({ where: { id: 1 } });
    expect(m.status).toBe("scheduled");
    expect(m.location).toBe("Hội trường khu phố");
  });

  it("a member of cell 2 cannot answer cell 1's meeting by pressing a forged button", async () => {
    await seedCell();
    await dispatch(feature, text("telegram", "100", HOP));
    expect(said(await dispatch(feature, press("telegram", "201", "att:1:present")))).toContain("Không tìm thấy");
    expect(await env.store.prisma.attendance.count()).toBe(0);
  });

  it("a phó bí thư manages the cell's meetings too", async () => {
    await seedCell();
    await addMember(env.store, { name: "Đỗ Phó", cell: "Chi bộ 1", role: "pho_bi_thu", link: { channel: "zalo", userId: "z-pbt" } });
    expect(said(await dispatch(feature, text("zalo", "z-pbt", HOP)))).toContain("Đã lên lịch");
  });
});

describe("changing and cancelling", () => {
  it("/doihop changing only the place keeps replies; changing the time voids them and members are told", async () => {
    const { tg } = await seedCell();
    await dispatch(feature, text("telegram", "100", HOP));
    await dispatch(feature, press("telegram", "101", "att:1:present"));
    await worker.drain();

    const placeOut = await dispatch(feature, text("telegram", "100", "/doihop 1 | | Phòng họp UBND phường"));
    expect(said(placeOut)).toContain("Phòng họp UBND phường");
    await worker.drain();
    expect(telegram.to("101").at(-1)!.message.text).toContain("THAY ĐỔI CUỘC HỌP #1");
    let roll = said(await dispatch(feature, text("telegram", "100", "/diemdanh")));
    expect(roll).toContain("✅ Có mặt (1)");

    const timeOut = await dispatch(feature, text("telegram", "100", "/doihop | 05/12/2026 08:00 |"));
    expect(said(timeOut)).toContain("không còn hiệu lực");
    await worker.drain();
    const change = telegram.to("101").at(-1)!.message;
    expect(change.text).toContain("08:00 Thứ Bảy, 05/12/2026");
    expect(change.choices?.[0]?.value).toBe("att:1:present");
    roll = said(await dispatch(feature, text("telegram", "100", "/diemdanh")));
    expect(roll).toContain("✅ Có mặt (0)");
    // The old reply is still stored (history), only void for the new time.
    const kept = await env.store.prisma.attendance.findFirstOrThrow({ where: { memberId: tg.id } });
    expect(kept.timeVersion).toBe(1);
    const meeting = await env.store.prisma.meeting.findUniqueOrThrow({ where: { id: 1 } });
    expect(meeting.timeVersion).toBe(2);
  });

  it("/doihop and /huyhop reject bad input", async () => {
    await seedCell();
    expect(said(await dispatch(feature, text("telegram", "100", "/huyhop")))).toContain("không có cuộc họp nào sắp diễn ra");
    await dispatch(feature, text("telegram", "100", HOP));
    expect(said(await dispatch(feature, text("telegram", "100", "/doihop 1 | |")))).toContain("Chưa có gì để đổi");
    expect(said(await dispatch(feature, text("telegram", "100", "/doihop 1 | 2026-13-45 19:00 |")))).toContain("không tồn tại");
    expect(said(await dispatch(feature, text("telegram", "100", "/doihop 1 | 2020-01-01 19:00 |")))).toContain("đã qua");
    expect(said(await dispatch(feature, text("telegram", "100", "/huyhop abc")))).toContain("Cú pháp");
    expect(said(await dispatch(feature, text("telegram", "100", "/huyhop 99")))).toContain("Không tìm thấy cuộc họp #99");
  });

  it("/huyhop tells members, keeps the attendance history, and late replies are refused", async () => {
    const { zl } = await seedCell();
    await dispatch(feature, text("telegram", "100", HOP));
    await dispatch(feature, text("zalo", "z-102", "2 đi công tác"));
    expect(said(await dispatch(feature, text("telegram", "100", "/huyhop 1")))).toContain("Đã hủy cuộc họp **#1**");
    await worker.drain();
    expect(zalo.to("z-102").at(-1)!.message.text).toContain("HỦY CUỘC HỌP #1");
    expect(telegram.to("101").at(-1)!.message.text).toContain("HỦY CUỘC HỌP #1");
    expect(await env.store.prisma.attendance.findFirst({ where: { memberId: zl.id } })).toMatchObject({ response: "absent", reason: "đi công tác" });
    expect(said(await dispatch(feature, press("telegram", "101", "att:1:present")))).toContain("đã bắt đầu hoặc đã bị hủy");
    expect(said(await dispatch(feature, text("telegram", "100", "/huyhop 1")))).toContain("đã bị hủy trước đó");
  });
});

describe("attendance replies", () => {
  it("buttons, plain text with and without accents, and changing one's mind until the meeting starts", async () => {
    const { tg, zl } = await seedCell();
    await dispatch(feature, text("telegram", "100", HOP));
    expect(said(await dispatch(feature, press("telegram", "101", "att:1:present")))).toContain("có mặt");
    expect(said(await dispatch(feature, text("zalo", "z-102", "co mat")))).toContain("có mặt");
    expect(said(await dispatch(feature, text("zalo", "z-102", "vang, di cong tac")))).toContain("Lý do: di cong tac");
    expect(said(await dispatch(feature, text("telegram", "101", "Vắng mặt: con ốm")))).toContain("Lý do: con ốm");
    const rows = await env.store.prisma.attendance.findMany({ orderBy: { memberId: "asc" } });
    expect(rows.map((r) => [r.memberId, r.response, r.reason])).toEqual([
      [tg.id, "absent", "con ốm"],
      [zl.id, "absent", "di cong tac"],
    ]);
    env.clock.ms = Date.parse("2026-12-04T12:31:00Z"); // the meeting has started
    expect(said(await dispatch(feature, press("telegram", "101", "att:1:present")))).toContain("đã bắt đầu");
    // After the start "1" is no longer an attendance reply: it goes to the Q&A.
    expect(await dispatch(feature, text("telegram", "101", "1"))).toBeNull();
  });

  it("an absence without a reason asks for one, and the next plain message is the reason", async () => {
    const { zl } = await seedCell();
    await dispatch(feature, text("telegram", "100", HOP));
    expect(said(await dispatch(feature, text("zalo", "z-102", "2")))).toContain("vui lòng nhắn lý do");
    // A question in between is left to the handbook Q&A.
    expect(await dispatch(feature, text("zalo", "z-102", "Đảng phí đóng bao nhiêu?"))).toBeNull();
    expect(said(await dispatch(feature, text("zalo", "z-102", "Đi khám bệnh ở tỉnh")))).toContain("Đã ghi lý do vắng cuộc họp #1: Đi khám bệnh ở tỉnh");
    expect(await env.store.prisma.attendance.findFirst({ where: { memberId: zl.id } })).toMatchObject({ response: "absent", reason: "Đi khám bệnh ở tỉnh" });
    // The state is consumed: the next text is a question again.
    expect(await dispatch(feature, text("zalo", "z-102", "Điều lệ Đảng có mấy chương"))).toBeNull();
    // The ❌ button also asks for the reason.
    expect(said(await dispatch(feature, press("telegram", "101", "att:1:absent")))).toContain("vui lòng nhắn lý do");
  });

  it("plain text that is not a reply, or any text without an upcoming meeting, is left to the Q&A", async () => {
    await seedCell();
    expect(await dispatch(feature, text("telegram", "101", "1"))).toBeNull(); // no meeting yet
    await dispatch(feature, text("telegram", "100", HOP));
    expect(await dispatch(feature, text("telegram", "101", "Vắng sinh hoạt bao nhiêu lần thì bị xóa tên?"))).toBeNull();
    expect(await dispatch(feature, text("telegram", "101", "Đảng viên dự bị có quyền biểu quyết không"))).toBeNull();
    expect(await dispatch(feature, text("telegram", "999", "1"))).toBeNull(); // unregistered
    expect(await env.store.prisma.attendance.count()).toBe(0);
  });

  it("with two upcoming meetings a reply goes to the notice it answers, or the bot asks which", async () => {
    const { tg } = await seedCell();
    await dispatch(feature, text("telegram", "100", HOP));
    await dispatch(feature, text("telegram", "100", "/hop 2026-12-11 19:30 | Hội trường | Họp chuyên đề"));
    await worker.drain();
    const notices = telegram.to("101");
    const second = notices.find((n) => n.message.text.includes("#2"))!;

    // Replying to the second notice ties the answer to meeting 2.
    expect(said(await dispatch(feature, text("telegram", "101", "có", { replyToMessageId: second.messageId })))).toContain("#2");
    // Without a reply-to, the bot asks which meeting, with choices.
    const ask = await dispatch(feature, text("telegram", "101", "2 bận việc gia đình"));
    expect(said(ask)).toContain("nhiều cuộc họp");
    expect(ask![0]!.choices!.map((c) => c.value)).toEqual(["pick:1", "pick:2"]);
    expect(said(await dispatch(feature, press("telegram", "101", "pick:1")))).toContain("Lý do: bận việc gia đình");
    // On Zalo the member names the meeting with #id.
    expect(said(await dispatch(feature, text("zalo", "z-102", "1 #2")))).toContain("#2");
    const rows = await env.store.prisma.attendance.findMany({ where: { memberId: tg.id }, orderBy: { meetingId: "asc" } });
    expect(rows.map((r) => [r.meetingId, r.response, r.reason])).toEqual([
      [1, "absent", "bận việc gia đình"],
      [2, "present", null],
    ]);
    expect(said(await dispatch(feature, text("zalo", "z-102", "1 #7")))).toContain("Không có cuộc họp #7");
  });

  it("100 members replying at the same moment are each recorded exactly once", async () => {
    await addMember(env.store, { name: "Bí thư", cell: "Chi bộ lớn", role: "bi_thu", link: { channel: "telegram", userId: "sec" } });
    for (let i = 0; i < 100; i++) {
      await addMember(env.store, { name: `Đảng viên ${i}`, cell: "Chi bộ lớn", link: { channel: i % 2 ? "telegram" : "zalo", userId: `u${i}` } });
    }
    await dispatch(feature, text("telegram", "sec", HOP));
    const outs = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        dispatch(feature, i % 3 === 0 ? text(i % 2 ? "telegram" : "zalo", `u${i}`, `2 lý do ${i}`) : press(i % 2 ? "telegram" : "zalo", `u${i}`, "att:1:present")),
      ),
    );
    expect(outs.every((o) => said(o).includes("Đã ghi nhận"))).toBe(true);
    const rows = await env.store.prisma.attendance.findMany();
    expect(rows).toHaveLength(100);
    expect(new Set(rows.map((r) => r.memberId)).size).toBe(100);
    expect(rows.filter((r) => r.response === "absent")).toHaveLength(34);
    const roll = said(await dispatch(feature, text("telegram", "sec", "/diemdanh")));
    expect(roll).toContain("✅ Có mặt (66)");
    expect(roll).toContain("❌ Vắng (34)");
    expect(roll).toContain("⏳ Chưa trả lời (1)"); // the secretary
  });
});

describe("/diemdanh", () => {
  it("lists present, absent with reasons and not replied with counts; 'nhac' reminds only those who have not replied", async () => {
    await seedCell();
    await dispatch(feature, text("telegram", "100", HOP));
    await dispatch(feature, press("telegram", "101", "att:1:present"));
    await dispatch(feature, text("zalo", "z-102", "vắng, đi công tác"));
    await worker.drain();
    const roll = said(await dispatch(feature, text("telegram", "100", "/diemdanh")));
    expect(roll).toContain("✅ Có mặt (1)\n• Trần Thị Hai");
    expect(roll).toContain("❌ Vắng (1)\n• Lê Văn Ba — đi công tác");
    expect(roll).toContain("⏳ Chưa trả lời (2)");
    expect(roll).toContain("Phạm Bốn (chưa liên kết)");
    expect(roll).toContain("Tổng số: 4");

    const before = telegram.sent.length + zalo.sent.length;
    expect(said(await dispatch(feature, text("telegram", "100", "/diemdanh nhac")))).toContain("Đã gửi nhắc tới 1");
    expect(said(await dispatch(feature, text("telegram", "100", "/diemdanh nhac")))).toContain("Đã gửi nhắc tới 1");
    await worker.drain();
    // Only the secretary had not replied (and is linked); a double tap within the minute sends once.
    expect(telegram.sent.length + zalo.sent.length).toBe(before + 1);
    expect(telegram.sent.at(-1)!.chatId).toBe("100");
    expect(telegram.sent.at(-1)!.message.text).toContain("chưa xác nhận");
    expect(said(await dispatch(feature, text("telegram", "101", "/diemdanh")))).toContain("Chỉ Bí thư");
  });
});

describe("/lichhop", () => {
  it("shows a member the cell's upcoming meetings with their own answer", async () => {
    await seedCell();
    await dispatch(feature, text("telegram", "100", HOP));
    await dispatch(feature, press("telegram", "101", "att:1:present"));
    const out = said(await dispatch(feature, text("telegram", "101", "/lichhop")));
    expect(out).toContain("#1 19:30 Thứ Sáu, 04/12/2026");
    expect(out).toContain("đã báo có mặt");
  });
  it("shows each meeting's own answer, and an answer voided by a new time as not confirmed", async () => {
    await seedCell();
    await dispatch(feature, text("telegram", "100", HOP));
    await dispatch(feature, text("telegram", "100", "/hop 2026-12-11 19:30 | Hội trường | Họp chuyên đề"));
    await dispatch(feature, text("telegram", "100", "/hop 2026-12-18 19:30 | Hội trường | Họp cuối năm"));
    await dispatch(feature, press("telegram", "101", "att:1:present"));
    await dispatch(feature, press("telegram", "101", "att:2:absent"));
    await dispatch(feature, text("telegram", "101", "ốm"));
    await dispatch(feature, press("telegram", "101", "att:3:present"));
    await dispatch(feature, text("telegram", "100", "/doihop 3 | 2026-12-19 19:30 |"));
    const lines = said(await dispatch(feature, text("telegram", "101", "/lichhop"))).split("\n");
    expect(lines.find((l) => l.includes("#1 "))).toContain("đã báo có mặt");
    expect(lines.find((l) => l.includes("#2 "))).toContain("đã báo vắng");
    expect(lines.find((l) => l.includes("#3 "))).toContain("chưa xác nhận");
  });
});

describe("attendance export", () => {
  it("exports every member's answer as CSV with a BOM, one row each, void answers as not replied", async () => {
    const { attendanceCsv, attendanceExport } = await import("../../core/meetings/export.js");
    await seedCell();
    await dispatch(feature, text("telegram", "100", HOP));
    await dispatch(feature, press("telegram", "101", "att:1:present"));
    await dispatch(feature, text("zalo", "z-102", "2, đi công tác, xa"));
    const rows = await attendanceExport({ prisma: env.store.prisma, config: env.config, clock: env.clock.now }, 1);
    expect(rows!.map((r) => [r.ho_ten, r.tra_loi, r.ly_do])).toEqual([
      ["Lê Văn Ba", "Vắng", "đi công tác, xa"],
      ["Nguyễn Văn Bí", "Chưa trả lời", ""],
      ["Phạm Bốn", "Chưa trả lời", ""],
      ["Trần Thị Hai", "Có mặt", ""],
    ]);
    const csv = attendanceCsv(rows!, env.config);
    expect(csv.startsWith('\uFEFF"meeting_id","meeting_time","ho_ten"')).toBe(true);
    // The meeting id and times are data (unquoted, times in the cell's zone); names and reasons quoted text.
    expect(csv).toContain('1,2026-12-04 19:30,"Lê Văn Ba","Đảng viên","Vắng","đi công tác, xa","zalo",2026-12-01 09:00\n');
    expect(csv).toContain('1,2026-12-04 19:30,"Phạm Bốn","Đảng viên","Chưa trả lời","","",\n');
    expect(csv.trim().split("\n")).toHaveLength(5);
    expect(await attendanceExport({ prisma: env.store.prisma, config: env.config, clock: env.clock.now }, 99)).toBeNull();
  });
});

describe("small conveniences", () => {
  it("/doihop without an id changes the cell's next meeting; /dangky from a Telegram group is refused", async () => {
    await seedCell();
    await dispatch(feature, text("telegram", "100", HOP));
    expect(said(await dispatch(feature, text("telegram", "100", "/doihop 2026-12-05 08:00 | Nhà văn hóa")))).toContain("Nhà văn hóa");
    const m = await env.store.prisma.meeting.findUniqueOrThrow({ where: { id: 1 } });
    expect(m).toMatchObject({ location: "Nhà văn hóa", timeVersion: 2 });
    const inGroup = text("telegram", "555", "/dangky ABCDEFGH", { chatId: "-100200300" });
    expect(said(await dispatch(feature, inGroup))).toContain("tin nhắn riêng");
  });
});
