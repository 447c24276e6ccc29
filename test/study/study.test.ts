/**
 * A study task end to end: the officer sets it, the notice reaches the cell through the outbox and
 * the real Telegram and Zalo senders (fake platform APIs), members read sections and confirm by
 * button, by "đã học" and by a numbered Zalo reply, reminders go only to those who have not
 * confirmed, and /tiendo, the self-check and the export show it all. Other cells and plain
 * members see and change nothing.
 */
import fs from "node:fs";
import path from "node:path";
import { parse } from "csv-parse/sync";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runAdmin } from "../../bot/cli/admin.js";
import type { Conversation } from "../../core/conversation/conversation.js";
import { createDeadlineScheduler } from "../../core/deadlines/scheduler.js";
import { createMeetingsFeature } from "../../core/meetings/feature.js";
import { createStudyFeature } from "../../core/study/feature.js";
import { processStudyReminders } from "../../core/study/service.js";
import { startFakeApi, type FakeApi } from "../channels/support/fake-api.js";
import { addMember, openTestEnv, type TestEnv } from "../meetings/helpers.js";
import { conversationWith, joined, realDelivery, seedDocuments, tg } from "./support.js";

let env: TestEnv;
let telegramApi: FakeApi;
let zaloApi: FakeApi;
let conversation: Conversation;
let delivery: ReturnType<typeof realDelivery>;
let sections: Record<string, number>;

beforeEach(async () => {
  env = await openTestEnv();
  telegramApi = await startFakeApi("telegram");
  zaloApi = await startFakeApi("zalo");
  ({ sectionIds: sections } = await seedDocuments(env.store));
  const deps = { prisma: env.store.prisma, config: env.config, state: env.state, clock: env.clock.now };
  // The meetings feature is there too: "1" and "vắng ..." must still reach it, "đã học" must not.
  conversation = conversationWith([createMeetingsFeature(deps), createStudyFeature(deps)]);
  delivery = realDelivery({ telegram: telegramApi, zalo: zaloApi, state: env.state, store: env.store, clock: env.clock });
});
afterEach(async () => {
  await telegramApi.close();
  await zaloApi.close();
  await env.cleanup();
});

async function seedCells() {
  const s = env.store;
  await addMember(s, { name: "Nguyễn Văn Bí", cell: "Chi bộ 1", role: "bi_thu", link: { channel: "telegram", userId: "100" } });
  await addMember(s, { name: "Trần Thị Hai", cell: "Chi bộ 1", link: { channel: "telegram", userId: "101" } });
  await addMember(s, { name: "Lê Văn Ba", cell: "Chi bộ 1", link: { channel: "zalo", userId: "z-102" } });
  await addMember(s, { name: "Phạm Bốn", cell: "Chi bộ 1" });
  await addMember(s, { name: "Hoàng Năm", cell: "Chi bộ 2", role: "bi_thu", link: { channel: "telegram", userId: "200" } });
  await addMember(s, { name: "Vũ Sáu", cell: "Chi bộ 2", link: { channel: "telegram", userId: "201" } });
}

const say = async (userId: string, input: { text?: string; choice?: string }) => joined(await conversation.handle(tg(userId, input)));
const sentTo = (chatId: string) =>
  (telegramApi.calls("sendMessage") as { chat_id: string; text: string; reply_markup?: { inline_keyboard: { text: string; callback_data: string }[][] } }[]).filter(
    (c) => String(c.chat_id) === chatId,
  );
const HOCTAP = "/hoctap dieu le mau | 2026-12-20 | Học trước kỳ sinh hoạt tháng 12";

