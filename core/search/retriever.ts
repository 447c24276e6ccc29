/**
 * The search, in four steps: candidates (core/search/candidates.ts: BM25 over passages,
 * the question field, vectors) → features of each candidate (features.ts) → one score
 * each and the best passage per section (ranking.ts) → the decision: answer, offer
 * sections to pick from, or "not found" (decide.ts). Each step is plain data, so
 * `npm run ask -- --explain` can show what each one saw.
 *
 *   const r = new Retriever(db, { lexical, questions, vectors: () => vectors, embedder, synonyms, domainTerms });
 *   const { mode, hits } = await r.search("bao nhieu tuoi thi duoc vao dang", 5);
 */
import type Database from "better-sqlite3";
import { hasCountOf } from "./answer-type.js";
import { citation } from "./answer.js";
import { DECISION, RANKING } from "./calibration.js";
import { gatherCandidates, type CandidatePool } from "./candidates.js";
import { decide, decisionFeatures, type Decision, type DecisionInput, type DecisionModel, type Mode } from "./decide.js";
import type { DomainTerms } from "./domain-terms.js";
import type { Embedder } from "./embedders/embedder.js";
import { adjacentPairs, holdsType, leadWords, missingWords, passageFeatures, type Features, type PassageView } from "./features.js";
import type { LexicalIndex } from "./lexical-index.js";
import { analyseQuery, type Query } from "./query.js";
import type { QuestionIndex } from "./question-index.js";
import { bestPerSection, rankCandidates, type RankingModel, type Scored } from "./ranking.js";
import type { Synonyms } from "./synonyms.js";
import { queryTerms } from "./terms.js";
import { preferredOrder, type ResolvedAmendment } from "./precedence.js";
import { inForceFirst } from "./in-force.js";
import type { PassageHit } from "./types.js";
import type { VectorIndex } from "./vector-index.js";

/** Switches for the benchmark's ablation rows; the defaults are what the product uses. */
export interface RetrieverOptions {
  /** Match accent-folded terms (off: accented syllables only). */
  folding: boolean;
  /** Syllable pairs as terms and as a feature. */
  bigrams: boolean;
  /** Expand with data/synonyms.txt. */
  synonyms: boolean;
  /** Nearest vectors as candidates and a feature. */
  vectors: boolean;
  /** The question field: questions members ask of each section (data/questions). */
  questions: boolean;
  /** Look for the kind of fact asked for. */
  answerType: boolean;
  /** Answer "not found" when the kind of fact asked for is one always written as a figure and none of the best sections holds it. */
  requireAnswerType: boolean;
  /** Answer "not found" to questions naming no term of the handbook's subject. */
  requireDomainTerm: boolean;
  /** Weight (times idf) of a question word found in no passage. */
  unknownWordWeight: number;
  ranking: RankingModel;
  decision: DecisionModel;
}

export const DEFAULT_RETRIEVER_OPTIONS: RetrieverOptions = {
  folding: true,
  bigrams: true,
  synonyms: true,
  vectors: true,
  questions: true,
  answerType: true,
  requireAnswerType: true,
  requireDomainTerm: true,
  // Half: colloquial words and typos ("đeo huy hiệu") cost fair questions their answer at full weight.
  unknownWordWeight: 0.5,
  ranking: RANKING,
  decision: DECISION,
};

/** Passages taken from each candidate source. */
const CANDIDATES = 40;
/** Passages whose derived data is kept (all of a handbook; the hot part of a large store). */
const PASSAGE_CACHE = 20_000;
/** Ranked candidates kept in the result, with their features (for --explain). */
const EXPLAINED = 8;

export interface RankedCandidate {
  hit: PassageHit;
  /** Its section ("<document id>:<section path>"): passages of one section are one choice. */
  section: string;
  /** Whether members' questions are attached to it. */
  questioned: boolean;
  features: Features;
  score: number;
}

