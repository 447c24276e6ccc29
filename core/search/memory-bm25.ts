/**
 * BM25 over a few thousand short texts, held in memory and scored exactly as SQLite FTS5's
 * bm25() scores a query of single-token terms OR-ed together (same idf, same document
 * length over all columns, same order of summation, so the very same numbers). The question
 * field uses it: members' questions share their most common words ("đảng", "viên") with
 * thousands of stored questions, and FTS5 computes bm25() for every row that matches any
 * term, which made that one query a third of a search. Here a term's postings are added up
 * in a tight loop instead.
 *
 *   const index = new MemoryBm25(["folded", "pairs"]);
 *   index.add(7, [["tuoi", "dang"], ["tuoi_dang"]]);
 *   index.search([{ column: 0, token: "tuoi" }], 10);   // [{ id: 7, score: 0.28 }]
 */

export interface Bm25Term {
  /** Index of the column the term is restricted to (as `column : "token"` in FTS5). */
  column: number;
  token: string;
}

export interface Bm25Hit {
  id: number;
  /** -bm25(), as FTS5 would return it negated: higher is better. */
  score: number;
}

// FTS5's constants (fts5_aux.c).
const K1 = 1.2;
const B = 0.75;
const MIN_IDF = 1e-6;

/** One term's rows: row positions and the term's count in each. */
interface Postings {
  rows: number[];
  counts: number[];
}

export class MemoryBm25 {
  private readonly postings: Map<string, Postings>[];
  private readonly ids: number[] = [];
  /** Tokens of each row over all columns (FTS5's xColumnSize(-1)). */
  private readonly lengths: number[] = [];
  private totalTokens = 0;

  constructor(columns: readonly string[]) {
    this.postings = columns.map(() => new Map());
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
      const counts = new Map<string, number>();
      for (const token of tokens) counts.set(token, (counts.get(token) ?? 0) + 1);
      for (const [token, count] of counts) {
        let list = this.postings[column]!.get(token);
        if (!list) this.postings[column]!.set(token, (list = { rows: [], counts: [] }));
        list.rows.push(row);
        list.counts.push(count);
      }
    });
    this.lengths.push(length);
    this.totalTokens += length;
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
      const list = this.postings[term.column]?.get(term.token);
      if (!list) continue;
      const hits = list.rows.length;
      let idf = Math.log((rowCount - hits + 0.5) / (hits + 0.5));
      if (idf <= 0) idf = MIN_IDF;
      for (let i = 0; i < hits; i++) {
        const row = list.rows[i]!;
        const frequency = list.counts[i]!;
        if (scores[row] === 0) touched.push(row);
        scores[row]! += idf * ((frequency * (K1 + 1)) / (frequency + K1 * (1 - B + (B * this.lengths[row]!) / averageLength)));
      }
    }
    return touched
      .map((row) => ({ id: this.ids[row]!, score: scores[row]! }))
      .sort((a, b) => b.score - a.score || a.id - b.id)
      .slice(0, limit);
  }
}