describe("a study task from notice to confirmations, reminders and /tiendo", () => {
  it("runs end to end on Telegram and Zalo", async () => {
    await seedCells();
    const created = await say("100", { text: HOCTAP });
    expect(created).toContain("Đã giao đợt học tập **#1** cho Chi bộ 1");
    expect(created).toContain("Hạn: **20/12/2026**");
    expect(created).toContain("3 đảng viên đã liên kết");
    expect(created).toContain("1 đảng viên chưa liên kết");
    await delivery.worker.drain();

    // Telegram: the notice with its outline and buttons; nobody of cell 2 hears of it.
    const notice = sentTo("101")[0]!;
    expect(notice.text).toContain("HỌC TẬP, QUÁN TRIỆT");
    expect(notice.text).toContain("Điều lệ mẫu của chi bộ");
    expect(notice.text).toContain("Ghi chú: Học trước kỳ sinh hoạt tháng 12");
    expect(notice.text).toContain("• Chương I. Đảng viên");
    const buttons = notice.reply_markup!.inline_keyboard.flat();
    expect(buttons.at(-1)).toEqual({ text: "✅ Đã học", callback_data: "st:ok:1" });
    expect(buttons.map((b) => b.text)).toEqual(["Phần mở đầu", "Chương I. Đảng viên", "Chương II. Chi bộ", "✅ Đã học"]);
    expect(sentTo("200")).toHaveLength(0);
    expect(sentTo("201")).toHaveLength(0);
    // Zalo: the same notice as text with a numbered menu.
    const zaloNotice = String(zaloApi.calls("sendMessage")[0]!.text);
    expect(zaloNotice).toContain("2. Chương I. Đảng viên");
    expect(zaloNotice).toContain("4. ✅ Đã học");

    // Reading section by section: a chapter lists its articles; an article shows its text and reads on.
    const chapter = await conversation.handle(tg("101", { choice: `st:s:1:${sections["ch1"]}` }));
    expect(chapter[0]!.text).toContain("**Chương I. Đảng viên**");
    expect(chapter[0]!.choices!.map((c) => c.label)).toEqual(["Điều 1. Đảng viên là ai", "Điều 2", "📖 Đọc tiếp: Điều 1. Đảng viên là ai", "📑 Mục lục", "✅ Đã học"]);
    const article = await say("101", { choice: `st:s:1:${sections["ch1/d1"]}` });
    expect(article).toContain("Đảng viên là chiến sĩ tiên phong.");

    // Confirmation by typing, once.
    expect(await say("101", { text: "Em đã học xong rồi ạ" })).toContain("Đã ghi nhận: đồng chí **đã học** “Điều lệ mẫu của chi bộ” (đợt #1)");
    expect(await say("101", { choice: "st:ok:1" })).toContain("đã xác nhận học");
    // Attendance replies still belong to meetings: "1" with no meeting is not taken for a study confirmation.
    expect(await say("101", { text: "vắng họp vì ốm" })).not.toContain("đã học");

    // Zalo: "2" opens the second menu item (Chương I), then "đã học" confirms.
    expect(await delivery.zaloChat(conversation, "z-102", "2")).toContain("Chương I. Đảng viên");
    expect(await delivery.zaloChat(conversation, "z-102", "đã học")).toContain("Đã ghi nhận");

    // Reminders 3 and 1 days before go only to the linked member who has not confirmed (the secretary).
    const scheduler = createDeadlineScheduler({ passes: [() => processStudyReminders({ prisma: env.store.prisma, config: env.config, clock: env.clock.now })] });
    expect(await scheduler.runOnce()).toBe(0);
    env.clock.ms = Date.parse("2026-12-17T01:00:00Z"); // 08:00 on 17/12 in Hanoi
    expect(await scheduler.runOnce()).toBe(1);
    expect(await scheduler.runOnce()).toBe(0);
    await delivery.worker.drain();
    const reminders = (telegramApi.calls("sendMessage") as { chat_id: string; text: string }[]).filter((c) => c.text.includes("NHẮC HỌC TẬP"));
    expect(reminders.map((r) => String(r.chat_id))).toEqual(["100"]);
    expect(reminders[0]!.text).toContain("còn 3 ngày");
    expect(zaloApi.calls("sendMessage").filter((c) => String(c.text).includes("NHẮC HỌC TẬP"))).toHaveLength(0);
    env.clock.ms = Date.parse("2026-12-19T01:00:00Z");
    expect(await scheduler.runOnce()).toBe(1);
    await delivery.worker.drain();
    const second = (telegramApi.calls("sendMessage") as { chat_id: string; text: string }[]).filter((c) => c.text.includes("NHẮC HỌC TẬP"));
    expect(second.map((r) => [String(r.chat_id), r.text.includes("còn 1 ngày")])).toEqual([["100", false], ["100", true]]);

    // /tiendo for the secretary: who has confirmed (with time and channel), who has not.
    const progress = await say("100", { text: "/tiendo" });
    expect(progress).toContain("Tiến độ học tập #1");
    expect(progress).toContain("✅ Đã học (2/4)");
    expect(progress).toMatch(/• Trần Thị Hai — \d\d:\d\d 01\/12\/2026/);
    expect(progress).toContain("⏳ Chưa học (2)");
    expect(progress).toContain("• Phạm Bốn (chưa liên kết)");
    expect(progress).toContain("còn 1 ngày");
    const rows = await env.store.prisma.studyConfirmation.findMany({ orderBy: { id: "asc" } });
    expect(rows.map((r) => r.channel)).toEqual(["telegram", "zalo"]);
  });
});

