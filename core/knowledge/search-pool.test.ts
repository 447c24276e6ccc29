import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pino } from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { loadConfig, type Config } from "../config.js";
import { createConversation } from "../conversation/conversation.js";
import * as M from "../conversation/messages.js";
import { isDatabaseBusy } from "../db/busy.js";
import { openStore, type Store } from "../db/store.js";
import { HashingEmbedder } from "../search/embedders/hashing.js";
import { CHARTER_LIKE } from "../../ingest/fixture-documents.js";
import { ingestPaths } from "../../ingest/pipeline.js";
import { attachQuestions } from "../../ingest/questions.js";
import { KnowledgeBase } from "./knowledge-base.js";
import { createSearchPool, type SearchPool } from "./search-pool.js";
import { CRASH, FAULTY_WORKER, HANG, LOCKED } from "./search-worker-faults.testkit.js";
import { BADGES, RULES, sampleDoc } from "./sample-docs.testkit.js";

const silent = pino({ level: "silent" });
const cleanup: (() => Promise<void> | void)[] = [];

afterEach(async () => {
  while (cleanup.length) await cleanup.pop()!();
});

function tempConfig(extra: Record<string, string> = {}): Config {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sotay-pool-"));
  cleanup.push(() => fs.rmSync(dir, { recursive: true, force: true }));
  return loadConfig({ DATA_DIR: dir, LOG_LEVEL: "silent", ...extra });
}

/** A writer on the store, as the server at start or the ingest CLI beside it. */
async function openWriter(config: Config): Promise<{ kb: KnowledgeBase; store: Store }> {
  const store = await openStore(config);
  const kb = await KnowledgeBase.open(config, { logger: silent, store, embedder: new HashingEmbedder() });
  cleanup.push(async () => {
    await kb.close();
    await store.close();
  });
  return { kb, store };
}

async function startPool(config: Config, options: { threads: number; workerModule?: string; timeoutMs?: number }): Promise<SearchPool> {
  const pool = await createSearchPool(config, { logger: silent, ...options });
  cleanup.push(() => pool.close());
  return pool;
}

/** Threads of this process, as the kernel counts them. */
const osThreads = () => Number(/^Threads:\s+(\d+)/m.exec(fs.readFileSync("/proc/self/status", "utf8"))![1]);

const asked = (text: string) => ({ channel: "web" as const, chatId: "pool-test", userId: "pool-test", kind: "text" as const, text });

