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
  /** Where it is, as members cite it: "Điều 5, khoản 1", "mục 6.3.1, điểm b". */
  locator?: string;
  /** What it is about, from the document's own titles ("Tính tuổi đảng của đảng viên"); "" when none. */
  subject?: string;
  /** The section it belongs to ("d5/n1"; for merged sibling units, their parent). See core/knowledge/section-path.ts. */
  sectionPath?: string;
  /** Every section whose own text it holds, in document order: questions about those sections attach to it. */
  sections?: string[];
}

/** A unit of a document's own numbering (Điều, khoản, mục, điểm...), with the text it states itself. */
export interface DocumentSection {
  /** Canonical path, unique in the document ("d5/n1", "ph2/la/r1/n4/n4.4/n4.4.3", "mo-dau" for the opening part). */
  path: string;
  kind: string;
  /** As written: "Điều 5.", "4.5.1.", "b)". */
  marker: string;
  /** Its own title, readable; "" when it has none (the Charter's articles). */
  title: string;
  /** 0 for the opening part, 1 for top-level units. */
  depth: number;
  /** Its own lines: heading and body before its first sub-unit. */
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
  /** The documents it replaces, as it names them (`THAY THẾ:` in a header block, `thay_the:` in front matter). */
  replaces?: string[];
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
  /** The document's outline, when the chunker read one. */
  sections?: DocumentSection[];
}

export type UpsertOutcome = "added" | "replaced" | "unchanged";

/** How far storing one document has got: passages written, then (a large document) passages in the vector index. */
export interface UpsertProgress {
  stage: "storing" | "indexing";
  done: number;
  total: number;
}

export interface UpsertOptions {
  /** Called every few hundred passages (from inside the write, synchronously). */
  onProgress?: (progress: UpsertProgress) => void;
}

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
  upsert(doc: ParsedDocument, options?: UpsertOptions): Promise<UpsertOutcome>;
  /** Removes a document, its passages and their index entries; false when unknown. */
  remove(source: string): Promise<boolean>;
  list(): Promise<StoredDocument[]>;
}

/** A row of the Document table as read with SQL (dates as the driver gives them: text on SQLite, Date on PostgreSQL). */
export interface DocumentTableRow {
  id: number;
  source: string;
  path: string;
  sha256: string;
  format: string;
  title: string;
  number: string | null;
  issuer: string | null;
  issuedOn: string | null;
  docType: string | null;
  ingestedAt: Date | string;
}
