/**
 * Teaching the knowledge base: a question attached to a section by an officer (`npm run admin
 * -- teach`, origin "taught") or by members' agreeing picks (origin "picked"). Stored like the
 * questions of data/questions (SectionQuestion + the QuestionFts index), keyed by the document's
 * source and the section's path, so it outlives a re-ingest and reaches every process that
 * searches the store. Each refusal says why in words an officer can act on.
 *
 *   const where = teachQuestion(db, index, "lên chính thức mất bao lâu", "Điều lệ Đảng", "Điều 5, khoản 1", "taught");
 *   where.section;   // { source: "dieu-le-dang-2011.txt", path: "ch1/d5/n1" }
 */
import type Database from "better-sqlite3";
import { collapseSpace, nfc } from "../text/vietnamese.js";
import { QuestionIndex } from "../search/question-index.js";
import { documentsNamed } from "./question-sync.js";
import { findSections, parseSectionRef } from "./section-path.js";

export type TaughtOrigin = "taught" | "picked";

/** Why a question could not be taught, in words for the officer. */
export class TeachError extends Error {}

export interface Taught {
  section: { source: string; path: string };
  /** False when the same question was already attached to that section (nothing new stored). */
  added: boolean;
}

/** Attaches `question` to the section `sectionRef` of the document named `document` (its number, title or file name). */
export function teachQuestion(db: Database.Database, index: QuestionIndex, question: string, document: string, sectionRef: string, origin: TaughtOrigin): Taught {
  const text = collapseSpace(nfc(question));
  if (text.length < 3) throw new TeachError("the question is empty");
  const docs = documentsNamed(db, document);
  if (!docs.length) {
    const known = (db.prepare(`SELECT coalesce(number, title) FROM Document ORDER BY id`).pluck().all() as string[]).join("; ");
    throw new TeachError(`no document named "${document}" is in the knowledge base (known: ${known || "none"})`);
  }
  const ref = parseSectionRef(sectionRef);
  if (!ref) throw new TeachError(`"${sectionRef}" is not a section reference (examples: "Điều 5, khoản 1", "4.5.1", "6.3.1 điểm b", "Phần thứ hai, A, I, 4.4.3")`);
  const paths = db.prepare(`SELECT path FROM Section WHERE documentId = ?`).pluck();
  const found = docs.flatMap((d) => findSections(ref, paths.all(d.id) as string[]).map((path) => ({ source: d.source, path })));
  if (!found.length) throw new TeachError(`section "${sectionRef}" is not in ${docs.map((d) => d.source).join(", ")}`);
  const distinct = new Set(found.map((f) => f.path));
  if (distinct.size > 1) throw new TeachError(`"${sectionRef}" matches ${distinct.size} sections; write the parts above it too (for example "Phần thứ hai, A, I, 4.4.3")`);
  return attach(db, index, text, found, origin);
}

/** Attaches `question` to the section of a passage (a member picked it). */
export function teachPassage(db: Database.Database, index: QuestionIndex, question: string, passageId: number, origin: TaughtOrigin): Taught | undefined {
  const row = db.prepare(`SELECT d.source AS source, p.sectionPath AS path FROM Passage p JOIN Document d ON d.id = p.documentId WHERE p.id = ?`).get(passageId) as
    | { source: string; path: string }
    | undefined;
  if (!row || !row.path) return undefined;
  return attach(db, index, collapseSpace(nfc(question)), [row], origin);
}

function attach(db: Database.Database, index: QuestionIndex, text: string, at: { source: string; path: string }[], origin: TaughtOrigin): Taught {
  const exists = db.prepare(`SELECT 1 FROM SectionQuestion WHERE source = ? AND sectionPath = ? AND text = ?`).pluck();
  const insert = db.prepare(`INSERT INTO SectionQuestion (source, sectionPath, text, origin) VALUES (?, ?, ?, ?)`);
  let added = false;
  db.transaction(() => {
    for (const { source, path } of at) {
      if (exists.get(source, path, text)) continue;
      index.insert(Number(insert.run(source, path, text, origin).lastInsertRowid), text);
      added = true;
    }
  })();
  return { section: at[0]!, added };
}

/**
 * What the server needs to learn from members' picks without loading a knowledge base (searches
 * run in threads that follow the store: they see the new question on their next search).
 */
export function pickTeacher(db: Database.Database): { learnPick(question: string, passageId: number): Promise<Taught | undefined> } {
  const index = new QuestionIndex(db);
  return { learnPick: async (question, passageId) => teachPassage(db, index, question, passageId, "picked") };
}
