import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Writable } from "node:stream";
import { afterEach, describe, expect, it } from "vitest";
import { loadConfig } from "../config.js";
import { createLogger } from "../logger.js";
import { freshPostgresqlDatabase, TEST_ENGINE } from "../../test/support/database.js";
import type { PostgresqlStore } from "../db/store.js";
import { closeKnowledgeBases, openTestKnowledgeBase } from "./open-kb.testkit.js";
import { BADGES, RULES, sampleDoc } from "./sample-docs.testkit.js";
import { heldKnowledge, KnowledgeReplica, publishedKnowledge } from "./replica.js";
import { followKnowledge, type KnowledgeFollower } from "./replica-follower.js";
import { recordReplacement } from "./replacements.js";
import type { QuestionFile } from "./question-file.js";

/** An instance: its own DATA_DIR (local knowledge copy) on the shared database. */
async function instance(url: string) {
  const config = loadConfig({ DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), "sotay-replica-")), DATABASE_URL: url, LOG_LEVEL: "info" });
  const { kb, store } = await openTestKnowledgeBase(config);
  const lines: string[] = [];
  const logger = createLogger(config, new Writable({ write: (chunk, _enc, cb) => (lines.push(String(chunk)), cb()) }));
  const pgStore = store as PostgresqlStore;
  const replica = new KnowledgeReplica(pgStore.pg, store.sqlite, logger, heldKnowledge(kb));
  return { config, kb, store: pgStore, replica, writer: publishedKnowledge(kb, replica), lines };
}

type Instance = Awaited<ReturnType<typeof instance>>;

const rows = (i: Instance, sql: string) => i.store.sqlite.prepare(sql).all();
const remoteRows = async (i: Instance, sql: string) => (await i.store.pg.query(sql)).rows;
const PASSAGES = `SELECT "id", "documentId", "heading", "text" FROM "Passage" ORDER BY "id"`;

/** The same document in a second version: one passage edited, one added. */
const RULES_V2 = sampleDoc(
  RULES.source,
  RULES.title,
  [...RULES.passages.slice(0, 3), { heading: "Quy định mẫu › 4. Chuyển sinh hoạt", text: "Đảng viên chuyển nơi cư trú quá mười hai tháng thì chuyển sinh hoạt chính thức." }, { heading: "Quy định mẫu › 5. Kỷ luật", text: "Đảng viên bỏ sinh hoạt ba tháng liền không có lý do bị xóa tên." }],
  RULES.number,
);

/** A document with sections, so questions attach to it (members' picks, officers teaching). */
const CHARTER = {
  ...sampleDoc("dieu-le-mau.md", "Điều lệ mẫu", [
    { heading: "Điều lệ mẫu › Điều 1", text: "Đảng viên dự bị được xét công nhận chính thức sau mười hai tháng.", sectionPath: "d1", sections: ["d1"] },
    { heading: "Điều lệ mẫu › Điều 2", text: "Đảng viên có quyền được thông tin và thảo luận các vấn đề về Cương lĩnh.", sectionPath: "d2", sections: ["d2"] },
  ]),
  sections: [
    { path: "d1", kind: "article", marker: "Điều 1.", title: "Đảng viên dự bị", depth: 1, text: "Điều 1. Đảng viên dự bị" },
    { path: "d2", kind: "article", marker: "Điều 2.", title: "Quyền của đảng viên", depth: 1, text: "Điều 2. Quyền của đảng viên" },
  ],
};

