import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createTelegramSender } from "../../bot/telegram/sender.js";
import { createConversation, type Conversation } from "../../core/conversation/conversation.js";
import type { IncomingMessage } from "../../core/conversation/types.js";
import { createLogger } from "../../core/logger.js";
import { createMeetingsFeature } from "../../core/meetings/feature.js";
import { createOutboxWorker, type OutboxWorker } from "../../core/outbox/worker.js";
import type { Answerer } from "../../core/search/types.js";
import { startFakeApi, type FakeApi } from "../channels/support/fake-api.js";
import { addMember, openTestEnv, RecordingSender, said, text, type TestEnv, testOutboxWorker } from "./helpers.js";

const GROUP = "-100200300";
const SENT_PRIVATELY = "🔒 Nội dung có thông tin cá nhân nên đã được gửi riêng cho đồng chí (tin nhắn riêng với bot).";
/** Everything personal the roll of the seeded cell shows. */
const PERSONAL = ["Trần Thị Hai", "Lê Văn Ba", "Phạm Bốn", "điều trị ung thư", "Có mặt (", "Vắng ("];

let env: TestEnv;
let api: FakeApi;
let conversation: Conversation;
let worker: OutboxWorker;
let zalo: RecordingSender;
let nextMessageId = 1;

const noAnswers: Answerer = { answer: async (question) => ({ question, mode: "none", answered: false, passages: [], offered: 0, highlights: [] }) };

beforeEach(async () => {
  env = await openTestEnv();
  // The worker runs on the fake clock, so the fake Bot API is not asked to enforce per-chat spacing.
  api = await startFakeApi("telegram", { limits: { perSecond: 30, perChatPerSecond: 100 } });
  zalo = new RecordingSender("zalo");
  const feature = createMeetingsFeature({ prisma: env.store.prisma, config: env.config, state: env.state, clock: env.clock.now });
  conversation = createConversation({ answerer: noAnswers, features: [feature], logger: createLogger({ LOG_LEVEL: "silent" }) });
  const telegram = createTelegramSender({ token: "123456:TEST-token", apiRoot: api.url, logger: createLogger({ LOG_LEVEL: "silent" }) });
  worker = testOutboxWorker(env.store, { senders: [telegram, zalo],
    limits: { telegram: { perSecond: 30, perChatPerSecond: 1 }, zalo: { perSecond: 10, perChatPerSecond: 1 } },
    clock: env.clock.now,
  });
});
afterEach(async () => {
  await api.close();
  await env.cleanup();
});

/** A message in the group (as the Telegram adapter makes it: the group's chat id, the sender's user id). */
const inGroup = (userId: string, body: string, channel: "telegram" | "zalo" = "telegram", chatId = GROUP): IncomingMessage =>
  text(channel, userId, body, { chatId, messageId: String(nextMessageId++) });

/** Sends everything queued (the clock moves past each chat's 1 s spacing). */
async function deliverAll() {
  for (let i = 0; i < 4; i++) {
    await worker.drain();
    env.clock.advance(1100);
  }
}

const sentTo = (chatId: string) => (api.calls("sendMessage") as { chat_id: string; text: string }[]).filter((m) => String(m.chat_id) === chatId).map((m) => m.text);

/** A cell with a secretary (Telegram 100), members who answered, one with a medical reason, and an upcoming meeting. */
async function seedCell() {
  await addMember(env.store, { name: "Nguyễn Văn Bí", cell: "Chi bộ 1", role: "bi_thu", link: { channel: "telegram", userId: "100" } });
  await addMember(env.store, { name: "Trần Thị Hai", cell: "Chi bộ 1", link: { channel: "telegram", userId: "101" } });
  await addMember(env.store, { name: "Lê Văn Ba", cell: "Chi bộ 1", link: { channel: "zalo", userId: "z-102" } });
  await addMember(env.store, { name: "Phạm Bốn", cell: "Chi bộ 1" });
  expect(said(await conversation.handle(text("telegram", "100", "/hop 2026-12-04 19:30 | Hội trường | Họp tháng 12")))).toContain("Đã lên lịch");
  await conversation.handle(text("telegram", "101", "1"));
  await conversation.handle(text("zalo", "z-102", "vắng, đang điều trị ung thư"));
  await deliverAll(); // the notices
  api.all.length = 0;
  zalo.sent.length = 0;
}

