/**
 * Test fixtures for members, meetings and the outbox: a real store in a temp DATA_DIR,
 * a controllable clock, and a recording ChannelSender (an in-test implementation of
 * the interface, not a mock of anything that runs here).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { loadConfig, type Config } from "../../core/config.js";
import { openStore, type Store } from "../../core/db/store.js";
import type { ChannelName, ChannelSender, ConversationFeature, IncomingMessage, OutgoingMessage } from "../../core/conversation/types.js";
import { ensureCell } from "../../core/members/organizations.js";
import { createStateStore, type ConversationStateStore } from "../../core/conversation/state-store.js";
import { testDatabaseEnv } from "../support/database.js";
import { randomUUID } from "node:crypto";
import { createOutboxWorker, type OutboxWorker, type OutboxWorkerOptions } from "../../core/outbox/worker.js";
import { openOutboxWorker } from "../../core/outbox/open-worker.js";

export interface TestEnv {
  dir: string;
  config: Config;
  store: Store;
  clock: FakeClock;
  /** The conversation state store, on the fake clock. */
  state: ConversationStateStore;
  cleanup(): Promise<void>;
}

export class FakeClock {
  constructor(public ms: number) {}
  now = () => new Date(this.ms);
  advance(ms: number) {
    this.ms += ms;
  }
}

/** 2026-12-01 09:00 in Hanoi time. */
export const T0 = Date.parse("2026-12-01T02:00:00Z");

/** Opens a fresh store in its own temp directory (on the run's engine). */
export async function openTestEnv(env: Record<string, string> = {}): Promise<TestEnv> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sotay-meetings-"));
  // The run's engine (test/support/database.ts): on PostgreSQL a fresh database per store.
  const config = loadConfig({ DATA_DIR: dir, LOG_LEVEL: "silent", ...(await testDatabaseEnv()), ...env });
  const store = await openStore(config);
  const clock = new FakeClock(T0);
  const testEnv: TestEnv = {
    dir,
    config,
    store,
    clock,
    state: createStateStore(store, () => clock.ms),
    // The store a test reopened (a restart) is the one to close.
    async cleanup() {
      await testEnv.store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
  return testEnv;
}

/**
 * The outbox worker on the store's engine: on SQLite the one-process worker exactly as the tests
 * always built it; on PostgreSQL the cluster's worker, claiming as an instance of its own.
 */
export function testOutboxWorker(store: Store, options: Omit<OutboxWorkerOptions, "prisma" | "sqlite">): OutboxWorker {
  return store.engine === "sqlite" ? createOutboxWorker({ ...options, prisma: store.prisma }) : openOutboxWorker(store, { ...options, instanceId: randomUUID() });
}

export interface Sent {
  chatId: string;
  message: OutgoingMessage;
  messageId: string;
}

/** Records every message; `fail` decides per call whether to throw instead. */
export class RecordingSender implements ChannelSender {
  readonly sent: Sent[] = [];
  private next = 1000;
  fail?: (chatId: string, message: OutgoingMessage) => Error | undefined;
  /** When set, send() waits for this before answering (to hold requests "in flight"). */
  gate?: Promise<void>;

  constructor(readonly channel: ChannelName) {}

  async send(chatId: string, message: OutgoingMessage) {
    const error = this.fail?.(chatId, message);
    if (error) throw error;
    const messageId = String(this.next++);
    this.sent.push({ chatId, message, messageId });
    if (this.gate) await this.gate;
    return { messageId };
  }

  to(chatId: string): Sent[] {
    return this.sent.filter((s) => s.chatId === chatId);
  }
}

/** Creates a member (and their cell) directly; optionally linked to a chat account. */
export async function addMember(
  store: Store,
  input: { name: string; cell: string; role?: string; link?: { channel: ChannelName; userId: string; chatId?: string } },
) {
  const cell = await ensureCell(store.prisma, { chiBo: input.cell });
  const member = await store.prisma.member.create({
    data: { fullName: input.name, key: `t:${cell.key}|${input.name}`, organizationId: cell.id, role: input.role ?? "dang_vien" },
  });
  if (input.link) {
    await store.prisma.chatIdentity.create({
      data: {
        memberId: member.id,
        channel: input.link.channel,
        platformUserId: input.link.userId,
        chatId: input.link.chatId ?? input.link.userId,
      },
    });
  }
  return member;
}

/** An incoming text (or command) message from a chat account. */
export function text(channel: ChannelName, userId: string, body: string, extra: Partial<IncomingMessage> = {}): IncomingMessage {
  return { channel, chatId: userId, userId, text: body, kind: "text", ...extra };
}

/** An incoming button press. */
export function press(channel: ChannelName, userId: string, choice: string): IncomingMessage {
  return { channel, chatId: userId, userId, text: "", choice, kind: "choice" };
}

/** Routes a message the way the conversation core does: /command, choice, then plain text (null = a question). */
export async function dispatch(feature: ConversationFeature, message: IncomingMessage): Promise<OutgoingMessage[] | null> {
  if (message.kind === "choice") return (await feature.onChoice?.(message)) ?? null;
  const cmd = /^\/(\S+)\s*([\s\S]*)$/.exec(message.text);
  if (cmd) {
    const handler = feature.commands?.[cmd[1]!.toLowerCase()];
    if (!handler) throw new Error(`no command ${cmd[1]}`);
    return handler(message, cmd[2]!);
  }
  return (await feature.onText?.(message)) ?? null;
}

/** The text of a reply (all messages joined), for assertions. */
export function said(out: OutgoingMessage[] | null): string {
  return (out ?? []).map((m) => m.text).join("\n");
}
