/**
 * What search returns and what an answer is, as plain data. The conversation core
 * renders an `Answer` for members; `npm run ask -- --json` prints `SearchResult`.
 */

export interface PassageHit {
  passageId: number;
  /** File name of the document. */
  source: string;
  /** Document title. */
  title: string;
  /** Document number (số hiệu) where known. */
  number?: string;
  /** Heading path inside the document. */
  heading: string;
  /** Where it is, as members cite it ("Điều 5, khoản 1", "mục 4.5.1"); absent for documents without numbering. */
  locator?: string;
  /** What its section is about ("Thời kỳ dự bị"), when known. */
  subject?: string;
  /** Its section's path in the document ("d5/n1"), when the document has numbering. */
  sectionPath?: string;
  text: string;
  score: number;
}

/** answer: one passage; choices: up to three sections to pick from; none: "not found". */
export type AnswerMode = "answer" | "choices" | "none";

export interface SearchResult {
  mode: AnswerMode;
  /** True only in "answer" mode. */
  answered: boolean;
  /** Best first; in "choices" mode passages[0..offered-1] are the sections offered, in the order shown. */
  passages: PassageHit[];
  /** Sections offered in "choices" mode (0 otherwise). */
  offered: number;
  /**
   * In "answer" mode, why passages[1] belongs beside passages[0]: it is a lower document stating
   * the same rule ("same-rule"), or the older rule that passages[0] changed ("amended").
   */
  note?: "same-rule" | "amended";
}

/** An answer ready to be shown: best passage(s), the answering sentence, citations. */
export interface Answer extends SearchResult {
  question: string;
  /** For each shown passage: the sentence that answers, to put first or highlight. */
  highlights: { passageId: number; sentence: string }[];
}

/** Anything that can answer a member's question (the knowledge base, or a test double). */
export interface Answerer {
  answer(question: string): Promise<Answer>;
  /** One passage as an answer (a member picked it among choices), with the sentence answering `question` in bold; undefined when it no longer exists. */
  passage?(passageId: number, question?: string): Promise<Answer | undefined>;
  /** Changes whenever what it knows changes (a document ingested, a question taught): caches of its answers compare it. */
  version?(): number;
}
