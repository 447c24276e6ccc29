/**
 * Step 1 of a search: the passages worth scoring, from three sources, each with its own
 * signal: BM25 over the passages' text (folded syllables, pairs, synonyms, accents), BM25
 * over the questions members ask of each section (the question field), and nearest
 * vectors when a sentence-embedding model is present.
 *
 *   const pool = await gatherCandidates(query, sources, { vectors: true, limit: 40 });
 *   pool.lexical.get(id);   // BM25 score / best BM25 score
 */
import type { Embedder } from "./embedders/embedder.js";
import type { LexicalIndex } from "./lexical-index.js";
import type { Query } from "./query.js";
import type { QuestionIndex } from "./question-index.js";
import type { VectorIndex } from "./vector-index.js";

export interface CandidateSources {
  lexical: LexicalIndex;
  questions: QuestionIndex;
  vectors?: VectorIndex;
  embedder?: Embedder;
}

export interface CandidatePool {
  /** Every candidate passage id, in order of first appearance. */
  ids: number[];
  /** BM25 over passage text, divided by the best score (0..1). */
  lexical: Map<number, number>;
  /** The question field: the best attached question's BM25, divided by the best over all questions (0..1). */
  question: Map<number, { share: number; questionId: number }>;
  /** Rank of each passage among the nearest vectors (0 = nearest). */
  vectorRank: Map<number, number>;
}

export interface CandidateOptions {
  /** Passages taken from each source. */
  limit: number;
  folding: boolean;
  bigrams: boolean;
  vectors: boolean;
}

export async function gatherCandidates(query: Query, sources: CandidateSources, o: CandidateOptions): Promise<CandidatePool> {
  const { terms } = query;
  const seen = new Set<number>();
  const ids: number[] = [];
  const add = (id: number) => {
    if (!seen.has(id)) {
      seen.add(id);
      ids.push(id);
    }
  };

  const pairs = o.bigrams ? terms.bigrams.map((b) => b.replace(" ", "_")) : [];
  const lexicalHits = sources.lexical.search(
    o.folding
      ? { words: [...terms.words, ...query.altWords], pairs, phrases: query.altPhrases, accented: terms.accented }
      : { words: [], pairs: [], phrases: [], accented: terms.accented.length ? terms.accented : query.text.toLowerCase().split(/\s+/) },
    o.limit,
  );
  const maxLexical = lexicalHits[0]?.score || 1;
  const lexical = new Map(lexicalHits.map((h) => [h.id, h.score / maxLexical]));
  lexicalHits.forEach((h) => add(h.id));

  const questionHits = sources.questions.search([...terms.words, ...query.altWords], pairs, o.limit);
  const bestQuestionScore = questionHits[0]?.score ?? 0;
  const question = new Map(questionHits.map((h) => [h.passageId, { share: bestQuestionScore ? h.score / bestQuestionScore : 0, questionId: h.questionId }]));
  questionHits.forEach((h) => add(h.passageId));

  const vectorRank = new Map<number, number>();
  if (o.vectors && sources.vectors && sources.embedder && sources.vectors.size > 0) {
    const [qv] = await sources.embedder.embed([query.text], "query");
    sources.vectors.search(qv!, o.limit).forEach((h, rank) => {
      vectorRank.set(h.id, rank);
      add(h.id);
    });
  }
  return { ids, lexical, question, vectorRank };
}
