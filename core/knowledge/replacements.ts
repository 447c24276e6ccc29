/**
 * Which document is in force. A document declares the ones it replaces (`THAY THẾ:` in a corpus
 * header block, `thay_the:` in Markdown front matter, or `npm run ingest -- --replaces <old> <new>`);
 * each declaration is a DocumentReplacement row naming the older document as declared, so it may
 * name a document the knowledge base never held ("Quy định số 24-QĐ/TW ngày 30/7/2021").
 * A declaration counts while its newer document is stored; the older one is replaced then, and
 * search ranks its passages after those of documents in force (core/search/in-force.ts).
 *
 *   const replacements = readReplacements(store.sqlite);
 *   replacedDocumentIds(replacements);      // Set of stored documents no longer in force
 *   replacementOf(replacements, docId);     // which document replaced it, and when
 */
import type Database from "better-sqlite3";
import { fold, nfc } from "../text/vietnamese.js";
import { documentLabel, findMentions, parseDocumentNumber, type NameableDocument } from "./document-names.js";

/** A stored document as replacements read it. */
export interface DocumentKey extends NameableDocument {
  id: number;
  source: string;
  title: string;
  number: string | null;
  docType: string | null;
  issuedOn: string | null;
}

export interface ReplacementRow {
  newerSource: string;
  older: string;
  origin: string;
}

export type ReplacementOrigin = "document" | "cli";

/** A declaration whose newer document is stored. */
export interface Replacement {
  /** The replaced document as declared. */
  declared: string;
  /** The stored document it names, when the knowledge base holds it. */
  older?: DocumentKey;
  newer: DocumentKey;
  origin: string;
}

/** A replaced document that is not stored, named the way its declaration names it (for questions that name it). */
export interface DeclaredDocument extends NameableDocument {
  declared: string;
}

/** Splits a `THAY THẾ:` / `thay_the:` value into the documents it names ("A; B"): commas stay, as in "Quy định số 24-QĐ/TW, ngày 30/7/2021". */
export function parseReplacesField(value: string): string[] {
  return value
    .split(/[;\n]/)
    .map((s) => nfc(s).replace(/\s+/g, " ").trim().replace(/[.,]$/, ""))
    .filter(Boolean);
}

const folded = (s: string) => fold(s).replace(/\s+/g, " ").trim();

/** "24-QĐ/TW" → "24-qd/tw" (leading zeros, spaces and case aside), for comparing numbers. */
function numberKey(text: string): string | undefined {
  const m = /(?<![\d/])0*(\d{1,4})\s*[-–]\s*([a-z]{1,6})((?:\s*\/\s*[a-z]+)*)/.exec(fold(text));
  return m ? `${m[1]}-${m[2]}${m[3]!.replace(/\s+/g, "")}` : undefined;
}

/**
 * Which stored documents `declared` names: its file name, title or number exactly; else the number
 * it holds ("Quy định số 24-QĐ/TW ngày 30/7/2021"); else a name it starts with ("Điều lệ Đảng khoá X").
 * Other documents it mentions further on ("… thi hành Điều lệ Đảng") are not meant.
 */
export function documentsDeclared<D extends DocumentKey>(declared: string, docs: readonly D[]): D[] {
  const key = folded(declared);
  const exact = docs.filter((d) => [d.source, d.source.replace(/\.[^.]+$/, ""), d.title, d.number].some((c) => c && folded(c) === key));
  if (exact.length) return exact;
  const number = numberKey(declared);
  if (number) {
    // "24-QĐ" (no issuer) matches "24-QĐ/TW"; "24-QĐ/TU" does not.
    return docs.filter((d) => {
      const own = d.number ? numberKey(d.number) : undefined;
      return own !== undefined && (own === number || own.startsWith(`${number}/`));
    });
  }
  const lead = declared.length - declared.trimStart().length;
  const ids = new Set(findMentions(declared, docs).filter((m) => m.start === lead).map((m) => m.document.id));
  return docs.filter((d) => ids.has(d.id));
}

/** Resolves the declarations against the stored documents: only those whose newer document is stored count. */
export function resolveReplacements(docs: readonly DocumentKey[], rows: readonly ReplacementRow[]): Replacement[] {
  const bySource = new Map(docs.map((d) => [d.source, d]));
  const out: Replacement[] = [];
  for (const row of rows) {
    const newer = bySource.get(row.newerSource);
    if (!newer) continue;
    const named = documentsDeclared(row.older, docs).filter((d) => d.id !== newer.id);
    if (named.length === 0) out.push({ declared: row.older, newer, origin: row.origin });
    for (const older of named) out.push({ declared: row.older, older, newer, origin: row.origin });
  }
  return out;
}

