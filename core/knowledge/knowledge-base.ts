/**
 * The knowledge base: documents and passages in SQLite (Prisma schema), a lexical FTS5
 * index kept in the same transaction, and a persisted vector index saved right after.
 * Opening it checks both indexes against the database and rebuilds what disagrees
 * (a crash between commit and index save, a changed embedder), so search never serves
 * stale or mismatched entries. Indexes and the model load once per process.
 *
 *   const kb = await KnowledgeBase.open(config, { logger, store });
 *   await kb.upsert(parsedDocument);             // "added" | "replaced" | "unchanged"
 *   const answer = await kb.answer("bao nhiêu tuổi thì được vào Đảng?");
 */
import fs from "node:fs";
import type Database from "better-sqlite3";
import type { Logger } from "pino";
import type { Config } from "../config.js";
import type { Store } from "../db/store.js";
import { nfc } from "../text/vietnamese.js";
import { Abbreviations } from "../search/abbreviations.js";
import { bestSentence, composeAnswer } from "../search/answer.js";
import { chooseEmbedder } from "../search/embedders/choose.js";
import type { Embedder } from "../search/embedders/embedder.js";
import { HashingEmbedder } from "../search/embedders/hashing.js";
import { LexicalIndex } from "../search/lexical-index.js";
import { DEFAULT_RETRIEVER_OPTIONS, Retriever, type RetrieverOptions, type RetrievalResult } from "../search/retriever.js";
import { Synonyms } from "../search/synonyms.js";
import { DomainTerms } from "../search/domain-terms.js";
import type { Answer, Answerer, SearchResult } from "../search/types.js";
import { VectorIndex } from "../search/vector-index.js";
import type { DocumentSection, DocumentTableRow, KnowledgeWriter, ParsedDocument, StoredDocument, UpsertOptions, UpsertOutcome, UpsertProgress } from "./types.js";
import { VectorBuilder } from "./vector-builder.js";
import type { QuestionFile } from "./question-file.js";
import { syncFileQuestions, type QuestionFileReport } from "./question-sync.js";
import { QuestionIndex } from "../search/question-index.js";
import type { LinearModel } from "../search/ranking.js";
import { parseAmendments, type Amendment, type ResolvedAmendment } from "../search/precedence.js";
import { resolveAmendments } from "./amendments.js";
import { teachPassage, teachQuestion, type Taught } from "./teach.js";
import { knowledgeVersion } from "./version.js";
import { forgetDeclaredReplacements, replacedDocumentsReader, storeDeclaredReplacements } from "./replacements.js";

/** data/amendments.txt as a word list of the search (read like the others by readDataFile). */
const AMENDMENTS = { parse: parseAmendments, empty: () => ({ amendments: [], problems: [] }) };

export interface KnowledgeBaseOptions {
  logger: Logger;
  /** Only the raw connection is used (a search thread opens it read-only, see readOnly). */
  store: Pick<Store, "sqlite">;
  /** Defaults to the configured model when present, else the built-in hashing embedder. */
  embedder?: Embedder;
  /** Retrieval switches (benchmark ablations); defaults are the product's. */
  retrieval?: Partial<RetrieverOptions>;
  /**
   * A reader beside the writer (a search thread, search-pool.ts): it repairs nothing on disk
   * (the writer does at its own open) and takes the saved vector index as it is, reloading the
   * next one saved; only a missing or unreadable one is built, in memory.
   */
  readOnly?: boolean;
  /** Documents of at least this many passages build their vectors on a thread (default VECTOR_THREAD_PASSAGES). */
  vectorThreadPassages?: number;
}

/** Default number of passages returned by search. */
export const DEFAULT_K = 5;

const EMBED_BATCH = 64;

/**
 * From this many passages (about 1.5 MB of text) a document's vectors are built on a
 * thread beside its database writes (vector-builder.ts); smaller ones are not worth a thread.
 */
export const VECTOR_THREAD_PASSAGES = 2000;
/** Passages written between two progress reports (and two batches sent to the vector thread). */
const WRITE_BATCH = 500;

