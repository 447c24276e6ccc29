/**
 * The lexical half of hybrid search: SQLite FTS5 (table PassageFts, created by the
 * search_fts migration) with BM25 ranking. Rows are keyed by Passage.id and written by
 * the knowledge base inside the same transaction as the passages.
 *
 *   const lex = new LexicalIndex(store.sqlite);
 *   lex.insert(id, heading, text);
 *   lex.search({ folded: ["tuoi", "dang"], phrases: ["tuoi dang"], accented: ["tuổi"] }, 50);
 */
import type Database from "better-sqlite3";
import { accentedText, foldedText } from "./terms.js";

export interface LexicalQuery {
  /** Folded single terms (OR-ed). */
  folded: string[];
  /** Folded multi-syllable phrases (OR-ed). */
  phrases: string[];
  /** Accented single terms matched against the accented column (exact accents rank higher). */
  accented: string[];
}

/** Weights of the folded and accented columns in bm25(). */
const COLUMN_WEIGHTS = [1.0, 0.5] as const;

/** The document fields indexed with each of its passages. */
export interface DocumentLabel {
  title: string;
  number?: string | null;
  issuer?: string | null;
}

const quote = (t: string) => `"${t.replace(/"/g, '""')}"`;

export class LexicalIndex {
  private readonly insertStmt: Database.Statement;
  private readonly deleteStmt: Database.Statement;
  private readonly dfStmt: Database.Statement;
  private readonly countStmt: Database.Statement;
  private readonly searchCache = new Map<string, Database.Statement>();
  private docCount: number | undefined;

  constructor(private readonly db: Database.Database) {
    this.insertStmt = db.prepare(`INSERT INTO PassageFts (rowid, folded, accented) VALUES (?, ?, ?)`);
    this.deleteStmt = db.prepare(`DELETE FROM PassageFts WHERE rowid = ?`);
    this.dfStmt = db.prepare(`SELECT doc FROM PassageFtsVocab WHERE term = ?`);
    this.countStmt = db.prepare(`SELECT count(*) AS n FROM PassageFts`);
  }

  /**
   * Text indexed for a passage: the document's title, number and issuer (so "ở Hà Nội" or
   * "Quy định 294" find that document's passages), the heading path and the body.
   */
  static indexedText(doc: DocumentLabel, heading: string, text: string): string {
    return `${[doc.title, doc.number, doc.issuer].filter(Boolean).join(" ")}\n${heading}\n${text}`;
  }

  insert(id: number, doc: DocumentLabel, heading: string, text: string): void {
    const body = LexicalIndex.indexedText(doc, heading, text);
    this.insertStmt.run(id, foldedText(body), accentedText(body));
    this.docCount = undefined;
  }

  delete(id: number): void {
    this.deleteStmt.run(id);
    this.docCount = undefined;
  }

  /** Number of indexed passages. */
  count(): number {
    this.docCount ??= (this.countStmt.get() as { n: number }).n;
    return this.docCount;
  }

  /** Passages containing the (folded or accented) term. */
  documentFrequency(term: string): number {
    const row = this.dfStmt.get(term) as { doc: number } | undefined;
    return row?.doc ?? 0;
  }

  /** BM25 idf of a term, as FTS5 computes it (never negative). */
  idf(term: string): number {
    const n = this.count();
    const df = this.documentFrequency(term);
    return Math.log(1 + (n - df + 0.5) / (df + 0.5));
  }

  /** Best passages by BM25, best first (score: -bm25, higher is better). */
  search(q: LexicalQuery, limit: number): { id: number; score: number }[] {
    const parts: string[] = [];
    const foldedTerms = [...q.folded, ...q.phrases].map(quote);
    if (foldedTerms.length) parts.push(`folded : (${foldedTerms.join(" OR ")})`);
    if (q.accented.length) parts.push(`accented : (${q.accented.map(quote).join(" OR ")})`);
    if (!parts.length) return [];
    const match = parts.join(" OR ");
    let stmt = this.searchCache.get("s");
    if (!stmt) {
      stmt = this.db.prepare(
        `SELECT rowid AS id, bm25(PassageFts, ${COLUMN_WEIGHTS.join(", ")}) AS rank FROM PassageFts WHERE PassageFts MATCH ? ORDER BY rank LIMIT ?`,
      );
      this.searchCache.set("s", stmt);
    }
    const rows = stmt.all(match, limit) as { id: number; rank: number }[];
    return rows.map((r) => ({ id: r.id, score: -r.rank }));
  }
}

/** Plain BM25 over the accented column: every syllable OR-ed, no folding (the benchmark's baseline). */
export function plainBm25(db: Database.Database, syllablesOfQuestion: string[], limit: number): number[] {
  if (!syllablesOfQuestion.length) return [];
  const match = `accented : (${[...new Set(syllablesOfQuestion)].map(quote).join(" OR ")})`;
  const rows = db
    .prepare(`SELECT rowid AS id FROM PassageFts WHERE PassageFts MATCH ? ORDER BY bm25(PassageFts, 0.0, 1.0) LIMIT ?`)
    .all(match, limit) as { id: number }[];
  return rows.map((r) => r.id);
}
