/**
 * The lexical half of hybrid search: SQLite FTS5 (table PassageFts, created by the
 * search_fts migrations) with BM25 ranking. Rows are keyed by Passage.id and written by
 * the knowledge base inside the same transaction as the passages. Three columns:
 * folded syllables, accented syllables, and adjacent folded syllable pairs as single
 * tokens ("vao_dang"), since Vietnamese words are mostly two syllables.
 *
 *   const lex = new LexicalIndex(store.sqlite);
 *   lex.insert(id, { title }, heading, text);
 *   lex.search({ words: ["tuoi"], pairs: ["vao_dang"], phrases: [], accented: ["tuổi"] }, 40);
 */
import type Database from "better-sqlite3";
import { foldSyllable } from "./terms.js";
import { MemoryBm25, scoresLikeFts, type Bm25Term } from "./memory-bm25.js";
import { syllables } from "../text/vietnamese.js";

export interface LexicalQuery {
  /** Folded single syllables. */
  words: string[];
  /** Pair tokens ("vao_dang"). */
  pairs: string[];
  /** Longer phrases as sequences of pair tokens (synonym alternatives). */
  phrases: string[][];
  /** Accented syllables matched against the accented column (exact accents rank higher). */
  accented: string[];
}

/** The document fields indexed with each of its passages. */
export interface DocumentLabel {
  title: string;
  number?: string | null;
  issuer?: string | null;
}

/** Weights of the folded, accented and pairs columns in bm25(). */
const COLUMN_WEIGHTS = [1.0, 0.5, 1.0] as const;
/**
 * Posting-list budget of one candidate query: terms are taken rarest first until their
 * summed document frequency passes it (at least MIN_TERMS are always taken). On a small
 * handbook every term fits; at 100,000 passages the syllables found in a third of all
 * passages are left to the reranker instead of making BM25 score 50,000 rows.
 */
const POSTINGS_BUDGET = 30_000;
const MIN_TERMS = 3;

const quote = (t: string) => `"${t.replace(/"/g, '""')}"`;

/**
 * Up to this many passages, searches score a copy of the index held in memory (memory-bm25.ts,
 * FTS5's own formula): FTS5 computes bm25() row by row for every match, most of a search's
 * time on a handbook. The copy costs about 13 KB per passage in each search thread, so a
 * larger knowledge base is searched by FTS5 itself.
 */
export const MEMORY_MAX_PASSAGES = 5_000;
const COLUMNS = ["folded", "accented", "pairs"] as const;

/** Pair tokens of a sequence of folded syllables. */
export function pairTokens(folded: string[]): string[] {
  const out: string[] = [];
  for (let i = 1; i < folded.length; i++) out.push(`${folded[i - 1]}_${folded[i]}`);
  return out;
}

export class LexicalIndex {
  private readonly insertStmt: Database.Statement;
  private readonly dfStmt: Database.Statement;
  private readonly countStmt: Database.Statement;
  private readonly searchStmt: Database.Statement;
  private docCount: number | undefined;
  /** Bumped by every change this index sees (insert, invalidate): caches keyed on passages or terms compare it. */
  private gen = 0;
  /** Document frequencies looked up since the last change (fts5vocab lookups dominate a query otherwise). */
  private readonly dfCache = new Map<string, number>();
  private dfCacheGen = 0;
  private readonly allStmt: Database.Statement;
  private memory: MemoryBm25 | undefined;
  private memoryGen = -1;

  constructor(db: Database.Database) {
    this.insertStmt = db.prepare(`INSERT INTO PassageFts (rowid, folded, accented, pairs) VALUES (?, ?, ?, ?)`);
    this.dfStmt = db.prepare(`SELECT doc FROM PassageFtsVocab WHERE term = ?`);
    this.countStmt = db.prepare(`SELECT count(*) AS n FROM Passage`);
    this.allStmt = db.prepare(`SELECT rowid AS id, folded, accented, pairs FROM PassageFts`);
    this.searchStmt = db.prepare(
      `SELECT rowid AS id, bm25(PassageFts, ${COLUMN_WEIGHTS.join(", ")}) AS rank FROM PassageFts WHERE PassageFts MATCH ? ORDER BY rank LIMIT ?`,
    );
  }

  /**
   * Text indexed for a passage: the document's title, number and issuer (so "ở Hà Nội" or
   * "Quy định 294" find that document's passages), the heading path and the body.
   */
  static indexedText(doc: DocumentLabel, heading: string, text: string): string {
    return `${[doc.title, doc.number, doc.issuer].filter(Boolean).join(" ")}\n${heading}\n${text}`;
  }

