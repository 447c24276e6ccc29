/**
 * The rows of the knowledge on both sides of the replica (replica.ts): what each copy holds in
 * brief (a snapshot), what differs between two snapshots (a change set), and copying the rows a
 * change set names from PostgreSQL into the local SQLite copy and back, with their ids.
 *
 * A document is compared by its id, source, sha256 and number of passages: a re-ingest gives it
 * a new id, and a copy cut short by a crash has fewer passages, so it is copied again. Section
 * titles from question files (Section.alias), attached questions and replacement declarations
 * change without their document: titles are compared row by row, replacement declarations too (a
 * handful), questions by id (a question is only ever inserted or deleted, never edited; there are
 * thousands, from data/questions).
 *
 *   const changes = diffSnapshots(await remoteSnapshot(client), localSnapshot(db)); // what the local copy lacks
 *   await kb.applyCopied(pullSteps(client, changes));
 *   await pushChanges(client, db, diffSnapshots(localSnapshot(db), await remoteSnapshot(client)));
 */
import type Database from "better-sqlite3";
import type pg from "pg";
import type { CopiedRows, CopyStep, PassageWithLabel } from "./knowledge-base.js";
import type { DocumentTableRow } from "./types.js";

interface DocumentKey {
  id: number;
  source: string;
  sha256: string;
  passages: number;
}

export interface QuestionRow {
  id: number;
  source: string;
  sectionPath: string;
  text: string;
  origin: string;
  batch: string;
  createdAt: Date;
}

export interface ReplacementRow {
  id: number;
  newerSource: string;
  older: string;
  origin: string;
  createdAt: Date;
}

export interface Snapshot {
  documents: DocumentKey[];
  /** Section id → its title from a question file. */
  aliases: Map<number, string>;
  /** SectionQuestion ids. */
  questions: number[];
  replacements: ReplacementRow[];
}

/** What the target lacks of the source: remove these rows of the target, copy those of the source. */
export interface Changes {
  removeDocuments: number[];
  copyDocuments: number[];
  /** Section titles to set (null: none), on sections both sides keep. */
  aliases: { id: number; alias: string | null }[];
  removeQuestions: number[];
  /** Ids of the source's questions to copy. */
  addQuestions: number[];
  removeReplacements: number[];
  addReplacements: ReplacementRow[];
}

/** Tables whose ids both sides share: PostgreSQL's sequences and SQLite's sqlite_sequence follow each other. */
export const ID_TABLES = ["Document", "Passage", "Section", "SectionQuestion", "DocumentReplacement"] as const;

// Quoted identifiers read the same in both engines.
const DOCUMENT_KEYS = `SELECT d."id", d."source", d."sha256", (SELECT count(*) FROM "Passage" p WHERE p."documentId" = d."id") AS "passages" FROM "Document" d`;
const ALIASES = `SELECT "id", "alias" FROM "Section" WHERE "alias" IS NOT NULL`;
const QUESTION_IDS = `SELECT "id" FROM "SectionQuestion"`;
const QUESTION_COLUMNS = `"id", "source", "sectionPath", "text", "origin", "batch", "createdAt"`;
const REPLACEMENTS = `SELECT "id", "newerSource", "older", "origin", "createdAt" FROM "DocumentReplacement"`;

/** Rows per page when a document's passages are copied (memory stays flat for a large document). */
const PAGE = 2000;

/** SQLite keeps DateTime as text: Prisma's ISO form, or CURRENT_TIMESTAMP's "YYYY-MM-DD HH:MM:SS" (UTC). */
export function sqliteDate(text: string): Date {
  return new Date(text.includes("T") ? text : `${text.replace(" ", "T")}Z`);
}

/** A date in CURRENT_TIMESTAMP's form, as the columns' defaults write it. */
function sqliteTimestamp(date: Date): string {
  return date.toISOString().replace("T", " ").slice(0, 19);
}

export async function remoteSnapshot(client: pg.ClientBase): Promise<Snapshot> {
  const documents = (await client.query<DocumentKey>(DOCUMENT_KEYS)).rows;
  const aliases = (await client.query<{ id: number; alias: string }>(ALIASES)).rows;
  const questions = (await client.query<{ id: number }>(QUESTION_IDS)).rows.map((q) => q.id);
  const replacements = (await client.query<ReplacementRow>(REPLACEMENTS)).rows;
  return { documents, aliases: new Map(aliases.map((a) => [a.id, a.alias])), questions, replacements };
}

