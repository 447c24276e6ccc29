/**
 * The question field of search: BM25 (SQLite FTS5, table QuestionFts) over the questions
 * members ask that each section answers (SectionQuestion rows: data/questions, taught,
 * picked). A member's question is matched against these questions, which share its
 * wording far more often than the document does; each hit leads to the passages that hold
 * the question's section.
 *
 *   const qi = new QuestionIndex(store.sqlite);
 *   qi.search(["tuoi", "dang"], ["tuoi_dang"], 40);   // [{ passageId, questionId, score }]
 */
import type Database from "better-sqlite3";
import { foldedSyllables } from "./terms.js";
import { pairTokens } from "./lexical-index.js";

export interface QuestionHit {
  passageId: number;
  questionId: number;
  /** -bm25: higher is better. */
  score: number;
}

const quote = (t: string) => `"${t.replace(/"/g, '""')}"`;

export class QuestionIndex {
  private readonly insertStmt: Database.Statement;
  private readonly searchStmt: Database.Statement;
  private readonly passagesStmt: Database.Statement;
  private readonly textsStmt: Database.Statement;
  private readonly countStmt: Database.Statement;

  constructor(db: Database.Database) {
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
  }

  /** Indexes one question (rowid = SectionQuestion.id); the caller holds the transaction. */
  insert(id: number, text: string): void {
    const folded = foldedSyllables(text);
    this.insertStmt.run(id, folded.join(" "), pairTokens(folded).join(" "));
  }

  /** Number of indexed questions. */
  count(): number {
    return this.countStmt.get() as number;
  }

  /** Passages whose questions best match the terms, each with its best question's score. */
  search(words: string[], pairs: string[], limit: number): QuestionHit[] {
    const terms = [...new Set(words)].map((w) => `folded : ${quote(w)}`).concat([...new Set(pairs)].map((p) => `pairs : ${quote(p)}`));
    if (!terms.length) return [];
    const rows = this.searchStmt.all(terms.join(" OR "), limit) as { id: number; rank: number }[];
    if (!rows.length) return [];
    const score = new Map(rows.map((r) => [r.id, -r.rank]));
    const best = new Map<number, QuestionHit>();
    for (const { questionId, passageId } of this.passagesStmt.all(JSON.stringify(rows.map((r) => r.id))) as { questionId: number; passageId: number }[]) {
      const s = score.get(questionId)!;
      const prev = best.get(passageId);
      if (!prev || s > prev.score) best.set(passageId, { passageId, questionId, score: s });
    }
    return [...best.values()].sort((a, b) => b.score - a.score);
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
