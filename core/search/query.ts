/**
 * A member's question read once for every step of the search: its content words with
 * their idf, syllable pairs, accents, the synonym groups it mentions, the kind of answer it
 * asks for, and whether it names the handbook's subject at all.
 *
 *   const q = analyseQuery("bao nhieu tuoi thi duoc vao dang", { lexical, synonyms, domainTerms, unknownWordWeight: 0.5 });
 *   q.terms.words;  // ["tuoi", "vao", "dang"]
 */
import { collapseSpace, nfc } from "../text/vietnamese.js";
import { answerType, askedUnit, countedNoun, type AnswerType } from "./answer-type.js";
import type { DomainTerms } from "./domain-terms.js";
import { pairTokens, type LexicalIndex } from "./lexical-index.js";
import type { Synonyms } from "./synonyms.js";
import { foldedSyllables, queryTerms, type QueryTerms } from "./terms.js";

export interface Query {
  /** NFC, white space collapsed. */
  text: string;
  terms: QueryTerms;
  /** Synonym groups the question mentions: the phrase it used and the phrases that mean the same. */
  synonymHits: { matched: string[]; alternatives: string[][] }[];
  /** Synonym alternatives for the lexical search: single syllables, and longer phrases as pair tokens. */
  altWords: string[];
  altPhrases: string[][];
  /** The kind of fact asked for ("bao lâu" → duration), the thing counted ("mấy đảng viên"), the unit counted ("mấy buổi"). */
  asked: AnswerType | undefined;
  counted: string | undefined;
  unit: string | undefined;
  /** idf of each content word; a word in no passage weighs `unknownWordWeight` × its idf. */
  idf: Map<string, number>;
  totalIdf: number;
  /** Which synonym groups each content word and each pair belongs to (indexes into synonymHits). */
  groupsOfWord: number[][];
  groupsOfPair: number[][];
  /** Whether it names a term of the handbook's subject (always true without a list). */
  inDomain: boolean;
}

export interface QueryContext {
  lexical: LexicalIndex;
  synonyms?: Synonyms;
  domainTerms?: DomainTerms;
  unknownWordWeight: number;
}

export function analyseQuery(question: string, ctx: QueryContext): Query {
  const text = collapseSpace(nfc(question));
  const terms = queryTerms(text);
  const synonymHits = ctx.synonyms ? ctx.synonyms.expand(foldedSyllables(text)) : [];
  const altWords: string[] = [];
  const altPhrases: string[][] = [];
  for (const s of synonymHits) for (const alt of s.alternatives) (alt.length === 1 ? altWords.push(alt[0]!) : altPhrases.push(pairTokens(alt)));
  const { lexical } = ctx;
  const idf = new Map(terms.words.map((w) => [w, lexical.idf(w) * (lexical.documentFrequency(w) === 0 ? ctx.unknownWordWeight : 1)]));
  const totalIdf = terms.words.reduce((s, w) => s + idf.get(w)!, 0) || 1;
  return {
    text,
    terms,
    synonymHits,
    altWords,
    altPhrases,
    asked: answerType(text),
    counted: countedNoun(text),
    unit: askedUnit(text),
    idf,
    totalIdf,
    groupsOfWord: terms.words.map((w) => synonymHits.flatMap((s, i) => (s.matched.includes(w) ? [i] : []))),
    groupsOfPair: terms.bigrams.map((p) => synonymHits.flatMap((s, i) => (` ${s.matched.join(" ")} `.includes(` ${p} `) ? [i] : []))),
    inDomain: ctx.domainTerms ? ctx.domainTerms.mentionedIn(text) : true,
  };
}
