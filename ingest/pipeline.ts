/**
 * The ingest pipeline: files and folders → parsed, chunked documents → knowledge base.
 * Each file is handled on its own: an unchanged file (same sha256) is skipped before
 * parsing, a bad or too large file is reported with the reason and the others still go in.
 *
 *   const results = await ingestPaths(["data/handbook", "qd294.pdf"], kb, { logger, maxFileMb: 50 });
 *   results.filter((r) => r.outcome === "failed"); // [{ file, error: "quet.pdf has no text layer ..." }]
 */
import fs from "node:fs/promises";
import path from "node:path";
import type { Logger } from "pino";
import type { KnowledgeWriter, ParsedDocument } from "../core/knowledge/types.js";
import { nfc } from "../core/text/vietnamese.js";
import { IngestError } from "./errors.js";
import { isSupported, parseFile, readBytes, sha256 } from "./parse.js";

export interface IngestFileResult {
  file: string;
  source: string;
  outcome: "added" | "replaced" | "unchanged" | "failed";
  passages?: number;
  error?: string;
}

/** Where one file has got: read, parsed (chunked), its passages written, then (large files) indexed as vectors. */
export interface IngestStage {
  file: string;
  source: string;
  /** Position of the file among `total` (from 0). */
  index: number;
  total: number;
  stage: "reading" | "parsing" | "storing" | "indexing";
  /** Passages done of `of`, in the storing and indexing stages. */
  done?: number;
  of?: number;
  /** This file's size, the files' before it together, and all of them: for an estimate of the whole run. */
  bytes: number;
  bytesBefore: number;
  totalBytes: number;
}

export interface IngestOptions {
  logger?: Logger;
  /** Files larger than this many MB (MiB) are refused, with the reason; the others still go in. */
  maxFileMb?: number;
  /** Called after each file, e.g. for a progress line. */
  onProgress?: (result: IngestFileResult, index: number, total: number) => void;
  /** Called as each file moves through its stages (often, while a large file is stored). */
  onStage?: (stage: IngestStage) => void;
  /**
   * Called when a file of `bytes` bytes is parsed, before it is stored: its bytes and
   * decoded text are garbage by then (the ingest CLI has them collected, see cli.ts).
   */
  afterParse?: (bytes: number) => void;
}

const MB = 1024 * 1024;

/**
 * The files to ingest: files as given (whatever their type, so an unsupported file is
 * reported), folders walked recursively for supported files, in a stable order.
 * Paths that do not exist are kept so that they are reported as failures.
 */
export async function collectFiles(paths: string[]): Promise<string[]> {
  const out: string[] = [];
  const seen = new Set<string>();
  const add = (file: string) => {
    const key = path.resolve(file);
    if (!seen.has(key)) {
      seen.add(key);
      out.push(file);
    }
  };
  const walk = async (dir: string) => {
    const entries = await fs.readdir(dir, { withFileTypes: true });
    entries.sort((a, b) => a.name.localeCompare(b.name));
    for (const entry of entries) {
      if (entry.name.startsWith(".")) continue;
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) await walk(full);
      else if (entry.isFile() && isSupported(full)) add(full);
    }
  };
  for (const p of paths) {
    const stat = await fs.stat(p).catch(() => undefined);
    if (stat?.isDirectory()) await walk(p);
    else add(p);
  }
  return out;
}

/**
 * Ingests files and folders into `writer`. Never throws for a bad file: its result has
 * outcome "failed" and an error naming the file; the other files are still ingested.
 * Two files with the same base name are one source: the later one is reported as failed.
 */