/** Stored documents that a stored document replaces. */
export function replacedDocumentIds(replacements: readonly Replacement[]): Set<number> {
  return new Set(replacements.flatMap((r) => (r.older ? [r.older.id] : [])));
}

/** The replacement of a stored document, if it is replaced (the first declaration, by the newest document, wins). */
export function replacementOf(replacements: readonly Replacement[], documentId: number): Replacement | undefined {
  return replacements.find((r) => r.older?.id === documentId);
}

/** Replaced documents the knowledge base does not hold, as names a question may use ("Quy định 24"). */
export function declaredOnly(replacements: readonly Replacement[]): (DeclaredDocument & { replacement: Replacement })[] {
  return replacements
    .filter((r) => !r.older)
    .map((r) => {
      const number = parseDocumentNumber(r.declared);
      const raw = /\d{1,4}\s*[-–]\s*[A-Za-zĐđ]+(?:\s*\/\s*[A-Za-zĐđ]+)*/u.exec(r.declared)?.[0];
      return { declared: r.declared, title: r.declared, number: number && raw ? raw.replace(/\s+/g, "") : null, replacement: r };
    });
}

/**
 * The document in force in place of a replaced one, following a chain (A replaced by B, B by C → C);
 * the direct replacement when the chain loops.
 */
export function inForceSuccessor(replacements: readonly Replacement[], replacement: Replacement): DocumentKey {
  let current = replacement.newer;
  const seen = new Set<number>([current.id]);
  for (;;) {
    const next = replacementOf(replacements, current.id);
    if (!next || seen.has(next.newer.id)) return current;
    seen.add(next.newer.id);
    current = next.newer;
  }
}

/** How a replaced document is named in messages: its stored label, else the declaration as written. */
export function replacedLabel(r: Replacement): string {
  return r.older ? documentLabel(r.older) : r.declared;
}

// ---------------------------------------------------------------- the store

const DOCUMENTS = `SELECT id, source, title, number, docType, issuedOn FROM Document ORDER BY id`;

/** Every declaration resolved against the stored documents (a few rows: read per use). */
export function readReplacements(db: Database.Database): Replacement[] {
  const rows = db.prepare(`SELECT newerSource, older, origin FROM DocumentReplacement ORDER BY id`).all() as ReplacementRow[];
  if (rows.length === 0) return [];
  return resolveReplacements(db.prepare(DOCUMENTS).all() as DocumentKey[], rows);
}

/**
 * One string that changes whenever a stored document (a new version has a new id) or a declaration
 * changes: readers keep what they resolved until it does.
 */
export const STORE_FINGERPRINT = `SELECT (SELECT group_concat(id || ':' || sha256, ',') FROM Document) || '|' ||
  coalesce((SELECT group_concat(id || ':' || newerSource || ':' || older || ':' || origin, ',') FROM DocumentReplacement), '')`;

const NONE: ReadonlySet<number> = new Set();

/** The stored documents replaced by a stored document, as of now; resolved again only when documents or declarations change. */
export function replacedDocumentsReader(db: Database.Database): () => ReadonlySet<number> {
  const any = db.prepare(`SELECT 1 FROM DocumentReplacement LIMIT 1`).pluck();
  const fingerprint = db.prepare(STORE_FINGERPRINT).pluck();
  let cached: { key: string; ids: ReadonlySet<number> } | undefined;
  return () => {
    if (!any.get()) return NONE;
    const key = String(fingerprint.get());
    if (cached?.key !== key) cached = { key, ids: replacedDocumentIds(readReplacements(db)) };
    return cached.ids;
  };
}

/** Replaces the declarations a document makes itself (its header or front matter); within the caller's transaction. */
export function storeDeclaredReplacements(db: Database.Database, newerSource: string, declared: readonly string[]): void {
  db.prepare(`DELETE FROM DocumentReplacement WHERE newerSource = ? AND origin = 'document'`).run(newerSource);
  const insert = db.prepare(`INSERT OR IGNORE INTO DocumentReplacement (newerSource, older, origin) VALUES (?, ?, 'document')`);
  for (const older of declared) insert.run(newerSource, nfc(older));
}

/** Forgets the declarations a document made itself (it was removed); those of the command line stay. */
export function forgetDeclaredReplacements(db: Database.Database, newerSource: string): void {
  db.prepare(`DELETE FROM DocumentReplacement WHERE newerSource = ? AND origin = 'document'`).run(newerSource);
}