export function localSnapshot(db: Database.Database): Snapshot {
  const documents = db.prepare(DOCUMENT_KEYS).all() as DocumentKey[];
  const aliases = db.prepare(ALIASES).all() as { id: number; alias: string }[];
  const questions = db.prepare(QUESTION_IDS).pluck().all() as number[];
  const replacements = (db.prepare(REPLACEMENTS).all() as (Omit<ReplacementRow, "createdAt"> & { createdAt: string })[]).map((r) => ({ ...r, createdAt: sqliteDate(r.createdAt) }));
  return { documents, aliases: new Map(aliases.map((a) => [a.id, a.alias])), questions, replacements };
}

const documentKey = (d: DocumentKey) => JSON.stringify([d.id, d.source, d.sha256, Number(d.passages)]);
const replacementKey = (r: ReplacementRow) => JSON.stringify([r.id, r.newerSource, r.older, r.origin]);

/** The rows to remove from `target` and to copy from `source` so that target holds what source holds. */
export function diffSnapshots(source: Snapshot, target: Snapshot): Changes {
  const rows = <T>(from: T[], to: T[], key: (row: T) => string) => {
    const inSource = new Set(from.map(key));
    const inTarget = new Set(to.map(key));
    return { remove: to.filter((r) => !inSource.has(key(r))), add: from.filter((r) => !inTarget.has(key(r))) };
  };
  const documents = rows(source.documents, target.documents, documentKey);
  const questions = rows(source.questions, target.questions, String);
  const replacements = rows(source.replacements, target.replacements, replacementKey);
  const aliases: Changes["aliases"] = [];
  for (const [id, alias] of source.aliases) if (target.aliases.get(id) !== alias) aliases.push({ id, alias });
  for (const id of target.aliases.keys()) if (!source.aliases.has(id)) aliases.push({ id, alias: null });
  return {
    removeDocuments: documents.remove.map((d) => d.id),
    copyDocuments: documents.add.map((d) => d.id),
    aliases,
    removeQuestions: questions.remove,
    addQuestions: questions.add,
    removeReplacements: replacements.remove.map((r) => r.id),
    addReplacements: replacements.add,
  };
}

export function isUnchanged(c: Changes): boolean {
  return [c.removeDocuments, c.copyDocuments, c.aliases, c.removeQuestions, c.addQuestions, c.removeReplacements, c.addReplacements].every((list) => list.length === 0);
}

export function describeChanges(c: Changes): Record<string, number> {
  return {
    documentsRemoved: c.removeDocuments.length,
    documentsCopied: c.copyDocuments.length,
    sectionTitles: c.aliases.length,
    questionsRemoved: c.removeQuestions.length,
    questionsAdded: c.addQuestions.length,
    replacements: c.removeReplacements.length + c.addReplacements.length,
  };
}

// ---------------------------------------------------------------- PostgreSQL → local copy

interface SectionRow {
  id: number;
  documentId: number;
  ordinal: number;
  path: string;
  kind: string;
  marker: string;
  title: string;
  alias: string | null;
  depth: number;
  text: string;
}

interface PassageRow {
  id: number;
  documentId: number;
  ordinal: number;
  heading: string;
  text: string;
  locator: string;
  subject: string;
  sectionPath: string;
}

interface PlaceRow {
  passageId: number;
  path: string;
}

const PASSAGE_COLUMNS = `"id", "documentId", "ordinal", "heading", "text", "locator", "subject", "sectionPath"`;
const SECTION_COLUMNS = `"id", "documentId", "ordinal", "path", "kind", "marker", "title", "alias", "depth", "text"`;
const DOCUMENT_COLUMNS = `"id", "source", "path", "sha256", "format", "title", "number", "issuer", "issuedOn", "docType", "ingestedAt"`;

/**
 * The steps that bring the local copy to PostgreSQL's state (KnowledgeBase.applyCopied runs each in
 * a transaction): removals first (a re-ingested document keeps its source under a new id), then
 * each document in pages of passages, then questions, section titles and replacements.
 */
