/**
 * Text → vector, behind one interface, so the knowledge base does not care whether a
 * downloaded sentence-embedding model or the built-in hashing embedder is in use.
 */

export type EmbedKind = "query" | "passage";

export interface Embedder {
  /** Identity recorded with the vector index: a different id means the index must be rebuilt. */
  readonly id: string;
  readonly dimension: number;
  /** L2-normalised vectors, one per text. */
  embed(texts: string[], kind: EmbedKind): Promise<Float32Array[]>;
  /** Releases model resources (no-op for the built-in embedder). */
  close?(): Promise<void>;
}
