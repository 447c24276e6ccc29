import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createTelegramSender } from "../../bot/telegram/sender.js";
import { createLogger } from "../../core/logger.js";
import { createMeetingsFeature } from "../../core/meetings/feature.js";
import { createOutboxWorker } from "../../core/outbox/worker.js";
import { startFakeBotApi, type FakeBotApi } from "./fake-bot-api.js";
import { addMember, dispatch, openTestEnv, said, text, type TestEnv } from "./helpers.js";

let env: TestEnv;
let api: FakeBotApi;
beforeEach(async () => {
  env = await openTestEnv();
  // The worker runs on a fake clock here, so the fake server (real time) is not asked to enforce per-chat spacing.
  api = await startFakeBotApi({ perSecond: 30, perChatPerSecond: 100, reject429First: 1, retryAfter: 3 });
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

    const sender = createTelegramSender({ token: api.token, apiRoot: api.url, logger: createLogger({ LOG_LEVEL: "silent" }) });
    const worker = createOutboxWorker({ prisma: env.store.prisma, senders: [sender], limits: { telegram: { perSecond: 30, perChatPerSecond: 1 } }, clock: env.clock.now });
    await worker.drain();
    expect(api.stats.rejected429).toBe(1);
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
    expect(api.accepted).toHaveLength(12);
    expect([...api.perChat().values()].every((n) => n === 2)).toBe(true);
    const first = api.accepted.find((a) => a.chatId === "103" && a.text.includes("#1"))!;
    expect(first.text).toContain("Hội trường &lt;A&amp;B&gt;");
    expect(first.callbackData).toEqual(["att:1:present", "att:1:absent"]);

    // A plain-text reply to the first notice is tied to meeting 1, although two meetings are upcoming.
    const out = await dispatch(feature, text("telegram", "103", "vắng, đi công tác", { replyToMessageId: String(first.messageId) }));
    expect(said(out)).toContain("vắng** cuộc họp #1");
    const row = await env.store.prisma.attendance.findFirstOrThrow();
    expect(row).toMatchObject({ meetingId: 1, response: "absent", reason: "đi công tác" });
  });
});
