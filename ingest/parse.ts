/**
 * Reads one file into a ParsedDocument: text from the format's reader, NFC, metadata
 * from the header block / front matter / letterhead, then structure-aware passages.
 *
 *   const doc = await parseFile("../shared/corpus/pdf/quydinh294.pdf");
 *   doc.number;              // "294-QĐ/TW"
 *   doc.passages[0].heading; // "Quy định 294-QĐ/TW"
 */
import { createHash } from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import type { DocumentMetadata, ParsedDocument } from "../core/knowledge/types.js";
import { nfc } from "../core/text/vietnamese.js";
import { chunkWithSections } from "./chunker.js";
import { IngestError } from "./errors.js";
import { documentLabel, extractMetadata, markdownMetadata, readFrontMatter } from "./metadata.js";
import { READERS, SUPPORTED_EXTENSIONS } from "./readers.js";

/** sha256 (hex) of a file's bytes. */
export function sha256(bytes: Buffer): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/** True when the pipeline has a reader for the file's extension. */
export function isSupported(file: string): boolean {
  return path.extname(file).toLowerCase() in READERS;
}

/** Reads the file's bytes, turning file-system errors into IngestError. */
export async function readBytes(file: string): Promise<Buffer> {
  try {
    return await fs.readFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === "ENOENT" ? "does not exist" : code === "EACCES" ? "cannot be read (permission denied)" : code === "EISDIR" ? "is a folder" : `cannot be read (${(error as Error).message})`;
    throw new IngestError(file, why);
  }
}

/**
 * Reads, normalises and chunks one file. Throws IngestError (naming the file) when it is
 * unsupported, unreadable, empty, or a PDF without a text layer.
 */
export async function parseFile(file: string, bytes?: Buffer): Promise<ParsedDocument> {
  const ext = path.extname(file).toLowerCase();
  const reader = READERS[ext];
  if (!reader) throw new IngestError(file, `has an unsupported type "${ext || "(no extension)"}" (supported: ${SUPPORTED_EXTENSIONS.join(", ")})`);
  const data = bytes ?? (await readBytes(file));
  if (data.length === 0) throw new IngestError(file, "is empty (0 bytes)");

  const read = await reader.read(data, file);
  const source = nfc(path.basename(file));
  const fallbackTitle = source.replace(/\.[^.]+$/, "");
  let text = nfc(read.text);
  let meta: DocumentMetadata;
  if (read.markdownHeadings) {
    const { fields, body } = readFrontMatter(text);
    const h1 = /^#\s+(.+?)\s*#*\s*$/m.exec(body);
    // The `# ` title is metadata, not a passage of its own.
    text = h1 ? body.slice(0, h1.index) + body.slice(h1.index + h1[0].length) : body;
    meta = markdownMetadata(fields, h1?.[1] ?? (read.title ? nfc(read.title) : undefined), fallbackTitle);
    if (!h1 && !read.title) {
      // No title of its own: a header block or letterhead, if any, gives the metadata.
      const fromLetterhead = extractMetadata(text, fallbackTitle);
      meta = { ...fromLetterhead.meta, ...stripUndefined(meta), title: fromLetterhead.meta.title };
      text = fromLetterhead.body;
    }
  } else {
    const extracted = extractMetadata(text, fallbackTitle);
    meta = extracted.meta;
    text = extracted.body;
  }
  // Only white space? (Tested without collapsing it: on a 50 MB file that built 800 MB of garbage.)
  if (!/\S/.test(text)) throw new IngestError(file, "has no text to ingest");

  const { passages, sections } = chunkWithSections(text, { label: documentLabel(meta), markdownHeadings: read.markdownHeadings });
  if (passages.length === 0) throw new IngestError(file, "has no text to ingest");
  // The metadata's strings are slices of the file's whole text: copies let that text go now
  // that it is chunked (the passages and sections are slices of the chunker's own copy).
  const ownMeta = JSON.parse(JSON.stringify(meta)) as DocumentMetadata;
  return { ...ownMeta, source, path: path.resolve(file), sha256: sha256(data), format: reader.format, passages, sections };
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