const PASSAGES_WITH_LABELS = `SELECT p.id, p.heading, p.text, d.title, d.number, d.issuer
  FROM Passage p JOIN Document d ON d.id = p.documentId ORDER BY p.id`;

export interface PassageWithLabel {
  id: number;
  heading: string;
  text: string;
  title: string;
  number: string | null;
  issuer: string | null;
}

/** SQLite gives dates as text. */
type DocumentRow = DocumentTableRow & { ingestedAt: string; passageCount: number };

/**
 * Rows copied in from another copy of the knowledge (the PostgreSQL replica, replica.ts): a step
 * writes them to the tables and says which passages went and came and which questions came, so
 * that their index entries follow.
 */
export interface CopiedRows {
  removedPassages: number[];
  addedPassages: PassageWithLabel[];
  addedQuestions: { id: number; text: string }[];
}

/** Writes copied rows; runs inside a transaction that also writes their FTS rows. */
export type CopyStep = (db: Database.Database) => CopiedRows;

export class KnowledgeBase implements KnowledgeWriter, Answerer {
  private readonly lexical: LexicalIndex;
  private readonly questions: QuestionIndex;
  private readonly retriever: Retriever;
  /** SQLite's data_version at the last check: it changes when another connection commits. */
  private dataVersion = 0;
  /** KnowledgeVersion at the last check: it changes only when what search reads changed (migration knowledge_version). */
  private knowledgeVersion = 0;
  /** Manifest mtime of the vector index this process holds (saved or loaded). */
  private vectorsSavedAt = 0;
  /** The vector index held here has changes that are not saved yet. */
  private vectorsUnsaved = false;
  private vectorThreadPassages = VECTOR_THREAD_PASSAGES;
  private amendmentsResolved: ResolvedAmendment[] = [];
  private amendmentsGeneration = -1;
  /** Serialises writers: an upsert awaits embeddings between its reads and its transaction. */
  private writeChain: Promise<unknown> = Promise.resolve();
  private readOnly = false;

  private constructor(
    private readonly config: Pick<Config, "INDEX_DIR">,
    private readonly logger: Logger,
    private readonly store: Pick<Store, "sqlite">,
    readonly embedder: Embedder,
    private vectors: VectorIndex,
    synonyms: Synonyms,
    retrieval: RetrieverOptions,
    private readonly abbreviations: Abbreviations,
    domainTerms: DomainTerms,
    amendments: Amendment[],
  ) {
    this.lexical = new LexicalIndex(store.sqlite);
    this.questions = new QuestionIndex(store.sqlite, () => this.lexical.generation);
    this.retriever = new Retriever(
      store.sqlite,
      {
        lexical: this.lexical,
        questions: this.questions,
        vectors: () => this.vectors,
        embedder,
        synonyms,
        domainTerms,
        amendments: () => this.resolvedAmendments(amendments),
        // Checked per search (a replacement recorded by the ingest CLI applies at once), resolved again only on a change.
        replaced: replacedDocumentsReader(store.sqlite),
      },
      retrieval,
    );
  }

