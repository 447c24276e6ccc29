/**
 * A crude corpus reader for the benchmark and tests, used only until (or when) the ingest
 * pipeline is unavailable: header block → metadata, then paragraphs packed into passages
 * of at most 1,200 characters, with the latest numbered line as the heading.
 */
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { ChunkedPassage, ParsedDocument } from "../core/knowledge/types.js";

const MAX = 1200;

/** Reads one corpus .txt file into a ParsedDocument. */
export function crudeParse(file: string): ParsedDocument {
  const bytes = fs.readFileSync(file);
  const raw = bytes.toString("utf8").normalize("NFC");
  const meta: Record<string, string> = {};
  let body = raw;
  const end = raw.indexOf("=== HẾT THÔNG TIN VĂN BẢN ===");
  if (raw.startsWith("=== THÔNG TIN VĂN BẢN ===") && end > 0) {
    for (const line of raw.slice(0, end).split("\n")) {
      const m = /^([^:]+):\s*(.*)$/.exec(line);
      if (m) meta[m[1]!.trim()] = m[2]!.trim();
    }
    body = raw.slice(end + "=== HẾT THÔNG TIN VĂN BẢN ===".length);
  }
  const title = meta["TIÊU ĐỀ"] ?? path.basename(file);
  const passages: ChunkedPassage[] = [];
  let heading = title;
  let current = "";
  const flush = () => {
    if (current.trim()) passages.push({ heading, text: current.trim() });
    current = "";
  };
  for (const para of body.split(/\n+/).map((l) => l.trim()).filter(Boolean)) {
    // A numbered line opens a new passage unless the current one is still short (a bare heading).
    if (/^(\d+(\.\d+)*\.|Điều \d+|Chương [IVX]+|[IVX]+\.)\s/.test(para) && para.length < 200) {
      if (current.length > 300) flush();
      heading = `${title} › ${para.slice(0, 80)}`;
    }
    for (let rest = para; rest.length > 0; ) {
      const room = MAX - current.length - 1;
      if (rest.length <= room) {
        current += (current ? "\n" : "") + rest;
        rest = "";
      } else if (current) {
        flush();
      } else {
        const cut = rest.lastIndexOf(" ", MAX) > MAX / 2 ? rest.lastIndexOf(" ", MAX) : MAX;
        current = rest.slice(0, cut);
        rest = rest.slice(cut).trim();
        flush();
      }
    }
  }
  flush();
  return {
    source: path.basename(file),
    path: path.resolve(file),
    sha256: createHash("sha256").update(bytes).digest("hex"),
    format: "txt",
    title,
    ...(meta["SỐ HIỆU"] ? { number: meta["SỐ HIỆU"] } : {}),
    ...(meta["CƠ QUAN BAN HÀNH"] ? { issuer: meta["CƠ QUAN BAN HÀNH"] } : {}),
    ...(meta["LOẠI VĂN BẢN"] ? { docType: meta["LOẠI VĂN BẢN"] } : {}),
    passages,
  };
}

/**
 * Loads every corpus file into the writer: through the ingest pipeline (ingest/pipeline.ts)
 * when it exists, else header parsing here with the ingest chunker, else the crude chunker.
 * Returns which path was used.
 */
export async function ingestCorpus(
  dir: string,
  writer: import("../core/knowledge/types.js").KnowledgeWriter,
): Promise<string> {
  const files = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith(".txt") && f !== "README.md")
    .map((f) => path.join(dir, f));
  try {
    const pipeline = (await import("../ingest/pipeline.js" as string)) as {
      ingestPaths?: (paths: string[], w: typeof writer) => Promise<unknown>;
    };
    if (pipeline.ingestPaths) {
      await pipeline.ingestPaths(files, writer);
      return "ingest/pipeline.ts ingestPaths";
    }
  } catch (err) {
    if (!/Cannot find module|ERR_MODULE_NOT_FOUND/.test(String(err))) throw err;
  }
  let chunk: ((text: string, o: { label: string }) => ChunkedPassage[]) | undefined;
  try {
    chunk = ((await import("../ingest/chunker.js" as string)) as { chunkDocument: typeof chunk }).chunkDocument;
  } catch {
    chunk = undefined;
  }
  for (const file of files) {
    const doc = crudeParse(file);
    if (chunk) {
      const raw = fs.readFileSync(file, "utf8").normalize("NFC");
      const end = raw.indexOf("=== HẾT THÔNG TIN VĂN BẢN ===");
      const body = end > 0 ? raw.slice(end + "=== HẾT THÔNG TIN VĂN BẢN ===".length) : raw;
      const label = doc.number && doc.number.length < 20 ? `${doc.docType ?? ""} ${doc.number}`.trim() : doc.title;
      doc.passages = chunk(body, { label });
    }
    await writer.upsert(doc);
  }
  return chunk ? "bench header parser + ingest/chunker.ts chunkDocument" : "bench crude chunker";
}
