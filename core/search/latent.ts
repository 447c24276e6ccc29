/**
 * A corpus-fitted latent semantic model (LSA by randomized range finding): no download,
 * fitted on the stored passages. Each term (folded content syllable or content syllable
 * pair) gets a vector of its co-occurrence profile projected on the corpus's dominant
 * directions, so terms that share contexts ("vao dang" and "ket nap") point the same way.
 * A text's vector is the tf-idf weighted sum of its term vectors.
 *
 *   const m = LatentModel.fit(passages.map(termsOf), 96);
 *   cosine(m.vector(termsOf(question)), m.vector(termsOf(passage)));
 */
import { isStopSyllable } from "./terms.js";

/** Latent terms of folded syllables: content syllables and pairs of adjacent content syllables. */
export function latentTerms(folded: string[]): string[] {
  const out: string[] = [];
  let prev: string | undefined;
  for (const f of folded) {
    if (isStopSyllable(f, f)) {
      prev = undefined;
      continue;
    }
    out.push(f);
    if (prev) out.push(`${prev}_${f}`);
    prev = f;
  }
  return out;
}

/** Deterministic pseudo-random numbers (the model must not change between runs). */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296) * 2 - 1;
}

export class LatentModel {
  private constructor(
    private readonly index: Map<string, number>,
    private readonly idf: Float32Array,
    /** term-major: vectors[t * dim + j] */
    private readonly vectors: Float32Array,
    readonly dimension: number,
  ) {}

  /** Fits on documents given as latent terms (use a sample of at most a few thousand). */
  static fit(docs: string[][], dimension = 96, powerIterations = 2): LatentModel {
    const index = new Map<string, number>();
    const df: number[] = [];
    const rows: { t: Int32Array; w: Float32Array }[] = [];
    for (const d of docs) {
      const tf = new Map<number, number>();
      for (const term of d) {
        let id = index.get(term);
        if (id === undefined) index.set(term, (id = index.size)), df.push(0);
        tf.set(id, (tf.get(id) ?? 0) + 1);
      }
      for (const id of tf.keys()) df[id]!++;
      rows.push({ t: Int32Array.from(tf.keys()), w: Float32Array.from(tf.values(), (c) => 1 + Math.log(c)) });
    }
    const n = docs.length;
    const V = index.size;
    const k = Math.min(dimension, Math.max(1, n - 1));
    const idf = Float32Array.from(df, (x) => Math.log((n + 1) / (x + 0.5)));
    for (const r of rows) {
      let norm = 0;
      for (let i = 0; i < r.t.length; i++) norm += (r.w[i]! *= idf[r.t[i]!]!) ** 2;
      norm = Math.sqrt(norm) || 1;
      for (let i = 0; i < r.w.length; i++) r.w[i]! /= norm;
    }
    // Y = A Ω (n × k), then power iterations Y = A (Aᵀ Y), orthonormalised each time.
    const rnd = lcg(20261127);
    const omega = new Float32Array(V * k).map(() => rnd());
    let Y: Float64Array = new Float64Array(n * k);
    const times = (M: Float32Array | Float64Array) => {
      const out = new Float64Array(n * k); // A M, M is V × k
      rows.forEach((r, d) => {
        for (let i = 0; i < r.t.length; i++) {
          const w = r.w[i]!, base = r.t[i]! * k;
          for (let j = 0; j < k; j++) out[d * k + j]! += w * M[base + j]!;
        }
      });
      return out;
    };
    const transposeTimes = (M: Float64Array) => {
      const out = new Float64Array(V * k); // Aᵀ M, M is n × k
      rows.forEach((r, d) => {
        for (let i = 0; i < r.t.length; i++) {
          const w = r.w[i]!, base = r.t[i]! * k;
          for (let j = 0; j < k; j++) out[base + j]! += w * M[d * k + j]!;
        }
      });
      return out;
    };
    Y = orthonormalColumns(times(omega), n, k);
    for (let it = 0; it < powerIterations; it++) Y = orthonormalColumns(times(transposeTimes(Y)), n, k);
    // Term vectors: columns of Qᵀ A, i.e. rows of Aᵀ Q (V × k).
    const vectors = Float32Array.from(transposeTimes(Y));
    return new LatentModel(index, idf, vectors, k);
  }

  /** L2-normalised vector of a text given as latent terms (zero vector when no term is known). */
  vector(terms: string[]): Float32Array {
    const k = this.dimension;
    const v = new Float32Array(k);
    const tf = new Map<number, number>();
    for (const t of terms) {
      const id = this.index.get(t);
      if (id !== undefined) tf.set(id, (tf.get(id) ?? 0) + 1);
    }
    for (const [id, c] of tf) {
      const w = (1 + Math.log(c)) * this.idf[id]!;
      for (let j = 0; j < k; j++) v[j]! += w * this.vectors[id * k + j]!;
    }
    let norm = 0;
    for (let j = 0; j < k; j++) norm += v[j]! * v[j]!;
    norm = Math.sqrt(norm);
    if (norm > 0) for (let j = 0; j < k; j++) v[j]! /= norm;
    return v;
  }
}

/** Dot product of two vectors of the same length (cosine when both are normalised). */
export function dot(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

/** Modified Gram–Schmidt on the columns of an n × k row-major matrix. */
function orthonormalColumns(M: Float64Array, n: number, k: number): Float64Array {
  for (let j = 0; j < k; j++) {
    for (let p = 0; p < j; p++) {
      let d = 0;
      for (let i = 0; i < n; i++) d += M[i * k + j]! * M[i * k + p]!;
      for (let i = 0; i < n; i++) M[i * k + j]! -= d * M[i * k + p]!;
    }
    let norm = 0;
    for (let i = 0; i < n; i++) norm += M[i * k + j]! ** 2;
    norm = Math.sqrt(norm) || 1;
    for (let i = 0; i < n; i++) M[i * k + j]! /= norm;
  }
  return M;
}
