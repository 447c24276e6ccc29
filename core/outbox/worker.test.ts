import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadConfig } from "../config.js";
import { openStore, type Store } from "../db/store.js";
import { ChannelSendError } from "../conversation/types.js";
import { createServerInstance, type ServerInstance } from "../cluster/server-instance.js";
import { FakeClock, RecordingSender, T0 } from "../../test/meetings/helpers.js";
import { TEST_ENGINE, testDatabaseEnv } from "../../test/support/database.js";
import { openOutboxWorker, type OpenOutboxWorkerOptions } from "./open-worker.js";
import { enqueue, outboxStatusCounts } from "./outbox.js";

const items = (n: number, prefix = "k") =>
  Array.from({ length: n }, (_, i) => ({ dedupeKey: `${prefix}:${i}`, channel: "telegram" as const, chatId: `c${i}`, message: { text: `tin ${i}` } }));

/** The outbox worker of the store's engine (on PostgreSQL: one server instance's, sharing the cluster's budget). */
describe(`the outbox worker (${TEST_ENGINE})`, () => {
  let dir: string;
  let store: Store;
  let instance: ServerInstance | undefined;
  let clock: FakeClock;
  const worker = (options: Omit<OpenOutboxWorkerOptions, "instanceId">) => openOutboxWorker(store, { clock: clock.now, ...options, instanceId: instance?.id });

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "sotay-outbox-"));
    store = await openStore(loadConfig({ DATA_DIR: dir, LOG_LEVEL: "silent", ...(await testDatabaseEnv()) }));
    instance = store.engine === "postgresql" ? createServerInstance(store.pg) : undefined;
    await instance?.start();
    clock = new FakeClock(T0);
  });
  afterEach(async () => {
    await instance?.close();
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("stores messages before sending and never queues the same dedupeKey twice", async () => {
    const p = store.prisma;
    expect(await enqueue(p, items(250), clock.now())).toBe(250);
    expect(await enqueue(p, items(260), clock.now())).toBe(10);
    expect(await outboxStatusCounts(p)).toEqual({ pending: 260 });
    const row = await p.outboxMessage.findUniqueOrThrow({ where: { dedupeKey: "k:259" } });
    expect(row).toMatchObject({ chatId: "c259", status: "pending", attempts: 0, nextAttemptAt: clock.now() });
  });

  it("sends no more than the overall rate per window and at most one message per chat per second", async () => {
    const p = store.prisma;
    await enqueue(p, items(25), clock.now());
    await enqueue(p, [{ dedupeKey: "again", channel: "telegram", chatId: "c0", message: { text: "lần hai" } }], clock.now());
    const sender = new RecordingSender("telegram");
    const w = worker({ senders: [sender], limits: { telegram: { perSecond: 10, perChatPerSecond: 1 } }, ticksPerSecond: 1 });
    await w.drain();
    expect(sender.sent).toHaveLength(10);
    clock.advance(500);
    await w.drain();
    expect(sender.sent).toHaveLength(10); // still inside the 1 s window
    clock.advance(600);
    await w.drain();
    expect(sender.sent).toHaveLength(20);
    clock.advance(1100);
    await w.drain();
    clock.advance(1100);
    await w.drain();
    expect(sender.sent).toHaveLength(26);
    expect(sender.to("c0").map((s) => s.message.text)).toEqual(["tin 0", "lần hai"]);
    expect(await outboxStatusCounts(p)).toEqual({ delivered: 26 });
  });

  it("retries a retryable failure after retry_after, and gives up after maxAttempts on the others", async () => {
    const p = store.prisma;
    await enqueue(p, items(3), clock.now());
    const sender = new RecordingSender("telegram");
    let calls429 = 0;
    sender.fail = (chatId) => {
      if (chatId === "c0" && calls429++ === 0) return new ChannelSendError("429", true, 5);
      if (chatId === "c1") return new ChannelSendError("Forbidden: bot was blocked by the user", false);
      if (chatId === "c2") return new ChannelSendError("502 Bad Gateway", true);
      return undefined;
    };
    const w = worker({ senders: [sender], limits: { telegram: { perSecond: 100 } }, maxAttempts: 3 });
    await w.drain();
    expect(sender.sent).toHaveLength(0);
    expect(await p.outboxMessage.findUniqueOrThrow({ where: { dedupeKey: "k:1" } })).toMatchObject({ status: "failed", lastError: expect.stringContaining("blocked") });
    const c0 = await p.outboxMessage.findUniqueOrThrow({ where: { dedupeKey: "k:0" } });
    expect(c0.status).toBe("pending");
    expect(c0.nextAttemptAt.getTime()).toBe(clock.ms + 5000);
    clock.advance(4000);
    await w.drain();
    expect(sender.sent).toHaveLength(0); // retry_after honoured (the whole channel paused)
    clock.advance(1000);
    await w.drain();
    expect(sender.to("c0")).toHaveLength(1);
    clock.advance(60_000);
    await w.drain();
    clock.advance(60_000);
    await w.drain();
    expect(await p.outboxMessage.findUniqueOrThrow({ where: { dedupeKey: "k:2" } })).toMatchObject({ status: "failed", attempts: 3 });
    expect(await outboxStatusCounts(p)).toEqual({ delivered: 1, failed: 2 });
  });

  it("sends a reply's parts at once, in order, and marks them delivered", async () => {
    const p = store.prisma;
    await enqueue(p, [0, 1, 2].map((i) => ({ dedupeKey: `reply:${i}`, channel: "telegram" as const, chatId: "m1", message: { text: `phần ${i}` } })), clock.now());
    const rows = await p.outboxMessage.findMany({ orderBy: { id: "asc" } });
    const sender = new RecordingSender("telegram");
    const w = worker({ senders: [sender], limits: { telegram: { perSecond: 30, perChatPerSecond: 1 } } });
    await w.deliverNow(rows);
    expect(sender.to("m1").map((s) => s.message.text)).toEqual(["phần 0", "phần 1", "phần 2"]);
    expect(await outboxStatusCounts(p)).toEqual({ delivered: 3 });
  });

  it("waits for the loop's send of a reply the loop took first, so a processed update's replies were attempted", async () => {
    const p = store.prisma;
    await enqueue(p, [{ dedupeKey: "reply:x:0", channel: "telegram" as const, chatId: "m2", message: { text: "trả lời" } }], clock.now());
    const rows = await p.outboxMessage.findMany();
    const sender = new RecordingSender("telegram");
    let open!: () => void;
    sender.gate = new Promise<void>((r) => (open = r));
    const w = worker({ senders: [sender], limits: { telegram: { perSecond: 30, perChatPerSecond: 1 } } });
    expect(await w.tick()).toBe(1); // the loop claims the reply; its request hangs on the gate
    let returned = false;
    const delivered = w.deliverNow(rows).then(() => (returned = true));
    await new Promise((r) => setTimeout(r, 100));
    expect(returned).toBe(false);
    open();
    await delivered;
    expect(sender.to("m2")).toHaveLength(1); // sent once, by the loop
    expect(await outboxStatusCounts(p)).toEqual({ delivered: 1 });
  });

  it("start() delivers in the background; stop() waits for requests in flight", async () => {
    await enqueue(store.prisma, items(5));
    const sender = new RecordingSender("telegram");
    const w = openOutboxWorker(store, { senders: [sender], limits: { telegram: { perSecond: 1000 } }, idlePollMs: 10, instanceId: instance?.id });
    await w.start();
    for (let i = 0; i < 200 && sender.sent.length < 5; i++) await new Promise((r) => setTimeout(r, 10));
    await w.stop();
    expect(sender.sent).toHaveLength(5);
    expect(await outboxStatusCounts(store.prisma)).toEqual({ delivered: 5 });
  });
});
