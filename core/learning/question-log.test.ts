import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pino from "pino";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadConfig } from "../config.js";
import { openStore, type Store } from "../db/store.js";
import { testDatabaseEnv, TEST_ENGINE } from "../../test/support/database.js";
import type { IncomingMessage } from "../conversation/types.js";
import { createQuestionLog } from "./question-log.js";

describe(`the question log's rows (${TEST_ENGINE})`, () => {
  let store: Store;
  let dir: string;
  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "sotay-qlog-"));
    store = await openStore(loadConfig({ DATA_DIR: dir, LOG_LEVEL: "silent", ...(await testDatabaseEnv()) }));
  });
  afterEach(async () => {
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const message = (userId: string): IncomingMessage => ({ channel: "telegram", chatId: userId, userId, text: "Đảng phí?", kind: "text" });

  it("are written with the store's own raw statement, read back by Prisma, judged by their asker only, and pruned by age", async () => {
    const log = createQuestionLog({ prisma: store.prisma, store, pseudonym: async (_c, u) => `p:${u}`, autoTeachPicks: 0, countPicksFrom: [], logger: pino({ level: "silent" }) });
    const before = Date.now();
    const id = await log.asked(message("1"), { question: "Đảng phí?", mode: "none", answered: false, passages: [], offered: 0, highlights: [] });
    const second = await log.asked(message("2"), { question: "Đảng phí?", mode: "none", answered: false, passages: [], offered: 0, highlights: [] });
    expect(second).toBe(id + 1);
    const row = await store.prisma.questionLog.findUniqueOrThrow({ where: { id } });
    expect(row).toMatchObject({ channel: "telegram", asker: "p:1", question: "Đảng phí?", questionKey: "dang phi", mode: "none", shown: "[]" });
    // The raw insert's time is the one Prisma reads (UTC on either engine, whatever the process's zone).
    expect(Math.abs(row.createdAt.getTime() - before)).toBeLessThan(60_000);
    expect(await log.feedback(id, message("2"), "down")).toBe(false);
    expect(await log.feedback(id, message("1"), "down")).toBe(true);
    expect((await store.prisma.questionLog.findUniqueOrThrow({ where: { id } })).feedback).toBe("down");
    await store.prisma.questionLog.update({ where: { id }, data: { createdAt: new Date(Date.now() - 200 * 86_400_000) } });
    expect(await log.prune(180)).toBe(1);
    expect(await store.prisma.questionLog.count()).toBe(1);
  });
});
