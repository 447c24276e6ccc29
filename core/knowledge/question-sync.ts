/**
 * Attaches the questions of data/questions files to the sections of the stored documents:
 * each file names its document, each line a section in that document's own numbering.
 * All file questions are replaced at once (one transaction), so the store always holds
 * exactly what the files say; questions taught by officers or confirmed by members are
 * kept. A question already attached as a file says keeps its row (and id): only what changed is
 * written, which on PostgreSQL is what every instance copies (core/knowledge/replica.ts). Every line that does not attach is reported with its reason.
 *
 *   const report = syncFileQuestions(db, index, [parseQuestionFile(text, "qd294.txt")]);
 *   report[0];  // { file, documents: ["qd294-tw-2025-...txt"], attached: 412, titles: 60, problems: [...] }
 */
import type Database from "better-sqlite3";
import { fold } from "../text/vietnamese.js";
import type { QuestionIndex } from "../search/question-index.js";
import type { QuestionFile } from "./question-file.js";
import { findSections, parseSectionRef } from "./section-path.js";

export interface QuestionFileReport {
  file: string;
  /** Sources of the stored documents the file is about (none: the document is not ingested). */
  documents: string[];
  attached: number;
  titles: number;
  problems: { line: number; message: string }[];
}

interface DocumentRow {
  id: number;
  source: string;
  title: string;
  number: string | null;
  docType: string | null;
}

/** Whether `key` ("294-QĐ/TW", "Điều lệ Đảng", a title or file name) names the document. */
export function namesDocument(key: string, doc: Omit<DocumentRow, "id">): boolean {
  const k = fold(key).replace(/\s+/g, " ").trim();
  if (!k) return false;
  const candidates = [doc.number, doc.title, doc.source, doc.source.replace(/\.[^.]+$/, ""), doc.number && doc.docType ? `${doc.docType} ${doc.number}` : null];
  if (candidates.some((c) => c && fold(c).replace(/\s+/g, " ").trim() === k)) return true;
  // "Điều lệ Đảng" names "Điều lệ Đảng Cộng sản Việt Nam".
  return k.length >= 10 && fold(doc.title).startsWith(`${k} `);
}

/** The stored documents a key names. */
export function documentsNamed(db: Database.Database, key: string): DocumentRow[] {
  const docs = db.prepare(`SELECT id, source, title, number, docType FROM Document ORDER BY id`).all() as DocumentRow[];
  return docs.filter((d) => namesDocument(key, d));
}

/** Replaces every file question and section title by those of `files`; see the module comment. */
export function syncFileQuestions(db: Database.Database, index: QuestionIndex, files: QuestionFile[]): QuestionFileReport[] {
  const docs = db.prepare(`SELECT id, source, title, number, docType FROM Document ORDER BY id`).all() as DocumentRow[];
  const pathsOf = db.prepare(`SELECT path FROM Section WHERE documentId = ? ORDER BY ordinal`).pluck();
  const insert = db.prepare(`INSERT INTO SectionQuestion (source, sectionPath, text, origin, batch) VALUES (?, ?, ?, 'file', ?)`);
  const setAlias = db.prepare(`UPDATE Section SET alias = ? WHERE documentId = ? AND path = ?`);
  const reports: QuestionFileReport[] = [];
  db.transaction(() => {
    // Attached file questions by what they say; each one the files still say is kept, the rest go at the end.
    const attached = new Map<string, number[]>();
    const key = (source: string, path: string, text: string, batch: string) => JSON.stringify([source, path, text, batch]);
    for (const r of db.prepare(`SELECT id, source, sectionPath, text, batch FROM SectionQuestion WHERE origin = 'file' ORDER BY id DESC`).all() as {
      id: number;
      source: string;
      sectionPath: string;
      text: string;
      batch: string;
    }[]) {
      const k = key(r.source, r.sectionPath, r.text, r.batch);
      attached.set(k, [...(attached.get(k) ?? []), r.id]);
    }
    db.prepare(`UPDATE Section SET alias = NULL WHERE alias IS NOT NULL`).run();
    for (const file of files) {
      const report: QuestionFileReport = { file: file.file, documents: [], attached: 0, titles: 0, problems: [...file.problems] };
      reports.push(report);
      if (file.document === undefined) continue;
      const targets = docs.filter((d) => namesDocument(file.document!, d));
      report.documents = targets.map((d) => d.source);
      if (!targets.length) continue;
      const resolve = (section: string, line: number): { doc: DocumentRow; path: string }[] | undefined => {
        const ref = parseSectionRef(section)!;
        const found: { doc: DocumentRow; path: string }[] = [];
        for (const doc of targets) {
          const hits = findSections(ref, pathsOf.all(doc.id) as string[]);
          if (hits.length > 1) {
            report.problems.push({ line, message: `"${section}" is ambiguous in ${doc.source}: it matches ${hits.length} sections (${hits.slice(0, 4).join(", ")}); write the parts above it too` });
            return undefined;
          }
          if (hits.length === 1) found.push({ doc, path: hits[0]! });
        }
        if (!found.length) report.problems.push({ line, message: `section "${section}" is not in ${report.documents.join(", ")} (renumbered, or mistyped?)` });
        return found.length ? found : undefined;
      };
      for (const t of file.titles) {
        const found = resolve(t.section, t.line);
        if (!found) continue;
        for (const { doc, path } of found) setAlias.run(t.title, doc.id, path);
        report.titles++;
      }
      for (const q of file.questions) {
        const found = resolve(q.section, q.line);
        if (!found) continue;
        for (const { doc, path } of found) {
          const batch = q.group ? `${file.file}#${q.group}` : file.file;
          if (attached.get(key(doc.source, path, q.text, batch))?.pop() !== undefined) continue;
          const id = Number(insert.run(doc.source, path, q.text, batch).lastInsertRowid);
          index.insert(id, q.text);
        }
        report.attached++;
      }
    }
    const remove = db.prepare(`DELETE FROM SectionQuestion WHERE id = ?`); // its QuestionFts row goes by trigger
    for (const ids of attached.values()) for (const id of ids) remove.run(id);
  })();
  for (const r of reports) r.problems.sort((a, b) => a.line - b.line);
  return reports;
}