  /** Opens the knowledge base over an open store, loading (or rebuilding) its indexes. */
  static async open(config: Config, opts: KnowledgeBaseOptions): Promise<KnowledgeBase> {
    const { logger, store } = opts;
    const embedder = opts.embedder ?? (await chooseEmbedder(config, logger));
    const synonyms = readDataFile(logger, config.SYNONYMS_FILE, Synonyms, "synonyms file not found; searching without synonyms");
    for (const problem of synonyms.problems) logger.warn({ file: config.SYNONYMS_FILE }, `synonyms file, ${problem}; the line is skipped`);
    const abbreviations = readDataFile(logger, config.ABBREVIATIONS_FILE, Abbreviations, "abbreviations file not found; questions are searched as typed");
    const domainTerms = readDataFile(logger, config.DOMAIN_TERMS_FILE, DomainTerms, "domain terms file not found; questions on any subject are searched");
    const amendments = readDataFile(logger, config.AMENDMENTS_FILE, AMENDMENTS, "amendments file not found; no newer rule is preferred over an older one");
    for (const problem of amendments.problems) logger.warn({ file: config.AMENDMENTS_FILE }, `amendments file, ${problem}; the line is skipped`);
    const placeholder = VectorIndex.create(config.INDEX_DIR, embedder.id, embedder.dimension);
    // The hashing fallback's vectors measured no gain: they only add candidates. A real
    // sentence-embedding model ranks by meaning, so its rank is a feature of its own (not
    // measurable here: no model can be downloaded offline).
    const defaults = embedder instanceof HashingEmbedder ? DEFAULT_RETRIEVER_OPTIONS : withModelVectors(DEFAULT_RETRIEVER_OPTIONS);
    const kb = new KnowledgeBase(config, logger, store, embedder, placeholder, synonyms, { ...defaults, ...opts.retrieval }, abbreviations, domainTerms, amendments.amendments);
    kb.readOnly = opts.readOnly ?? false;
    kb.vectorThreadPassages = opts.vectorThreadPassages ?? VECTOR_THREAD_PASSAGES;
    if (!kb.readOnly) kb.repairLexicalIndex();
    await kb.loadVectorIndex();
    return kb;
  }

  /** The amendments as passages, resolved again whenever the stored documents change. */
  private resolvedAmendments(amendments: Amendment[]): ResolvedAmendment[] {
    if (this.amendmentsGeneration !== this.lexical.generation) {
      this.amendmentsResolved = amendments.length ? resolveAmendments(this.store.sqlite, amendments) : [];
      this.amendmentsGeneration = this.lexical.generation;
    }
    return this.amendmentsResolved;
  }

  /** Re-creates FTS rows when they disagree with the Passage table (e.g. passages written elsewhere). */
  private repairLexicalIndex(): void {
    const db = this.store.sqlite;
    const missing = db.prepare(`SELECT count(*) AS n FROM Passage WHERE id NOT IN (SELECT rowid FROM PassageFts)`).get() as { n: number };
    const orphan = db.prepare(`SELECT count(*) AS n FROM PassageFts WHERE rowid NOT IN (SELECT id FROM Passage)`).get() as { n: number };
    if (missing.n === 0 && orphan.n === 0) return;
    this.logger.warn({ missing: missing.n, orphan: orphan.n }, "lexical index out of step with passages; rebuilding it");
    db.transaction(() => {
      db.exec(`DELETE FROM PassageFts`);
      for (const p of db.prepare(PASSAGES_WITH_LABELS).all() as PassageWithLabel[]) {
        this.lexical.insert(p.id, p, p.heading, p.text);
      }
    })();
  }

  /** Loads the saved vector index, or rebuilds it when it does not match the database or the embedder. */
  private async loadVectorIndex(): Promise<void> {
    const dbIds = this.passageIds();
    const loaded = VectorIndex.load(this.config.INDEX_DIR, this.embedder.id, this.embedder.dimension);
    if (loaded && (this.readOnly || sameIds(loaded.manifest.ids, dbIds))) {
      this.vectors = loaded.index;
      this.markInSync();
      return;
    }
    const reason = loaded ? "passages changed since it was saved" : "missing, unreadable or built by another embedder";
    if (dbIds.length > 0) this.logger.info({ passages: dbIds.length, embedder: this.embedder.id, reason }, "rebuilding vector index");
    await this.rebuildVectorIndex();
  }

  /** Embeds every passage again and replaces the saved vector index. */
  async rebuildVectorIndex(): Promise<void> {
    const rows = this.store.sqlite.prepare(PASSAGES_WITH_LABELS).all() as PassageWithLabel[];
    const index = VectorIndex.create(this.config.INDEX_DIR, this.embedder.id, this.embedder.dimension, rows.length + 64);
    for (let i = 0; i < rows.length; i += EMBED_BATCH) {
      const batch = rows.slice(i, i + EMBED_BATCH);
      const vectors = await this.embedder.embed(batch.map((r) => LexicalIndex.indexedText(r, r.heading, r.text)), "passage");
      index.add(batch.map((r) => r.id), vectors);
    }
    if (!this.readOnly) index.save();
    this.vectors = index;
    this.markInSync();
  }