describe("search pool", () => {
  it("answers in its threads exactly as the knowledge base does, passages by id included", async () => {
    const config = tempConfig();
    const { kb } = await openWriter(config);
    await kb.upsertAll([RULES, BADGES]);
    const pool = await startPool(config, { threads: 2 });
    expect(pool.threads).toBe(2);

    const questions = ["Làm mất thẻ đảng viên thì phải làm gì?", "bao nhiêu tuổi thì được vào Đảng", "hồ sơ tặng huy hiệu gồm những gì", "làm hộ chiếu ở đâu"];
    const fromPool = await Promise.all(questions.map((q) => pool.answer(q)));
    for (const [i, q] of questions.entries()) expect(fromPool[i]).toEqual(await kb.answer(q));
    expect(fromPool[0]!.passages[0]!.text).toContain("mất thẻ đảng viên");

    const id = fromPool[0]!.passages[0]!.passageId;
    expect(await pool.passage(id, questions[0])).toEqual(await kb.passage(id, questions[0]));
    expect(await pool.passage(999_999)).toBeUndefined();
  });

  it("finds a document ingested after it started, in every thread (the ingest CLI beside the server)", async () => {
    const config = tempConfig();
    const server = await openWriter(config);
    await server.kb.upsertAll([RULES, BADGES]);
    const pool = await startPool(config, { threads: 2 });
    const question = "tổ đảng họp giao ban vào lúc nào";
    // More questions at once than threads: each thread answers some (and caches what it read).
    const askAll = () => Promise.all(Array.from({ length: 8 }, () => pool.answer(question)));
    for (const a of await askAll()) expect(a.passages.every((p) => p.source !== "moi.md")).toBe(true);

    const cli = await openWriter(config); // its own connection, as a separate process has
    await cli.kb.upsert(sampleDoc("moi.md", "Tài liệu mới", [{ heading: "Mới", text: "Tổ đảng họp giao ban vào sáng thứ hai đầu tháng." }]));
    const fresh = await cli.kb.answer(question);
    expect(fresh.passages[0]!.source).toBe("moi.md");
    for (const a of await askAll()) expect(a).toEqual(fresh); // scores too: no statistic cached from before

    expect(await cli.kb.remove("moi.md")).toBe(true);
    const afterRemoval = await cli.kb.answer(question);
    expect(afterRemoval.passages.every((p) => p.source !== "moi.md")).toBe(true);
    for (const a of await askAll()) expect(a).toEqual(afterRemoval);
  });

  it("sees questions attached to sections after it started (taught or from data/questions), as a fresh knowledge base does", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sotay-pool-questions-"));
    cleanup.push(() => fs.rmSync(dir, { recursive: true, force: true }));
    fs.mkdirSync(path.join(dir, "docs"));
    fs.mkdirSync(path.join(dir, "questions"));
    fs.writeFileSync(path.join(dir, "docs", "dieu-le-mau.txt"), CHARTER_LIKE);
    const config = tempConfig({ QUESTIONS_DIR: path.join(dir, "questions") });
    const server = await openWriter(config);
    await ingestPaths([path.join(dir, "docs")], server.kb);
    const pool = await startPool(config, { threads: 2 });
    const question = "cấp trên cử người về dự sinh hoạt chi ủy định kỳ bao lâu một lần";
    const before = await pool.answer(question);

    // New rows in SectionQuestion and QuestionFts, written by another connection.
    fs.writeFileSync(path.join(dir, "questions", "dieu-le.txt"), ["tài liệu: Điều lệ Đảng", `Điều 3, khoản 2 | ${question}`].join("\n"));
    const cli = await openWriter(config);
    const [report] = await attachQuestions(cli.kb, config.QUESTIONS_DIR);
    expect(report!.attached).toBe(1);

    const fresh = await cli.kb.answer(question);
    expect(fresh.passages[0]!.text).toContain("Chi uỷ họp thường lệ mỗi tháng một lần");
    expect(fresh).not.toEqual(before); // the question matters, so the pool cannot pass by ignoring it
    const answers = await Promise.all(Array.from({ length: 6 }, () => pool.answer(question)));
    for (const a of answers) expect(a).toEqual(fresh);
  });

  it("replaces a thread that crashes: the question on it gets the apology, the others their answers", async () => {
    const config = tempConfig();
    const { kb } = await openWriter(config);
    await kb.upsertAll([RULES, BADGES]);
    const pool = await startPool(config, { threads: 1, workerModule: FAULTY_WORKER });
    const conversation = createConversation({ answerer: pool, logger: silent });

    // One thread: the second question waits in the queue while the first one's thread dies.
    const [crashed, queued] = await Promise.all([conversation.handle(asked(CRASH)), conversation.handle(asked("Làm mất thẻ đảng viên thì phải làm gì?"))]);
    expect(crashed).toHaveLength(1);
    expect(crashed[0]!.text).toBe(M.INTERNAL_ERROR(/\(Mã lỗi: ([0-9a-f]{8})\)/.exec(crashed[0]!.text)?.[1] ?? "?"));
    expect(queued[0]!.text).toContain("mất thẻ đảng viên");
    // And after it: the replacement thread answers.
    expect((await pool.answer("hồ sơ tặng huy hiệu gồm những gì")).passages[0]!.source).toBe("huy-hieu-mau.md");
  });

  it("ends a search that never finishes after timeoutMs and replaces its thread", async () => {
    const config = tempConfig();
    const { kb } = await openWriter(config);
    await kb.upsertAll([RULES, BADGES]);
    const pool = await startPool(config, { threads: 1, workerModule: FAULTY_WORKER, timeoutMs: 8000 });
    await expect(pool.answer(HANG)).rejects.toThrow(/did not finish within 8000 ms/);
    expect((await pool.answer("Làm mất thẻ đảng viên thì phải làm gì?")).passages[0]!.text).toContain("mất thẻ đảng viên");
  });

  it("passes a locked database on as one, so the inbox retries the update instead of apologising", async () => {
    const config = tempConfig();
    const { kb } = await openWriter(config);
    await kb.upsertAll([RULES]);
    const pool = await startPool(config, { threads: 1, workerModule: FAULTY_WORKER });
    const err = await pool.answer(LOCKED).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isDatabaseBusy(err)).toBe(true);
    await expect(createConversation({ answerer: pool, logger: silent }).handle(asked(LOCKED))).rejects.toSatisfy(isDatabaseBusy);
  });

  it("fails to start, saying why, when the threads cannot open the knowledge base", async () => {
    const config = tempConfig({ DATABASE_URL: `file:${path.join(os.tmpdir(), "sotay-pool-no-such-dir", "none.db")}` });
    await expect(createSearchPool(config, { logger: silent, threads: 2 })).rejects.toThrow(/open database/i);
  });

  it("ends its threads on close", async () => {
    const config = tempConfig();
    const { kb } = await openWriter(config);
    await kb.upsertAll([RULES]);
    const before = osThreads();
    const pool = await createSearchPool(config, { logger: silent, threads: 2 });
    expect(osThreads()).toBeGreaterThanOrEqual(before + 2);
    await pool.close();
    expect(osThreads()).toBe(before);
    await expect(pool.answer("đảng phí")).rejects.toThrow();
  });
});
