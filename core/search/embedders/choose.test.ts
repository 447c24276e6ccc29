import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../config.js";
import { openStore } from "../../db/store.js";
import { createLogger } from "../../logger.js";
import { KnowledgeBase } from "../../knowledge/knowledge-base.js";
import { RULES } from "../../knowledge/sample-docs.testkit.js";
import { chooseEmbedder } from "./choose.js";
import { writeTinyModel } from "./tiny-model.js";

function capture() {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _e, cb) {
      lines.push(String(chunk));
      cb();
    },
  });
  return { lines, sink };
}

describe("chooseEmbedder", () => {
  it("falls back to the hashing embedder with one clear log line when no model is present", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sotay-choose-"));
    const config = loadConfig({ DATA_DIR: dir, LOG_LEVEL: "info" });
    const { lines, sink } = capture();
    const e = await chooseEmbedder(config, createLogger(config, sink));
    expect(e.id).toMatch(/^hashing-/);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain("model:fetch");
  });

  it("loads the configured model from MODELS_DIR and the knowledge base indexes with it", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sotay-choose-"));
    const config = loadConfig({ DATA_DIR: dir, LOG_LEVEL: "info", EMBEDDING_MODEL: "test/tiny-bert" });
    writeTinyModel(path.join(config.MODELS_DIR, "test", "tiny-bert"), 8);
    const { lines, sink } = capture();
    const logger = createLogger(config, sink);
    const store = await openStore(config);
    const kb = await KnowledgeBase.open(config, { logger, store });
    try {
      expect(kb.embedder.id).toContain("transformers:test/tiny-bert");
      expect(lines.join("")).toContain("embedding model loaded");
      expect(await kb.upsert(RULES)).toBe("added");
      const manifest = JSON.parse(fs.readFileSync(path.join(config.INDEX_DIR, "vectors.json"), "utf8"));
      expect(manifest.dimension).toBe(8);
      expect(manifest.ids).toHaveLength(RULES.passages.length);
      const r = await kb.search("làm mất thẻ đảng viên", { k: 2 });
      expect(r.answered).toBe(true);
      expect(r.passages[0]!.text).toContain("mất thẻ");
    } finally {
      await kb.close();
      await store.close();
    }
  });
});