describe("the self-check", () => {
  it("is attached from a CSV, answered one question at a time by button and by Zalo number or letter, scored for the officers", async () => {
    await seedCells();
    await say("100", { text: HOCTAP });
    const file = path.join(env.dir, "quiz.csv");
    fs.writeFileSync(
      file,
      "Câu hỏi,A,B,C,D,Đáp án\nĐảng viên là ai?,Chiến sĩ tiên phong,Người ngoài,,,A\nĐảng phí đóng khi nào?,Hằng năm,Hằng tháng,Hằng quý,,B\nChi bộ họp mấy lần một tháng?,Một,Hai,Ba,Bốn,A\n",
    );
    const out: string[] = [];
    const io = { out: { write: (t: string) => out.push(t) }, err: { write: (t: string) => out.push(t) } };
    expect(await runAdmin(["study-quiz", "1", file], { DATA_DIR: env.dir, DATABASE_URL: env.config.DATABASE_URL, LOG_LEVEL: "silent" }, io)).toBe(0);
    expect(out.join("")).toContain("Attached 3 question(s) to study task 1");
    await delivery.worker.drain();
    expect(sentTo("101").some((m) => m.text.includes("bài tự kiểm tra") && m.reply_markup!.inline_keyboard.flat()[0]!.callback_data === "st:q:1")).toBe(true);

    // Telegram, by button.
    const q1 = await conversation.handle(tg("101", { choice: "st:q:1" }));
    expect(q1[0]!.text).toContain("**Câu 1/3**");
    expect(q1[0]!.text).toContain("B. Người ngoài");
    expect(q1[0]!.choices!.map((c) => c.value)).toEqual(["st:a:1:1:0", "st:a:1:1:1"]);
    expect(await say("101", { choice: "st:a:1:1:0" })).toContain("✔️ Đúng.");
    expect(await say("101", { choice: "st:a:1:1:1" })).toContain("Câu 1 đồng chí đã trả lời rồi");
    expect(await say("101", { choice: "st:a:1:2:0" })).toContain("Đáp án: **B. Hằng tháng**");
    expect(await say("101", { text: "a" })).toContain("**2/3** câu đúng");

    // Zalo: "/kiemtra", then a number (the numbered menu) and letters.
    expect(await delivery.zaloChat(conversation, "z-102", "/kiemtra")).toContain("1. A");
    expect(await delivery.zaloChat(conversation, "z-102", "1")).toContain("Câu 2/3");
    expect(await delivery.zaloChat(conversation, "z-102", "B")).toContain("Câu 3/3");
    expect(await delivery.zaloChat(conversation, "z-102", "c")).toContain("bài tự kiểm tra: 2/3 câu đúng");

    expect(await say("100", { text: "/tiendo 1" })).toContain("kiểm tra 2/3");
    // Once answered, the questions can no longer be replaced.
    expect(await runAdmin(["study-quiz", "1", file], { DATA_DIR: env.dir, DATABASE_URL: env.config.DATABASE_URL, LOG_LEVEL: "silent" }, io)).toBe(1);
    expect(out.join("")).toContain("2 member(s) have already answered");

    // The export, as CSV for Excel.
    out.length = 0;
    expect(await runAdmin(["export-study", "1", "--csv"], { DATA_DIR: env.dir, DATABASE_URL: env.config.DATABASE_URL, LOG_LEVEL: "silent" }, io)).toBe(0);
    const csv = out.join("");
    expect(csv.startsWith("\uFEFF")).toBe(true);
    const table = parse(csv.slice(1)) as string[][];
    expect(table[0]!.slice(0, 4)).toEqual(["dot_hoc_tap", "van_ban", "han", "ho_ten"]);
    expect(table).toContainEqual(["1", "Điều lệ mẫu của chi bộ", "20/12/2026", "Trần Thị Hai", "Đảng viên", "Chưa học", "", "", "", "2/3"]);
  });

  it("rejects a bad CSV with the line of each problem and attaches nothing", async () => {
    await seedCells();
    await say("100", { text: HOCTAP });
    const file = path.join(env.dir, "bad.csv");
    fs.writeFileSync(file, "cau_hoi,a,b,c,d,dap_an\nCâu một,x,y,,,E\n,x,y,,,A\nCâu ba,x,,z,,A\n");
    const err: string[] = [];
    const io = { out: { write: () => undefined }, err: { write: (t: string) => err.push(t) } };
    expect(await runAdmin(["study-quiz", "1", file], { DATA_DIR: env.dir, DATABASE_URL: env.config.DATABASE_URL, LOG_LEVEL: "silent" }, io)).toBe(1);
    expect(err.join("")).toContain('line 2: dap_an "E" is not one of A, B, C, D');
    expect(err.join("")).toContain("line 3: cau_hoi (the question) is empty");
    expect(err.join("")).toContain("line 4: options must be filled in order");
    expect(await env.store.prisma.studyQuestion.count()).toBe(0);
  });
});

