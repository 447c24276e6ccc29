/**
 * A full yearly evaluation round: the officer opens it, members fill the guided form on Telegram
 * (buttons) and Zalo (numbered replies), long answers over several messages, Back, Exit, change
 * after submission; reminders go to those who have not submitted; officers record the cell's
 * proposed grades under the cap and the discipline rule, close the round, and export the summary
 * CSV and a DOCX read back here. Other cells and plain members see and change nothing.
 */
import mammoth from "mammoth";
import { parse } from "csv-parse/sync";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Conversation } from "../../core/conversation/conversation.js";
import type { OutgoingMessage } from "../../core/conversation/types.js";
import { createEvaluationFeature } from "../../core/evaluation/feature.js";
import { processEvaluationReminders } from "../../core/evaluation/service.js";
import { createMeetingsFeature } from "../../core/meetings/feature.js";
import { startFakeApi, type FakeApi } from "../channels/support/fake-api.js";
import { addMember, openTestEnv, type TestEnv } from "../meetings/helpers.js";
import { conversationWith, joined, realDelivery, tg } from "../study/support.js";

let env: TestEnv;
let telegramApi: FakeApi;
let zaloApi: FakeApi;
let conversation: Conversation;
let delivery: ReturnType<typeof realDelivery>;

beforeEach(async () => {
  env = await openTestEnv();
  telegramApi = await startFakeApi("telegram");
  zaloApi = await startFakeApi("zalo");
  const deps = { prisma: env.store.prisma, config: env.config, state: env.state, clock: env.clock.now };
  // The order of bot/extensions.ts: the evaluation form before the meetings feature.
  conversation = conversationWith([createEvaluationFeature(deps), createMeetingsFeature(deps)]);
  delivery = realDelivery({ telegram: telegramApi, zalo: zaloApi, state: env.state, store: env.store, clock: env.clock });
});
afterEach(async () => {
  await telegramApi.close();
  await zaloApi.close();
  await env.cleanup();
});

async function seedCells() {
  const s = env.store;
  const link = (userId: string) => ({ channel: "telegram" as const, userId });
  await addMember(s, { name: "Nguyễn Văn Bí", cell: "Chi bộ 1", role: "bi_thu", link: link("100") });
  await addMember(s, { name: "Trần Thị Hai", cell: "Chi bộ 1", link: link("101") });
  await addMember(s, { name: "Lê Văn Ba", cell: "Chi bộ 1", link: { channel: "zalo", userId: "z-102" } });
  await addMember(s, { name: "Đỗ Văn Bốn", cell: "Chi bộ 1", link: link("103") });
  await addMember(s, { name: "Phan Văn Năm", cell: "Chi bộ 1", link: link("104") });
  await addMember(s, { name: "Vũ Thị Sáu", cell: "Chi bộ 1", link: link("105") });
  await addMember(s, { name: "Hồ Văn Bảy", cell: "Chi bộ 1", link: link("106") });
  await addMember(s, { name: "Hoàng Năm", cell: "Chi bộ 2", role: "bi_thu", link: link("200") });
  await addMember(s, { name: "Vũ Sáu", cell: "Chi bộ 2", link: link("201") });
}

const handle = (userId: string, input: { text?: string; choice?: string }) => conversation.handle(tg(userId, input));
const say = async (userId: string, input: { text?: string; choice?: string }) => joined(await handle(userId, input));
const values = (out: OutgoingMessage[]) => (out[0]?.choices ?? []).map((c) => c.value);
const entryOf = (name: string) => env.store.prisma.evaluationEntry.findFirstOrThrow({ where: { member: { fullName: name } } });
const memberId = async (name: string) => (await env.store.prisma.member.findFirstOrThrow({ where: { fullName: name } })).id;