export async function ingestPaths(paths: string[], writer: KnowledgeWriter, options: IngestOptions = {}): Promise<IngestFileResult[]> {
  const { logger, onProgress, onStage } = options;
  const files = await collectFiles(paths);
  const sizes = await Promise.all(files.map(fileSize));
  const totalBytes = sizes.reduce((a: number, b) => a + (b ?? 0), 0);
  let bytesBefore = 0;
  const results: IngestFileResult[] = [];
  const sources = new Map<string, string>();
  for (const [index, file] of files.entries()) {
    const source = nfc(path.basename(file));
    const bytes = sizes[index] ?? 0;
    const report = (stage: IngestStage["stage"], done?: number, of?: number) =>
      onStage?.({ file, source, index, total: files.length, stage, done, of, bytes, bytesBefore, totalBytes });
    let result: IngestFileResult;
    const earlier = sources.get(source);
    if (earlier !== undefined && earlier !== path.resolve(file)) {
      result = { file, source, outcome: "failed", error: `${source} has the same file name as ${earlier}; rename one of them (the file name identifies a document)` };
    } else if (options.maxFileMb !== undefined && bytes > options.maxFileMb * MB) {
      result = { file, source, outcome: "failed", error: new IngestError(file, tooLarge(bytes, options.maxFileMb)).message };
    } else {
      sources.set(source, path.resolve(file));
      result = await ingestFile(file, writer, report, () => options.afterParse?.(bytes), logger);
    }
    bytesBefore += bytes;
    results.push(result);
    if (result.outcome === "failed") logger?.warn({ file, error: result.error }, "file not ingested");
    else logger?.debug({ file, outcome: result.outcome, passages: result.passages }, "file ingested");
    onProgress?.(result, index, files.length);
  }
  return results;
}

/** "is 73.4 MB (76,965,478 bytes), more than MAX_INGEST_MB=50 allows; …": how a too large file is refused. */
function tooLarge(bytes: number, maxMb: number): string {
  const size = bytes >= MB / 10 ? `${(bytes / MB).toFixed(1)} MB` : `${Math.ceil(bytes / 1024)} KB`;
  return `is ${size} (${bytes.toLocaleString("en-US")} bytes), more than MAX_INGEST_MB=${maxMb} allows; split it into smaller files or raise MAX_INGEST_MB`;
}

/** A file's size in bytes; undefined when it cannot be read (reading it reports why). */
async function fileSize(file: string): Promise<number | undefined> {
  return fs.stat(file).then(
    (s) => s.size,
    () => undefined,
  );
}

type StageReport = (stage: IngestStage["stage"], done?: number, of?: number) => void;

async function ingestFile(file: string, writer: KnowledgeWriter, report: StageReport, afterParse: () => void, logger?: Logger): Promise<IngestFileResult> {
  const source = nfc(path.basename(file));
  try {
    report("reading");
    const doc = await readAndParse(file, source, writer, () => report("parsing"));
    if (doc === "unchanged") return { file, source, outcome: "unchanged" };
    afterParse();
    const outcome = await writer.upsert(doc, { onProgress: (p) => report(p.stage, p.done, p.total) });
    return { file, source, outcome, passages: doc.passages.length };
  } catch (error) {
    if (error instanceof IngestError) return { file, source, outcome: "failed", error: error.message };
    // Anything else (a database error, a bug) is still reported per file, with its cause logged.
    logger?.error({ err: error, file }, "unexpected error while ingesting");
    return { file, source, outcome: "failed", error: `${source} could not be ingested: ${(error as Error).message}` };
  }
}

/**
 * The file parsed, or "unchanged" when the store holds this very version (same sha256).
 * Its bytes go out of scope on return: a 50 MB buffer is not kept while the document is stored.
 */
async function readAndParse(file: string, source: string, writer: KnowledgeWriter, onParsing: () => void): Promise<ParsedDocument | "unchanged"> {
  const bytes = await readBytes(file);
  if ((await writer.storedHash(source)) === sha256(bytes)) return "unchanged";
  onParsing();
  return parseFile(file, bytes);
}

/** One progress line: "[3/12] qd294.txt: 212 passages (added)". */
export function formatProgress(result: IngestFileResult, index: number, total: number): string {
  const prefix = `[${index + 1}/${total}] ${result.source}`;
  switch (result.outcome) {
    case "failed":
      return `${prefix}: FAILED: ${result.error}`;
    case "unchanged":
      return `${prefix}: unchanged`;
    default:
      return `${prefix}: ${result.passages} passages (${result.outcome})`;
  }
}

/** Summary line: "4 files: 2 added, 1 replaced, 0 unchanged, 1 failed". */
export function formatSummary(results: IngestFileResult[]): string {
  const count = (o: IngestFileResult["outcome"]) => results.filter((r) => r.outcome === o).length;
  return `${results.length} file(s): ${count("added")} added, ${count("replaced")} replaced, ${count("unchanged")} unchanged, ${count("failed")} failed`;
}
