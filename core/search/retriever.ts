/**
 * Hybrid retrieval: BM25 over folded syllables and syllable pairs (FTS5) and nearest
 * vectors, fused by reciprocal rank, then reranked by how much of the question a
 * passage covers (idf-weighted content terms, syllable pairs, exact accents, synonyms).
 * The same coverage decides abstention: a best passage that covers too little of the
 * question is not an answer.
 *
 *   const r = new Retriever(db, lexical, () => vectors, embedder, synonyms);
 *   const { answered, hits } = await r.search("bao nhieu tuoi thi duoc vao dang", 5);
 */
import type Database from "better-sqlite3";
import { nfc, syllables, collapseSpace } from "../text/vietnamese.js";
import type { Embedder } from "./embedders/embedder.js";
import { pairTokens, type LexicalIndex } from "./lexical-index.js";
import type { Synonyms } from "./synonyms.js";
import { foldedSyllables, queryTerms } from "./terms.js";
import { answerType, askedUnit, countedNoun, hasAnswerOfType, hasCountOf, statesCountOf } from "./answer-type.js";
import type { PassageHit } from "./types.js";
import type { VectorIndex } from "./vector-index.js";
import { DomainTerms } from "./domain-terms.js";

/** Switches for the ablation table; the defaults are what the product uses. */
export interface RetrieverOptions {
  /** Match accent-folded terms (off: accented column only). */
  folding: boolean;
  /** Add syllable pairs as phrase terms and as a rerank feature. */
  bigrams: boolean;
  /** Expand with data/synonyms.txt. */
  synonyms: boolean;
  /** Fuse nearest vectors. */
  vectors: boolean;
  /** Rerank the fused candidates by coverage features (off: fused rank only). */
  rerank: boolean;
  /** Weight of the vector ranking in reciprocal rank fusion (lexical: 1). */
  vectorWeight: number;
  /** Rerank on normalised BM25 score instead of fused rank. */
  lexicalScore: boolean;
  /** Rerank feature weights (`count`: the passage states a count of what a how-many question counts; `lead`: share of the passage's opening words the question uses; `length` is a penalty per unit of log(passage length / typical length), longer passages only). */
  weights: { first: number; coverage: number; pairs: number; accents: number; answerType: number; count: number; lead: number; length: number };
  /** Rerank feature: the passage holds the kind of fact asked for (duration, number, date, body). */
  answerType: boolean;
  /** Abstain when the question asks for a percentage, an amount of money, or a count of a unit ("mấy buổi") none of the top 3 passages holds. */
  requireAnswerType: boolean;
  /** Abstain when the question has fewer content words ("xin chào" has one). */
  minContentWords: number;
  /** Abstain when more than this share of the question's compounds occur in no passage. */
  maxNovelPairs: number;
  /** Abstain when the best passage lacks a question word at least this rare (idf as a share of an unseen word's idf). */
  maxMissingIdf: number;
  /** Weight (times idf) of a question word found in no passage, in coverage. */
  unknownWordWeight: number;
  /** Abstain when the best passage covers less than this share of the question's weighted terms. */
  minCoverage: number;
  /** Abstain when the question names no term of the handbook's subject (data/domain-terms.txt). */
  requireDomainTerm: boolean;
  /** Dev tool (bench/retrieval-fit.ts): receives every candidate's rerank features, named as in `weights`, and a few the product does not use. Off the search's path when unset. */
  trace?: (candidates: { id: number; text: string; features: Record<string, number> }[]) => void;
}