describe("bad input and permissions", () => {
  it("explains bad commands in Vietnamese and creates nothing", async () => {
    await seedCells();
    expect(await say("100", { text: "/hoctap không có văn bản này | 2026-12-20 | x" })).toContain("Không tìm thấy văn bản");
    expect(await say("100", { text: "/hoctap mau | 2026-12-20" })).toContain("Có 2 văn bản khớp");
    expect(await say("100", { text: "/hoctap 99 | 20/13/2026" })).toContain("không tồn tại");
    expect(await say("100", { text: "/hoctap 99 | 2026-11-30" })).toContain("đã qua");
    expect(await say("100", { text: "/hoctap 99 | tuần sau" })).toContain("Không hiểu hạn");
    expect(await say("100", { text: "/hoctap quy dinh mau" })).toContain("Thiếu hạn");
    expect(await say("100", { text: "/hoctap 99" })).toContain("Không tìm thấy đợt học tập #99");
    expect(await env.store.prisma.studyTask.count()).toBe(0);
    // By number, a task is created (for a due day that is today).
    expect(await say("100", { text: "/hoctap 99-QĐ/M | 01/12/2026" })).toContain("Quy định mẫu về sinh hoạt");
  });

  it("plain members and other cells can neither set, see, open nor confirm a cell's task", async () => {
    await seedCells();
    expect(await say("101", { text: HOCTAP })).toContain("Chỉ Bí thư, Phó Bí thư");
    expect(await env.store.prisma.studyTask.count()).toBe(0);
    await say("100", { text: HOCTAP });
    await delivery.worker.drain();
    expect(await say("101", { text: "/tiendo" })).toContain("Chỉ Bí thư, Phó Bí thư");
    expect(await say("200", { text: "/tiendo 1" })).toContain("Không tìm thấy đợt học tập #1");
    expect(await say("200", { text: "/tiendo" })).toContain("chưa có đợt học tập");
    expect(await say("201", { text: "/hoctap 1" })).toContain("Không tìm thấy đợt học tập #1");
    expect(await say("201", { choice: `st:s:1:${sections["ch1"]}` })).toContain("Không tìm thấy đợt học tập #1");
    expect(await say("201", { choice: "st:ok:1" })).toContain("Không tìm thấy đợt học tập #1");
    expect(await say("201", { choice: "st:q:1" })).toContain("Không tìm thấy đợt học tập #1");
    expect(await say("201", { text: "đã học #1" })).toContain("Không tìm thấy đợt học tập #1");
    expect(await say("201", { text: "đã học" })).toContain("không có đợt học tập nào");
    expect(await say("999", { text: "/hoctap" })).toContain("/dangky");
    expect(await env.store.prisma.studyConfirmation.count()).toBe(0);
    // A section of another document cannot be opened through this task.
    const other = await env.store.prisma.section.create({
      data: { documentId: 2, ordinal: 0, path: "n1", kind: "num", marker: "1.", title: "Khác", depth: 1, text: "Văn bản khác" },
    });
    expect(await say("101", { choice: `st:s:1:${other.id}` })).toContain("Không tìm thấy mục này");
  });
});
