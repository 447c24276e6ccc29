/**
 * The question field of search: BM25 over the questions members ask that each section
 * answers (SectionQuestion rows: data/questions, taught, picked). A member's question is
 * matched against these questions, which share its wording far more often than the document
 * does; each hit leads to the passages that hold the question's section.
 *
 * SQLite FTS5 (table QuestionFts) stores the index; searches score a copy held in memory
 * (memory-bm25.ts, the same numbers as FTS5's bm25()), read again after any change to the
 * knowledge: `changes` is a counter that moves then (the lexical index's generation).
 *
 *   const qi = new QuestionIndex(store.sqlite, () => lexical.generation);
 *   qi.search(["tuoi", "dang"], ["tuoi_dang"], 40);   // [{ passageId, questionId, score }]
 */
import type Database from "better-sqlite3";
import { foldedSyllables } from "./terms.js";
import { pairTokens } from "./lexical-index.js";
import { MemoryBm25, scoresLikeFts, type Bm25Term } from "./memory-bm25.js";

export interface QuestionHit {
  passageId: number;
  questionId: number;
  /** -bm25: higher is better. */
  score: number;
}

const quote = (t: string) => `"${t.replace(/"/g, '""')}"`;

const COLUMNS = ["folded", "pairs"] as const;

export class QuestionIndex {
  private readonly insertStmt: Database.Statement;
  private readonly searchStmt: Database.Statement;
  private readonly passagesStmt: Database.Statement;
  private readonly textsStmt: Database.Statement;
  private readonly countStmt: Database.Statement;
  private readonly allStmt: Database.Statement;
  private memory: MemoryBm25 | undefined;
  private memoryAt = -1;

  /**
   * `changes` moves whenever the stored questions may have changed (here or in another process).
   * Without it (a writer that only inserts) every search reads the questions again: never stale.
   */
  constructor(db: Database.Database, private readonly changes: () => number = () => Number.NaN) {
    this.insertStmt = db.prepare(`INSERT INTO QuestionFts (rowid, folded, pairs) VALUES (?, ?, ?)`);
    this.searchStmt = db.prepare(`SELECT rowid AS id, bm25(QuestionFts, 1.0, 1.0) AS rank FROM QuestionFts WHERE QuestionFts MATCH ? ORDER BY rank LIMIT ?`);
    // A question attaches to every passage holding its section's own text, in the documents of its source.
    this.passagesStmt = db.prepare(
      `SELECT q.id AS questionId, ps.passageId AS passageId
         FROM SectionQuestion q JOIN Document d ON d.source = q.source
         JOIN Passage p ON p.documentId = d.id JOIN PassageSection ps ON ps.passageId = p.id AND ps.path = q.sectionPath
        WHERE q.id IN (SELECT value FROM json_each(?))`,
    );
    this.textsStmt = db.prepare(
      `SELECT ps.passageId AS passageId, q.text AS text
         FROM PassageSection ps JOIN Passage p ON p.id = ps.passageId JOIN Document d ON d.id = p.documentId
         JOIN SectionQuestion q ON q.source = d.source AND q.sectionPath = ps.path
        WHERE ps.passageId IN (SELECT value FROM json_each(?))`,
    );
    this.countStmt = db.prepare(`SELECT count(*) FROM QuestionFts`).pluck();
    this.allStmt = db.prepare(`SELECT rowid AS id, folded, pairs FROM QuestionFts`);
  }

  /** Indexes one question (rowid = SectionQuestion.id); the caller holds the transaction. */
  insert(id: number, text: string): void {
    const folded = foldedSyllables(text);
    this.insertStmt.run(id, folded.join(" "), pairTokens(folded).join(" "));
    this.memory = undefined;
  }

  /** Number of indexed questions. */
  count(): number {
    return this.countStmt.get() as number;
  }

  /** Passages whose questions best match the terms, each with its best question's score. */
  search(words: string[], pairs: string[], limit: number): QuestionHit[] {
    const terms: Bm25Term[] = [...new Set(words)].map((token) => ({ column: 0, tokens: [token] })).concat([...new Set(pairs)].map((token) => ({ column: 1, tokens: [token] })));
    if (!terms.length) return [];
    const rows = this.best(terms, limit);
    if (!rows.length) return [];
    const score = new Map(rows.map((r) => [r.id, r.score]));
    const best = new Map<number, QuestionHit>();
    for (const { questionId, passageId } of this.passagesStmt.all(JSON.stringify(rows.map((r) => r.id))) as { questionId: number; passageId: number }[]) {
      const s = score.get(questionId)!;
      const prev = best.get(passageId);
      if (!prev || s > prev.score) best.set(passageId, { passageId, questionId, score: s });
    }
    return [...best.values()].sort((a, b) => b.score - a.score);
  }

  /** Question ids and scores, best first: from memory, or FTS5 for a term that is not one token. */
  private best(terms: Bm25Term[], limit: number): { id: number; score: number }[] {
    if (scoresLikeFts(terms)) return this.inMemory().search(terms, limit);
    const match = terms.map((t) => `${COLUMNS[t.column]} : ${quote(t.tokens[0]!)}`).join(" OR ");
    return (this.searchStmt.all(match, limit) as { id: number; rank: number }[]).map((r) => ({ id: r.id, score: -r.rank }));
  }

  /** The in-memory copy, read again from QuestionFts after a change. */
  private inMemory(): MemoryBm25 {
    const at = this.changes();
    if (this.memory && this.memoryAt === at) return this.memory;
    const memory = new MemoryBm25(COLUMNS.length);
    for (const row of this.allStmt.iterate() as Iterable<{ id: number; folded: string; pairs: string }>) memory.addText(row.id, [row.folded, row.pairs]);
    this.memory = memory;
    this.memoryAt = at;
    return memory;
  }

  /** The question texts attached to each passage. */
  questionsOf(passageIds: number[]): Map<number, string[]> {
    const out = new Map<number, string[]>();
    for (const { passageId, text } of this.textsStmt.all(JSON.stringify(passageIds)) as { passageId: number; text: string }[]) {
      const list = out.get(passageId) ?? [];
      list.push(text);
      out.set(passageId, list);
    }
    return out;
  }
}
