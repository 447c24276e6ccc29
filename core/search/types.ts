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
  text: string;
  score: number;
}

export interface SearchResult {
  /** False when nothing answers the question well enough (abstention). */
  answered: boolean;
  passages: PassageHit[];
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
}
