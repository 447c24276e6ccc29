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
import type { LexicalIndex } from "./lexical-index.js";
import { indexOfPhrase, type Synonyms } from "./synonyms.js";
import { foldedSyllables, queryTerms } from "./terms.js";
import type { PassageHit } from "./types.js";
import type { VectorIndex } from "./vector-index.js";

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
  /** Abstain when the best passage covers less than this share of the question's weighted terms. */
  minCoverage: number;
}

export const DEFAULT_RETRIEVER_OPTIONS: RetrieverOptions = {
  folding: true,
  bigrams: true,
  synonyms: true,
  vectors: true,
  rerank: true,
  minCoverage: 0.5,
};

const CANDIDATES = 40;
const RRF_K = 60;

interface Candidate {
  id: number;
  rrf: number;
  coverage: number;
  pairCoverage: number;
  accentCoverage: number;
  score: number;
}

export interface RetrievalResult {
  answered: boolean;
  hits: PassageHit[];
  /** Coverage of the best passage (the abstention feature), for calibration. */
  topCoverage: number;
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

export class Retriever {
  private readonly rowsStmt: Database.Statement;

  constructor(
    db: Database.Database,
    private readonly lexical: LexicalIndex,
    private readonly vectors: () => VectorIndex | undefined,
    private readonly embedder: Embedder | undefined,
    private readonly synonyms: Synonyms,
    readonly options: RetrieverOptions = DEFAULT_RETRIEVER_OPTIONS,
  ) {
    this.rowsStmt = db.prepare(
      `SELECT p.id, p.heading, p.text, d.source, d.title, d.number, f.folded, f.accented
         FROM Passage p JOIN Document d ON d.id = p.documentId JOIN PassageFts f ON f.rowid = p.id
        WHERE p.id IN (SELECT value FROM json_each(?))`,
    );
  }

  async search(question: string, k: number): Promise<RetrievalResult> {
    const q = collapseSpace(nfc(question));
    const o = this.options;
    const terms = queryTerms(q);
    const synonymHits = o.synonyms ? this.synonyms.expand(foldedSyllables(q)) : [];
    const phrases = o.bigrams ? [...terms.bigrams] : [];
    for (const s of synonymHits) for (const alt of s.alternatives) phrases.push(alt.join(" "));

    // Terms in more than half the passages add nothing to BM25 but cost time at scale.
    const n = this.lexical.count();
    const idf = new Map(terms.words.map((w) => [w, this.lexical.idf(w)]));
    const selective = terms.words.filter((w) => n < 50 || this.lexical.documentFrequency(w) <= n * 0.5);
    const lexical = this.lexical.search(
      o.folding
        ? { folded: selective, phrases, accented: terms.accented }
        : { folded: [], phrases: [], accented: syllables(q) },
      CANDIDATES,
    );

    const fused = new Map<number, number>();
    lexical.forEach((h, rank) => fused.set(h.id, (fused.get(h.id) ?? 0) + 1 / (RRF_K + rank + 1)));
    const vectorIndex = o.vectors ? this.vectors() : undefined;
    if (vectorIndex && this.embedder && vectorIndex.size > 0) {
      const [qv] = await this.embedder.embed([q], "query");
      vectorIndex.search(qv!, CANDIDATES).forEach((h, rank) => fused.set(h.id, (fused.get(h.id) ?? 0) + 1 / (RRF_K + rank + 1)));
    }
    if (fused.size === 0) return { answered: false, hits: [], topCoverage: 0 };

    const rows = new Map((this.rowsStmt.all(JSON.stringify([...fused.keys()])) as Row[]).map((r) => [r.id, r]));
    const maxRrf = Math.max(...fused.values());
    const totalIdf = terms.words.reduce((s, w) => s + idf.get(w)!, 0) || 1;
    const candidates: Candidate[] = [];
    for (const [id, rrf] of fused) {
      const row = rows.get(id);
      if (!row) continue; // index entry of a passage removed meanwhile
      const words = row.folded.split(" ");
      const wordSet = new Set(words);
      const paddedFolded = ` ${row.folded} `;
      let covered = 0;
      for (const w of terms.words) {
        const viaSynonym = synonymHits.some(
          (s) => s.matched.includes(w) && s.alternatives.some((alt) => indexOfPhrase(words, alt) >= 0),
        );
        if (wordSet.has(w) || viaSynonym) covered += idf.get(w)!;
      }
      const pairs = terms.bigrams;
      const pairCoverage = pairs.length ? pairs.filter((p) => paddedFolded.includes(` ${p} `)).length / pairs.length : 0;
      const accentedSet = new Set(row.accented.split(" "));
      const accentCoverage = terms.accented.length ? terms.accented.filter((a) => accentedSet.has(a)).length / terms.accented.length : 0;
      const coverage = covered / totalIdf;
      const score = o.rerank
        ? 0.35 * (rrf / maxRrf) + 0.4 * coverage + (o.bigrams ? 0.2 * pairCoverage : 0) + 0.05 * accentCoverage
        : rrf;
      candidates.push({ id, rrf, coverage, pairCoverage, accentCoverage, score });
    }
    candidates.sort((a, b) => b.score - a.score);
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
    return { answered: !!top && topCoverage >= o.minCoverage, hits, topCoverage };
  }
}
