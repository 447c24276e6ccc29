import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { loadConfig, type Config } from "../config.js";
import { HashingEmbedder } from "../search/embedders/hashing.js";
import { KnowledgeBase } from "./knowledge-base.js";
import { BADGES, RULES, sampleDoc } from "./sample-docs.testkit.js";
import { closeKnowledgeBases, openTestKnowledgeBase } from "./open-kb.testkit.js";


function tempConfig(): Config {
  return loadConfig({ DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), "sotay-kb-")), LOG_LEVEL: "info" });
}

/** Opens store + KB with a logger whose lines the test can read. */
const openKb = (config: Config, embedder = new HashingEmbedder()) => openTestKnowledgeBase(config, { embedder });
const closeAll = closeKnowledgeBases;

afterEach(closeAll);

async function filled() {
  const config = tempConfig();
  const ctx = await openKb(config);
  expect(await ctx.kb.upsert(RULES)).toBe("added");
  expect(await ctx.kb.upsert(BADGES)).toBe("added");
  return { config, ...ctx };
}

describe("KnowledgeBase search", () => {
  it("finds the passage that answers and cites its document", async () => {
    const { kb } = await filled();
    const r = await kb.search("Làm mất thẻ đảng viên thì phải làm gì?", { k: 3 });
    expect(r.mode).not.toBe("none");
    expect(r.passages[0]!.text).toContain("mất thẻ đảng viên");
    expect(r.passages[0]!.source).toBe("quy-dinh-mau.md");
    expect(r.passages[0]!.number).toBe("01-QĐ/M");
  });

  it("abstains on questions the handbook does not cover", async () => {
    const { kb } = await filled();
    for (const q of ["Giá vàng hôm nay bao nhiêu?", "Thời tiết ngày mai có mưa không?", "How do I reset my router password?"]) {
      const r = await kb.search(q);
      expect(r.mode, q).toBe("none");
      const a = await kb.answer(q);
      expect(a.mode).toBe("none");
      expect(a.highlights).toEqual([]);
    }
  });

  it("abstains on a question outside the handbook's subject even when its words occur in passages", async () => {
    const { kb } = await filled();
    // "thủ tục", "giấy tờ", "cấp lại" are in the passages; no party term is in the question.
    const r = await kb.retrieve("Làm thủ tục cấp lại giấy tờ hộ chiếu ở đâu?", 3);
    expect(r.inDomain).toBe(false);
    expect(r.mode).toBe("none");
    const party = await kb.retrieve("mat the dang thi lam thu tuc gi", 3);
    expect(party.inDomain).toBe(true);
    expect(party.mode).not.toBe("none");
  });

  it("abstains when asked for a percentage that no passage on the topic gives", async () => {
    const { kb } = await filled();
    expect((await kb.search("Đảng phí đóng bằng bao nhiêu phần trăm lương?")).mode).toBe("none");
    expect((await kb.search("Đảng phí đóng hằng tháng cho ai?")).mode).not.toBe("none");
  });

  it("finds the same passage for a question typed without accents", async () => {
    const { kb } = await filled();
    const accented = await kb.search("đóng đảng phí hằng tháng cho ai?", { k: 3 });
    const plain = await kb.search("dong dang phi hang thang cho ai?", { k: 3 });
    expect(accented.passages[0]!.text).toContain("đảng phí");
    expect(plain.mode).not.toBe("none");
    expect(plain.passages[0]!.passageId).toBe(accented.passages[0]!.passageId);
  });

  it("ranks the exact accented match first when folded forms collide (đăng / đảng)", async () => {
    const config = tempConfig();
    const { kb } = await openKb(config);
    await kb.upsert(
      sampleDoc("phi.md", "Các khoản phí", [
        { heading: "Lệ phí", text: "Phí đăng ký tham dự hội nghị do ban tổ chức thông báo trước." },
        { heading: "Đảng phí", text: "Phí đảng viên phải nộp gọi là đảng phí, nộp cho chi bộ hằng tháng." },
      ]),
    );
    expect((await kb.search("phí đăng", { k: 1 })).passages[0]!.heading).toBe("Lệ phí");
    expect((await kb.search("phí đảng", { k: 1 })).passages[0]!.heading).toBe("Đảng phí");
  });

  it("treats an NFD question exactly like its NFC form", async () => {
    const { kb } = await filled();
    const q = "Chuyển sinh hoạt đảng khi đổi nơi cư trú";
    const nfcResult = await kb.search(q.normalize("NFC"));
    const nfdResult = await kb.search(q.normalize("NFD"));
    expect(q.normalize("NFD")).not.toBe(q.normalize("NFC"));
    expect(nfdResult).toEqual(nfcResult);
  });

  it("puts the answering sentence first in the answer", async () => {
    const { kb } = await filled();
    const a = await kb.answer("Huy hiệu Đảng được trao vào dịp nào?");
    expect(a.mode).not.toBe("none");
    expect(a.highlights[0]!.sentence).toContain("ngày lễ lớn");
  });
});