  private passageIds(): number[] {
    return this.store.sqlite.prepare(`SELECT id FROM Passage ORDER BY id`).pluck().all() as number[];
  }

  private markInSync(): void {
    this.dataVersion = this.store.sqlite.pragma("data_version", { simple: true }) as number;
    this.knowledgeVersion = this.readKnowledgeVersion();
    this.vectorsSavedAt = VectorIndex.savedAt(this.config.INDEX_DIR);
  }

  private saveVectors(): void {
    if (!this.vectorsUnsaved) return;
    this.vectorsUnsaved = false;
    this.vectors.save();
    this.vectorsSavedAt = VectorIndex.savedAt(this.config.INDEX_DIR);
  }

  /**
   * Picks up documents another process (the ingest CLI next to a running server) stored:
   * cached statistics are dropped and the vector index is reloaded once its saved copy
   * matches the database. Until then lexical search already sees the new passages.
   * The caches go only when KnowledgeVersion moved (triggers on the tables search reads).
   */
  private followOtherWriters(): void {
    const version = this.store.sqlite.pragma("data_version", { simple: true }) as number;
    const savedAt = VectorIndex.savedAt(this.config.INDEX_DIR);
    if (version === this.dataVersion && savedAt === this.vectorsSavedAt) return;
    this.dataVersion = version;
    // Most commits elsewhere are the server's own inbox and outbox: the caches stay.
    const knowledge = this.readKnowledgeVersion();
    if (knowledge !== this.knowledgeVersion) {
      this.knowledgeVersion = knowledge;
      this.lexical.invalidate();
    }
    if (savedAt === this.vectorsSavedAt) return;
    const loaded = VectorIndex.load(this.config.INDEX_DIR, this.embedder.id, this.embedder.dimension);
    const dbIds = this.passageIds();
    if (loaded && sameIds(loaded.manifest.ids, dbIds)) {
      this.vectors = loaded.index;
      this.vectorsSavedAt = savedAt;
      this.logger.info({ passages: dbIds.length }, "vector index reloaded after another process changed the knowledge base");
    }
  }

  private readKnowledgeVersion(): number {
    return knowledgeVersion(this.store.sqlite);
  }

  private serialised<T>(work: () => Promise<T>): Promise<T> {
    const next = this.writeChain.then(work, work);
    this.writeChain = next.catch(() => undefined);
    return next;
  }

  async storedHash(source: string): Promise<string | undefined> {
    const row = this.store.sqlite.prepare(`SELECT sha256 FROM Document WHERE source = ?`).get(nfc(source)) as { sha256: string } | undefined;
    return row?.sha256;
  }

  /**
   * Replaces the questions of data/questions files (and their section titles) by those
   * given; questions taught by officers stay. Returns what attached and what did not, per file.
   */
  syncQuestions(files: QuestionFile[]): Promise<QuestionFileReport[]> {
    return this.serialised(async () => {
      const report = syncFileQuestions(this.store.sqlite, this.questions, files);
      this.lexical.invalidate(); // cached passages carry their questions
      return report;
    });
  }

  /**
   * Attaches a question to a section (an officer teaching, `npm run admin -- teach`); throws
   * TeachError naming what is wrong. Searches here see it at once, other processes on their next
   * question (they follow the store's data_version).
   */
  teach(question: string, document: string, section: string): Promise<Taught> {
    return this.serialised(async () => {
      const taught = teachQuestion(this.store.sqlite, this.questions, question, document, section, "taught");
      this.lexical.invalidate();
      return taught;
    });
  }