async function until(check: () => boolean | Promise<boolean>, what: string, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const followers: KnowledgeFollower[] = [];
afterEach(async () => {
  while (followers.length) await followers.pop()!.stop();
  await closeKnowledgeBases();
});

describe.skipIf(TEST_ENGINE !== "postgresql")("the knowledge replica on PostgreSQL (runs in the postgresql project only)", () => {
  it("pulls an empty copy to the database's documents, with the same ids, and searches them", async () => {
    const url = await freshPostgresqlDatabase();
    const a = await instance(url);
    expect(await a.writer.upsert(RULES)).toBe("added");
    expect(await a.writer.upsert(BADGES)).toBe("added");
    expect(await remoteRows(a, PASSAGES)).toEqual(rows(a, PASSAGES));

    const b = await instance(url);
    expect(await b.kb.isEmpty()).toBe(true);
    const pulled = await b.replica.pull();
    expect(pulled.changed).toBe(true);
    expect(rows(b, PASSAGES)).toEqual(rows(a, PASSAGES));
    expect(rows(b, `SELECT count(*) AS n FROM PassageFts`)).toEqual(rows(b, `SELECT count(*) AS n FROM Passage`));
    const r = await b.kb.search("Làm mất thẻ đảng viên thì phải làm gì?", { k: 3 });
    expect(r.passages[0]!.source).toBe("quy-dinh-mau.md");
    expect(r.passages[0]!.number).toBe("01-QĐ/M");
    expect(b.lines.some((l) => /"msg":"knowledge: pulled"/.test(l) && l.includes(`"version":${pulled.version}`))).toBe(true);
    // Nothing new: nothing copied.
    expect((await b.replica.pull()).changed).toBe(false);
  });

  it("follows a changed and a removed document, and completes a copy cut short", async () => {
    const url = await freshPostgresqlDatabase();
    const a = await instance(url);
    const b = await instance(url);
    await a.writer.upsert(RULES);
    await a.writer.upsert(BADGES);
    await b.replica.pull();

    expect(await a.writer.upsert(RULES_V2)).toBe("replaced");
    expect(await a.writer.remove(BADGES.source)).toBe(true);
    await b.replica.pull();
    expect(rows(b, PASSAGES)).toEqual(rows(a, PASSAGES));
    expect(rows(b, `SELECT source FROM Document`)).toEqual([{ source: RULES.source }]);
    expect(rows(b, `SELECT count(*) AS n FROM PassageFts`)).toEqual([{ n: 5 }]);
    const r = await b.kb.search("bỏ sinh hoạt ba tháng thì sao", { k: 3 });
    expect(r.passages[0]!.text).toContain("xóa tên");
    expect((await b.kb.search("hồ sơ đề nghị tặng Huy hiệu", { k: 3 })).passages.every((p) => p.source !== BADGES.source)).toBe(true);

    // A pull cut short (a crash): the copy lacks a passage; the restarted instance's pull copies the document again.
    b.store.sqlite.prepare(`DELETE FROM Passage WHERE id = (SELECT max(id) FROM Passage)`).run();
    expect((await b.replica.pull()).changed).toBe(false); // the same process knows it matched this version
    const restarted = new KnowledgeReplica(b.store.pg, b.store.sqlite, createLogger(b.config), heldKnowledge(b.kb));
    expect((await restarted.pull()).changed).toBe(true);
    expect(rows(b, PASSAGES)).toEqual(rows(a, PASSAGES));
  });

  it("publishes from two writers at once without an id clash, and ids continue on both", async () => {
    const url = await freshPostgresqlDatabase();
    const a = await instance(url);
    const b = await instance(url);
    await Promise.all([a.writer.upsert(RULES), b.writer.upsert(BADGES), a.writer.upsert(CHARTER)]);
    const remote = await remoteRows(a, PASSAGES);
    expect(remote).toHaveLength(RULES.passages.length + BADGES.passages.length + CHARTER.passages.length);
    expect(new Set(remote.map((p) => p.id)).size).toBe(remote.length);
    await a.replica.pull();
    await b.replica.pull();
    expect(rows(a, PASSAGES)).toEqual(remote);
    expect(rows(b, PASSAGES)).toEqual(remote);
    // A later write on either side continues after every id the database handed out.
    await b.writer.upsert(RULES_V2);
    const after = await remoteRows(a, PASSAGES);
    expect(Math.min(...after.filter((p) => p.heading.includes("Kỷ luật")).map((p) => p.id))).toBeGreaterThan(Math.max(...remote.map((p) => p.id)));
  });

  it("reaches another instance through NOTIFY within seconds, without a restart", async () => {
    const url = await freshPostgresqlDatabase();
    const a = await instance(url);
    const b = await instance(url);
    const follower = followKnowledge({ pool: b.store.pg, replica: b.replica, logger: createLogger(b.config), pollMs: 600_000 });
    followers.push(follower);
    await follower.ready;
    await a.writer.upsert(RULES);
    await until(() => rows(b, PASSAGES).length === RULES.passages.length, "the notified pull");
    expect(rows(b, PASSAGES)).toEqual(rows(a, PASSAGES));
  });

  it("falls back to polling the version when no notification comes", async () => {
    const url = await freshPostgresqlDatabase();
    const a = await instance(url);
    const b = await instance(url);
    followers.push(followKnowledge({ pool: b.store.pg, replica: b.replica, logger: createLogger(b.config), pollMs: 200, listen: false }));
    await a.writer.upsert(BADGES);
    await until(() => rows(b, PASSAGES).length === BADGES.passages.length, "the polled pull");
  });

  it("carries taught and picked questions, section titles and replacement declarations to the other instance", async () => {
    const url = await freshPostgresqlDatabase();
    const a = await instance(url);
    const b = await instance(url);
    await a.writer.upsert(CHARTER);
    await a.writer.upsert(RULES);
    await b.replica.pull();
    const passage = rows(b, `SELECT id FROM Passage WHERE sectionPath = 'd1'`) as { id: number }[];
    // A member's pick on instance B teaches; instance A sees the question.
    expect((await b.writer.learnPick("bao lâu thì lên chính thức", passage[0]!.id))?.added).toBe(true);
    await a.replica.publish(async () => recordReplacement(a.store.sqlite, "Quy định cũ 99-QĐ/M", RULES.source));
    const files: QuestionFile[] = [
      {
        file: "dieu-le.txt",
        document: "Điều lệ mẫu",
        titles: [{ section: "Điều 2", title: "Quyền được thông tin", line: 1 }],
        questions: [{ section: "Điều 2", text: "đảng viên có quyền gì", line: 2, group: "" }],
        problems: [],
      },
    ];
    await a.writer.syncQuestions(files);
    // The same files again (every server start, every ingest): nothing changes, nothing is published.
    const version = await a.replica.remoteVersion();
    const ids = rows(a, `SELECT id FROM SectionQuestion ORDER BY id`);
    await a.writer.syncQuestions(files);
    expect(rows(a, `SELECT id FROM SectionQuestion ORDER BY id`)).toEqual(ids);
    expect(await a.replica.remoteVersion()).toBe(version);
    await a.replica.pull();
    await b.replica.pull();
    const QUESTIONS = `SELECT id, source, sectionPath, text, origin FROM SectionQuestion ORDER BY id`;
    expect(rows(a, QUESTIONS)).toEqual([
      expect.objectContaining({ sectionPath: "d1", text: "bao lâu thì lên chính thức", origin: "picked" }),
      expect.objectContaining({ sectionPath: "d2", text: "đảng viên có quyền gì", origin: "file" }),
    ]);
    expect(rows(b, QUESTIONS)).toEqual(rows(a, QUESTIONS));
    expect(rows(b, `SELECT count(*) AS n FROM QuestionFts`)).toEqual([{ n: 2 }]);
    expect(rows(b, `SELECT path, alias FROM Section WHERE alias IS NOT NULL`)).toEqual([{ path: "d2", alias: "Quyền được thông tin" }]);
    expect(rows(b, `SELECT newerSource, older FROM DocumentReplacement`)).toEqual([{ newerSource: RULES.source, older: "Quy định cũ 99-QĐ/M" }]);
  });
});