describe("KnowledgeBase writes", () => {
  it("skips an unchanged document and replaces a changed one without stale hits", async () => {
    const { kb, store } = await filled();
    expect(await kb.storedHash(RULES.source)).toBe(RULES.sha256);
    expect(await kb.upsert(RULES)).toBe("unchanged");
    // Searched before the edit, so the search's passage cache holds the old passages.
    expect((await kb.search("mất thẻ đảng viên cấp lại thẻ", { k: 10 })).passages.some((p) => p.text.includes("mất thẻ"))).toBe(true);

    const edited = sampleDoc(RULES.source, RULES.title, [
      { heading: "Quy định mẫu › 1. Tuổi đời", text: "Người xin vào Đảng phải từ đủ mười tám tuổi trở lên." },
      { heading: "Quy định mẫu › 5. Khen thưởng", text: "Chi bộ khen thưởng đảng viên tiêu biểu vào dịp tổng kết cuối năm." },
    ]);
    expect(await kb.upsert(edited)).toBe("replaced");
    const docs = await kb.list();
    expect(docs.find((d) => d.source === RULES.source)!.passageCount).toBe(2);

    // The removed passage is gone from both indexes: no hit mentions it any more.
    const old = await kb.search("mất thẻ đảng viên cấp lại thẻ", { k: 10 });
    expect(old.passages.some((p) => p.text.includes("mất thẻ"))).toBe(false);
    expect((await kb.search("khen thưởng đảng viên tiêu biểu")).passages[0]!.text).toContain("khen thưởng");
    const fts = store.sqlite.prepare("SELECT count(*) AS n FROM PassageFts").get() as { n: number };
    const passages = store.sqlite.prepare("SELECT count(*) AS n FROM Passage").get() as { n: number };
    expect(fts.n).toBe(passages.n);
  });

  it("removes a document with its passages and index entries", async () => {
    const { kb } = await filled();
    expect((await kb.search("Huy hiệu Đảng trao vào ngày lễ lớn", { k: 10 })).passages.some((p) => p.source === BADGES.source)).toBe(true);
    expect(await kb.remove(BADGES.source)).toBe(true);
    expect(await kb.remove("khong-co.md")).toBe(false);
    const r = await kb.search("Huy hiệu Đảng trao vào ngày lễ lớn", { k: 10 });
    expect(r.passages.every((p) => p.source !== BADGES.source)).toBe(true);
    expect((await kb.list()).map((d) => d.source)).toEqual([RULES.source]);
  });

  it("rejects a document with an empty passage and stores nothing", async () => {
    const { kb } = await filled();
    const bad = sampleDoc("rong.md", "Rỗng", [{ heading: "x", text: "  " }]);
    await expect(kb.upsert(bad)).rejects.toThrow(/empty passage/);
    expect((await kb.list()).map((d) => d.source)).not.toContain("rong.md");
  });
});

describe("KnowledgeBase word lists", () => {
  it("searches without a missing list and says so, and reports a synonyms line it skips", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sotay-kb-"));
    const synonyms = path.join(dir, "synonyms.txt");
    fs.writeFileSync(synonyms, "vào Đảng | kết nạp\nmột mình\n");
    const config = loadConfig({
      DATA_DIR: dir,
      LOG_LEVEL: "info",
      SYNONYMS_FILE: synonyms,
      ABBREVIATIONS_FILE: path.join(dir, "none-abbreviations.txt"),
      DOMAIN_TERMS_FILE: path.join(dir, "none-domain-terms.txt"),
    });
    const { kb, lines } = await openKb(config);
    const log = lines.join("");
    expect(log).toContain("synonyms file, line 2: a group needs at least two phrases");
    expect(log).toContain("abbreviations file not found; questions are searched as typed");
    expect(log).toContain("domain terms file not found; questions on any subject are searched");
    expect(log).not.toContain("synonyms file not found");
    expect(await kb.upsert(RULES)).toBe("added");
    // No domain-term list: a question on any subject is searched.
    expect((await kb.retrieve("giá vàng hôm nay")).inDomain).toBe(true);
  });
});