export interface RetrievalResult {
  mode: Mode;
  /** Why that mode, in words. */
  rule: string;
  /** mode === "answer". */
  answered: boolean;
  /** Best first. In "choices" mode the first `offered` are the sections offered, one passage each. */
  hits: PassageHit[];
  /** Why hits[1] is shown beside hits[0] in "answer" mode (see SearchResult.note). */
  note?: "same-rule" | "amended";
  offered: number;
  /** Calibrated probabilities: the best section is right; one of the offered ones is. */
  single: number;
  within: number;
  /** What the decision models read (decide.ts), and the number of content words. */
  signals: Record<string, number>;
  words: number;
  /** The best candidates with their features and scores (diagnostics). */
  ranked: RankedCandidate[];
  /** Question words (folded, with idf) the best passage lacks. */
  missing: { word: string; idf: number }[];
  missingRare: number;
  typeFound: boolean;
  inDomain: boolean;
  topCoverage: number;
}

interface Row {
  id: number;
  documentId: number;
  heading: string;
  text: string;
  source: string;
  title: string;
  number: string | null;
  locator: string;
  subject: string;
  alias: string | null;
  sectionPath: string;
  folded: string;
  accented: string;
}

interface CachedRow extends Row {
  view: PassageView;
}

export interface RetrieverSources {
  lexical: LexicalIndex;
  questions: QuestionIndex;
  vectors: () => VectorIndex | undefined;
  embedder?: Embedder;
  synonyms: Synonyms;
  domainTerms?: DomainTerms;
  /** Newer rules that replace older ones (data/amendments.txt), as the passages holding each side. */
  amendments?: () => ResolvedAmendment[];
  /** Stored documents replaced by another stored document: their passages rank after those in force. */
  replaced?: () => ReadonlySet<number>;
}

const NONE_REPLACED: ReadonlySet<number> = new Set();

export class Retriever {
  private readonly rowsStmt: Database.Statement;
  private readonly cache = new Map<number, CachedRow>();
  private cacheGeneration = -1;

  constructor(
    db: Database.Database,
    private readonly sources: RetrieverSources,
    readonly options: RetrieverOptions = DEFAULT_RETRIEVER_OPTIONS,
  ) {
    this.rowsStmt = db.prepare(
      `SELECT p.id, p.documentId, p.heading, p.text, p.locator, p.subject, p.sectionPath, d.source, d.title, d.number, s.alias, f.folded, f.accented
         FROM Passage p JOIN Document d ON d.id = p.documentId JOIN PassageFts f ON f.rowid = p.id
         LEFT JOIN Section s ON s.documentId = p.documentId AND s.path = p.sectionPath
        WHERE p.id IN (SELECT value FROM json_each(?))`,
    );
  }

  /** `explain`: how many ranked candidates to return with their features (the fitting tool takes them all). */
  async search(question: string, k: number, explain = EXPLAINED): Promise<RetrievalResult> {
    const query = this.analyse(question);
    const pool = await this.candidates(query);
    const rows = this.rows(pool.ids);
    const ranking = this.rank(query, pool, rows);
    // Answers quote documents in force: passages of replaced documents rank after theirs (in-force.ts).
    const ranked = inForceFirst(ranking, (id) => rows.get(id)!.documentId, this.sources.replaced?.() ?? NONE_REPLACED);
    const sections = bestPerSection(ranked);
    const evidence = this.evidence(query, ranked, sections, rows);
    const decided = decide(evidence.input, this.options.decision);
    const { ordered, offered } = this.order(ranked, sections, decided, rows);
    const hitOf = (id: number) => toHit(rows.get(id)!, ranked.find((r) => r.id === id)!.score);
    let hits = ordered.slice(0, Math.max(k, offered, 6)).map((c) => hitOf(c.id));
    let rule = decided.rule;
    if (ranked !== ranking && ranking[0] !== ranked[0]) rule += "; the best match is in a replaced document: the document in force is quoted";
    let note: RetrievalResult["note"];
    if (decided.mode === "answer") ({ hits, note, rule } = this.quoteOrder(query, hits, rule));
    return {
      mode: decided.mode,
      rule,
      answered: decided.mode === "answer",
      hits: hits.slice(0, Math.max(k, offered)),
      ...(note ? { note } : {}),
      offered,
      single: decided.single,
      within: decided.within,
      signals: decisionFeatures(evidence.input),
      words: evidence.input.words,
      ranked: ordered.slice(0, explain).map((c) => ({ hit: hitOf(c.id), section: c.section, questioned: c.questioned, features: c.features, score: c.score })),
      missing: evidence.missing,
      missingRare: evidence.input.missingRare,
      typeFound: evidence.typeFound,
      inDomain: query.inDomain,
      topCoverage: ranked[0]?.features.coverage ?? 0,
    };
  }

