/**
 * The persisted vector index (hnswlib, inner product over normalised vectors) with a
 * small manifest beside it recording which embedder built it and which passages it holds.
 * The knowledge base rebuilds it from the database whenever the manifest disagrees with
 * the database or the embedder (a crash between the SQLite commit and the index save, a
 * changed model), so a stale index never serves garbage.
 *
 *   const index = VectorIndex.load(dir, embedder.id, embedder.dimension); // undefined when unusable
 *   index.add(ids, vectors); index.save(); index.search(q, 50);
 */
import fs from "node:fs";
import path from "node:path";
import hnswlib from "hnswlib-node";

export interface VectorManifest {
  embedderId: string;
  dimension: number;
  /** Passage ids held, sorted ascending. */
  ids: number[];
}

const INDEX_FILE = "vectors.hnsw";
const MANIFEST_FILE = "vectors.json";
// M=12 / efConstruction=64: the vector side only feeds 40 candidates to the reranker, so a
// few points of recall matter less than building 100k passages in about a minute.
const M = 12;
const EF_CONSTRUCTION = 64;
const EF_SEARCH = 80;

export class VectorIndex {
  private readonly ids = new Set<number>();

  private constructor(
    private readonly dir: string,
    readonly embedderId: string,
    readonly dimension: number,
    private readonly index: hnswlib.HierarchicalNSW,
  ) {}

  /** A new empty index. */
  static create(dir: string, embedderId: string, dimension: number, capacity = 1024): VectorIndex {
    const index = new hnswlib.HierarchicalNSW("ip", dimension);
    index.initIndex({ maxElements: Math.max(16, capacity), m: M, efConstruction: EF_CONSTRUCTION, allowReplaceDeleted: true });
    index.setEf(EF_SEARCH);
    return new VectorIndex(dir, embedderId, dimension, index);
  }

  /** The saved index, or undefined when missing, unreadable, or built by another embedder. */
  static load(dir: string, embedderId: string, dimension: number): { index: VectorIndex; manifest: VectorManifest } | undefined {
    try {
      const manifest = JSON.parse(fs.readFileSync(path.join(dir, MANIFEST_FILE), "utf8")) as VectorManifest;
      if (manifest.embedderId !== embedderId || manifest.dimension !== dimension) return undefined;
      const raw = new hnswlib.HierarchicalNSW("ip", dimension);
      raw.readIndexSync(path.join(dir, INDEX_FILE), true);
      raw.setEf(EF_SEARCH);
      const index = new VectorIndex(dir, embedderId, dimension, raw);
      for (const id of manifest.ids) index.ids.add(id);
      return { index, manifest };
    } catch {
      return undefined;
    }
  }

  /** Modification time of the saved manifest (ms), or 0 when there is none. */
  static savedAt(dir: string): number {
    try {
      return fs.statSync(path.join(dir, MANIFEST_FILE)).mtimeMs;
    } catch {
      return 0;
    }
  }

  get size(): number {
    return this.ids.size;
  }

  /** Passage ids held, ascending. */
  idList(): number[] {
    return [...this.ids].sort((a, b) => a - b);
  }

  /** Makes room for `count` more vectors at once: adding a large document batch by batch then never copies the index to grow it. */
  reserve(count: number): void {
    const needed = this.index.getCurrentCount() + count;
    if (needed > this.index.getMaxElements()) this.index.resizeIndex(needed);
  }

  add(ids: number[], vectors: Float32Array[]): void {
    const needed = this.index.getCurrentCount() + ids.length;
    if (needed > this.index.getMaxElements()) this.index.resizeIndex(Math.max(needed, Math.ceil(this.index.getMaxElements() * 1.5)));
    ids.forEach((id, i) => {
      this.index.addPoint(Array.from(vectors[i]!), id, true);
      this.ids.add(id);
    });
  }

  remove(ids: number[]): void {
    for (const id of ids) {
      if (!this.ids.delete(id)) continue;
      this.index.markDelete(id);
    }
  }

  /** Nearest passages: ids with cosine similarity, best first. */
  search(vector: Float32Array, k: number): { id: number; similarity: number }[] {
    const n = Math.min(k, this.ids.size);
    if (n === 0) return [];
    const r = this.index.searchKnn(Array.from(vector), n);
    return r.neighbors.map((id, i) => ({ id, similarity: 1 - r.distances[i]! }));
  }

  /** Writes index then manifest (the manifest last: a torn save is detected at load). */
  save(): void {
    fs.mkdirSync(this.dir, { recursive: true });
    const tmp = path.join(this.dir, `${INDEX_FILE}.tmp`);
    this.index.writeIndexSync(tmp);
    fs.renameSync(tmp, path.join(this.dir, INDEX_FILE));
    const manifest: VectorManifest = { embedderId: this.embedderId, dimension: this.dimension, ids: this.idList() };
    fs.writeFileSync(path.join(this.dir, `${MANIFEST_FILE}.tmp`), JSON.stringify(manifest));
    fs.renameSync(path.join(this.dir, `${MANIFEST_FILE}.tmp`), path.join(this.dir, MANIFEST_FILE));
  }
}
