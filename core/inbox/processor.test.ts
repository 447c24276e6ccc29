import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadConfig } from "../config.js";
import { createLogger } from "../logger.js";
import { openStore, type Store } from "../db/store.js";
import { createConversation } from "../conversation/conversation.js";
import type { ChannelSender, ConversationFeature, IncomingMessage, OutgoingMessage } from "../conversation/types.js";
import type { OutboxWorker } from "../outbox/worker.js";
import { openOutboxWorker } from "../outbox/open-worker.js";
import { createServerInstance, type ServerInstance } from "../cluster/server-instance.js";
import { TEST_ENGINE, testDatabaseEnv } from "../../test/support/database.js";
import { openInbox, type Inbox } from "./inbox.js";
import { createInboxProcessor, MAX_ATTEMPTS, type InboxChannel, type InboxProcessor } from "./processor.js";

const logger = createLogger({ LOG_LEVEL: "silent" });

/** An in-test sender on channel "test": records what it is asked to send. */
class Recorder implements ChannelSender {
  readonly channel = "test";
  readonly sent: { chatId: string; text: string }[] = [];
  async send(chatId: string, message: OutgoingMessage) {
    this.sent.push({ chatId, text: message.text });
    return { messageId: String(this.sent.length) };
  }
}

/** Stored payloads of this test channel: { chat, text }. */
const reader: InboxChannel = {
  toMessage: (p) => {
    const { chat, text } = p as { chat: string; text: string };
    return { channel: "test", chatId: chat, userId: chat, text, kind: "text" };
  },
};

