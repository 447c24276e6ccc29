/**
 * BM25 over a small collection, held in memory and scored exactly as SQLite FTS5's bm25()
 * scores a query of column-filtered terms and phrases OR-ed together: the same idf, column
 * weights, document length over all columns and order of summation, so the same ranking
 * (to rounding in the last bits). FTS5 computes bm25() for every row that matches any term,
 * and a member's question always holds words found in most rows ("đảng", "viên"): that one
 * query was a third of a search. Here a term's postings are added up in a tight loop.
 * The question field always uses it; the passage index up to MEMORY_MAX_PASSAGES.
 *
 *   const index = new MemoryBm25(2);          // new MemoryBm25(3, [1, 0.5, 1], [2]): phrases in column 2
 *   index.add(7, [["tuoi", "dang"], ["tuoi_dang"]]);
 *   index.search([{ column: 0, tokens: ["tuoi"] }], 10);   // [{ id: 7, score: 0.28 }]
 */

export interface Bm25Term {
  /** Index of the column the term is restricted to (as `column : "…"` in FTS5). */
  column: number;
  /** One token, or a phrase: tokens that must follow each other. */
  tokens: string[];
}

export interface Bm25Hit {
  id: number;
  /** -bm25(), as FTS5 returns it negated: higher is better. */
  score: number;
}

/** What FTS5 reads as one token (unicode61 with tokenchars '_'); a query term with anything else must go to FTS5. */
const FTS_TOKEN = /^[\p{L}\p{N}_]+$/u;

/** Whether every term is made of tokens FTS5 would read exactly so (then the copy answers as FTS5 would). */
export function scoresLikeFts(terms: readonly Bm25Term[]): boolean {
  return terms.every((t) => t.tokens.length > 0 && t.tokens.every((token) => FTS_TOKEN.test(token)));
}

// FTS5's constants (fts5_aux.c).
const K1 = 1.2;
const B = 0.75;
const MIN_IDF = 1e-6;

/** One token's rows in one column: row positions and the token's count in each. */
interface Postings {
  rows: number[];
  counts: number[];
}

export class MemoryBm25 {
  private readonly postings: Map<string, Postings>[];
  /** Each row's tokens in the columns phrases are searched in (others are not kept: memory). */
  private readonly sequences: Map<number, string[][]>;
  /** One string per distinct token: a row's sequence holds references, not copies. */
  private readonly interned = new Map<string, string>();
  private readonly ids: number[] = [];
  /** Tokens of each row over all columns (FTS5's xColumnSize(-1)). */
  private readonly lengths: number[] = [];
  private totalTokens = 0;

  /** `weights`: per column, as bm25()'s arguments (default 1); `phraseColumns`: the columns phrases are searched in. */
  constructor(
    columns: number,
    private readonly weights: readonly number[] = Array.from({ length: columns }, () => 1),
    phraseColumns: readonly number[] = [],
  ) {
    this.postings = Array.from({ length: columns }, () => new Map());
    this.sequences = new Map(phraseColumns.map((column) => [column, []]));
  }

  get size(): number {
    return this.ids.length;
  }

  /** Adds a row: its tokens per column, in the constructor's column order. */
  add(id: number, columns: string[][]): void {
    const row = this.ids.length;
    this.ids.push(id);
    let length = 0;
    columns.forEach((tokens, column) => {
      length += tokens.length;
      this.sequences.get(column)?.push(tokens.map((token) => this.intern(token)));
      const counts = new Map<string, number>();
      for (const token of tokens) counts.set(token, (counts.get(token) ?? 0) + 1);
      for (const [token, count] of counts) {
        let list = this.postings[column]!.get(token);
        if (!list) this.postings[column]!.set(this.intern(token), (list = { rows: [], counts: [] }));
        list.rows.push(row);
        list.counts.push(count);
      }
    });
    this.lengths.push(length);
    this.totalTokens += length;
  }

  /** Adds a row from its columns as FTS5 stores them here: tokens separated by single spaces. */
  addText(id: number, columns: string[]): void {
    this.add(id, columns.map((text) => (text ? text.split(" ") : [])));
  }

  private intern(token: string): string {
    let shared = this.interned.get(token);
    if (shared === undefined) this.interned.set(token, (shared = token));
    return shared;
  }

  /** The `limit` best rows for the terms (any of them), best first; ties by id. */
  search(terms: Bm25Term[], limit: number): Bm25Hit[] {
    const rowCount = this.ids.length;
    if (rowCount === 0 || limit <= 0) return [];
    const averageLength = this.totalTokens / rowCount;
    const scores = new Float64Array(rowCount);
    const touched: number[] = [];
    // Summed term by term in the query's order, as FTS5 sums its phrases.
    for (const term of terms) {
      const list = term.tokens.length === 1 ? this.postings[term.column]?.get(term.tokens[0]!) : this.phrasePostings(term);
      if (!list) continue;
      const hits = list.rows.length;
      let idf = Math.log((rowCount - hits + 0.5) / (hits + 0.5));
      if (idf <= 0) idf = MIN_IDF;
      const weight = this.weights[term.column] ?? 1;
      for (let i = 0; i < hits; i++) {
        const row = list.rows[i]!;
        const frequency = list.counts[i]! * weight;
        if (scores[row] === 0) touched.push(row);
        scores[row]! += idf * ((frequency * (K1 + 1)) / (frequency + K1 * (1 - B + (B * this.lengths[row]!) / averageLength)));
      }
    }
    return touched
      .map((row) => ({ id: this.ids[row]!, score: scores[row]! }))
      .sort((a, b) => b.score - a.score || a.id - b.id)
      .slice(0, limit);
  }

  /** Rows holding the phrase, with its number of occurrences (overlapping ones too, as FTS5 counts). */
  private phrasePostings(term: Bm25Term): Postings | undefined {
    const sequences = this.sequences.get(term.column);
    if (!sequences) throw new Error(`MemoryBm25: phrases are not searched in column ${term.column}`);
    if (term.tokens.length === 0) return undefined;
    const first = this.postings[term.column]?.get(term.tokens[0]!);
    if (!first) return undefined;
    const out: Postings = { rows: [], counts: [] };
    for (const row of first.rows) {
      const tokens = sequences[row]!;
      let count = 0;
      for (let at = 0; at + term.tokens.length <= tokens.length; at++) {
        let j = 0;
        while (j < term.tokens.length && tokens[at + j] === term.tokens[j]) j++;
        if (j === term.tokens.length) count++;
      }
      if (count > 0) {
        out.rows.push(row);
        out.counts.push(count);
      }
    }
    return out.rows.length ? out : undefined;
  }
}
