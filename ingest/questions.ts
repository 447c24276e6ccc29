/**
 * The question files of QUESTIONS_DIR (data/questions/*.txt, see its README) read and
 * attached to the stored documents, with a report a person can act on: how many
 * questions attached per file, and every line that did not, with its line number.
 *
 *   const reports = await attachQuestions(kb, config.QUESTIONS_DIR);
 *   for (const line of formatQuestionReports(reports)) console.error(line);
 */
import fs from "node:fs";
import path from "node:path";
import { parseQuestionFile, type QuestionFile } from "../core/knowledge/question-file.js";
import type { QuestionFileReport } from "../core/knowledge/question-sync.js";

/** The .txt files of a folder, parsed; a missing or empty folder gives none. */
export function readQuestionFiles(dir: string): QuestionFile[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith(".txt"))
    .sort()
    .map((f) => parseQuestionFile(fs.readFileSync(path.join(dir, f), "utf8"), f));
}

/** Reads QUESTIONS_DIR and replaces the stored file questions by its questions. */
export async function attachQuestions(kb: { syncQuestions(files: QuestionFile[]): Promise<QuestionFileReport[]> }, dir: string): Promise<QuestionFileReport[]> {
  return kb.syncQuestions(readQuestionFiles(dir));
}

/** One summary line per file, then one line per problem ("qd294.txt:17: section "4.9.9" is not in ..."). */
export function formatQuestionReports(reports: QuestionFileReport[]): string[] {
  const lines: string[] = [];
  for (const r of reports) {
    if (!r.documents.length && !r.problems.some((p) => p.line === 0)) {
      lines.push(`questions ${r.file}: its document is not in the knowledge base (not ingested yet); nothing attached`);
      continue;
    }
    lines.push(`questions ${r.file}: ${r.attached} attached to ${r.documents.join(", ") || "(no document)"}, ${r.titles} section titles, ${r.problems.length} line(s) not attached`);
    for (const p of r.problems) lines.push(`  ${r.file}:${p.line}: ${p.message}`);
  }
  return lines;
}
