import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadConfig } from "../config.js";
import { openStore, type Store } from "../db/store.js";
import { createStateStore } from "./state-store.js";

describe("conversation state on the real store", () => {
  let store: Store;
  beforeEach(async () => {
    store = await openStore(loadConfig({ DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), "sotay-conv-")) }));
  });
  afterEach(async () => store.close());

  it("keeps entries per chat and key, expires them, and leaves other features' rows alone", async () => {
    let t = Date.parse("2026-11-27T10:00:00Z");
    const state = createStateStore(store.sqlite, () => t);
    // The meetings feature keeps its row under the plain chat id, through Prisma.
    await store.prisma.conversationState.create({
      data: { channel: "zalo", chatId: "abc", data: '{"feature":"meetings"}', expiresAt: new Date(t + 3600_000) },
    });
    state.set("zalo", "abc", "zalo.choices", [{ label: "Có", value: "y" }], 60);
    expect(state.get("zalo", "abc", "zalo.choices")).toEqual([{ label: "Có", value: "y" }]);
    expect(state.get("zalo", "other", "zalo.choices")).toBeUndefined();
    const meetings = await store.prisma.conversationState.findUnique({ where: { channel_chatId: { channel: "zalo", chatId: "abc" } } });
    expect(meetings?.data).toBe('{"feature":"meetings"}');
    t += 61_000;
    expect(state.get("zalo", "abc", "zalo.choices")).toBeUndefined();
    expect(state.prune()).toBe(1);
    expect(await store.prisma.conversationState.count()).toBe(1);
    state.set("web", "s1", "k", 1, 60);
    state.delete("web", "s1", "k");
    expect(state.get("web", "s1", "k")).toBeUndefined();
  });
});