describe(`the inbox processor (${TEST_ENGINE})`, () => {
  let dir: string;
  let store: Store;
  let instance: ServerInstance | undefined;
  let inbox: Inbox;
  let outbox: OutboxWorker;
  let sender: Recorder;
  let seen: IncomingMessage[];
  let processor: InboxProcessor | undefined;

  /** /ghi <x> records the message and answers "đã ghi <x>", after a pause that lets other chats overtake. */
  const feature: ConversationFeature = {
    name: "test",
    commands: {
      ghi: async (m, args) => {
        seen.push(m);
        await new Promise((r) => setTimeout(r, Number(args.split(" ")[1] ?? 0)));
        return [{ text: `đã ghi ${args.split(" ")[0]}` }];
      },
    },
  };

  function makeProcessor(overrides: Partial<Parameters<typeof createInboxProcessor>[0]> = {}): InboxProcessor {
    const conversation = createConversation({ answerer: { answer: async (q) => ({ question: q, mode: "none" as const, answered: false, passages: [], offered: 0, highlights: [] }) }, features: [feature], logger });
    processor = createInboxProcessor({ inbox, conversation, outbox, logger, backoffMs: () => 20, ...overrides });
    processor.handle("test", reader);
    return processor;
  }
  const store1 = (key: string, chat: string, text: string) => inbox.store({ channel: "test", updateKey: key, chatKey: chat, payload: { chat, text } });

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "sotay-processor-"));
    store = await openStore(loadConfig({ DATA_DIR: dir, LOG_LEVEL: "silent", ...(await testDatabaseEnv()) }));
    await store.useServerSettings();
    instance = store.engine === "postgresql" ? createServerInstance(store.pg) : undefined;
    await instance?.start();
    inbox = openInbox(store, { instanceId: instance?.id });
    sender = new Recorder();
    outbox = openOutboxWorker(store, { instanceId: instance?.id, senders: [sender], limits: { test: { perSecond: 1000 } }, logger });
    seen = [];
  });
  afterEach(async () => {
    await processor?.stop();
    processor = undefined;
    inbox.close();
    await instance?.close();
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("processes each update once, a chat's updates in order, and sends the replies at once", async () => {
    const p = makeProcessor();
    await p.start();
    const rows = await Promise.all([store1("1", "A", "/ghi a1 40"), store1("2", "A", "/ghi a2 0"), store1("3", "B", "/ghi b1 0"), store1("4", "A", "/ghi a3 0")]);
    for (const row of rows) p.enqueue(row!);
    p.enqueue(rows[0]!); // enqueued twice: still processed once
    await p.drain();
    expect(seen.filter((m) => m.chatId === "A").map((m) => m.text)).toEqual(["/ghi a1 40", "/ghi a2 0", "/ghi a3 0"]);
    expect(seen.map((m) => m.chatId).indexOf("B")).toBeLessThan(2); // chat B did not wait for chat A
    expect(seen.map((m) => m.updateKey)).toEqual(expect.arrayContaining(["test:1", "test:2", "test:3", "test:4"]));
    expect(seen[0]!.receivedAt).toBeInstanceOf(Date);
    expect(sender.sent.filter((s) => s.chatId === "A").map((s) => s.text)).toEqual(["đã ghi a1", "đã ghi a2", "đã ghi a3"]);
    const keys = (await store.prisma.outboxMessage.findMany({ orderBy: { id: "asc" } })).map((r) => [r.dedupeKey, r.status]);
    expect(keys).toEqual(expect.arrayContaining([["reply:test:1:0", "delivered"], ["reply:test:3:0", "delivered"]]));
    expect(await inbox.pending(10)).toEqual([]);
  });

  it("processes on start the updates a crash left unfinished", async () => {
    await store1("1", "A", "/ghi x 0");
    await store1("2", "B", "/ghi y 0");
    const p = makeProcessor();
    await p.start();
    await p.drain();
    expect(sender.sent.map((s) => s.text).sort()).toEqual(["đã ghi x", "đã ghi y"]);
  });

  it("a crash between a command's effects and the done mark runs it again with the same key, and nobody gets the reply twice", async () => {
    let crashes = 1;
    const crashing: Inbox = {
      ...inbox,
      complete: (row, replies) => {
        if (crashes-- > 0) throw new Error("process died here");
        return inbox.complete(row, replies);
      },
    };
    const p = makeProcessor({ inbox: crashing });
    await p.start();
    p.enqueue((await store1("1", "A", "/ghi lần 0"))!);
    await p.drain();
    await new Promise((r) => setTimeout(r, 60)); // the retry
    await p.drain();
    expect(seen.map((m) => m.updateKey)).toEqual(["test:1", "test:1"]);
    expect(sender.sent.map((s) => s.text)).toEqual(["đã ghi lần"]);
    expect(await store.prisma.outboxMessage.count()).toBe(1);
  });

  it("retries a failing update with backoff while its chat waits, then keeps it as failed", async () => {
    let failures = 0;
    const p = makeProcessor();
    p.handle("test", {
      toMessage: (payload) => {
        if ((payload as { text: string }).text === "hỏng") {
          failures++;
          throw new Error("cannot read this one");
        }
        return reader.toMessage(payload);
      },
    });
    await p.start();
    p.enqueue((await store1("1", "A", "hỏng"))!);
    p.enqueue((await store1("2", "A", "/ghi sau 0"))!);
    for (let i = 0; i < 100 && sender.sent.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(failures).toBe(MAX_ATTEMPTS);
    expect(sender.sent.map((s) => s.text)).toEqual(["đã ghi sau"]);
    expect(await store.prisma.inboxUpdate.findFirst({ where: { updateKey: "1" }, select: { status: true, attempts: true, lastError: true } })).toEqual({
      status: "failed",
      attempts: MAX_ATTEMPTS,
      lastError: "cannot read this one",
    });
  });

  it.runIf(TEST_ENGINE === "sqlite")("waits out a database locked by another process, then completes the update", async () => {
    const row = (await store1("1", "A", "/ghi khoá 0"))!;
    const other = new Database(store.file);
    other.exec("BEGIN IMMEDIATE");
    const p = makeProcessor();
    await p.start();
    p.enqueue(row);
    await new Promise((r) => setTimeout(r, 150));
    expect(sender.sent).toEqual([]);
    other.exec("ROLLBACK");
    other.close();
    for (let i = 0; i < 200 && sender.sent.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(sender.sent.map((s) => s.text)).toEqual(["đã ghi khoá"]);
  });
});