describe("personal data asked for in a group", () => {
  it("/diemdanh: the group gets one line, the roll goes to the officer's private chat through the outbox", async () => {
    await seedCell();
    const asked = inGroup("100", "/diemdanh");
    const reply = await conversation.handle(asked);
    expect(reply).toEqual([{ text: SENT_PRIVATELY }]);
    await deliverAll();
    expect(sentTo(GROUP)).toEqual([]);
    const [roll, ...more] = sentTo("100");
    expect(more).toEqual([]);
    for (const p of ["Điểm danh cuộc họp #1", "Trần Thị Hai", "Lê Văn Ba — đang điều trị ung thư", "Phạm Bốn (chưa liên kết)"]) expect(roll).toContain(p);
    const row = await env.store.prisma.outboxMessage.findFirstOrThrow({ where: { chatId: "100", dedupeKey: { startsWith: "private:" } } });
    expect(row.status).toBe("delivered");

    // The same update delivered again queues nothing twice.
    expect(await conversation.handle(asked)).toEqual([{ text: SENT_PRIVATELY }]);
    await deliverAll();
    expect(sentTo("100")).toHaveLength(1);
  });

  it("without a private chat linked on that channel, the group is told so, with no personal data", async () => {
    await seedCell();
    // A secretary whose account was linked from a group (before /dangky required a private chat).
    await addMember(env.store, { name: "Đỗ Phó", cell: "Chi bộ 1", role: "pho_bi_thu", link: { channel: "telegram", userId: "300", chatId: GROUP } });
    const reply = said(await conversation.handle(inGroup("300", "/diemdanh")));
    expect(reply).toContain("chưa liên kết tin nhắn riêng với bot trên Telegram");
    for (const p of PERSONAL) expect(reply).not.toContain(p);
    expect(await env.store.prisma.outboxMessage.count({ where: { dedupeKey: { startsWith: "private:" } } })).toBe(0);
  });

  it("the same on Zalo: the roll goes to the officer's Zalo private chat", async () => {
    await seedCell();
    await addMember(env.store, { name: "Vũ Phó", cell: "Chi bộ 1", role: "pho_bi_thu", link: { channel: "zalo", userId: "z-200" } });
    expect(await conversation.handle(inGroup("z-200", "/diemdanh", "zalo", "zalo-group-1"))).toEqual([{ text: SENT_PRIVATELY }]);
    await deliverAll();
    expect(zalo.to("zalo-group-1")).toEqual([]);
    expect(zalo.to("z-200").map((s) => s.message.text).join("\n")).toContain("Lê Văn Ba — đang điều trị ung thư");
  });

  it("a member's attendance reply and /lichhop in a group: recorded, confirmed privately; the reason is asked for there", async () => {
    await seedCell();
    // "2" without a reason, written in the group (a reply to the bot): recorded, the reason is asked privately.
    expect(said(await conversation.handle(inGroup("101", "2")))).toBe(SENT_PRIVATELY);
    expect(await env.store.prisma.attendance.findFirst({ where: { member: { fullName: "Trần Thị Hai" } } })).toMatchObject({ response: "absent", reason: null });
    await deliverAll();
    expect(sentTo(GROUP)).toEqual([]);
    expect(sentTo("101").at(-1)).toContain("vui lòng nhắn lý do");
    // The reason, sent in the private chat, is taken as the answer.
    expect(said(await conversation.handle(text("telegram", "101", "đi khám bệnh")))).toContain("Đã ghi lý do vắng cuộc họp #1: đi khám bệnh");

    expect(said(await conversation.handle(inGroup("101", "/lichhop")))).toBe(SENT_PRIVATELY);
    await deliverAll();
    expect(sentTo("101").at(-1)).toContain("đã báo vắng");
    expect(sentTo(GROUP)).toEqual([]);
  });

  it("what has no personal data stays in the group: scheduling, reminding, refusals", async () => {
    await seedCell();
    expect(said(await conversation.handle(inGroup("100", "/diemdanh nhac")))).toContain("Đã gửi nhắc tới 1 đảng viên");
    expect(said(await conversation.handle(inGroup("100", "/hop 2026-12-11 19:30 | Hội trường | Họp chuyên đề")))).toContain("Đã lên lịch cuộc họp **#2**");
    expect(said(await conversation.handle(inGroup("101", "/diemdanh")))).toContain("Chỉ Bí thư");
    expect(await env.store.prisma.outboxMessage.count({ where: { dedupeKey: { startsWith: "private:" } } })).toBe(0);
    // In a private chat the roll is the reply itself.
    expect(said(await conversation.handle(text("telegram", "100", "/diemdanh 1")))).toContain("Lê Văn Ba — đang điều trị ung thư");
  });
});