export const DEFAULT_RETRIEVER_OPTIONS: RetrieverOptions = {
  folding: true,
  bigrams: true,
  synonyms: true,
  vectors: true,
  rerank: true,
  vectorWeight: 1,
  lexicalScore: true,
  // Fitted by bench/retrieval-fit.ts (pairwise logistic, cross-validated) on 167 labelled questions.
  // Features tried and dropped because they did not help on the held-out question sets:
  // section-title coverage, longest word-for-word run, proximity window, corpus-fitted LSA,
  // best-sentence coverage, coverage without the document label, dictionary-compound coverage.
  weights: { first: 0.3, coverage: 0.09, pairs: 0.22, accents: 0.15, answerType: 0.07, count: 0.12, lead: 0.1, length: 0.085 },
  answerType: true,
  // Long questions told as a story ("chị em sắp nghỉ sinh em bé...") share few words with the
  // passage that answers them: at 0.5 fresh question sets lost 27-31% of their answers to abstention.
  minCoverage: 0.35,
  // Half: colloquial words and typos ("đeo huy hiệu") cost fair questions their answer at full weight.
  unknownWordWeight: 0.5,
  // 0.8 of an unseen word's idf: a word found in one passage only. At 0.7 (three passages) incidental
  // words of long questions ("duyệt", "bản gốc") made the search abstain on fair questions.
  maxMissingIdf: 0.8,
  minContentWords: 2,
  // Off (1): on natural word orders ("thẻ đảng mất thì báo ai") it abstained on fair questions.
  maxNovelPairs: 1,
  requireAnswerType: true,
  requireDomainTerm: true,
};

const CANDIDATES = 40;
// About the chunker's merge target: a passage longer than this covers more question words
// by sheer size (coverage counts presence), so it pays a small log-length penalty.
const TYPICAL_PASSAGE_CHARS = 550;
const RRF_K = 60;
// A passage's opening: its item number, then about the first ten words.
const LEADING_NUMBER = /^[\s\d.()a-zđ]*?(?=\p{Lu})/u;
const LEAD_CHARS = 60;

interface Candidate {
  id: number;
  coverage: number;
  score: number;
  /** Question words the passage covers (itself or through a synonym). */
  present: Set<string>;
}

export interface RetrievalResult {
  answered: boolean;
  hits: PassageHit[];
  /** Whether the top 3 passages hold the kind of fact asked for (true when no kind is asked). */
  typeFound: boolean;
  /** Share of the question's compounds (content pairs of corpus-known syllables) found in no passage. */
  novelPairs: number;
  /** Coverage of the best passage (the abstention feature), for calibration. */
  topCoverage: number;
  /** Question words (folded, with idf) the best passage lacks, for calibration and diagnostics. */
  missing: { word: string; idf: number }[];
  /** Whether the question names a term of the handbook's subject (always true without a list). */
  inDomain: boolean;
  /** Highest idf (as a share of an unseen word's idf) among the question's corpus-known, non-numeric words the best passage lacks. */
  missingRare: number;
}

interface Row {
  id: number;
  heading: string;
  text: string;
  source: string;
  title: string;
  number: string | null;
  folded: string;
  accented: string;
}

/** A passage row with what the reranker derives from it, cached across questions. */
interface PreparedRow extends Row {
  wordSet: Set<string>;
  /** Folded text with a space at both ends, for phrase search by substring. */
  padded: string;
  accentedSet: Set<string>;
  types: Map<string, boolean>;
  /** Content words (folded) of the passage's opening, what it is about (made on first use). */
  lead?: string[];
}

/** Passages whose derived data is kept (all of a handbook; the hot part of a large store). */
const PASSAGE_CACHE = 20_000;

export class Retriever {
  private readonly rowsStmt: Database.Statement;
  private readonly cache = new Map<number, PreparedRow>();
  private cacheGeneration = -1;

  constructor(
    private readonly db: Database.Database,
    private readonly lexical: LexicalIndex,
    private readonly vectors: () => VectorIndex | undefined,
    private readonly embedder: Embedder | undefined,
    private readonly synonyms: Synonyms,
    readonly options: RetrieverOptions = DEFAULT_RETRIEVER_OPTIONS,
    private readonly domainTerms: DomainTerms = DomainTerms.empty(),
  ) {
    this.rowsStmt = db.prepare(
      `SELECT p.id, p.heading, p.text, d.source, d.title, d.number, f.folded, f.accented
         FROM Passage p JOIN Document d ON d.id = p.documentId JOIN PassageFts f ON f.rowid = p.id
        WHERE p.id IN (SELECT value FROM json_each(?))`,
    );
  }