describe("a full evaluation round", () => {
  it("from the notice to the closed round, with the cap enforced", async () => {
    await seedCells();
    expect(await say("100", { text: "/danhgia mo 2026 | 15/12/2026" })).toContain("Đã mở đợt kiểm điểm năm 2026 (#1)");
    expect(await say("100", { text: "/danhgia mo 2026 | 15/12/2026" })).toContain("đã có đợt kiểm điểm năm 2026");
    await delivery.worker.drain();
    const notice = (telegramApi.calls("sendMessage") as { chat_id: string; text: string; reply_markup?: { inline_keyboard: { callback_data: string }[][] } }[]).find((c) => String(c.chat_id) === "101")!;
    expect(notice.text).toContain("KIỂM ĐIỂM, ĐÁNH GIÁ, XẾP LOẠI ĐẢNG VIÊN NĂM 2026");
    expect(notice.reply_markup!.inline_keyboard.flat().map((b) => b.callback_data)).toEqual(["ev:start:1"]);
    expect(telegramApi.calls("sendMessage").some((c) => String(c.chat_id) === "200")).toBe(false);

    // Telegram, by buttons; a long answer over two messages; text during the form is the form's.
    const step1 = await handle("101", { choice: "ev:start:1" });
    expect(step1[0]!.text).toContain("Bước 1/4: Ưu điểm, kết quả đạt được");
    expect(values(step1)).toEqual(["ev:f:1:next", "ev:f:1:exit"]);
    expect(await say("101", { choice: "ev:f:1:next" })).toContain("chưa có nội dung");
    expect(await say("101", { text: "Luôn chấp hành nghiêm chủ trương của Đảng." })).toContain("Đã ghi (tổng 42 ký tự)");
    expect(await say("101", { text: "Hoàn thành tốt nhiệm vụ chuyên môn." })).toContain("Đã ghi (tổng 78 ký tự)");
    expect(await say("101", { choice: "ev:f:1:next" })).toContain("Bước 2/4: Hạn chế, khuyết điểm");
    expect(await say("101", { text: "Vắng sinh hoạt chi bộ 1 lần" })).toContain("Đã ghi");
    expect(await env.store.prisma.attendance.count()).toBe(0);
    const back = await say("101", { choice: "ev:f:1:back" });
    expect(back).toContain("Bước 1/4");
    expect(back).toContain("Luôn chấp hành nghiêm chủ trương của Đảng.\nHoàn thành tốt nhiệm vụ chuyên môn.");
    await say("101", { choice: "ev:f:1:next" });
    await say("101", { choice: "ev:f:1:next" });
    await say("101", { text: "Chưa sắp xếp thời gian hợp lý; sẽ lập kế hoạch từng tháng." });
    const grade = await handle("101", { choice: "ev:f:1:next" });
    expect(grade[0]!.text).toContain("Bước 4/4");
    expect(values(grade).slice(0, 4)).toEqual(["ev:g:1:xuat_sac", "ev:g:1:tot", "ev:g:1:hoan_thanh", "ev:g:1:khong_hoan_thanh"]);
    const review = await handle("101", { choice: "ev:g:1:tot" });
    expect(review[0]!.text).toContain("**4. Tự nhận mức xếp loại:** Hoàn thành tốt nhiệm vụ");
    expect(values(review)[0]).toBe("ev:f:1:submit");
    expect(await say("101", { choice: "ev:f:1:submit" })).toContain("Đã nộp bản tự kiểm điểm năm 2026");
    expect((await entryOf("Trần Thị Hai")).submittedAt).not.toBeNull();

    // A change after submission withdraws it until submitted again.
    await say("101", { choice: "ev:e:1:2" });
    expect(await say("101", { text: "Đôi khi chậm nộp báo cáo." })).toContain("Nộp lại");
    expect((await entryOf("Trần Thị Hai")).submittedAt).toBeNull();
    await say("101", { choice: "ev:f:1:next" });
    await say("101", { choice: "ev:f:1:next" });
    await say("101", { choice: "ev:g:1:tot" });
    await say("101", { choice: "ev:f:1:submit" });
    expect((await entryOf("Trần Thị Hai")).shortcomings).toBe("Vắng sinh hoạt chi bộ 1 lần\nĐôi khi chậm nộp báo cáo.");

    // Zalo, by numbered replies: "1" on the notice starts, "1" is Tiếp, "2" picks the second grade, "1" submits.
    expect(await delivery.zaloChat(conversation, "z-102", "1")).toContain("Bước 1/4");
    await delivery.zaloChat(conversation, "z-102", "Gương mẫu ở khu dân cư.");
    expect(await delivery.zaloChat(conversation, "z-102", "1")).toContain("Bước 2/4");
    await delivery.zaloChat(conversation, "z-102", "Ít tham gia phong trào.");
    await delivery.zaloChat(conversation, "z-102", "1");
    await delivery.zaloChat(conversation, "z-102", "Do bận công việc; sẽ tham gia đều hơn.");
    expect(await delivery.zaloChat(conversation, "z-102", "1")).toContain("2. Hoàn thành tốt nhiệm vụ");
    expect(await delivery.zaloChat(conversation, "z-102", "2")).toContain("1. ✅ Nộp");
    expect(await delivery.zaloChat(conversation, "z-102", "1")).toContain("Đã nộp");
    expect((await entryOf("Lê Văn Ba")).selfGrade).toBe("tot");

    // Exit keeps the draft and leaves the form: the next text is a question again.
    await say("103", { choice: "ev:start:1" });
    await say("103", { text: "Nháp phần ưu điểm" });
    expect(await say("103", { choice: "ev:f:1:exit" })).toContain("Đã thoát biểu mẫu");
    expect(await say("103", { text: "thủ tục chuyển sinh hoạt đảng" })).toContain("Chưa tìm thấy");
    expect((await entryOf("Đỗ Văn Bốn")).strengths).toBe("Nháp phần ưu điểm");
    expect(await say("103", { text: "/danhgia" })).toContain("Bước 2/4"); // back where the draft stops
    await say("103", { choice: "ev:f:1:exit" });

    // Reminders 3 days before go to the linked members who have not submitted.
    env.clock.ms = Date.parse("2026-12-12T01:00:00Z");
    const ctx = { prisma: env.store.prisma, config: env.config, clock: env.clock.now };
    expect(await processEvaluationReminders(ctx)).toBe(1);
    await delivery.worker.drain();
    const reminded = (telegramApi.calls("sendMessage") as { chat_id: string; text: string }[]).filter((c) => c.text.includes("NHẮC TỰ KIỂM ĐIỂM")).map((c) => String(c.chat_id));
    expect(reminded.sort()).toEqual(["100", "103", "104", "105", "106"]);
    expect(zaloApi.calls("sendMessage").some((c) => String(c.text).includes("NHẮC TỰ KIỂM ĐIỂM"))).toBe(false);

    // The officer's view, proposals under the rules, and closing.
    const summary = await say("100", { text: "/danhgia tonghop" });
    expect(summary).toContain("Trần Thị Hai — đã nộp (tự xếp: Hoàn thành tốt nhiệm vụ)");
    expect(summary).toContain("Đã nộp 2/7");
    expect(await say("100", { text: "/danhgia kyluat Hồ Văn Bảy" })).toContain("Đã đánh dấu đồng chí Hồ Văn Bảy bị kỷ luật");
    const bay = await memberId("Hồ Văn Bảy");
    expect(values(await handle("100", { choice: `ev:pm:1:${bay}` }))).toContain(`ev:pg:1:${bay}:tot`);
    expect(await say("100", { choice: `ev:pg:1:${bay}:tot` })).toContain("bị kỷ luật trong năm nên mức cao nhất là “Hoàn thành nhiệm vụ”");
    expect(await say("100", { text: "/danhgia xeploai Hồ Văn Bảy | hoàn thành" })).toContain("Hoàn thành nhiệm vụ");
    expect(await say("100", { text: "/danhgia xeploai Trần Thị Hai | xuất sắc" })).toContain("vượt mức tối đa 0");
    for (const name of ["Nguyễn Văn Bí", "Lê Văn Ba", "Đỗ Văn Bốn", "Phan Văn Năm"]) await say("100", { text: `/danhgia xeploai ${name} | tốt` });
    expect(await say("100", { text: "/danhgia dong" })).toContain("chưa có mức đề xuất: Vũ Thị Sáu");
    await say("100", { text: "/danhgia xeploai Vũ Thị Sáu | hoàn thành" });
    const refused = await say("100", { text: "/danhgia dong" });
    expect(refused).toContain("1 xuất sắc, vượt mức tối đa 0");
    expect((await env.store.prisma.evaluationRound.findFirstOrThrow()).status).toBe("open");
    expect(await say("100", { text: "/danhgia tonghop" })).toContain("⚠️ Xuất sắc 1, Tốt 4: tối đa 0 xuất sắc (20% số hoàn thành tốt) — VƯỢT TỶ LỆ.");
    await say("100", { text: "/danhgia xeploai Vũ Thị Sáu | tốt" });
    const closed = await say("100", { text: "/danhgia dong" });
    expect(closed).toContain("Đã kết thúc đợt kiểm điểm năm 2026");
    expect(closed).toContain("Hoàn thành xuất sắc nhiệm vụ: 1; Hoàn thành tốt nhiệm vụ: 5; Hoàn thành nhiệm vụ: 1");
    expect(await say("100", { text: "/danhgia xeploai Vũ Thị Sáu | hoàn thành" })).toContain("đã kết thúc");
    expect(await say("104", { text: "/danhgia" })).toContain("đã kết thúc");

    // Exports: the summary CSV and one member's DOCX, read back.
    const [csvReply] = await handle("100", { text: "/danhgia xuat" });
    const csv = new TextDecoder("utf-8", { ignoreBOM: true }).decode(csvReply!.file!.content);
    expect(csv.startsWith("\uFEFF")).toBe(true);
    const table = parse(csv.slice(1)) as string[][];
    expect(table[0]!.slice(0, 4)).toEqual(["stt", "ho_ten", "vai_tro", "da_nop"]);
    const row = (name: string) => table.find((r) => r[1] === name)!;
    expect(row("Trần Thị Hai").slice(2, 4)).toEqual(["Đảng viên", "Đã nộp"]);
    expect(table.some((r) => r[5] === "Hoàn thành tốt nhiệm vụ" && r[6] === "" && r[7] === "Hoàn thành xuất sắc nhiệm vụ")).toBe(true);
    expect(row("Hồ Văn Bảy").slice(2)).toEqual(["Đảng viên", "Chưa nộp", "", "", "Có", "Hoàn thành nhiệm vụ"]);
    const [docReply] = await handle("100", { text: "/danhgia xuat Trần Thị Hai" });
    expect(docReply!.file!.fileName).toBe("kiem-diem-2026-tran-thi-hai.docx");
    const { value: text } = await mammoth.extractRawText({ buffer: Buffer.from(docReply!.file!.content) });
    for (const part of ["ĐẢNG CỘNG SẢN VIỆT NAM", "CHI BỘ 1", "BẢN KIỂM ĐIỂM CÁ NHÂN", "Năm 2026", "Trần Thị Hai", "I. ƯU ĐIỂM, KẾT QUẢ ĐẠT ĐƯỢC", "Hoàn thành tốt nhiệm vụ chuyên môn.", "Đôi khi chậm nộp báo cáo.", "☒ Hoàn thành tốt nhiệm vụ", "☐ Hoàn thành xuất sắc nhiệm vụ", "NGƯỜI TỰ KIỂM ĐIỂM", "Chi bộ đề xuất mức xếp loại: Hoàn thành xuất sắc nhiệm vụ", "T/M CHI BỘ"]) {
      expect(text, part).toContain(part);
    }
    expect(await say("100", { text: "/danhgia xuat Phan Văn Năm" })).toContain("chưa nộp bản tự kiểm điểm");
  });
});

