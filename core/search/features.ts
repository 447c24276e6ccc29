/**
 * Step 2 of a search: what each candidate passage has for the question, as numbers the
 * ranking weighs (all roughly 0..1):
 *
 *   first      BM25 over the passage text, as a share of the best
 *   coverage   idf-weighted share of the question's words in the passage (itself or a synonym)
 *   pairs      share of the question's syllable pairs in the passage ("vào Đảng")
 *   accents    share of the question's accented words found with the same accents
 *   answerType the passage holds the kind of fact asked for (a duration for "bao lâu")
 *   count      it states a count of what a how-many question counts ("từ 3 đảng viên")
 *   lead       share of the passage's opening words that the question uses: it is about what is asked
 *   length     -log(length / typical), for longer passages only
 *   question   the question field: BM25 of the best question members ask of this passage, as a share of the best
 *   asked      the best idf-weighted overlap (Dice) between the question and one question asked of this passage
 *   reach      like coverage, over the passage and the questions asked of it together
 *   vector     1 / (1 + rank) among the nearest vectors (0 when not among them)
 *
 *   const f = passageFeatures(query, row, pool, { answerType: true, idfOf });
 */
import { hasAnswerOfType, statesCountOf } from "./answer-type.js";
import type { CandidatePool } from "./candidates.js";
import type { Query } from "./query.js";
import { queryTerms } from "./terms.js";

export const FEATURES = ["first", "coverage", "pairs", "accents", "answerType", "count", "lead", "length", "question", "asked", "reach", "vector"] as const;
export type FeatureName = (typeof FEATURES)[number];
export type Features = Record<FeatureName, number>;

/** A passage as the features read it, derived once and cached across questions. */
export interface PassageView {
  id: number;
  text: string;
  /** Folded words of the passage (with its document label and heading path). */
  wordSet: Set<string>;
  /** Folded text with a space at both ends, for phrase search by substring. */
  padded: string;
  /** Adjacent folded word pairs ("ket nap"): a two-word phrase is looked up here, not searched for in the text. */
  pairSet: Set<string>;
  accentedSet: Set<string>;
  /** The questions members ask of this passage's sections, as folded content-word lists. */
  questions: string[][];
  /** Every folded word of those questions. */
  questionWords: Set<string>;

  /** Content words (folded) of the passage's opening: what it is about. */
  lead: string[];
  /** Memoised hasAnswerOfType per kind (the regexes over the text are the costly part). */
  types: Map<string, boolean>;
}

/** About the chunker's merge target: a longer passage covers more question words by sheer size. */
const TYPICAL_PASSAGE_CHARS = 550;
// A passage's opening: its item number, then about the first ten words.
const LEADING_NUMBER = /^[\s\d.()a-zđ]*?(?=\p{Lu})/u;
const LEAD_CHARS = 60;

/** The content words of a passage's opening (after its item number). */
export function leadWords(text: string): string[] {
  return queryTerms(text.replace(LEADING_NUMBER, "").slice(0, LEAD_CHARS)).words;
}

export interface FeatureContext {
  /** Whether to look for the asked kind of fact (off in an ablation). */
  answerType: boolean;
  /** BM25 idf of any folded term in the passages. */
  idfOf: (word: string) => number;
}

/**
 * Whether the folded words stand together in the passage: what `padded.includes(" a b c ")`
 * answers, looked up in the word and pair sets first (a substring search over the whole text,
 * for every phrase of every candidate, was a fifth of a search).
 */
export function containsPhrase(view: PassageView, words: readonly string[]): boolean {
  if (words.length === 1) return view.wordSet.has(words[0]!);
  for (let i = 1; i < words.length; i++) if (!view.pairSet.has(`${words[i - 1]} ${words[i]}`)) return false;
  return words.length === 2 || view.padded.includes(` ${words.join(" ")} `);
}

/** A view's pair set, from its folded words. */
export function adjacentPairs(folded: readonly string[]): Set<string> {
  const pairs = new Set<string>();
  for (let i = 1; i < folded.length; i++) pairs.add(`${folded[i - 1]} ${folded[i]}`);
  return pairs;
}

export function holdsType(view: PassageView, type: string): boolean {
  let v = view.types.get(type);
  if (v === undefined) view.types.set(type, (v = hasAnswerOfType(type as Parameters<typeof hasAnswerOfType>[0], view.text)));
  return v;
}

export function passageFeatures(query: Query, view: PassageView, pool: CandidatePool, ctx: FeatureContext): Features {
  const { terms, idf, totalIdf } = query;
  const altPresent = query.synonymHits.map((s) => s.alternatives.some((alt) => containsPhrase(view, alt)));
  let covered = 0;
  let reached = 0;
  terms.words.forEach((w, wi) => {
    const here = view.wordSet.has(w) || query.groupsOfWord[wi]!.some((g) => altPresent[g]);
    if (here) covered += idf.get(w)!;
    if (here || view.questionWords.has(w)) reached += idf.get(w)!;
  });
  let pairHits = 0;
  query.terms.bigrams.forEach((p, pi) => {
    if (view.pairSet.has(p) || query.groupsOfPair[pi]!.some((g) => altPresent[g])) pairHits++;
  });
  const accents = terms.accented.length ? terms.accented.filter((a) => view.accentedSet.has(a)).length / terms.accented.length : 0;

  let leadAsked = 0;
  let leadAll = 0;
  for (const w of view.lead) {
    const weight = ctx.idfOf(w);
    leadAll += weight;
    if (idf.has(w)) leadAsked += weight;
  }

  // The question most like the member's: idf-weighted Dice over folded content words.
  let asked = 0;
  for (const q of view.questions) {
    let shared = 0;
    let qTotal = 0;
    for (const w of q) {
      const weight = idf.get(w) ?? ctx.idfOf(w);
      qTotal += weight;
      if (idf.has(w)) shared += weight;
    }
    asked = Math.max(asked, (2 * shared) / (totalIdf + qTotal || 1));
  }

  const rank = pool.vectorRank.get(view.id);
  return {
    first: pool.lexical.get(view.id) ?? 0,
    coverage: covered / totalIdf,
    pairs: terms.bigrams.length ? pairHits / terms.bigrams.length : 0,
    accents,
    answerType: query.asked && ctx.answerType && holdsType(view, query.asked) ? 1 : 0,
    count: query.counted && statesCountOf(query.counted, view.text) ? 1 : 0,
    lead: leadAll ? leadAsked / leadAll : 0,
    length: -Math.max(0, Math.log(view.text.length / TYPICAL_PASSAGE_CHARS)),
    question: pool.question.get(view.id)?.share ?? 0,
    asked,
    reach: reached / totalIdf,
    vector: rank === undefined ? 0 : 1 / (1 + rank),
  };
}

/** Question words (folded) that the passage lacks, with their idf: what the decision checks. */
export function missingWords(query: Query, view: PassageView): { word: string; idf: number }[] {
  const altPresent = query.synonymHits.map((s) => s.alternatives.some((alt) => containsPhrase(view, alt)));
  return query.terms.words
    .filter((w, wi) => !(view.wordSet.has(w) || query.groupsOfWord[wi]!.some((g) => altPresent[g])))
    .map((word) => ({ word, idf: query.idf.get(word)! }));
}
