/**
 * The contract between the ingest pipeline (which reads and chunks files) and the
 * knowledge base (which stores passages and keeps the search indexes in step).
 */

export type DocumentFormat = "txt" | "md" | "pdf" | "docx" | "html";

/** A passage as cut by the chunker: at most 1,200 characters of `text`. */
export interface ChunkedPassage {
  /** Heading path for the citation, e.g. "Quy định 294-QĐ/TW › 4. (Điều 5) › 4.1". */
  heading: string;
  text: string;
}

export interface DocumentMetadata {
  title: string;
  /** Số hiệu, e.g. "294-QĐ/TW". */
  number?: string;
  /** Cơ quan ban hành. */
  issuer?: string;
  /** Date as written, e.g. "26/5/2025". */
  issuedOn?: string;
  /** Quy định, Hướng dẫn, Sổ tay, ... */
  docType?: string;
}

/** A file read and chunked, ready to be stored. All text is NFC. */
export interface ParsedDocument extends DocumentMetadata {
  /** The file name shown in citations and used as the document's identity (`--remove <source>`). */
  source: string;
  /** Absolute path it was read from. */
  path: string;
  /** sha256 of the file's bytes: an unchanged file is not re-ingested. */
  sha256: string;
  format: DocumentFormat;
  passages: ChunkedPassage[];
}

export type UpsertOutcome = "added" | "replaced" | "unchanged";

export interface StoredDocument extends DocumentMetadata {
  source: string;
  path: string;
  sha256: string;
  format: string;
  passageCount: number;
  ingestedAt: Date;
}

/** What the ingest pipeline needs from the knowledge base (implemented in core/knowledge/knowledge-base.ts). */
export interface KnowledgeWriter {
  /** sha256 stored for `source`, so an unchanged file is skipped before it is even parsed. */
  storedHash(source: string): Promise<string | undefined>;
  /** Stores a document and its passages and updates every index, all or nothing. */
  upsert(doc: ParsedDocument): Promise<UpsertOutcome>;
  /** Removes a document, its passages and their index entries; false when unknown. */
  remove(source: string): Promise<boolean>;
  list(): Promise<StoredDocument[]>;
}
