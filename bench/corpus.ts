/**
 * Loads the shared corpus into a knowledge base through the product's own ingest pipeline,
 * so the benchmark measures the passages members will actually get.
 */
import fs from "node:fs";
import path from "node:path";
import type { KnowledgeWriter } from "../core/knowledge/types.js";
import { ingestPaths } from "../ingest/pipeline.js";

/** Ingests every corpus .txt file (not README.md); throws if any file failed. Returns a label of the path used. */
export async function ingestCorpus(dir: string, writer: KnowledgeWriter): Promise<string> {
  const files = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith(".txt"))
    .map((f) => path.join(dir, f));
  const results = await ingestPaths(files, writer);
  const failed = results.filter((r) => r.outcome === "failed");
  if (failed.length) throw new Error(`Corpus ingest failed: ${failed.map((r) => `${r.source}: ${r.error}`).join("; ")}`);
  return "ingest/pipeline.ts ingestPaths";
}
