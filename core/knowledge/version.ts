/**
 * The knowledge's version: a counter the triggers of migration knowledge_version bump whenever
 * a table search reads changes (documents, passages, sections, attached questions), whoever
 * wrote it. Readers keep their caches until it moves (the answer cache, search threads).
 *
 *   if (knowledgeVersion(store.sqlite) !== seen) cache.clear();
 */
import type Database from "better-sqlite3";

export function knowledgeVersion(db: Database.Database): number {
  return db.prepare(`SELECT version FROM KnowledgeVersion WHERE id = 1`).pluck().get() as number;
}
