/**
 * The documents of the knowledge base as the library shows them: one entry per document (copies of
 * one document, say its .txt and its .pdf, count once: the one with the most sections), each in
 * force or replaced, in the party's order (the Charter, Quy định, Hướng dẫn, then the rest), and the
 * replaced documents the knowledge base does not hold, so a message naming one can be told.
 * Read-only, from the Document, Section and DocumentReplacement tables. The library looks at every
 * question (does it name a section, or a replaced document?), so the catalog is kept and read again
 * only when the stored documents or declarations change: checking that costs one small query.
 *
 *   const catalog = catalogReader(store.sqlite);
 *   catalog().documents[0];               // { doc, sections, replaced? }
 */
import type Database from "better-sqlite3";
import { CHARTER_NAME, documentLabel, isCharter, type NameableDocument } from "../knowledge/document-names.js";
import {
  declaredOnly,
  inForceSuccessor,
  replacedLabel,
  replacementOf,
  resolveReplacements,
  type DocumentKey,
  type Replacement,
  type ReplacementRow,
  STORE_FINGERPRINT,
} from "../knowledge/replacements.js";
import { fold } from "../text/vietnamese.js";
import type { DocView, ReplacedView } from "./strings.js";

export interface CatalogEntry {
  doc: DocumentKey;
  /** How many sections (units of its numbering) it has. */
  sections: number;
  /** Present when another stored document replaced it. */
  replaced?: Replacement;
}

/** Something a message can name: a stored document, or one only known by name. */
export type Nameable =
  | (NameableDocument & { kind: "stored"; entry: CatalogEntry })
  /** A replaced document the knowledge base does not hold ("Quy định số 24-QĐ/TW"). */
  | (NameableDocument & { kind: "declared"; replacement: Replacement })
  /** The Party Charter when it is not stored: members name it all the time. */
  | (NameableDocument & { kind: "absent" });

export interface Catalog {
  documents: CatalogEntry[];
  replacements: Replacement[];
  /** Everything a message may name, for findMentions / findReferences. */
  names: Nameable[];
}

/** 0 for the Charter, 1 a Quy định, 2 a Hướng dẫn, 3 the rest: the order documents are listed in. */
function order(doc: DocumentKey): number {
  if (isCharter(doc)) return 0;
  const type = fold(doc.docType ?? doc.title);
  return type.startsWith("quy dinh") ? 1 : type.startsWith("huong dan") ? 2 : 3;
}

/** The catalog as of now: built again only when a document or a declaration changed (a new version of a document has a new id). */
export function catalogReader(db: Database.Database): () => Catalog {
  const fingerprint = db.prepare(STORE_FINGERPRINT).pluck();
  const documents = db.prepare(
    `SELECT d.id, d.source, d.title, d.number, d.docType, d.issuedOn, (SELECT count(*) FROM Section s WHERE s.documentId = d.id) AS sections
       FROM Document d ORDER BY d.id`,
  );
  const declarations = db.prepare(`SELECT newerSource, older, origin FROM DocumentReplacement ORDER BY id`);
  let cached: { key: string; catalog: Catalog } | undefined;
  return () => {
    const key = String(fingerprint.get() ?? "");
    if (cached?.key !== key) cached = { key, catalog: buildCatalog(documents.all() as (DocumentKey & { sections: number })[], declarations.all() as ReplacementRow[]) };
    return cached.catalog;
  };
}

function buildCatalog(rows: (DocumentKey & { sections: number })[], declarations: ReplacementRow[]): Catalog {
  const keys: DocumentKey[] = rows.map(({ sections: _sections, ...doc }) => doc);
  const replacements = resolveReplacements(keys, declarations);
  const best = new Map<string, CatalogEntry>();
  rows.forEach((r, i) => {
    const key = `${fold(r.title)}|${fold(r.number ?? "")}`;
    const kept = best.get(key);
    if (!kept || r.sections > kept.sections) best.set(key, { doc: keys[i]!, sections: r.sections });
  });
  const documents = [...best.values()]
    .map((e) => {
      const replaced = replacementOf(replacements, e.doc.id);
      return replaced ? { ...e, replaced } : e;
    })
    .sort((a, b) => Number(!!a.replaced) - Number(!!b.replaced) || order(a.doc) - order(b.doc) || a.doc.title.localeCompare(b.doc.title, "vi"));
  const names: Nameable[] = documents.map((entry) => ({ kind: "stored", entry, title: entry.doc.title, number: entry.doc.number, docType: entry.doc.docType }));
  for (const d of declaredOnly(replacements)) names.push({ kind: "declared", replacement: d.replacement, title: d.title, number: d.number });
  if (!documents.some((e) => isCharter(e.doc))) names.push({ kind: "absent", title: CHARTER_NAME });
  return { documents, replacements, names };
}

export function docView(doc: DocumentKey): DocView {
  return { label: documentLabel(doc), title: doc.title, number: doc.number, issuedOn: doc.issuedOn };
}

/** A replacement as messages tell it: the old document, what replaced it and when, and what is in force now if that differs. */
export function replacedView(catalog: Catalog, r: Replacement): ReplacedView {
  const now = inForceSuccessor(catalog.replacements, r);
  return { old: replacedLabel(r), by: documentLabel(r.newer), on: r.newer.issuedOn, ...(now.id !== r.newer.id ? { now: documentLabel(now) } : {}) };
}

/** The entry of a stored document by id (any copy of it maps to the entry kept). */
export function entryOf(catalog: Catalog, documentId: number): CatalogEntry | undefined {
  return catalog.documents.find((e) => e.doc.id === documentId);
}
