import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadConfig } from "../config.js";
import { openStore, type Store } from "../db/store.js";
import { testDatabaseEnv, TEST_ENGINE } from "../../test/support/database.js";
import { createStateStore, withSharedStateReads } from "./state-store.js";

describe(`conversation state on the real store (${TEST_ENGINE})`, () => {
  let store: Store;
  let env: Record<string, string>;
  const dirs: string[] = [];
  const open = async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sotay-conv-"));
    dirs.push(dir);
    return openStore(loadConfig({ DATA_DIR: dir, LOG_LEVEL: "silent", ...env }));
  };
  beforeEach(async () => {
    env = await testDatabaseEnv();
    store = await open();
  });
  afterEach(async () => {
    await store.close();
    for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
  });

  it("keeps entries per chat and key, expires them, and leaves other features' rows alone", async () => {
    let t = Date.parse("2026-11-27T10:00:00Z");
    const state = createStateStore(store, () => t);
    // The meetings feature keeps its row under the plain chat id, through Prisma.
    await store.prisma.conversationState.create({
      data: { channel: "zalo", chatId: "abc", data: '{"feature":"meetings"}', expiresAt: new Date(t + 3600_000) },
    });
    await state.set("zalo", "abc", "zalo.choices", [{ label: "Có", value: "y" }], 60);
    expect(await state.get("zalo", "abc", "zalo.choices")).toEqual([{ label: "Có", value: "y" }]);
    expect(await state.get("zalo", "other", "zalo.choices")).toBeUndefined();
    const meetings = await store.prisma.conversationState.findUnique({ where: { channel_chatId: { channel: "zalo", chatId: "abc" } } });
    expect(meetings?.data).toBe('{"feature":"meetings"}');
    // Raw and Prisma-written dates agree: the expiry Prisma reads is the one set (UTC, whatever the process's zone).
    const choices = await store.prisma.conversationState.findUnique({ where: { channel_chatId: { channel: "zalo", chatId: "zalo.choices:abc" } } });
    expect(choices?.expiresAt.toISOString()).toBe(new Date(t + 60_000).toISOString());
    t += 61_000;
    expect(await state.get("zalo", "abc", "zalo.choices")).toBeUndefined();
    expect(await state.prune()).toBe(1);
    expect(await store.prisma.conversationState.count()).toBe(1);
    await state.set("web", "s1", "k", 1, 60);
    await state.delete("web", "s1", "k");
    expect(await state.get("web", "s1", "k")).toBeUndefined();
  });

  it("reads one message's entries together and sees its own writes within the message", async () => {
    const t = Date.now();
    const state = createStateStore(store, () => t);
    await state.set("telegram", "c1", "quiz", { taskId: 7 }, 60);
    await state.set("telegram", "c1", "form", { step: 2 }, 60);
    await state.set("telegram", "c2", "quiz", { taskId: 9 }, 60);
    const seen = await withSharedStateReads(async () => {
      const first = [await state.get("telegram", "c1", "quiz"), await state.get("telegram", "c1", "form"), await state.get("telegram", "c1", "never")];
      await state.set("telegram", "c1", "quiz", { taskId: 8 }, 60);
      await state.delete("telegram", "c1", "form");
      const after = [await state.get("telegram", "c1", "quiz"), await state.get("telegram", "c1", "form"), await state.get("telegram", "c2", "quiz")];
      return { first, after };
    });
    expect(seen.first).toEqual([{ taskId: 7 }, { step: 2 }, undefined]);
    expect(seen.after).toEqual([{ taskId: 8 }, undefined, { taskId: 9 }]);
    // Written through to the database, not only to the message's reads.
    expect(await state.get("telegram", "c1", "quiz")).toEqual({ taskId: 8 });
    expect(await state.get("telegram", "c1", "form")).toBeUndefined();
  });

  it.runIf(TEST_ENGINE === "postgresql")("is shared by two instances on one database: what one sets, the other reads", async () => {
    const other = await open();
    try {
      const t = Date.now();
      await createStateStore(store, () => t).set("zalo", "abc", "zalo.choices", [{ label: "Có", value: "y" }], 60);
      const state2 = createStateStore(other, () => t);
      expect(await state2.get("zalo", "abc", "zalo.choices")).toEqual([{ label: "Có", value: "y" }]);
      await state2.delete("zalo", "abc", "zalo.choices");
      expect(await createStateStore(store, () => t).get("zalo", "abc", "zalo.choices")).toBeUndefined();
    } finally {
      await other.close();
    }
  });
});