export type RecordOutcome =
  | { ok: true; newer: DocumentKey; older: DocumentKey | undefined; declared: string; already: boolean }
  | { ok: false; error: string };

/** Finds the one stored document `key` names (a file name, number or title); an error in words otherwise. */
export function oneDocument(db: Database.Database, key: string, role: string): { doc: DocumentKey } | { error: string } {
  const docs = db.prepare(DOCUMENTS).all() as DocumentKey[];
  const named = documentsDeclared(key, docs);
  if (named.length === 1) return { doc: named[0]! };
  if (named.length === 0) return { error: `${role} "${key}" is not a stored document (see --list: give its file name or number)` };
  return { error: `${role} "${key}" names ${named.length} documents (${named.map((d) => d.source).join(", ")}); give the file name` };
}

/**
 * `npm run ingest -- --replaces <old> <new>`: `new` must be stored; `old` may be a stored document
 * (kept by its number, else its file name) or, when not stored, any text holding its number
 * ("24-QĐ/TW"), so that questions naming it can be told.
 */
export function recordReplacement(db: Database.Database, old: string, newer: string): RecordOutcome {
  const found = oneDocument(db, newer, "The new document");
  if ("error" in found) return { ok: false, error: found.error };
  const docs = db.prepare(DOCUMENTS).all() as DocumentKey[];
  const olderDocs = documentsDeclared(old, docs);
  if (olderDocs.length > 1) return { ok: false, error: `The old document "${old}" names ${olderDocs.length} documents (${olderDocs.map((d) => d.source).join(", ")}); give the file name` };
  const older = olderDocs[0];
  if (older?.id === found.doc.id) return { ok: false, error: `A document cannot replace itself ("${old}" is ${found.doc.source})` };
  if (!older && !parseDocumentNumber(old)) {
    return { ok: false, error: `The old document "${old}" is not stored and has no number to recognise it by; give its number ("24-QĐ/TW") or ingest it first` };
  }
  const declared = older ? (older.number ?? older.source) : nfc(old).replace(/\s+/g, " ").trim();
  if (older && wouldLoop(readReplacements(db), older.id, found.doc.id)) {
    return { ok: false, error: `${found.doc.source} is itself replaced, directly or not, by ${older.source}: the replacement would go round in a circle` };
  }
  const existing = db.prepare(`SELECT origin FROM DocumentReplacement WHERE newerSource = ? AND older = ?`).get(found.doc.source, declared) as { origin: string } | undefined;
  if (existing) db.prepare(`UPDATE DocumentReplacement SET origin = 'cli' WHERE newerSource = ? AND older = ?`).run(found.doc.source, declared);
  else db.prepare(`INSERT INTO DocumentReplacement (newerSource, older, origin) VALUES (?, ?, 'cli')`).run(found.doc.source, declared);
  return { ok: true, newer: found.doc, older, declared, already: existing !== undefined };
}

/** `--unreplaces <old> <new>`: removes the declaration (of either origin; a document's own returns with its next ingest). */
export function removeReplacement(db: Database.Database, old: string, newer: string): { removed: number } | { error: string } {
  const found = oneDocument(db, newer, "The new document");
  if ("error" in found) return found;
  const rows = db.prepare(`SELECT id, older FROM DocumentReplacement WHERE newerSource = ?`).all(found.doc.source) as { id: number; older: string }[];
  const docs = db.prepare(DOCUMENTS).all() as DocumentKey[];
  const target = documentsDeclared(old, docs).map((d) => d.id);
  const key = fold(old).replace(/\s+/g, " ").trim();
  const matching = rows.filter((r) => fold(r.older).replace(/\s+/g, " ").trim() === key || documentsDeclared(r.older, docs).some((d) => target.includes(d.id)));
  const remove = db.prepare(`DELETE FROM DocumentReplacement WHERE id = ?`);
  for (const r of matching) remove.run(r.id);
  return { removed: matching.length };
}

/** Whether `newerId` is already replaced, through a chain, by `olderId` (then olderId replaced by newerId would loop). */
function wouldLoop(replacements: readonly Replacement[], olderId: number, newerId: number): boolean {
  let current = newerId;
  const seen = new Set<number>();
  while (!seen.has(current)) {
    seen.add(current);
    const r = replacementOf(replacements, current);
    if (!r) return false;
    if (r.newer.id === olderId) return true;
    current = r.newer.id;
  }
  return false;
}