  /** Passage rows with their derived word sets, by id; read once and kept until the index changes. */
  private passages(ids: number[]): Map<number, PreparedRow> {
    if (this.cacheGeneration !== this.lexical.generation || this.cache.size > PASSAGE_CACHE) {
      this.cache.clear();
      this.cacheGeneration = this.lexical.generation;
    }
    const out = new Map<number, PreparedRow>();
    const missing: number[] = [];
    for (const id of ids) {
      const hit = this.cache.get(id);
      if (hit) out.set(id, hit);
      else missing.push(id);
    }
    if (missing.length) {
      for (const r of this.rowsStmt.all(JSON.stringify(missing)) as Row[]) {
        const words = r.folded.split(" ");
        const prepared: PreparedRow = { ...r, wordSet: new Set(words), padded: ` ${r.folded} `, accentedSet: new Set(r.accented.split(" ")), types: new Map() };
        this.cache.set(r.id, prepared);
        out.set(r.id, prepared);
      }
    }
    return out;
  }

  /** hasAnswerOfType, memoised per passage (the regexes over folded text are the costly part). */
  private holdsType(row: PreparedRow, type: NonNullable<ReturnType<typeof answerType>>): boolean {
    let v = row.types.get(type);
    if (v === undefined) row.types.set(type, (v = hasAnswerOfType(type, row.text)));
    return v;
  }