describe("permissions and bad input", () => {
  it("plain members and other cells neither see nor change a round", async () => {
    await seedCells();
    expect(await say("101", { text: "/danhgia mo 2026 | 15/12/2026" })).toContain("Chỉ Bí thư, Phó Bí thư");
    expect(await env.store.prisma.evaluationRound.count()).toBe(0);
    expect(await say("100", { text: "/danhgia mo 26 | 15/12/2026" })).toContain("không hợp lệ");
    expect(await say("100", { text: "/danhgia mo 2026 | 30/11/2026" })).toContain("đã qua");
    expect(await say("100", { text: "/danhgia mo 2026" })).toContain("Cú pháp");
    await say("100", { text: "/danhgia mo 2026 | 15/12/2026" });
    const hai = await memberId("Trần Thị Hai");
    for (const cmd of ["tonghop", "xeploai Trần Thị Hai | tốt", "kyluat Trần Thị Hai", "xuat", "dong"]) {
      expect(await say("101", { text: `/danhgia ${cmd}` }), cmd).toContain("Chỉ Bí thư, Phó Bí thư");
      expect(await say("200", { text: `/danhgia ${cmd}` }), cmd).toContain("không có đợt kiểm điểm");
    }
    expect(await say("101", { choice: `ev:pg:1:${hai}:xuat_sac` })).toContain("Chỉ Bí thư, Phó Bí thư");
    expect(await say("200", { choice: `ev:pg:1:${hai}:xuat_sac` })).toContain("không có đợt kiểm điểm");
    expect(await say("200", { choice: "ev:pl:1" })).toContain("không có đợt kiểm điểm");
    expect(await say("201", { choice: "ev:start:1" })).toContain("không có đợt kiểm điểm");
    expect(await say("201", { choice: "ev:f:1:submit" })).toContain("không có đợt kiểm điểm");
    expect(await say("999", { text: "/danhgia" })).toContain("/dangky");
    const entries = await env.store.prisma.evaluationEntry.findMany();
    expect(entries.filter((e) => e.proposedGrade || e.disciplined)).toHaveLength(0);
  });
});
