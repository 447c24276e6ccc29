import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { resolveNumberedReply, zaloChoiceMemory } from "../../bot/zalo/choices.js";
import { createZaloSender } from "../../bot/zalo/sender.js";
import { createStateStore } from "../../core/conversation/state-store.js";
import { createLogger } from "../../core/logger.js";
import { createMeetingsFeature } from "../../core/meetings/feature.js";
import { startFakeApi, type FakeApi } from "../channels/support/fake-api.js";
import { addMember, dispatch, openTestEnv, said, text, type TestEnv, testOutboxWorker } from "./helpers.js";

let env: TestEnv;
let zaloApi: FakeApi;
beforeEach(async () => {
  env = await openTestEnv();
  zaloApi = await startFakeApi("zalo");
});
afterEach(async () => {
  await zaloApi.close();
  await env.cleanup();
});

describe("notices through the real Zalo sender", () => {
  it("arrive as text with a numbered menu, and a bare '1' answers that very meeting", async () => {
    await addMember(env.store, { name: "Bí thư", cell: "Chi bộ 1", role: "bi_thu", link: { channel: "telegram", userId: "100" } });
    const member = await addMember(env.store, { name: "Đảng viên Zalo", cell: "Chi bộ 1", link: { channel: "zalo", userId: "z-1" } });
    const feature = createMeetingsFeature({ prisma: env.store.prisma, config: env.config, state: env.state, clock: env.clock.now });
    await dispatch(feature, text("telegram", "100", "/hop 2026-12-04 19:30 | Hội trường | Họp tháng 12"));
    await dispatch(feature, text("telegram", "100", "/hop 2026-12-11 19:30 | Hội trường | Họp chuyên đề"));

    const state = createStateStore(env.store, () => env.clock.ms);
    const zalo = createZaloSender({ token: "1:zalo", apiRoot: zaloApi.url, logger: createLogger({ LOG_LEVEL: "silent" }), choiceMemory: zaloChoiceMemory(state) });
    const worker = testOutboxWorker(env.store, { senders: [zalo], limits: { zalo: { perSecond: 10, perChatPerSecond: 1 } }, clock: env.clock.now });
    await worker.drain();
    env.clock.advance(1100);
    await worker.drain();
    const received = zaloApi.calls("sendMessage") as { chat_id: string; text: string }[];
    expect(received).toHaveLength(2);
    expect(received[1]!.text).toContain("THÔNG BÁO SINH HOẠT CHI BỘ");
    expect(received[1]!.text).toContain("✅ Có mặt");

    // The adapter maps "1" to the last notice's first choice: meeting 2, although two are upcoming.
    const incoming = await resolveNumberedReply(state, text("zalo", "z-1", "1"));
    expect(incoming.kind).toBe("choice");
    expect(said(await dispatch(feature, incoming))).toContain("có mặt** tại cuộc họp #2");
    // "2 <lý do>" is not a bare number: it reaches the text grammar, which asks which meeting.
    const again = await resolveNumberedReply(state, text("zalo", "z-1", "2 ốm"));
    expect(said(await dispatch(feature, again))).toContain("nhiều cuộc họp");
    const rows = await env.store.prisma.attendance.findMany({ where: { memberId: member.id } });
    expect(rows.map((r) => [r.meetingId, r.response])).toEqual([[2, "present"]]);
  });
});