  /** Attaches a question to the section of a passage that members agreed on by picking it. */
  learnPick(question: string, passageId: number): Promise<Taught | undefined> {
    return this.serialised(async () => {
      const taught = teachPassage(this.store.sqlite, this.questions, question, passageId, "picked");
      if (taught?.added) this.lexical.invalidate();
      return taught;
    });
  }

  /** Stores a document with its passages, replacing an older version; indexes follow. */
  upsert(doc: ParsedDocument, options: UpsertOptions = {}): Promise<UpsertOutcome> {
    return this.serialised(async () => {
      const outcome = await this.store1(doc, options.onProgress);
      if (outcome !== "unchanged") this.saveVectors();
      return outcome;
    });
  }

  /**
   * Bulk form of upsert for large loads: each document is still its own transaction, but
   * the vector index is saved once at the end (a crash before that save is repaired at open).
   */
  upsertAll(docs: ParsedDocument[]): Promise<UpsertOutcome[]> {
    return this.serialised(async () => {
      const outcomes: UpsertOutcome[] = [];
      try {
        for (const doc of docs) outcomes.push(await this.store1(doc));
      } finally {
        if (outcomes.some((o) => o !== "unchanged")) this.saveVectors();
      }
      return outcomes;
    });
  }

  /** Stores one document in its own transaction; the caller saves the vector index. */
  private async store1(doc: ParsedDocument, onProgress?: (progress: UpsertProgress) => void): Promise<UpsertOutcome> {
    const db = this.store.sqlite;
    const source = nfc(doc.source);
    const existing = db.prepare(`SELECT id, sha256 FROM Document WHERE source = ?`).get(source) as { id: number; sha256: string } | undefined;
    if (existing && existing.sha256 === doc.sha256) return "unchanged";
    const passages = doc.passages.map((p) => ({
      heading: nfc(p.heading),
      text: nfc(p.text),
      locator: nfc(p.locator ?? ""),
      subject: nfc(p.subject ?? ""),
      sectionPath: p.sectionPath ?? "",
      sections: p.sections ?? [],
    }));
    if (passages.some((p) => p.text.trim() === "")) throw new Error(`Document ${source} has an empty passage; nothing was stored.`);
    const label = { title: nfc(doc.title), number: opt(doc.number), issuer: opt(doc.issuer) };
    const indexedText = (p: { heading: string; text: string }) => LexicalIndex.indexedText(label, p.heading, p.text);
    const builder = passages.length >= this.vectorThreadPassages ? await this.startVectorBuilder(passages.length) : undefined;
    // Embed before the transaction (a failure here leaves the database untouched), unless the thread embeds.
    const vectors = builder?.embedsTexts ? undefined : await this.embedder.embed(passages.map(indexedText), "passage");

    let oldIds: number[] = [];
    const newIds: number[] = [];
    // Every WRITE_BATCH passages: progress, and the batch goes to the vector thread.
    const wrote = (end: number) => {
      const start = end - 1 - ((end - 1) % WRITE_BATCH);
      builder?.add(newIds.slice(start, end), vectors ? { vectors: vectors.slice(start, end) } : { texts: passages.slice(start, end).map(indexedText) });
      onProgress?.({ stage: "storing", done: end, total: passages.length });
    };
    const write = db.transaction(() => {
      if (existing) {
        oldIds = db.prepare(`SELECT id FROM Passage WHERE documentId = ?`).pluck().all(existing.id) as number[];
        db.prepare(`DELETE FROM Document WHERE id = ?`).run(existing.id); // cascades to passages and FTS rows
      }
      const docId = Number(
        db
          .prepare(
            `INSERT INTO Document (source, path, sha256, format, title, number, issuer, issuedOn, docType, ingestedAt)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          )
          .run(source, doc.path, doc.sha256, doc.format, nfc(doc.title), opt(doc.number), opt(doc.issuer), opt(doc.issuedOn), opt(doc.docType), new Date().toISOString())
          .lastInsertRowid,
      );
      const insertPassage = db.prepare(`INSERT INTO Passage (documentId, ordinal, heading, text, locator, subject, sectionPath) VALUES (?, ?, ?, ?, ?, ?, ?)`);
      const insertPlace = db.prepare(`INSERT OR IGNORE INTO PassageSection (passageId, path) VALUES (?, ?)`);
      // A batch's passages first, then their FTS rows. FTS5 writes its pending rows out as a new
      // segment whenever a statement opens a savepoint, and each insert into Passage opens one
      // (its KnowledgeVersion trigger): a passage and its FTS row in turn made a segment per
      // passage, 0.35 ms each and most of a 50 MB ingest's time. Now one segment per batch.
      for (let start = 0; start < passages.length; start += WRITE_BATCH) {
        const end = Math.min(start + WRITE_BATCH, passages.length);
        for (let i = start; i < end; i++) {
          const p = passages[i]!;
          const id = Number(insertPassage.run(docId, i, p.heading, p.text, p.locator, p.subject, p.sectionPath).lastInsertRowid);
          for (const path of p.sections) insertPlace.run(id, path);
          newIds.push(id);
        }
        for (let i = start; i < end; i++) this.lexical.insert(newIds[i]!, label, passages[i]!.heading, passages[i]!.text);
        wrote(end);
      }
      const insertSection = db.prepare(`INSERT INTO Section (documentId, ordinal, path, kind, marker, title, depth, text) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`);
      (doc.sections ?? []).forEach((s, i) => insertSection.run(docId, i, s.path, s.kind, nfc(s.marker), nfc(s.title), s.depth, nfc(s.text)));
      this.attachHeadingQuestions(source, doc.sections ?? []);
      storeDeclaredReplacements(db, source, doc.replaces ?? []);
    });
    try {
      write();
    } catch (error) {
      await builder?.cancel();
      throw error;
    }

    if (builder) await this.finishVectorBuilder(builder, oldIds, onProgress);
    else {
      this.vectors.remove(oldIds);
      this.vectors.add(newIds, vectors!);
      this.vectorsUnsaved = true;
    }
    this.logger.debug({ source, passages: newIds.length, replaced: !!existing }, "document stored");
    return existing ? "replaced" : "added";
  }

  /** A vector thread for a large document, or undefined (then the vectors are built here). */
  private async startVectorBuilder(expected: number): Promise<VectorBuilder | undefined> {
    // The thread starts from the saved index: save what this process changed since.
    this.saveVectors();
    try {
      return await VectorBuilder.start({
        indexDir: this.config.INDEX_DIR,
        embedderId: this.embedder.id,
        dimension: this.embedder.dimension,
        embedsTexts: this.embedder instanceof HashingEmbedder,
        expected,
      });
    } catch (error) {
      this.logger.warn({ err: error }, "vector index thread could not start; building the vectors here");
      return undefined;
    }
  }

  /** After the commit: the thread saves the index, this process loads it; a failure rebuilds the index here. */
  private async finishVectorBuilder(builder: VectorBuilder, replaced: number[], onProgress?: (progress: UpsertProgress) => void): Promise<void> {
    try {
      await builder.finish(replaced, ({ indexed, queued }) => onProgress?.({ stage: "indexing", done: indexed, total: queued }));
      const saved = VectorIndex.load(this.config.INDEX_DIR, this.embedder.id, this.embedder.dimension);
      if (!saved) throw new Error("the vector index the thread saved cannot be read");
      this.vectors = saved.index;
      this.vectorsUnsaved = false;
      this.markInSync();
    } catch (error) {
      this.logger.error({ err: error }, "vector index thread failed; rebuilding the vector index here");
      await this.rebuildVectorIndex();
    }
  }

  /**
   * A handbook written as questions and answers ("## Bao nhiêu tuổi thì được vào Đảng?") already
   * says what members ask of each section: its question headings attach to the section like the
   * questions of data/questions (origin "heading"), replaced with the document. Runs inside the
   * caller's transaction.
   */
  private attachHeadingQuestions(source: string, sections: DocumentSection[]): void {
    const db = this.store.sqlite;
    db.prepare(`DELETE FROM SectionQuestion WHERE source = ? AND origin = 'heading'`).run(source);
    const insert = db.prepare(`INSERT INTO SectionQuestion (source, sectionPath, text, origin) VALUES (?, ?, ?, 'heading')`);
    for (const s of sections) {
      if (!s.title.includes("?")) continue;
      for (const q of s.title.split(/(?<=\?)\s+/).filter((t) => t.trim().endsWith("?"))) {
        this.questions.insert(Number(insert.run(source, s.path, nfc(q.trim())).lastInsertRowid), q);
      }
    }
  }

  /**
   * Applies rows copied from elsewhere (replica.ts keeps the local copy of a PostgreSQL knowledge
   * base in step): each step in its own transaction with the FTS rows of what it added (deleted
   * rows leave the FTS tables by trigger), then their vectors; the vector index is saved once at
   * the end. The same indexing as upsert, so the copy searches exactly like the original.
   */
  applyCopied(steps: AsyncIterable<CopyStep>): Promise<void> {
    return this.serialised(async () => {
      const db = this.store.sqlite;
      try {
        for await (const step of steps) {
          let copied: CopiedRows = { removedPassages: [], addedPassages: [], addedQuestions: [] };
          db.transaction(() => {
            copied = step(db);
            for (const p of copied.addedPassages) this.lexical.insert(p.id, p, p.heading, p.text);
            for (const q of copied.addedQuestions) this.questions.insert(q.id, q.text);
          })();
          this.lexical.invalidate(); // cached passages carry their questions and section titles
          if (copied.removedPassages.length) {
            this.vectors.remove(copied.removedPassages);
            this.vectorsUnsaved = true;
          }
          const added = copied.addedPassages;
          for (let i = 0; i < added.length; i += EMBED_BATCH) {
            const batch = added.slice(i, i + EMBED_BATCH);
            this.vectors.add(
              batch.map((p) => p.id),
              await this.embedder.embed(batch.map((p) => LexicalIndex.indexedText(p, p.heading, p.text)), "passage"),
            );
            this.vectorsUnsaved = true;
          }
        }
      } finally {
        this.saveVectors();
      }
    });
  }

  /** Removes a document, its passages and their index entries; false when unknown. */
  remove(source: string): Promise<boolean> {
    return this.serialised(async () => {
      const db = this.store.sqlite;
      const existing = db.prepare(`SELECT id FROM Document WHERE source = ?`).get(nfc(source)) as { id: number } | undefined;
      if (!existing) return false;
      let oldIds: number[] = [];
      db.transaction(() => {
        oldIds = db.prepare(`SELECT id FROM Passage WHERE documentId = ?`).pluck().all(existing.id) as number[];
        db.prepare(`DELETE FROM Document WHERE id = ?`).run(existing.id);
        // Questions taught by officers stay (they attach again if the document comes back); the document's own go with it.
        db.prepare(`DELETE FROM SectionQuestion WHERE source = ? AND origin = 'heading'`).run(nfc(source));
        forgetDeclaredReplacements(db, nfc(source));
      })();
      this.lexical.invalidate(); // cached statistics and passages of the search
      this.vectors.remove(oldIds);
      this.vectorsUnsaved = true;
      this.saveVectors();
      return true;
    });
  }

  async list(): Promise<StoredDocument[]> {
    const rows = this.store.sqlite
      .prepare(
        `SELECT d.*, (SELECT count(*) FROM Passage p WHERE p.documentId = d.id) AS passageCount FROM Document d ORDER BY d.source`,
      )
      .all() as DocumentRow[];
    return rows.map((r) => ({
      source: r.source,
      path: r.path,
      sha256: r.sha256,
      format: r.format,
      title: r.title,
      ...(r.number ? { number: r.number } : {}),
      ...(r.issuer ? { issuer: r.issuer } : {}),
      ...(r.issuedOn ? { issuedOn: r.issuedOn } : {}),
      ...(r.docType ? { docType: r.docType } : {}),
      passageCount: r.passageCount,
      ingestedAt: new Date(r.ingestedAt.includes("T") ? r.ingestedAt : `${r.ingestedAt.replace(" ", "T")}Z`),
    }));
  }

  async isEmpty(): Promise<boolean> {
    return this.store.sqlite.prepare(`SELECT 1 FROM Passage LIMIT 1`).get() === undefined;
  }

  /** Best passages for a question; `answered` is false when none answers it well enough. */
  async search(question: string, opts: { k?: number } = {}): Promise<SearchResult> {
    return searchResult(await this.retrieve(question, opts.k ?? DEFAULT_K));
  }

  /** Like search, with every step's figures (for --explain, the benchmark and the fitting tool). */
  retrieve(question: string, k = DEFAULT_K, explain?: number): Promise<RetrievalResult> {
    return this.retrieveAsked(this.asSearched(question), k, explain);
  }

  /** Search for a question already written out (asSearched): writing it out costs as much as a fifth of a search. */
  private retrieveAsked(asked: string, k: number, explain?: number): Promise<RetrievalResult> {
    this.followOtherWriters();
    return this.retriever.search(asked, Math.max(1, Math.floor(k)), explain);
  }

  /** An answer ready to render: best passages with the answering sentence and citation. */
  async answer(question: string): Promise<Answer> {
    // The highlighted sentence is chosen with the written-out question too.
    const asked = this.asSearched(question);
    return { ...composeAnswer(asked, searchResult(await this.retrieveAsked(asked, DEFAULT_K))), question: nfc(question) };
  }

  /** Changes whenever the stored documents or questions change, here or in another process (answer caches compare it). */
  version(): number {
    this.followOtherWriters();
    return this.lexical.generation;
  }

  /** One passage as an answer: a member picked it among the sections offered. */
  async passage(passageId: number, question?: string): Promise<Answer | undefined> {
    const hit = this.retriever.hit(passageId);
    if (!hit) return undefined;
    const asked = question ? this.asSearched(question) : "";
    return {
      mode: "answer",
      answered: true,
      passages: [hit],
      offered: 0,
      question: nfc(question ?? ""),
      highlights: asked ? [{ passageId, sentence: bestSentence(asked, hit.text) }] : [],
    };
  }

  /** The question as search reads it: NFC, with chat abbreviations ("dv", "dc", "bn") written out. */
  private asSearched(question: string): string {
    return this.abbreviations.expand(nfc(question));
  }

  /** Waits for pending writes and releases the model; the caller closes the store. */
  async close(): Promise<void> {
    await this.writeChain;
    await this.embedder.close?.();
  }
}

function searchResult(r: RetrievalResult): SearchResult {
  return { mode: r.mode, answered: r.answered, passages: r.hits, offered: r.offered, ...(r.note ? { note: r.note } : {}) };
}

/** A word list of the search (data/*.txt) parsed; a missing file gives the empty list, with a warning. */
function readDataFile<T>(logger: Logger, file: string, list: { parse(text: string): T; empty(): T }, missing: string): T {
  if (fs.existsSync(file)) return list.parse(fs.readFileSync(file, "utf8"));
  logger.warn({ file }, missing);
  return list.empty();
}

/** A real sentence-embedding model's nearest vectors rank by meaning: they weigh as much as the best lexical feature (a guess; it cannot be fitted offline). */
function withModelVectors(o: RetrieverOptions): RetrieverOptions {
  const lift = (m: LinearModel): LinearModel => ({ ...m, weights: { ...m.weights, vector: Math.max(m.weights.vector ?? 0, m.weights.first ?? 1) } });
  return { ...o, ranking: { withQuestions: lift(o.ranking.withQuestions), bare: lift(o.ranking.bare) } };
}

function opt(v: string | undefined): string | null {
  return v === undefined || v === "" ? null : nfc(v);
}

function sameIds(a: number[], b: number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