  /** The question as terms, with the synonyms and domain terms the options ask for. */
  private analyse(question: string): Query {
    const o = this.options;
    return analyseQuery(question, {
      lexical: this.sources.lexical,
      synonyms: o.synonyms ? this.sources.synonyms : undefined,
      domainTerms: o.requireDomainTerm ? this.sources.domainTerms : undefined,
      unknownWordWeight: o.unknownWordWeight,
    });
  }

  /** Each candidate's features and score, best first. */
  private rank(query: Query, pool: CandidatePool, rows: Map<number, CachedRow>): Scored[] {
    const o = this.options;
    const { lexical } = this.sources;
    return rankCandidates(
      pool.ids.flatMap((id) => {
        const row = rows.get(id);
        if (!row) return []; // an index entry of a passage removed meanwhile
        const features = passageFeatures(query, row.view, pool, { answerType: o.answerType, idfOf: (w) => lexical.idf(w) });
        return [{ id, section: `${row.documentId}:${row.sectionPath || id}`, questioned: row.view.questions.length > 0, features }];
      }),
      o.ranking,
    );
  }

  /** What the decision weighs beyond the scores: words of the question the best passage lacks, the kind of fact asked for, unknown words. */
  private evidence(query: Query, ranked: Scored[], sections: Scored[], rows: Map<number, CachedRow>) {
    const top = ranked[0] ? rows.get(ranked[0].id)! : undefined;
    const missing = top ? missingWords(query, top.view) : [];
    const typeFound = this.typeFound(query, sections.slice(0, this.options.decision.maxChoices).map((s) => rows.get(s.id)!));
    const { lexical } = this.sources;
    const unknown = query.terms.words.filter((w) => lexical.documentFrequency(w) === 0).reduce((a, w) => a + query.idf.get(w)!, 0);
    const input: DecisionInput = {
      sections,
      words: query.terms.words.length,
      inDomain: query.inDomain,
      typeMissing: !typeFound,
      missingRare: this.rarest(missing),
      unreachedRare: this.rarest(top ? missing.filter((m) => !top.view.questionWords.has(m.word)) : []),
      unknownShare: unknown / query.totalIdf,
      typeMissingTop: !!query.asked && !!top && !holdsType(top.view, query.asked),
    };
    return { input, missing, typeFound };
  }

  /** Which document an answer quotes first: the Charter before a lower document stating the same rule; a newer rule before the one it replaced. */
  private quoteOrder(query: Query, hits: PassageHit[], rule: string): { hits: PassageHit[]; note: RetrievalResult["note"]; rule: string } {
    const preferred = preferredOrder(query.text, hits, this.sources.amendments?.() ?? []);
    if (preferred.reason === "same-rule") rule += "; a higher document states the same rule: quoted first";
    if (preferred.reason === "amended") rule += "; a newer document changed this rule (data/amendments.txt): the newer rule first";
    return { hits: preferred.hits, note: preferred.reason, rule };
  }

  /** One passage by id, as a hit (a member picked it); undefined when it no longer exists. */
  hit(passageId: number): PassageHit | undefined {
    const row = this.rows([passageId]).get(passageId);
    return row ? toHit(row, 0) : undefined;
  }

  /** Step 1, with the switches applied. */
  private candidates(query: Query): Promise<CandidatePool> {
    const o = this.options;
    return gatherCandidates(
      query,
      {
        lexical: this.sources.lexical,
        questions: o.questions ? this.sources.questions : NO_QUESTIONS,
        vectors: o.vectors ? this.sources.vectors() : undefined,
        embedder: this.sources.embedder,
      },
      { limit: CANDIDATES, folding: o.folding, bigrams: o.bigrams, vectors: o.vectors },
    );
  }

  /**
   * The result's order: the offered sections first in choices mode, else the ranking as it is.
   * Sections a member would read as the same choice (the same citation: one document stored twice,
   * as its PDF and its text, or parts of one long section) are offered once; the next section
   * takes the place.
   */
  private order(ranked: Scored[], sections: Scored[], decision: Decision, rows: Map<number, CachedRow>): { ordered: Scored[]; offered: number } {
    if (decision.mode !== "choices") return { ordered: ranked, offered: decision.offered };
    const offered = distinctChoices(sections, decision.offered, (s) => citation(toHit(rows.get(s.id)!, 0)));
    const ids = new Set(offered.map((s) => s.id));
    return { ordered: [...offered, ...ranked.filter((r) => !ids.has(r.id))], offered: offered.length };
  }