  insert(id: number, doc: DocumentLabel, heading: string, text: string): void {
    // foldedSyllables(body) and accentedText(body), splitting the body once (ingest's hot path).
    const accented = syllables(LexicalIndex.indexedText(doc, heading, text));
    const folded = accented.map(foldSyllable);
    this.insertStmt.run(id, folded.join(" "), accented.join(" "), pairTokens(folded).join(" "));
    this.invalidate();
  }

  /** Forgets cached statistics (the passages changed, here or in another process). */
  invalidate(): void {
    this.docCount = undefined;
    this.gen++;
  }

  /** Changes whenever the indexed passages may have changed; callers caching passage data compare it. */
  get generation(): number {
    return this.gen;
  }

  /** Number of indexed passages. */
  count(): number {
    this.docCount ??= (this.countStmt.get() as { n: number }).n;
    return this.docCount;
  }

  /** Passages containing the term (a folded or accented syllable, or a pair token). */
  documentFrequency(term: string): number {
    if (this.dfCacheGen !== this.gen || this.dfCache.size > 200_000) {
      this.dfCache.clear();
      this.dfCacheGen = this.gen;
    }
    let df = this.dfCache.get(term);
    if (df === undefined) {
      df = (this.dfStmt.get(term) as { doc: number } | undefined)?.doc ?? 0;
      this.dfCache.set(term, df);
    }
    return df;
  }

  /** BM25 idf of a term, as FTS5 computes it (never negative). */
  idf(term: string): number {
    const n = this.count();
    const df = this.documentFrequency(term);
    return Math.log(1 + (n - df + 0.5) / (df + 0.5));
  }

  /** Best passages by BM25, best first (score: -bm25, higher is better). */
  search(q: LexicalQuery, limit: number): { id: number; score: number }[] {
    const chosen = this.chooseTerms(q);
    if (!chosen.length) return [];
    if (this.count() <= MEMORY_MAX_PASSAGES && scoresLikeFts(chosen)) return this.inMemory().search(chosen, limit);
    const match = chosen.map((t) => `${COLUMNS[t.column]} : ${quote(t.tokens.join(" "))}`).join(" OR ");
    const rows = this.searchStmt.all(match, limit) as { id: number; rank: number }[];
    return rows.map((r) => ({ id: r.id, score: -r.rank }));
  }

  /** The query's terms that are indexed, rarest first, within POSTINGS_BUDGET (phrases: sequences of pair tokens). */
  private chooseTerms(q: LexicalQuery): Bm25Term[] {
    type Term = Bm25Term & { df: number };
    const df = new Map<string, number>();
    const dfOf = (t: string) => {
      let v = df.get(t);
      if (v === undefined) df.set(t, (v = this.documentFrequency(t)));
      return v;
    };
    const terms: Term[] = [];
    for (const w of new Set(q.words)) terms.push({ column: 0, tokens: [w], df: dfOf(w) });
    for (const p of new Set(q.pairs)) terms.push({ column: 2, tokens: [p], df: dfOf(p) });
    for (const ph of q.phrases) {
      if (ph.length === 0) continue;
      terms.push({ column: 2, tokens: ph, df: Math.min(...ph.map(dfOf)) });
    }
    for (const a of new Set(q.accented)) terms.push({ column: 1, tokens: [a], df: dfOf(a) });
    const usable = terms.filter((t) => t.df > 0).sort((a, b) => a.df - b.df);
    const chosen: Bm25Term[] = [];
    let postings = 0;
    for (const t of usable) {
      if (chosen.length >= MIN_TERMS && postings + t.df > POSTINGS_BUDGET) break;
      chosen.push({ column: t.column, tokens: t.tokens });
      postings += t.df;
    }
    return chosen;
  }

  /** The in-memory copy of the index, read again from PassageFts after any change. */
  private inMemory(): MemoryBm25 {
    if (this.memory && this.memoryGen === this.gen) return this.memory;
    const memory = new MemoryBm25(COLUMNS.length, COLUMN_WEIGHTS, [COLUMNS.indexOf("pairs")]);
    for (const row of this.allStmt.iterate() as Iterable<{ id: number; folded: string; accented: string; pairs: string }>) {
      memory.addText(row.id, [row.folded, row.accented, row.pairs]);
    }
    this.memory = memory;
    this.memoryGen = this.gen;
    return memory;
  }

}
