import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createTelegramSender } from "../../bot/telegram/sender.js";
import { createLogger } from "../../core/logger.js";
import { createMeetingsFeature } from "../../core/meetings/feature.js";
import { startFakeApi, tooManyRequests, type FakeApi } from "../channels/support/fake-api.js";
import { addMember, dispatch, openTestEnv, said, text, type TestEnv, testOutboxWorker } from "./helpers.js";

let env: TestEnv;
let api: FakeApi;
beforeEach(async () => {
  env = await openTestEnv();
  // The worker runs on a fake clock here, so the fake server (real time) is not asked to enforce per-chat spacing.
  api = await startFakeApi("telegram", { limits: { perSecond: 30, perChatPerSecond: 100 } });
  api.failNext("sendMessage", 429, tooManyRequests(3));
});
afterEach(async () => {
  await api.close();
  await env.cleanup();
});

describe("notices through the real Telegram sender and a fake Bot API", () => {
  it("delivers the notice with its buttons, retries the 429 after retry_after, and ties a reply to the notice", async () => {
    await addMember(env.store, { name: "Bí thư", cell: "Chi bộ 1", role: "bi_thu", link: { channel: "telegram", userId: "100" } });
    for (let i = 1; i <= 5; i++) await addMember(env.store, { name: `Đảng viên ${i}`, cell: "Chi bộ 1", link: { channel: "telegram", userId: String(100 + i) } });
    const feature = createMeetingsFeature({ prisma: env.store.prisma, config: env.config, state: env.state, clock: env.clock.now });
    await dispatch(feature, text("telegram", "100", "/hop 2026-12-04 19:30 | Hội trường <A&B> | Sinh hoạt **định kỳ**"));
    await dispatch(feature, text("telegram", "100", "/hop 2026-12-11 19:30 | Hội trường | Họp chuyên đề"));

    const sender = createTelegramSender({ token: "123456:TEST-token", apiRoot: api.url, logger: createLogger({ LOG_LEVEL: "silent" }) });
    const worker = testOutboxWorker(env.store, { senders: [sender], limits: { telegram: { perSecond: 30, perChatPerSecond: 1 } }, clock: env.clock.now });
    await worker.drain();
    expect(api.refused.map((r) => r.status)).toEqual([429]);
    const retried = await env.store.prisma.outboxMessage.findFirstOrThrow({ where: { lastError: { not: null } } });
    expect(retried.status).toBe("pending");
    expect(retried.lastError).toContain("429");
    expect(retried.nextAttemptAt.getTime()).toBe(env.clock.ms + 3000);
    // Each chat gets one message per second: advance the clock through the retry and the second notices.
    for (let i = 0; i < 5; i++) {
      env.clock.advance(1100);
      await worker.drain();
    }
    expect(await env.store.prisma.outboxMessage.count({ where: { status: { not: "delivered" } } })).toBe(0);
    const sent = api.calls("sendMessage") as { chat_id: number | string; text: string; reply_markup?: { inline_keyboard: { callback_data: string }[][] } }[];
    expect(sent).toHaveLength(12);
    const perChat = new Map<string, number>();
    for (const m of sent) perChat.set(String(m.chat_id), (perChat.get(String(m.chat_id)) ?? 0) + 1);
    expect([...perChat.values()]).toEqual([2, 2, 2, 2, 2, 2]);
    const first = api.all.find((c) => c.method === "sendMessage" && String(c.body.chat_id) === "103" && String(c.body.text).includes("#1"))!;
    const notice = first.body as (typeof sent)[number];
    expect(notice.text).toContain("Hội trường &lt;A&amp;B&gt;");
    expect(notice.reply_markup?.inline_keyboard.flat().map((b) => b.callback_data)).toEqual(["att:1:present", "att:1:absent"]);
    const messageId = (first.result as { message_id: number }).message_id;

    // A plain-text reply to the first notice is tied to meeting 1, although two meetings are upcoming.
    const out = await dispatch(feature, text("telegram", "103", "vắng, đi công tác", { replyToMessageId: String(messageId) }));
    expect(said(out)).toContain("vắng** cuộc họp #1");
    const row = await env.store.prisma.attendance.findFirstOrThrow();
    expect(row).toMatchObject({ meetingId: 1, response: "absent", reason: "đi công tác" });
  });
});