  /**
   * The rarest word of the question, known to the corpus (so not a typo or slang), that the
   * best passage lacks: it usually names exactly what is asked ("phần trăm", "tiền thưởng").
   * As a share of the idf of a word seen in no passage, so the figure holds at any corpus size.
   */
  private rarest(missing: { word: string; idf: number }[]): number {
    const { lexical } = this.sources;
    const unseenIdf = Math.log(1 + (lexical.count() + 0.5) / 0.5);
    return Math.max(0, ...missing.filter((m) => !/^\d+$/.test(m.word) && lexical.documentFrequency(m.word) > 0).map((m) => m.idf / unseenIdf));
  }

  /**
   * Whether the best sections hold the kind of fact asked for, where its absence proves
   * something: percentages, sums of money, named office holders and years are always written
   * as figures or names, and "how many sessions/times" needs a count of that unit. Durations
   * or bodies are often spelled out in words ("vào các ngày lễ lớn"), so they are not checked.
   */
  private typeFound(query: Query, best: CachedRow[]): boolean {
    if (!this.options.requireAnswerType) return true;
    const strict = query.asked === "percent" || query.asked === "money" || query.asked === "person" || query.asked === "year";
    if (strict && !best.some((r) => holdsType(r.view, query.asked!))) return false;
    return !query.unit || best.some((r) => hasCountOf(query.unit!, r.text));
  }

  /** Passage rows with their derived views, by id; read once and kept until the indexes change. */
  private rows(ids: number[]): Map<number, CachedRow> {
    const { lexical, questions } = this.sources;
    if (this.cacheGeneration !== lexical.generation || this.cache.size > PASSAGE_CACHE) {
      this.cache.clear();
      this.cacheGeneration = lexical.generation;
    }
    const out = new Map<number, CachedRow>();
    const missing: number[] = [];
    for (const id of ids) {
      const hit = this.cache.get(id);
      if (hit) out.set(id, hit);
      else missing.push(id);
    }
    if (!missing.length) return out;
    const asked = this.options.questions ? questions.questionsOf(missing) : new Map<number, string[]>();
    for (const r of this.rowsStmt.all(JSON.stringify(missing)) as Row[]) {
      const qs = (asked.get(r.id) ?? []).map((q) => queryTerms(q).words);
      const folded = r.folded.split(" ");
      const row: CachedRow = {
        ...r,
        view: {
          id: r.id,
          text: r.text,
          wordSet: new Set(folded),
          padded: ` ${r.folded} `,
          pairSet: adjacentPairs(folded),
          accentedSet: new Set(r.accented.split(" ")),
          questions: qs,
          questionWords: new Set(qs.flat()),
          lead: leadWords(r.text),
          types: new Map(),
        },
      };
      this.cache.set(r.id, row);
      out.set(r.id, row);
    }
    return out;
  }
}

/** A question field that finds nothing (the ablation without questions). */
const NO_QUESTIONS = { search: () => [], questionsOf: () => new Map() } as unknown as QuestionIndex;

/** The first `count` items whose labels differ, in order (a later item with a label already taken is skipped). */
export function distinctChoices<T>(items: readonly T[], count: number, labelOf: (item: T) => string): T[] {
  const out: T[] = [];
  const labels = new Set<string>();
  for (const item of items) {
    if (out.length >= count) break;
    const label = labelOf(item);
    if (labels.has(label)) continue;
    labels.add(label);
    out.push(item);
  }
  return out;
}

function toHit(r: Row, score: number): PassageHit {
  return {
    passageId: r.id,
    source: r.source,
    title: r.title,
    ...(r.number ? { number: r.number } : {}),
    heading: r.heading,
    ...(r.locator ? { locator: r.locator } : {}),
    ...(r.alias || r.subject ? { subject: r.alias || r.subject } : {}),
    ...(r.sectionPath ? { sectionPath: r.sectionPath } : {}),
    text: r.text,
    score: Math.round(score * 1e4) / 1e4,
  };
}