export async function* pullSteps(client: pg.ClientBase, changes: Changes): AsyncGenerator<CopyStep> {
  const nothing = (): CopiedRows => ({ removedPassages: [], addedPassages: [], addedQuestions: [] });
  if (changes.removeDocuments.length) {
    yield (db) => {
      const copied = nothing();
      const passagesOf = db.prepare(`SELECT "id" FROM "Passage" WHERE "documentId" = ?`).pluck();
      const remove = db.prepare(`DELETE FROM "Document" WHERE "id" = ?`); // cascades to passages, sections, FTS rows
      for (const id of changes.removeDocuments) {
        copied.removedPassages.push(...(passagesOf.all(id) as number[]));
        remove.run(id);
      }
      return copied;
    };
  }
  for (const documentId of changes.copyDocuments) {
    const doc = (await client.query<DocumentTableRow>(`SELECT ${DOCUMENT_COLUMNS} FROM "Document" WHERE "id" = $1`, [documentId])).rows[0];
    if (!doc) continue;
    const sections = (await client.query<SectionRow>(`SELECT ${SECTION_COLUMNS} FROM "Section" WHERE "documentId" = $1 ORDER BY "id"`, [documentId])).rows;
    const label = { title: doc.title, number: doc.number, issuer: doc.issuer };
    let after = 0;
    let first = true;
    for (;;) {
      const passages = (await client.query<PassageRow>(`SELECT ${PASSAGE_COLUMNS} FROM "Passage" WHERE "documentId" = $1 AND "id" > $2 ORDER BY "id" LIMIT ${PAGE}`, [documentId, after])).rows;
      const places = passages.length
        ? (await client.query<PlaceRow>(`SELECT "passageId", "path" FROM "PassageSection" WHERE "passageId" = ANY($1::int[])`, [passages.map((p) => p.id)])).rows
        : [];
      const withDocument = first;
      yield (db) => {
        if (withDocument) {
          db.prepare(`INSERT INTO "Document" (${DOCUMENT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`).run(
            doc.id, doc.source, doc.path, doc.sha256, doc.format, doc.title, doc.number, doc.issuer, doc.issuedOn, doc.docType,
            new Date(doc.ingestedAt).toISOString(),
          );
          const insertSection = db.prepare(`INSERT INTO "Section" (${SECTION_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
          for (const s of sections) insertSection.run(s.id, s.documentId, s.ordinal, s.path, s.kind, s.marker, s.title, s.alias, s.depth, s.text);
        }
        const insertPassage = db.prepare(`INSERT INTO "Passage" (${PASSAGE_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`);
        for (const p of passages) insertPassage.run(p.id, p.documentId, p.ordinal, p.heading, p.text, p.locator, p.subject, p.sectionPath);
        const insertPlace = db.prepare(`INSERT INTO "PassageSection" ("passageId", "path") VALUES (?, ?)`);
        for (const p of places) insertPlace.run(p.passageId, p.path);
        return { ...nothing(), addedPassages: passages.map((p): PassageWithLabel => ({ id: p.id, heading: p.heading, text: p.text, ...label })) };
      };
      first = false;
      if (passages.length < PAGE) break;
      after = passages[passages.length - 1]!.id;
    }
  }
  if (changes.removeQuestions.length || changes.addQuestions.length || changes.aliases.length || changes.removeReplacements.length || changes.addReplacements.length) {
    const questions = changes.addQuestions.length
      ? (await client.query<QuestionRow>(`SELECT ${QUESTION_COLUMNS} FROM "SectionQuestion" WHERE "id" = ANY($1::int[]) ORDER BY "id"`, [changes.addQuestions])).rows
      : [];
    yield (db) => {
      const copied = nothing();
      const removeQuestion = db.prepare(`DELETE FROM "SectionQuestion" WHERE "id" = ?`); // its FTS row goes by trigger
      for (const id of changes.removeQuestions) removeQuestion.run(id);
      const insertQuestion = db.prepare(`INSERT INTO "SectionQuestion" (${QUESTION_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)`);
      for (const q of questions) {
        insertQuestion.run(q.id, q.source, q.sectionPath, q.text, q.origin, q.batch, sqliteTimestamp(q.createdAt));
        copied.addedQuestions.push({ id: q.id, text: q.text });
      }
      const setAlias = db.prepare(`UPDATE "Section" SET "alias" = ? WHERE "id" = ?`);
      for (const a of changes.aliases) setAlias.run(a.alias, a.id);
      const removeReplacement = db.prepare(`DELETE FROM "DocumentReplacement" WHERE "id" = ?`);
      for (const id of changes.removeReplacements) removeReplacement.run(id);
      const insertReplacement = db.prepare(`INSERT INTO "DocumentReplacement" ("id", "newerSource", "older", "origin", "createdAt") VALUES (?, ?, ?, ?, ?)`);
      for (const r of changes.addReplacements) insertReplacement.run(r.id, r.newerSource, r.older, r.origin, sqliteTimestamp(r.createdAt));
      return copied;
    };
  }
}

/** PostgreSQL's sequences: the last id each table handed out (0 when none yet). */
export async function remoteSequences(client: pg.ClientBase): Promise<Map<string, number>> {
  const last = new Map<string, number>();
  for (const table of ID_TABLES) {
    const { rows } = await client.query<{ last: number }>(`SELECT coalesce(pg_sequence_last_value(pg_get_serial_sequence($1, 'id')::regclass), 0)::int AS "last"`, [`"${table}"`]);
    last.set(table, rows[0]!.last);
  }
  return last;
}

/**
 * The local copy hands out ids after every id PostgreSQL ever handed out (AUTOINCREMENT reads
 * sqlite_sequence), so ids written here and published never meet a row another instance removed.
 */
export function advanceLocalSequences(db: Database.Database, last: Map<string, number>): void {
  const update = db.prepare(`UPDATE sqlite_sequence SET seq = ? WHERE name = ? AND seq < ?`);
  const insert = db.prepare(`INSERT INTO sqlite_sequence (name, seq) SELECT ?, ? WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = ?)`);
  db.transaction(() => {
    for (const [table, seq] of last) {
      update.run(seq, table, seq);
      insert.run(table, seq, table);
    }
  })();
}

// ---------------------------------------------------------------- local copy → PostgreSQL

/** Writes `changes` (local rows PostgreSQL lacks) to PostgreSQL, inside the caller's transaction. */
export async function pushChanges(client: pg.ClientBase, db: Database.Database, changes: Changes): Promise<void> {
  if (changes.removeDocuments.length) await client.query(`DELETE FROM "Document" WHERE "id" = ANY($1::int[])`, [changes.removeDocuments]);
  if (changes.removeQuestions.length) await client.query(`DELETE FROM "SectionQuestion" WHERE "id" = ANY($1::int[])`, [changes.removeQuestions]);
  if (changes.removeReplacements.length) await client.query(`DELETE FROM "DocumentReplacement" WHERE "id" = ANY($1::int[])`, [changes.removeReplacements]);
  for (const documentId of changes.copyDocuments) await pushDocument(client, db, documentId);
  if (changes.aliases.length) {
    await client.query(`UPDATE "Section" s SET "alias" = u.alias FROM unnest($1::int[], $2::text[]) AS u(id, alias) WHERE s."id" = u.id`, [
      changes.aliases.map((a) => a.id),
      changes.aliases.map((a) => a.alias),
    ]);
  }
  if (changes.addQuestions.length) {
    const read = db.prepare(`SELECT ${QUESTION_COLUMNS} FROM "SectionQuestion" WHERE "id" = ?`);
    const q = changes.addQuestions.map((id) => {
      const row = read.get(id) as Omit<QuestionRow, "createdAt"> & { createdAt: string };
      return { ...row, createdAt: sqliteDate(row.createdAt) };
    });
    await client.query(
      `INSERT INTO "SectionQuestion" ("id", "source", "sectionPath", "text", "origin", "batch", "createdAt")
       SELECT * FROM unnest($1::int[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::timestamp[])`,
      [q.map((r) => r.id), q.map((r) => r.source), q.map((r) => r.sectionPath), q.map((r) => r.text), q.map((r) => r.origin), q.map((r) => r.batch), q.map((r) => utcTimestamp(r.createdAt))],
    );
  }
  const r = changes.addReplacements;
  if (r.length) {
    await client.query(
      `INSERT INTO "DocumentReplacement" ("id", "newerSource", "older", "origin", "createdAt")
       SELECT * FROM unnest($1::int[], $2::text[], $3::text[], $4::text[], $5::timestamp[])`,
      [r.map((x) => x.id), r.map((x) => x.newerSource), r.map((x) => x.older), r.map((x) => x.origin), r.map((x) => utcTimestamp(x.createdAt))],
    );
  }
}

/** Prisma's DateTime columns on PostgreSQL are `timestamp` (no zone) holding UTC. */
function utcTimestamp(date: Date): string {
  return date.toISOString().replace("T", " ").replace("Z", "");
}

async function pushDocument(client: pg.ClientBase, db: Database.Database, documentId: number): Promise<void> {
  const doc = db.prepare(`SELECT ${DOCUMENT_COLUMNS} FROM "Document" WHERE "id" = ?`).get(documentId) as (DocumentTableRow & { ingestedAt: string }) | undefined;
  if (!doc) return;
  await client.query(`INSERT INTO "Document" (${DOCUMENT_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`, [
    doc.id, doc.source, doc.path, doc.sha256, doc.format, doc.title, doc.number, doc.issuer, doc.issuedOn, doc.docType, utcTimestamp(sqliteDate(doc.ingestedAt)),
  ]);
  const s = db.prepare(`SELECT ${SECTION_COLUMNS} FROM "Section" WHERE "documentId" = ? ORDER BY "id"`).all(documentId) as SectionRow[];
  if (s.length) {
    await client.query(
      `INSERT INTO "Section" (${SECTION_COLUMNS})
       SELECT * FROM unnest($1::int[], $2::int[], $3::int[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::int[], $10::text[])`,
      [s.map((x) => x.id), s.map((x) => x.documentId), s.map((x) => x.ordinal), s.map((x) => x.path), s.map((x) => x.kind), s.map((x) => x.marker), s.map((x) => x.title), s.map((x) => x.alias), s.map((x) => x.depth), s.map((x) => x.text)],
    );
  }
  const page = db.prepare(`SELECT ${PASSAGE_COLUMNS} FROM "Passage" WHERE "documentId" = ? AND "id" > ? ORDER BY "id" LIMIT ${PAGE}`);
  const placesOf = db.prepare(
    `SELECT ps."passageId", ps."path" FROM "PassageSection" ps JOIN "Passage" p ON p."id" = ps."passageId" WHERE p."documentId" = ? AND p."id" BETWEEN ? AND ?`,
  );
  for (let after = 0; ; ) {
    const p = page.all(documentId, after) as PassageRow[];
    if (!p.length) break;
    await client.query(
      `INSERT INTO "Passage" (${PASSAGE_COLUMNS})
       SELECT * FROM unnest($1::int[], $2::int[], $3::int[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[])`,
      [p.map((x) => x.id), p.map((x) => x.documentId), p.map((x) => x.ordinal), p.map((x) => x.heading), p.map((x) => x.text), p.map((x) => x.locator), p.map((x) => x.subject), p.map((x) => x.sectionPath)],
    );
    const places = placesOf.all(documentId, p[0]!.id, p[p.length - 1]!.id) as PlaceRow[];
    if (places.length) {
      await client.query(`INSERT INTO "PassageSection" ("passageId", "path") SELECT * FROM unnest($1::int[], $2::text[])`, [places.map((x) => x.passageId), places.map((x) => x.path)]);
    }
    if (p.length < PAGE) break;
    after = p[p.length - 1]!.id;
  }
}

/** PostgreSQL's sequences continue after every id the local copy handed out. */
export async function advanceRemoteSequences(client: pg.ClientBase, db: Database.Database): Promise<void> {
  const local = new Map((db.prepare(`SELECT name, seq FROM sqlite_sequence`).all() as { name: string; seq: number }[]).map((r) => [r.name, r.seq]));
  for (const table of ID_TABLES) {
    const seq = local.get(table) ?? 0;
    if (seq < 1) continue;
    await client.query(
      `SELECT setval(pg_get_serial_sequence($1, 'id'), GREATEST($2::bigint, coalesce(pg_sequence_last_value(pg_get_serial_sequence($1, 'id')::regclass), 0)))`,
      [`"${table}"`, seq],
    );
  }
}
