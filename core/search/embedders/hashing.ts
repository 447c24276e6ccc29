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

export class HashingEmbedder implements Embedder {
  readonly id: string;

  constructor(readonly dimension = 256) {
    // v2: the stop-word list (which features are skipped) changed; saved indexes are rebuilt.
    this.id = `hashing-v2-${dimension}`;
  }

  async embed(texts: string[], _kind: EmbedKind): Promise<Float32Array[]> {
    return texts.map((t) => this.vector(t));
  }

  /** Synchronous form, for bulk building. */
  vector(text: string): Float32Array {
    const counts = new Map<string, number>();
    const add = (f: string, w: number) => counts.set(f, (counts.get(f) ?? 0) + w);
    const syl = syllables(text);
    const folded = syl.map(foldSyllable);
    const stops = syl.map((s, i) => isStopSyllable(s, folded[i]!));
    for (let i = 0; i < syl.length; i++) {
      const f = folded[i]!;
      const stop = stops[i]!;
      if (!stop) {
        add(`w:${f}`, 1);
        const padded = `<${f}>`;
        if (padded.length > 4) for (let j = 0; j + 4 <= padded.length; j++) add(`c:${padded.slice(j, j + 4)}`, 0.25);
      }
      if (i > 0 && !(stop && stops[i - 1])) add(`b:${folded[i - 1]} ${f}`, 1);
    }
    const v = new Float32Array(this.dimension);
    for (const [feature, count] of counts) {
      const h = fnv1a(feature);
      const sign = h & 0x80000000 ? -1 : 1;
      v[h % this.dimension]! += sign * Math.log1p(count);
    }
    let norm = 0;
    for (let i = 0; i < v.length; i++) norm += v[i]! * v[i]!;
    norm = Math.sqrt(norm) || 1;
    for (let i = 0; i < v.length; i++) v[i]! /= norm;
    return v;
  }
}