  async search(question: string, k: number): Promise<RetrievalResult> {
    const q = collapseSpace(nfc(question));
    const o = this.options;
    const terms = queryTerms(q);
    const synonymHits = o.synonyms ? this.synonyms.expand(foldedSyllables(q)) : [];
    const asked = answerType(q);
    const counted = countedNoun(q);
    // Synonym alternatives: one syllable → a word; longer → a phrase over pair tokens.
    const altWords: string[] = [];
    const altPhrases: string[][] = [];
    for (const s of synonymHits) for (const alt of s.alternatives) (alt.length === 1 ? altWords.push(alt[0]!) : altPhrases.push(pairTokens(alt)));

    const n = this.lexical.count();
    // A word no passage contains (a typo, slang, or a topic the handbook lacks) weighs
    // unknownWordWeight × its idf in coverage.
    const idf = new Map(terms.words.map((w) => [w, this.lexical.idf(w) * (this.lexical.documentFrequency(w) === 0 ? o.unknownWordWeight : 1)]));
    const lexical = this.lexical.search(
      o.folding
        ? {
            words: [...terms.words, ...altWords],
            pairs: o.bigrams ? terms.bigrams.map((b) => b.replace(" ", "_")) : [],
            phrases: altPhrases,
            accented: terms.accented,
          }
        : { words: [], pairs: [], phrases: [], accented: syllables(q) },
      CANDIDATES,
    );

    const fused = new Map<number, number>();
    const lexScore = new Map<number, number>();
    const maxLex = lexical[0]?.score ?? 1;
    lexical.forEach((h, rank) => {
      fused.set(h.id, (fused.get(h.id) ?? 0) + 1 / (RRF_K + rank + 1));
      lexScore.set(h.id, h.score / maxLex);
    });
    const vecRank = new Map<number, number>();
    const vectorIndex = o.vectors ? this.vectors() : undefined;
    if (vectorIndex && this.embedder && vectorIndex.size > 0) {
      const [qv] = await this.embedder.embed([q], "query");
      vectorIndex
        .search(qv!, CANDIDATES)
        .forEach((h, rank) => {
          vecRank.set(h.id, rank);
          fused.set(h.id, (fused.get(h.id) ?? 0) + o.vectorWeight / (RRF_K + rank + 1));
        });
    }
    const inDomain = !o.requireDomainTerm || this.domainTerms.mentionedIn(q);
    if (fused.size === 0) return { answered: false, hits: [], topCoverage: 0, missing: [], missingRare: 0, typeFound: false, novelPairs: 0, inDomain };

    const rows = this.passages([...fused.keys()]);
    const maxRrf = Math.max(...fused.values());
    const totalIdf = terms.words.reduce((s, w) => s + idf.get(w)!, 0) || 1;
    const pairs = terms.bigrams;
    const paddedPairs = pairs.map((p) => ` ${p} `);
    const paddedAlts = synonymHits.map((s) => s.alternatives.map((alt) => ` ${alt.join(" ")} `));
    // Which question words and pairs each synonym group stands for (computed once, not per passage).
    const groupsOfWord = terms.words.map((w) => synonymHits.flatMap((s, i) => (s.matched.includes(w) ? [i] : [])));
    const groupsOfPair = pairs.map((p) => synonymHits.flatMap((s, i) => (` ${s.matched.join(" ")} `.includes(` ${p} `) ? [i] : [])));
    // A word counts as present when it, or a synonym phrase of a phrase it belongs to, occurs.
    const candidates: Candidate[] = [];
    const traced: { id: number; text: string; features: Record<string, number> }[] = [];
    for (const [id, rrf] of fused) {
      const row = rows.get(id);
      if (!row) continue; // index entry of a passage removed meanwhile
      const { wordSet, padded: paddedFolded, accentedSet } = row;
      const altPresent = paddedAlts.map((alts) => alts.some((a) => paddedFolded.includes(a)));
      let covered = 0;
      const coveredWords = new Set<string>();
      terms.words.forEach((w, wi) => {
        if (wordSet.has(w) || groupsOfWord[wi]!.some((g) => altPresent[g])) {
          covered += idf.get(w)!;
          coveredWords.add(w);
        }
      });
      // A pair inside a synonym phrase of the question counts when an alternative phrase occurs.
      let pairHits = 0;
      for (let pi = 0; pi < pairs.length; pi++) if (paddedFolded.includes(paddedPairs[pi]!) || groupsOfPair[pi]!.some((g) => altPresent[g])) pairHits++;
      const pairCoverage = pairs.length ? pairHits / pairs.length : 0;
      const wt = o.weights;
      const typed = asked && o.answerType ? (this.holdsType(row, asked) ? 1 : 0) : 0;
      // What the passage is about: the share of its opening words (after the item number) that the
      // question uses. Among passages mentioning the same words, the one whose subject is asked wins.
      row.lead ??= queryTerms(row.text.replace(LEADING_NUMBER, "").slice(0, LEAD_CHARS)).words;
      let leadAsked = 0;
      let leadAll = 0;
      for (const w of row.lead) {
        const weight = this.lexical.idf(w);
        leadAll += weight;
        if (idf.has(w)) leadAsked += weight;
      }
      const lead = leadAll ? leadAsked / leadAll : 0;
      const counts = counted && wt.count ? (statesCountOf(counted, row.text) ? 1 : 0) : 0;
      const accentCoverage = terms.accented.length ? terms.accented.filter((a) => accentedSet.has(a)).length / terms.accented.length : 0;
      const coverage = covered / totalIdf;
      const first = o.lexicalScore ? (lexScore.get(id) ?? 0) : rrf / maxRrf;
      const length = -Math.max(0, Math.log(row.text.length / TYPICAL_PASSAGE_CHARS));
      const score = o.rerank
        ? wt.first * first +
          wt.coverage * coverage +
          (o.bigrams ? wt.pairs * pairCoverage : 0) +
          wt.accents * accentCoverage +
          wt.answerType * typed +
          wt.count * counts +
          wt.lead * lead +
          wt.length * length
        : rrf;
      candidates.push({ id, coverage, score, present: coveredWords });
      if (o.trace) {
        // Features the product does not use, for trying them out with bench/retrieval-fit.ts.
        const share = (words: Set<string>) => terms.words.reduce((a, w) => a + (words.has(w) ? idf.get(w)! : 0), 0) / totalIdf;
        let sentence = 0;
        for (const t of row.text.split(/(?<=[.;:!?])\s+|\n+/)) sentence = Math.max(sentence, share(new Set(foldedSyllables(t))));
        traced.push({
          id,
          text: row.text,
          features: {
            first, coverage, pairs: pairCoverage, accents: accentCoverage, answerType: typed, count: counts, lead, length,
            fused: rrf / maxRrf,
            heading: share(new Set(foldedSyllables(row.heading))),
            leaf: share(new Set(foldedSyllables(row.heading.split(" › ").pop() ?? ""))),
            sentence,
            vectorRank: vecRank.has(id) ? 1 / (1 + vecRank.get(id)!) : 0,
            synonyms: paddedAlts.length ? altPresent.filter(Boolean).length / paddedAlts.length : 0,
          },
        });
      }
    }
    candidates.sort((a, b) => b.score - a.score);
    o.trace?.(traced);
    const top = candidates[0];
    const topCoverage = top?.coverage ?? 0;
    const hits = candidates.slice(0, k).map((c) => {
      const r = rows.get(c.id)!;
      return {
        passageId: r.id,
        source: r.source,
        title: r.title,
        ...(r.number ? { number: r.number } : {}),
        heading: r.heading,
        text: r.text,
        score: Math.round(c.score * 1e4) / 1e4,
      } satisfies PassageHit;
    });
    const missing = top ? terms.words.filter((w) => !top.present.has(w)).map((word) => ({ word, idf: idf.get(word)! })) : [];
    // A rare word of the question (known to the corpus, so not a typo or slang) that the best
    // passage lacks usually names exactly what is asked ("phần trăm", "tiền thưởng").
    // Rarity is relative to the idf of a word seen in no passage, so the rule holds at any corpus size.
    const unknownIdf = Math.log(1 + (n + 0.5) / 0.5);
    const missingRare = Math.max(0, ...missing.filter((m) => !/^\d+$/.test(m.word) && this.lexical.documentFrequency(m.word) > 0).map((m) => m.idf / unknownIdf));
    // A question asking for a percentage, an amount, a duration... is not answered by passages
    // that hold no fact of that kind at all.
    // Only kinds that are always written as figures count: durations, dates or bodies are
    // often spelled out in words ("vào các ngày lễ lớn"), so their absence proves nothing.
    // A named office holder ("bí thư hiện nay là ai") is written with capitals, never spelled around;
    // a year ("thành lập năm nào") in figures.
    const strict = asked === "percent" || asked === "money" || asked === "person" || asked === "year";
    // "How many sessions/times/months" needs a count of that unit ("03 buổi", "lần thứ 3") nearby.
    const unit = askedUnit(q);
    const typeFound =
      (!strict || !o.requireAnswerType || candidates.slice(0, Math.min(3, k)).some((c) => this.holdsType(rows.get(c.id)!, asked))) &&
      (!unit || !o.requireAnswerType || candidates.slice(0, Math.min(3, k)).some((c) => hasCountOf(unit, rows.get(c.id)!.text)));
    // Compounds of the question that occur nowhere in the handbook ("hộ chiếu") while both
    // syllables do: the question is about something the handbook does not cover.
    const known = terms.contentPairs.filter((p) => p.split(" ").every((w) => this.lexical.documentFrequency(w) > 0));
    const novelPairs = known.length ? known.filter((p) => this.lexical.documentFrequency(p.replace(" ", "_")) === 0).length / known.length : 0;
    const answered =
      inDomain &&
      !!top &&
      terms.words.length >= o.minContentWords && topCoverage >= o.minCoverage && missingRare < o.maxMissingIdf && typeFound && novelPairs <= o.maxNovelPairs;
    return { answered, hits, topCoverage, missing, missingRare, typeFound, novelPairs, inDomain };
  }
}