describe("KnowledgeBase persistence", () => {
  it("reopens with the same results and without rebuilding the vector index", async () => {
    const { config, kb } = await filled();
    const before = await kb.search("dong dang phi", { k: 3 });
    await closeAll();
    const again = await openKb(config);
    expect(again.lines.join("")).not.toContain("rebuilding vector index");
    expect(await again.kb.isEmpty()).toBe(false);
    expect(await again.kb.search("dong dang phi", { k: 3 })).toEqual(before);
  });

  it("rebuilds the vector index when the embedder changes", async () => {
    const { config, kb } = await filled();
    const before = await kb.search("mất thẻ đảng viên", { k: 1 });
    await closeAll();
    const again = await openKb(config, new HashingEmbedder(128));
    expect(again.lines.join("")).toContain("rebuilding vector index");
    const manifest = JSON.parse(fs.readFileSync(path.join(config.INDEX_DIR, "vectors.json"), "utf8"));
    expect(manifest.embedderId).toBe("hashing-v2-128");
    expect(manifest.dimension).toBe(128);
    expect((await again.kb.search("mất thẻ đảng viên", { k: 1 })).passages[0]!.passageId).toBe(before.passages[0]!.passageId);
  });

  it("recovers when the vector index was not saved after a commit (simulated crash)", async () => {
    const { config, kb } = await filled();
    const manifestFile = path.join(config.INDEX_DIR, "vectors.json");
    const stale = fs.readFileSync(manifestFile, "utf8"); // index state before the next write
    await kb.upsert(sampleDoc("moi.md", "Tài liệu mới", [{ heading: "Mới", text: "Chi bộ họp thường kỳ mỗi tháng một lần." }]));
    await closeAll();
    fs.writeFileSync(manifestFile, stale); // as if the process died between the commit and the index save
    const again = await openKb(config);
    expect(again.lines.join("")).toContain("rebuilding vector index");
    const manifest = JSON.parse(fs.readFileSync(manifestFile, "utf8"));
    const ids = again.store.sqlite.prepare("SELECT id FROM Passage ORDER BY id").pluck().all();
    expect(manifest.ids).toEqual(ids);
  });

  it("a running process sees documents another process stored (server beside the ingest CLI)", async () => {
    const { config, kb: server, lines } = await filled();
    const ingest = await openKb(config); // a second connection, as a separate process would have
    await ingest.kb.upsert(sampleDoc("moi.md", "Tài liệu mới", [{ heading: "Mới", text: "Tổ đảng họp giao ban vào sáng thứ hai đầu tháng." }]));
    const r = await server.search("tổ đảng họp giao ban", { k: 1 });
    expect(r.passages[0]!.source).toBe("moi.md");
    expect(lines.join("")).toContain("vector index reloaded");
    expect(await server.remove("moi.md")).toBe(true);
    expect((await ingest.kb.search("tổ đảng họp giao ban", { k: 5 })).passages.every((p) => p.source !== "moi.md")).toBe(true);
  });

  it("counts every change to what search reads in KnowledgeVersion, and nothing else (readers keep their caches through inbox and outbox commits)", async () => {
    const { config, kb, store } = await filled();
    const version = () => store.sqlite.prepare("SELECT version FROM KnowledgeVersion WHERE id = 1").pluck().get() as number;
    let last = version();
    const moved = () => {
      const now = version();
      const changed = now !== last;
      last = now;
      return changed;
    };
    expect(last).toBeGreaterThan(0); // the two documents stored
    store.sqlite.prepare(`INSERT INTO ConversationState (channel, chatId, data, expiresAt, updatedAt) VALUES ('web', 'x', '{}', '2999', '2000')`).run();
    expect(moved()).toBe(false);
    await kb.upsert(sampleDoc("moi.md", "Tài liệu mới", [{ heading: "Mới", text: "Tổ đảng họp giao ban vào sáng thứ hai đầu tháng." }]));
    expect(moved()).toBe(true);
    const other = await openKb(config); // another writer (the CLI, an officer teaching a question)
    other.store.sqlite.prepare(`INSERT INTO SectionQuestion (source, sectionPath, text, origin) VALUES ('moi.md', 'x', 'tổ đảng giao ban khi nào', 'taught')`).run();
    expect(moved()).toBe(true);
    other.store.sqlite
      .prepare(`INSERT INTO Section (documentId, ordinal, path, kind, marker, title, depth, text) SELECT id, 0, 'd1', 'article', 'Điều 1.', '', 1, 'x' FROM Document WHERE source = 'moi.md'`)
      .run();
    expect(moved()).toBe(true);
    other.store.sqlite.prepare(`UPDATE Section SET alias = 'Giao ban' WHERE path = 'd1'`).run();
    expect(moved()).toBe(true);
    expect(await kb.remove("moi.md")).toBe(true);
    expect(moved()).toBe(true);
  });

  it("repairs the lexical index when it disagrees with the passages", async () => {
    const { config, store } = await filled();
    store.sqlite.exec("DELETE FROM PassageFts");
    await closeAll();
    const again = await openKb(config);
    expect(again.lines.join("")).toContain("lexical index out of step");
    expect((await again.kb.search("đóng đảng phí")).passages[0]!.text).toContain("đảng phí");
  });
});
