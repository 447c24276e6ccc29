import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadConfig } from "../config.js";
import { migrate, MIGRATIONS_DIR } from "../db/migrate.js";
import { openStore, type Store } from "../db/store.js";
import { TEST_ENGINE, testDatabaseEnv } from "../../test/support/database.js";
import { InboxUnavailableError, openInbox, type Inbox } from "./inbox.js";

const update = (updateKey: string, chatKey = "c1", channel = "telegram") => ({ channel, updateKey, chatKey, payload: { text: `tin ${updateKey}` } });
const reply = (key: string, text: string) => ({ dedupeKey: key, channel: "telegram", chatId: "c1", message: { text } });

/** One query on either engine (`?` placeholders), for checking what the inbox stored. */
async function query(store: Store, sql: string, ...params: unknown[]): Promise<Record<string, unknown>[]> {
  if (store.engine === "sqlite") {
    const statement = store.sqlite.prepare(sql);
    return statement.reader ? (statement.all(...params) as Record<string, unknown>[]) : (statement.run(...params), []);
  }
  let n = 0;
  return (await store.pg.query(sql.replace(/\?/g, () => `$${++n}`), params)).rows as Record<string, unknown>[];
}

describe(`the inbox (${TEST_ENGINE})`, () => {
  let dir: string;
  let store: Store;
  let inbox: Inbox;
  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "sotay-inbox-"));
    store = await openStore(loadConfig({ DATA_DIR: dir, LOG_LEVEL: "silent", ...(await testDatabaseEnv()) }));
    await store.useServerSettings();
    inbox = openInbox(store);
  });
  afterEach(async () => {
    inbox.close();
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("stores an update once per channel and key, with its payload, and recognises a redelivery", async () => {
    const [a, b, again, otherChannel] = await Promise.all([
      inbox.store(update("1")),
      inbox.store(update("2")),
      inbox.store(update("1")),
      inbox.store(update("1", "c1", "zalo")),
    ]);
    expect(a).toMatchObject({ channel: "telegram", updateKey: "1", chatKey: "c1", payload: '{"text":"tin 1"}', attempts: 0 });
    expect(b?.id).toBeGreaterThan(a!.id);
    expect(again).toBeNull();
    expect(otherChannel).not.toBeNull();
    expect((await inbox.pending(10)).map((r) => [r.channel, r.updateKey])).toEqual([
      ["telegram", "1"],
      ["telegram", "2"],
      ["zalo", "1"],
    ]);
    expect((await inbox.pending(10, ["zalo"])).map((r) => r.updateKey)).toEqual(["1"]);
  });

  it("completes an update together with its replies; a replay queues nothing twice", async () => {
    const row = (await inbox.store(update("7")))!;
    const ids = await inbox.complete(row, [reply("reply:telegram:7:0", "một"), reply("reply:telegram:7:1", "hai")]);
    expect(ids).toHaveLength(2);
    expect(ids.map((q) => q.payload)).toEqual(['{"text":"một"}', '{"text":"hai"}']);
    const [done] = await query(store, `SELECT "status", "payload", "processedAt" FROM "InboxUpdate" WHERE "id" = ?`, row.id);
    expect(done).toMatchObject({ status: "done", payload: null });
    expect(done!.processedAt).not.toBeNull();
    // Processed again after a crash: the same replies, the same rows.
    expect(await inbox.complete(row, [reply("reply:telegram:7:0", "một"), reply("reply:telegram:7:1", "hai")])).toEqual(ids);
    expect(await store.prisma.outboxMessage.count()).toBe(2);
    expect(await inbox.pending(10)).toEqual([]);
  });

  it("records failed attempts, gives up when told to, and prunes old processed rows", async () => {
    const row = (await inbox.store(update("8")))!;
    row.attempts = 1;
    const retryAt = new Date(Date.now() + 60_000);
    await inbox.fail(row, "getMe failed", retryAt);
    expect(await inbox.pending(10)).toMatchObject([{ attempts: 1, nextAttemptAt: retryAt }]);
    row.attempts = 8;
    await inbox.fail(row, "getMe failed", null);
    expect(await inbox.pending(10)).toEqual([]);
    expect(await query(store, `SELECT "status", "lastError" FROM "InboxUpdate"`)).toEqual([{ status: "failed", lastError: "getMe failed" }]);
    await query(store, `UPDATE "InboxUpdate" SET "receivedAt" = '2020-01-01T00:00:00.000+00:00'`);
    expect(await inbox.prune(14)).toBe(1);
  });

  it.runIf(TEST_ENGINE === "sqlite")("while another process holds the write lock: a store with a deadline fails as unavailable, one without waits", async () => {
    const other = new Database(store.file);
    other.exec("BEGIN IMMEDIATE");
    expect(await inbox.writable()).toBe(false);
    await expect(inbox.store(update("9"), { deadlineMs: 50 })).rejects.toBeInstanceOf(InboxUnavailableError);
    const waiting = inbox.store(update("10"));
    await new Promise((r) => setTimeout(r, 100));
    other.exec("ROLLBACK");
    other.close();
    expect(await waiting).toMatchObject({ updateKey: "10" });
    expect(await inbox.writable()).toBe(true);
    expect((await inbox.pending(10)).map((r) => r.updateKey)).toEqual(["10"]);
  });
});

describe.runIf(TEST_ENGINE === "sqlite")("the inbox migration", () => {
  it("carries the update keys already handled over, so a redelivery across the upgrade is still recognised", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sotay-inbox-migration-"));
    const before = path.join(dir, "migrations");
    for (const name of fs.readdirSync(MIGRATIONS_DIR)) {
      if (!/^\d/.test(name) || name >= "20261130110000") continue; // everything before the inbox
      fs.cpSync(path.join(MIGRATIONS_DIR, name), path.join(before, name), { recursive: true });
    }
    const db = new Database(path.join(dir, "sotay.db"));
    migrate(db, before);
    db.prepare(`INSERT INTO "ProcessedUpdate" (channel, updateKey) VALUES ('telegram', '4242')`).run();
    db.close();

    const store = await openStore(loadConfig({ DATA_DIR: dir }));
    const inbox = openInbox(store);
    try {
      expect(await inbox.store(update("4242"))).toBeNull();
      expect(await inbox.store(update("4243"))).not.toBeNull();
    } finally {
      inbox.close();
      await store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
