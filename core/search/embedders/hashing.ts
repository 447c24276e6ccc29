/**
 * An embedder that needs no model download: hashed features of the accent-folded text
 * (content syllables, syllable pairs and character 4-grams inside syllables),
 * sub-linear term frequency, signed feature hashing, L2-normalised. It gives the vector
 * side of hybrid search tolerance to typos and partial words that BM25 lacks.
 *
 *   const e = new HashingEmbedder();           // 256 dimensions
 *   const [v] = await e.embed(["vào Đảng"], "query");
 */
import { syllables } from "../../text/vietnamese.js";
import { foldSyllable, isStopSyllable } from "../terms.js";
import type { EmbedKind, Embedder } from "./embedder.js";

/** FNV-1a 32-bit: fast, stable across runs and platforms (the index is persisted). */
function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** A hashed feature: where it lands in the vector, its sign, and its count in the text being embedded. */
interface Feature {
  slot: number;
  sign: number;
  count: number;
}

/** A folded syllable's features: its word, its character 4-grams, and the pairs it starts. */
interface FoldedSyllable {
  folded: string;
  word: Feature;
  grams: Feature[];
  pairs: Map<FoldedSyllable, Feature>;
}

/** Caches above these sizes are emptied before the next text (a long-running server embeds questions for months). */
const MAX_SYLLABLES = 100_000;
const MAX_PAIRS = 300_000;

export class HashingEmbedder implements Embedder {
  readonly id: string;
  // Features are computed once per syllable, 4-gram and pair and reused: embedding a large
  // document spends its time here. A vector is exactly the one the definition in vector()'s
  // comment gives (hashing.test.ts holds it to that plain form).
  private readonly syllableInfo = new Map<string, { folded: FoldedSyllable; stop: boolean }>();
  private readonly foldedInfo = new Map<string, FoldedSyllable>();
  private readonly gramFeatures = new Map<string, Feature>();
  private pairCount = 0;
  /** Features counted in the text being embedded, in the order first seen. */
  private readonly seen: Feature[] = [];

  constructor(readonly dimension = 256) {
    // v2: the stop-word list (which features are skipped) changed; saved indexes are rebuilt.
    this.id = `hashing-v2-${dimension}`;
  }

  async embed(texts: string[], _kind: EmbedKind): Promise<Float32Array[]> {
    return texts.map((t) => this.vector(t));
  }

  /**
   * Synchronous form, for bulk building. By definition: count the features of the text, in the
   * order first seen (`w:<folded>` 1 and `c:<4-gram of <folded>>` 0.25 for each content
   * syllable, `b:<folded> <folded>` 1 for each pair that is not two stop words), add
   * sign(h) * log1p(count) at h % dimension for each (h = FNV-1a of the feature), normalise.
   */
  vector(text: string): Float32Array {
    // Emptied between texts only: within one, a feature must stay one object.
    if (this.syllableInfo.size >= MAX_SYLLABLES || this.pairCount >= MAX_PAIRS) this.clearCaches();
    const seen = this.seen;
    const count = (f: Feature, w: number) => {
      if (f.count === 0) seen.push(f);
      f.count += w;
    };
    let previous: { folded: FoldedSyllable; stop: boolean } | undefined;
    for (const syllable of syllables(text)) {
      const current = this.syllable(syllable);
      if (!current.stop) {
        count(current.folded.word, 1);
        for (const gram of current.folded.grams) count(gram, 0.25);
      }
      if (previous && !(current.stop && previous.stop)) count(this.pair(previous.folded, current.folded), 1);
      previous = current;
    }
    const v = new Float32Array(this.dimension);
    for (const f of seen) {
      v[f.slot]! += f.sign * Math.log1p(f.count);
      f.count = 0;
    }
    seen.length = 0;
    let norm = 0;
    for (let i = 0; i < v.length; i++) norm += v[i]! * v[i]!;
    norm = Math.sqrt(norm) || 1;
    for (let i = 0; i < v.length; i++) v[i]! /= norm;
    return v;
  }

  private feature(name: string): Feature {
    const h = fnv1a(name);
    return { slot: h % this.dimension, sign: h & 0x80000000 ? -1 : 1, count: 0 };
  }

  private syllable(syllable: string): { folded: FoldedSyllable; stop: boolean } {
    let info = this.syllableInfo.get(syllable);
    if (info === undefined) {
      const folded = foldSyllable(syllable);
      info = { folded: this.foldedSyllable(folded), stop: isStopSyllable(syllable, folded) };
      this.syllableInfo.set(syllable, info);
    }
    return info;
  }

  private foldedSyllable(folded: string): FoldedSyllable {
    let info = this.foldedInfo.get(folded);
    if (info === undefined) {
      const grams: Feature[] = [];
      const padded = `<${folded}>`;
      if (padded.length > 4) {
        for (let j = 0; j + 4 <= padded.length; j++) {
          const name = `c:${padded.slice(j, j + 4)}`;
          let gram = this.gramFeatures.get(name);
          if (gram === undefined) this.gramFeatures.set(name, (gram = this.feature(name)));
          grams.push(gram);
        }
      }
      info = { folded, word: this.feature(`w:${folded}`), grams, pairs: new Map() };
      this.foldedInfo.set(folded, info);
    }
    return info;
  }

  private pair(first: FoldedSyllable, second: FoldedSyllable): Feature {
    let pair = first.pairs.get(second);
    if (pair === undefined) {
      pair = this.feature(`b:${first.folded} ${second.folded}`);
      first.pairs.set(second, pair);
      this.pairCount++;
    }
    return pair;
  }

  private clearCaches(): void {
    this.syllableInfo.clear();
    this.foldedInfo.clear();
    this.gramFeatures.clear();
    this.pairCount = 0;
  }
}
