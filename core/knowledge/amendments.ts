/**
 * data/amendments.txt resolved against the stored documents: each side of each line becomes
 * the passages holding that section (core/search/precedence.ts uses them to quote a newer
 * rule before the one it changed). Lines naming a document or section that is not stored
 * resolve to nothing, so the other lines still work.
 *
 *   const resolved = resolveAmendments(store.sqlite, amendments);
 */
import type Database from "better-sqlite3";
import type { Amendment, ResolvedAmendment } from "../search/precedence.js";
import { documentsNamed } from "./question-sync.js";
import { findSections, parseSectionRef } from "./section-path.js";

export function resolveAmendments(db: Database.Database, amendments: Amendment[]): ResolvedAmendment[] {
  const paths = db.prepare(`SELECT path FROM Section WHERE documentId = ?`).pluck();
  const text = db.prepare(`SELECT text FROM Section WHERE documentId = ? AND path = ?`).pluck();
  const passages = db.prepare(`SELECT p.id FROM Passage p JOIN PassageSection ps ON ps.passageId = p.id WHERE p.documentId = ? AND ps.path = ?`).pluck();
  const holding = (side: { document: string; section: string }): { passages: Set<number>; text: string[] } => {
    const ref = parseSectionRef(side.section);
    const out = { passages: new Set<number>(), text: [] as string[] };
    if (!ref) return out;
    for (const doc of documentsNamed(db, side.document)) {
      const found = findSections(ref, paths.all(doc.id) as string[]);
      if (found.length !== 1) continue;
      for (const id of passages.all(doc.id, found[0]) as number[]) out.passages.add(id);
      out.text.push(text.get(doc.id, found[0]) as string);
    }
    return out;
  };
  return amendments
    .map((a) => ({ newer: holding(a.newer), older: holding(a.older) }))
    .filter((a) => a.newer.passages.size && a.older.passages.size)
    .map((a) => ({ newer: a.newer.passages, older: a.older.passages, newerText: a.newer.text, olderText: a.older.text }));
}
