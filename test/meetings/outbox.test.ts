import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ChannelSendError } from "../../core/conversation/types.js";
import { enqueue, outboxStatusCounts } from "../../core/outbox/outbox.js";
import { createOutboxWorker } from "../../core/outbox/worker.js";
import { openStore } from "../../core/db/store.js";
import { openTestEnv, RecordingSender, type TestEnv } from "./helpers.js";

let env: TestEnv;
beforeEach(async () => {
  env = await openTestEnv();
});
afterEach(async () => {
  await env.cleanup();
});

const items = (n: number, prefix = "k") =>
  Array.from({ length: n }, (_, i) => ({
    dedupeKey: `${prefix}:${i}`,
    channel: "telegram" as const,
    chatId: `c${i}`,
    message: { text: `tin ${i}` },
  }));

describe("outbox", () => {
  it("stores messages before sending and never queues the same dedupeKey twice", async () => {
    const p = env.store.prisma;
    expect(await enqueue(p, items(250), env.clock.now())).toBe(250);
    expect(await enqueue(p, items(260), env.clock.now())).toBe(10);
    expect(await p.outboxMessage.count()).toBe(260);
    expect(await outboxStatusCounts(p)).toEqual({ pending: 260 });
  });

  it("sends no more than the overall rate per window and at most one message per chat per second", async () => {
    const p = env.store.prisma;
    await enqueue(p, items(25), env.clock.now());
    await enqueue(p, [{ dedupeKey: "again", channel: "telegram", chatId: "c0", message: { text: "lần hai" } }], env.clock.now());
    const sender = new RecordingSender("telegram");
    const worker = createOutboxWorker({
      prisma: p,
      senders: [sender],
      limits: { telegram: { perSecond: 10, perChatPerSecond: 1 } },
      clock: env.clock.now,
      ticksPerSecond: 1,
    });
    await worker.drain();
    expect(sender.sent).toHaveLength(10);
    env.clock.advance(500);
    await worker.drain();
    expect(sender.sent).toHaveLength(10); // still inside the 1 s window
    env.clock.advance(600);
    await worker.drain();
    expect(sender.sent).toHaveLength(20);
    env.clock.advance(1100);
    await worker.drain();
    env.clock.advance(1100);
    await worker.drain();
    expect(sender.sent).toHaveLength(26);
    // The two messages to c0 are at least a second apart: never in the same tick.
    const c0 = sender.to("c0").map((s) => s.message.text);
    expect(c0).toEqual(["tin 0", "lần hai"]);
    expect(await outboxStatusCounts(p)).toEqual({ delivered: 26 });
  });

  it("retries a retryable failure after retry_after, and gives up after maxAttempts on the others", async () => {
    const p = env.store.prisma;
    await enqueue(p, items(3), env.clock.now());
    const sender = new RecordingSender("telegram");
    let calls429 = 0;
    sender.fail = (chatId) => {
      if (chatId === "c0" && calls429++ === 0) return new ChannelSendError("429", true, 5);
      if (chatId === "c1") return new ChannelSendError("Forbidden: bot was blocked by the user", false);
      if (chatId === "c2") return new ChannelSendError("502 Bad Gateway", true);
      return undefined;
    };
    const worker = createOutboxWorker({ prisma: p, senders: [sender], limits: { telegram: { perSecond: 100 } }, clock: env.clock.now, maxAttempts: 3 });
    await worker.drain();
    expect(sender.sent).toHaveLength(0);
    const c1 = await p.outboxMessage.findUniqueOrThrow({ where: { dedupeKey: "k:1" } });
    expect(c1.status).toBe("failed");
    expect(c1.lastError).toContain("blocked");
    const c0 = await p.outboxMessage.findUniqueOrThrow({ where: { dedupeKey: "k:0" } });
    expect(c0.status).toBe("pending");
    expect(c0.nextAttemptAt.getTime()).toBe(env.clock.ms + 5000);

    env.clock.advance(4000);
    await worker.drain();
    expect(sender.sent).toHaveLength(0); // retry_after honoured (the whole channel paused)
    env.clock.advance(1000);
    await worker.drain();
    expect(sender.to("c0")).toHaveLength(1);
    env.clock.advance(60_000);
    await worker.drain();
    env.clock.advance(60_000);
    await worker.drain();
    const c2 = await p.outboxMessage.findUniqueOrThrow({ where: { dedupeKey: "k:2" } });
    expect(c2).toMatchObject({ status: "failed", attempts: 3 });
    expect(await outboxStatusCounts(p)).toEqual({ delivered: 1, failed: 2 });
  });

  it("after a crash mid-broadcast, a new process resends only the requests that were in flight: nobody lost", async () => {
    const p = env.store.prisma;
    await enqueue(p, items(40), env.clock.now());
    const sender = new RecordingSender("telegram");
    const worker = createOutboxWorker({ prisma: p, senders: [sender], limits: { telegram: { perSecond: 10 } }, clock: env.clock.now, maxInFlight: 10, ticksPerSecond: 1 });
    await worker.drain(); // 10 delivered
    env.clock.advance(1100);
    // The next 10 requests hang: the process "dies" while they are in flight.
    let release!: () => void;
    sender.gate = new Promise<void>((r) => (release = r));
    expect(await worker.tick()).toBe(10);
    expect(worker.inFlight()).toBe(10);
    const inFlight = await p.outboxMessage.count({ where: { status: "sending" } });
    expect(inFlight).toBe(10);
    await env.store.close(); // crash: the old worker never marks its rows

    const reopened = await openStore(env.config);
    env.store = reopened;
    const sender2 = new RecordingSender("telegram");
    const worker2 = createOutboxWorker({ prisma: reopened.prisma, senders: [sender2], limits: { telegram: { perSecond: 1000 } }, clock: env.clock.now });
    expect(await worker2.recover()).toBe(10);
    await worker2.drain();
    release();

    const all = [...sender.sent, ...sender2.sent].map((s) => s.chatId);
    expect(new Set(all).size).toBe(40); // nobody lost
    const duplicates = all.length - new Set(all).size;
    expect(duplicates).toBeLessThanOrEqual(inFlight); // only the requests in flight may repeat
    expect(duplicates).toBe(10);
    expect(await outboxStatusCounts(reopened.prisma)).toEqual({ delivered: 40 });
  });

  it("start() recovers and delivers in the background; stop() waits for requests in flight", async () => {
    const p = env.store.prisma;
    await enqueue(p, items(5));
    const sender = new RecordingSender("telegram");
    const worker = createOutboxWorker({ prisma: p, senders: [sender], limits: { telegram: { perSecond: 1000 } }, idlePollMs: 10 });
    await worker.start();
    for (let i = 0; i < 200 && sender.sent.length < 5; i++) await new Promise((r) => setTimeout(r, 10));
    await worker.stop();
    expect(sender.sent).toHaveLength(5);
    expect(await outboxStatusCounts(p)).toEqual({ delivered: 5 });
  });
});
