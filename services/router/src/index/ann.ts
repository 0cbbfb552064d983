// Approximate nearest neighbours for large tenants: an HNSW graph (usearch, native, prebuilt in
// its npm package) over the rows' vectors, keyed by row id. It only proposes candidates: the
// vector index rescores them exactly with its own float32 vectors, so the graph may hold them
// quantised to int8 (a quarter of the memory) without changing any similarity it reports.
import { Index, MetricKind, ScalarKind } from 'usearch';

/** HNSW parameters (docs/router.md, "Index"). */
export interface AnnOptions {
  /** Graph degree: more is better recall, more memory and slower inserts. */
  connectivity: number;
  /** Beam width while inserting. */
  expansionAdd: number;
  /** Beam width while searching (raised to k when k is larger). */
  expansionSearch: number;
}

export const DEFAULT_ANN: AnnOptions = { connectivity: 16, expansionAdd: 64, expansionSearch: 128 };

export class AnnIndex {
  private readonly index: Index;

  constructor(readonly dim: number, private readonly options: AnnOptions = DEFAULT_ANN) {
    this.index = new Index({ dimensions: dim, metric: MetricKind.Cos, quantization: ScalarKind.I8, connectivity: options.connectivity, expansion_add: options.expansionAdd, expansion_search: options.expansionSearch, multi: false });
  }

  get size(): number {
    return this.index.size();
  }

  /** Adds many rows at once, on both cores (the index batches its upserts). */
  addMany(ids: number[], vectors: Float32Array[]): void {
    if (ids.length === 0) return;
    const matrix = new Float32Array(ids.length * this.dim);
    vectors.forEach((v, i) => matrix.set(v, i * this.dim));
    this.index.add(BigUint64Array.from(ids, (id) => BigInt(id)), matrix, 2);
  }

  remove(id: number): void {
    this.index.remove(BigInt(id));
  }

  /** Row ids of the approximately `k` nearest rows, nearest first. */
  search(vector: Float32Array, k: number): number[] {
    if (this.index.size() === 0) return [];
    const found = this.index.search(vector, Math.min(k, this.index.size()), 1);
    return Array.from(found.keys, (key) => Number(key));
  }
}
