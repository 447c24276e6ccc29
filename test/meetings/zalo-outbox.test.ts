import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { resolveNumberedReply, zaloChoiceMemory } from "../../bot/zalo/choices.js";
import { createZaloSender } from "../../bot/zalo/sender.js";
import { createStateStore } from "../../core/conversation/state-store.js";
import { createLogger } from "../../core/logger.js";
import { createMeetingsFeature } from "../../core/meetings/feature.js";
import { createOutboxWorker } from "../../core/outbox/worker.js";
import { addMember, dispatch, openTestEnv, said, text, type TestEnv } from "./helpers.js";

/** A minimal fake of the Zalo Bot API's sendMessage that records what it receives. */
async function startFakeZalo() {
  const received: { chat_id: string; text: string }[] = [];
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString("utf8")));
    req.on("end", () => {
      const payload = JSON.parse(body || "{}") as { chat_id: string; text: string };
      received.push(payload);
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ ok: true, result: { message_id: `zm-${received.length}`, date: Date.now() } }));
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, received, close: () => new Promise<void>((r) => server.close(() => r())) };
}

let env: TestEnv;
let zaloApi: Awaited<ReturnType<typeof startFakeZalo>>;
beforeEach(async () => {
  env = await openTestEnv();
  zaloApi = await startFakeZalo();
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

    const state = createStateStore(env.store.sqlite, () => env.clock.ms);
    const zalo = createZaloSender({ token: "1:zalo", apiRoot: zaloApi.url, logger: createLogger({ LOG_LEVEL: "silent" }), choiceMemory: zaloChoiceMemory(state) });
    const worker = createOutboxWorker({ prisma: env.store.prisma, senders: [zalo], limits: { zalo: { perSecond: 10, perChatPerSecond: 1 } }, clock: env.clock.now });
    await worker.drain();
    env.clock.advance(1100);
    await worker.drain();
    expect(zaloApi.received).toHaveLength(2);
    expect(zaloApi.received[1]!.text).toContain("THÔNG BÁO SINH HOẠT CHI BỘ");
    expect(zaloApi.received[1]!.text).toContain("✅ Có mặt");

    // The adapter maps "1" to the last notice's first choice: meeting 2, although two are upcoming.
    const incoming = resolveNumberedReply(state, text("zalo", "z-1", "1"));
    expect(incoming.kind).toBe("choice");
    expect(said(await dispatch(feature, incoming))).toContain("có mặt** tại cuộc họp #2");
    // "2 <lý do>" is not a bare number: it reaches the text grammar, which asks which meeting.
    const again = resolveNumberedReply(state, text("zalo", "z-1", "2 ốm"));
    expect(said(await dispatch(feature, again))).toContain("nhiều cuộc họp");
    const rows = await env.store.prisma.attendance.findMany({ where: { memberId: member.id } });
    expect(rows.map((r) => [r.meetingId, r.response])).toEqual([[2, "present"]]);
  });
});
