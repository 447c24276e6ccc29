/**
 * Several server instances on one PostgreSQL database (two stores opened on one test database,
 * each with its own ServerInstance): the inbox, the outbox and the send budget are shared
 * correctly. PostgreSQL only; skipped on SQLite (one server per store).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadConfig } from "../config.js";
import { openStore, type PostgresqlStore } from "../db/store.js";
import { openInbox } from "../inbox/inbox.js";
import { createInboxProcessor } from "../inbox/processor.js";
import { createConversation } from "../conversation/conversation.js";
import { createLogger } from "../logger.js";
import { enqueue, outboxStatusCounts } from "../outbox/outbox.js";
import { openOutboxWorker } from "../outbox/open-worker.js";
import type { OutboxWorker } from "../outbox/worker.js";
import { FakeClock, RecordingSender, T0 } from "../../test/meetings/helpers.js";
import { TEST_ENGINE, freshPostgresqlDatabase } from "../../test/support/database.js";
import { createServerInstance, type ServerInstance } from "./server-instance.js";

interface Node {
  store: PostgresqlStore;
  instance: ServerInstance;
}

const items = (n: number) => Array.from({ length: n }, (_, i) => ({ dedupeKey: `n:${i}`, channel: "telegram" as const, chatId: `c${i}`, message: { text: `tin ${i}` } }));
const update = (key: string, chat = "A") => ({ channel: "telegram", updateKey: key, chatKey: chat, payload: { key } });

describe.runIf(TEST_ENGINE === "postgresql")("several server instances on one PostgreSQL database", () => {
  let dirs: string[] = [];
  let nodes: Node[] = [];
  let url: string;

  async function node(): Promise<Node> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sotay-cluster-"));
    dirs.push(dir);
    const store = (await openStore(loadConfig({ DATA_DIR: dir, DATABASE_URL: url, LOG_LEVEL: "silent" }))) as PostgresqlStore;
    const instance = createServerInstance(store.pg, { leaseMs: 15_000 });
    await instance.start();
    const n = { store, instance };
    nodes.push(n);
    return n;
  }

  beforeEach(async () => {
    url = await freshPostgresqlDatabase();
  });
  afterEach(async () => {
    for (const n of nodes) {
      await n.instance.close().catch(() => undefined);
      await n.store.close();
    }
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
    nodes = [];
    dirs = [];
  });

  it("an update delivered to both instances is stored once; two instances never claim one pending update", async () => {
    const [a, b] = [await node(), await node()];
    const inboxA = openInbox(a.store, { instanceId: a.instance.id });
    const inboxB = openInbox(b.store, { instanceId: b.instance.id });
    const [first, again] = await Promise.all([inboxA.store(update("1")), inboxB.store(update("1"))]);
    expect([first, again].filter((r) => r !== null)).toHaveLength(1);

    // Updates stored by no instance (e.g. handed back): both read at once, each gets its own.
    const orphan = openInbox(a.store);
    for (let i = 2; i <= 201; i++) await orphan.store(update(String(i), `chat${i}`));
    const [ra, rb] = await Promise.all([inboxA.pending(150), inboxB.pending(150)]);
    const ids = [...ra, ...rb].map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length); // nobody's update twice
    const owner = first ? inboxA : inboxB;
    const other = first ? inboxB : inboxA;
    // The stored one stays with the instance that stored it; the other sees only what nobody holds.
    expect((await owner.pending(500)).map((r) => r.updateKey)).toContain("1");
    expect((await other.pending(500)).map((r) => r.updateKey)).not.toContain("1");
    expect(ids).toHaveLength(201); // the 200 nobody held, and the one the owner stored
  });

  it("two workers together send every message exactly once", async () => {
    const [a, b] = [await node(), await node()];
    await enqueue(a.store.prisma, items(300));
    const senders = [new RecordingSender("telegram"), new RecordingSender("telegram")];
    const workers = [a, b].map((n, i) => openOutboxWorker(n.store, { instanceId: n.instance.id, senders: [senders[i]!], limits: { telegram: { perSecond: 1000 } } }));
    await Promise.all(workers.map((w) => w.drain()));
    const sent = senders.flatMap((s) => s.sent.map((m) => m.chatId));
    expect(sent).toHaveLength(300);
    expect(new Set(sent).size).toBe(300);
    expect(senders.every((s) => s.sent.length > 0)).toBe(true); // both did their share
    expect(await outboxStatusCounts(a.store.prisma)).toEqual({ delivered: 300 });
  });

  it("two workers together stay within one budget: never more than the limit per window, per chat one per second", async () => {
    const [a, b] = [await node(), await node()];
    const clock = new FakeClock(T0);
    await enqueue(a.store.prisma, items(60), clock.now());
    // A member with several messages waiting: the per-chat limit holds across instances too.
    await enqueue(a.store.prisma, [1, 2, 3].map((i) => ({ dedupeKey: `m:${i}`, channel: "telegram" as const, chatId: "c0", message: { text: `thêm ${i}` } })), clock.now());
    const senders = [new RecordingSender("telegram"), new RecordingSender("telegram")];
    const sentAt: { chatId: string; at: number }[] = [];
    for (const s of senders) {
      const send = s.send.bind(s);
      s.send = async (chatId, message) => {
        sentAt.push({ chatId, at: clock.ms });
        return send(chatId, message);
      };
    }
    const workers: OutboxWorker[] = [a, b].map((n, i) =>
      openOutboxWorker(n.store, { instanceId: n.instance.id, senders: [senders[i]!], limits: { telegram: { perSecond: 10, perChatPerSecond: 1 } }, clock: clock.now, maxInFlight: 10 }),
    );
    for (let step = 0; step < 40 && sentAt.length < 63; step++) {
      await Promise.all(workers.map((w) => w.drain()));
      clock.advance(250);
    }
    expect(sentAt).toHaveLength(63);
    // In every window of 1000 ms (the fake clock moves in steps of 250), at most 10 sends.
    for (const { at } of sentAt) expect(sentAt.filter((s) => s.at >= at && s.at < at + 1000).length).toBeLessThanOrEqual(10);
    // It uses the budget: 10 in the first window, from both instances together.
    expect(sentAt.filter((s) => s.at === T0)).toHaveLength(10);
    const c0 = sentAt.filter((s) => s.chatId === "c0").map((s) => s.at);
    for (let i = 1; i < c0.length; i++) expect(c0[i]! - c0[i - 1]!).toBeGreaterThanOrEqual(1000);
    // The slots are all free again, and there are exactly as many as the limit.
    const slots = await a.store.pg.query(`SELECT count(*)::int AS n, count("holder")::int AS held FROM "RateSlot" WHERE "channel" = 'telegram'`);
    expect(slots.rows[0]).toEqual({ n: 10, held: 0 });
  });

  it("a reply that finds the budget spent by a broadcast is sent at once, as on SQLite, and the broadcast waits a slot for it", async () => {
    const a = await node();
    const clock = new FakeClock(T0);
    await enqueue(a.store.prisma, items(10), clock.now());
    const sender = new RecordingSender("telegram");
    const worker = openOutboxWorker(a.store, { instanceId: a.instance.id, senders: [sender], limits: { telegram: { perSecond: 2 } }, clock: clock.now, ticksPerSecond: 1, replySlotWaitMs: 50 });
    await worker.drain();
    expect(sender.sent).toHaveLength(2); // the budget is spent
    clock.advance(100);
    await enqueue(a.store.prisma, [{ dedupeKey: "reply:1:0", channel: "telegram", chatId: "member", message: { text: "trả lời" } }], clock.now());
    await worker.deliverNow(await a.store.prisma.outboxMessage.findMany({ where: { dedupeKey: "reply:1:0" } }));
    expect(sender.to("member")).toHaveLength(1);
    // A window after the broadcast's first two, one slot is free again; the reply holds the other a window after its own send.
    clock.advance(1000);
    await worker.drain();
    expect(sender.sent.slice(2).map((s) => s.chatId)).toEqual(["member", "c2"]);
    clock.advance(200);
    await worker.drain();
    expect(sender.sent.slice(2).map((s) => s.chatId)).toEqual(["member", "c2", "c3"]);
  });

  it("a stale instance's claims (kill -9) are taken over by the others", async () => {
    const [a, b] = [await node(), await node()];
    const inboxA = openInbox(a.store, { instanceId: a.instance.id });
    const inboxB = openInbox(b.store, { instanceId: b.instance.id });
    await inboxA.store(update("1"));
    // A sends 5 messages whose requests never end: A "dies" with them in flight.
    await enqueue(a.store.prisma, items(5));
    const hanging = new RecordingSender("telegram");
    hanging.gate = new Promise(() => undefined);
    const workerA = openOutboxWorker(a.store, { instanceId: a.instance.id, senders: [hanging], limits: { telegram: { perSecond: 5 } }, maxInFlight: 5, ticksPerSecond: 1 });
    expect(await workerA.tick()).toBe(5);
    expect(await outboxStatusCounts(b.store.prisma)).toEqual({ sending: 5 });

    expect(await b.instance.reclaimStale()).toMatchObject({ instances: 0 }); // A is alive: nothing taken
    expect(await inboxB.pending(10)).toEqual([]);
    await b.store.pg.query(`UPDATE "ServerInstance" SET "heartbeatAt" = "heartbeatAt" - INTERVAL '1 minute' WHERE "id" = $1`, [a.instance.id]);
    expect(await b.instance.reclaimStale()).toEqual({ instances: 1, updates: 1, messages: 5, slots: 5 });

    expect((await inboxB.pending(10)).map((r) => r.updateKey)).toEqual(["1"]);
    const sender = new RecordingSender("telegram");
    const workerB = openOutboxWorker(b.store, { instanceId: b.instance.id, senders: [sender], limits: { telegram: { perSecond: 5 } }, ticksPerSecond: 1 });
    await workerB.drain();
    expect(sender.sent.map((s) => s.chatId).sort()).toEqual(["c0", "c1", "c2", "c3", "c4"]);
    expect(await outboxStatusCounts(b.store.prisma)).toEqual({ delivered: 5 });
    // A comes back to life: its heartbeat registers it again instead of failing.
    await a.instance.heartbeat();
    expect((await b.store.pg.query(`SELECT count(*)::int AS n FROM "ServerInstance"`)).rows[0]).toEqual({ n: 2 });
  });

  it("a clean shutdown (SIGTERM) hands its claims back at once and leaves", async () => {
    const [a, b] = [await node(), await node()];
    const inboxA = openInbox(a.store, { instanceId: a.instance.id });
    const inboxB = openInbox(b.store, { instanceId: b.instance.id });
    for (let i = 1; i <= 3; i++) await inboxA.store(update(String(i), `chat${i}`));
    expect(await inboxB.pending(10)).toEqual([]); // A holds them
    await enqueue(a.store.prisma, items(2));
    const gate = new RecordingSender("telegram");
    let open!: () => void;
    gate.gate = new Promise((r) => (open = r));
    const workerA = openOutboxWorker(a.store, { instanceId: a.instance.id, senders: [gate], limits: { telegram: { perSecond: 30 } } });
    expect(await workerA.tick()).toBe(2);
    // SIGTERM: the server stops its services (the worker waits for its requests), then the instance leaves.
    const stopping = workerA.stop();
    open();
    await stopping;
    expect(await a.instance.close()).toEqual({ instances: 1, updates: 3, messages: 0, slots: 0 });
    expect((await inboxB.pending(10)).map((r) => r.updateKey)).toEqual(["1", "2", "3"]);
    expect(await outboxStatusCounts(b.store.prisma)).toEqual({ delivered: 2 });
    expect((await b.store.pg.query(`SELECT "id" FROM "ServerInstance"`)).rows).toEqual([{ id: b.instance.id }]);
  });

  it("updates handed back by a stopping instance are adopted and answered by another instance's processor", async () => {
    const [a, b] = [await node(), await node()];
    const inboxA = openInbox(a.store, { instanceId: a.instance.id });
    for (let i = 1; i <= 3; i++) await inboxA.store({ channel: "test", updateKey: String(i), chatKey: `u${i}`, payload: { chat: `u${i}`, text: "/ghi" } });
    const logger = createLogger({ LOG_LEVEL: "silent" });
    const sender = new RecordingSender("test");
    const outbox = openOutboxWorker(b.store, { instanceId: b.instance.id, senders: [sender], limits: { test: { perSecond: 100 } } });
    const conversation = createConversation({
      answerer: { answer: async (q) => ({ question: q, mode: "none" as const, answered: false, passages: [], offered: 0, highlights: [] }) },
      features: [{ name: "test", commands: { ghi: async () => [{ text: "đã ghi" }] } }],
      logger,
    });
    const inboxB = openInbox(b.store, { instanceId: b.instance.id });
    const processor = createInboxProcessor({ inbox: inboxB, conversation, outbox, logger, pollMs: 20 });
    processor.handle("test", { toMessage: (p) => ({ channel: "test", chatId: (p as { chat: string }).chat, userId: (p as { chat: string }).chat, text: "/ghi", kind: "text" }) });
    await processor.start();
    await new Promise((r) => setTimeout(r, 100));
    expect(sender.sent).toEqual([]); // A holds them
    await a.instance.close(); // SIGTERM before A processed them: B's next poll adopts them
    for (let i = 0; i < 250 && sender.sent.length < 3; i++) await new Promise((r) => setTimeout(r, 20));
    await processor.stop();
    expect(sender.sent.map((s) => s.chatId).sort()).toEqual(["u1", "u2", "u3"]);
    expect(await b.store.prisma.inboxUpdate.count({ where: { status: "done" } })).toBe(3);
  });

  it("a close with requests still open hands their rows back as pending and frees their slots", async () => {
    const a = await node();
    await enqueue(a.store.prisma, items(3));
    const hanging = new RecordingSender("telegram");
    hanging.gate = new Promise(() => undefined);
    const workerA = openOutboxWorker(a.store, { instanceId: a.instance.id, senders: [hanging], limits: { telegram: { perSecond: 30 } } });
    expect(await workerA.tick()).toBe(3);
    expect(await a.instance.close()).toEqual({ instances: 1, updates: 0, messages: 3, slots: 3 });
    expect(await outboxStatusCounts(a.store.prisma)).toEqual({ pending: 3 });
  });
});
