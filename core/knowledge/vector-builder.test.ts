import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { loadConfig, type Config } from "../config.js";
import type { Store } from "../db/store.js";
import { HashingEmbedder } from "../search/embedders/hashing.js";
import { VectorIndex } from "../search/vector-index.js";
import { BADGES, RULES, sampleDoc } from "./sample-docs.testkit.js";
import { closeKnowledgeBases, openTestKnowledgeBase } from "./open-kb.testkit.js";
import type { UpsertProgress } from "./types.js";
import { MAX_AHEAD, VectorBuilder } from "./vector-builder.js";

afterEach(closeKnowledgeBases);

function tempConfig(): Config {
  return loadConfig({ DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), "sotay-vb-")), LOG_LEVEL: "info" });
}

/** A knowledge base; `thread` builds every document's vectors on the vector thread. */
const openKb = (config: Config, thread: boolean) => openTestKnowledgeBase(config, { vectorThreadPassages: thread ? 1 : Infinity });

const savedIndex = (config: Config) => VectorIndex.load(config.INDEX_DIR, new HashingEmbedder().id, 256)!;
const passageIds = (store: Store) => store.sqlite.prepare(`SELECT id FROM Passage ORDER BY id`).pluck().all() as number[];
const QUESTIONS = ["mất thẻ đảng viên", "đóng đảng phí hằng tháng", "hồ sơ tặng Huy hiệu", "chuyển sinh hoạt đảng"];

async function nearest(config: Config) {
  const index = savedIndex(config).index;
  const vectors = await new HashingEmbedder().embed(QUESTIONS, "query");
  return vectors.map((v) => index.search(v, 4));
}

describe("vectors built on a thread beside the database writes", () => {
  it("give the index this process would build, saved and in step with the passages", async () => {
    const threaded = tempConfig();
    const here = tempConfig();
    const a = await openKb(threaded, true);
    const b = await openKb(here, false);
    for (const doc of [RULES, BADGES]) {
      expect(await a.kb.upsert(doc)).toBe("added");
      expect(await b.kb.upsert(doc)).toBe("added");
    }
    // Built there indeed: no fallback to building here.
    expect(a.lines.join("")).not.toMatch(/vector index thread (could not start|failed)/);
    expect(savedIndex(threaded).manifest.ids).toEqual(passageIds(a.store));
    expect(await nearest(threaded)).toEqual(await nearest(here));
    for (const q of QUESTIONS) expect((await a.kb.search(q)).passages.map((p) => p.passageId)).toEqual((await b.kb.search(q)).passages.map((p) => p.passageId));

    // Reopened, the saved index is taken as it is.
    const again = await openKb(threaded, true);
    expect(again.lines.join("")).not.toContain("rebuilding vector index");
  });

  it("drop a replaced document's passages from the index", async () => {
    const config = tempConfig();
    const { kb, store } = await openKb(config, true);
    await kb.upsert(RULES);
    const before = passageIds(store);
    const edited = sampleDoc(RULES.source, RULES.title, [...RULES.passages.slice(1), { heading: "Quy định mẫu › 5. Mới", text: "Một điều mới về sinh hoạt chi bộ định kỳ hằng tháng." }], RULES.number);
    expect(await kb.upsert(edited)).toBe("replaced");
    const ids = savedIndex(config).manifest.ids;
    expect(ids).toEqual(passageIds(store));
    for (const id of before) expect(ids).not.toContain(id);
    expect((await kb.search("sinh hoạt chi bộ định kỳ")).passages[0]!.text).toContain("Một điều mới");
  });

  it("leave the saved index and the database as they were when the write fails", async () => {
    const config = tempConfig();
    const { kb, store } = await openKb(config, true);
    await kb.upsert(BADGES);
    const index = savedIndex(config).manifest.ids;
    // Two sections at one path break a unique index inside the transaction, after the passages were sent to the thread.
    const broken = { ...RULES, sections: [0, 1].map((i) => ({ path: "d1", kind: "article", marker: "Điều 1.", title: "", depth: 1, text: `Lần ${i}` })) };
    await expect(kb.upsert(broken)).rejects.toThrow(/UNIQUE/);
    expect(savedIndex(config).manifest.ids).toEqual(index);
    expect(passageIds(store)).toEqual(index);
    expect((await kb.search("mất thẻ đảng viên")).passages.map((p) => p.source)).not.toContain(RULES.source);
  });

  it("report the passages written, then those indexed", async () => {
    const { kb } = await openKb(tempConfig(), true);
    const seen: UpsertProgress[] = [];
    await kb.upsert(RULES, { onProgress: (p) => seen.push(p) });
    expect(seen[0]).toEqual({ stage: "storing", done: RULES.passages.length, total: RULES.passages.length });
    expect(seen.every((p) => p.done <= p.total)).toBe(true);
  });

  it("keep at most MAX_AHEAD passages waiting in the thread's queue: the sender waits for it", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sotay-vb-ahead-"));
    const embedder = new HashingEmbedder();
    VectorIndex.create(dir, embedder.id, embedder.dimension).save();
    const batches = 8;
    const size = Math.ceil(MAX_AHEAD / 2);
    const builder = await VectorBuilder.start({ indexDir: dir, embedderId: embedder.id, dimension: embedder.dimension, embedsTexts: true, expected: batches * size });
    const text = RULES.passages.map((p) => p.text).join(" ");
    for (let b = 0; b < batches; b++) {
      builder.add(Array.from({ length: size }, (_, i) => b * size + i + 1), { texts: Array.from({ length: size }, (_, i) => `${text} ${b}-${i}`) });
      const { indexed, queued } = builder.progress;
      expect(queued).toBe((b + 1) * size);
      expect(queued - indexed).toBeLessThanOrEqual(MAX_AHEAD);
    }
    await builder.finish([]);
    expect(VectorIndex.load(dir, embedder.id, embedder.dimension)!.manifest.ids).toHaveLength(batches * size);
  });

  it("refuse to start without a saved index to start from", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sotay-vb-empty-"));
    await expect(VectorBuilder.start({ indexDir: dir, embedderId: "hashing-v2-256", dimension: 256, embedsTexts: true, expected: 1 })).rejects.toThrow(/missing/);
  });
});
