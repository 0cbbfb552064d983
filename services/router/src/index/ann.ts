// Approximate nearest neighbours for large tenants: an HNSW graph (usearch, native, prebuilt in
// its npm package) over the rows' vectors, keyed by each row's stable key (a hash of its
// template and vector, index/vector-index.ts), so a graph saved by one process can be loaded by
// the next whatever row numbers it gives. It only proposes candidates: the vector index rescores
// them exactly with its own float32 vectors, so the graph may hold them quantised to int8 (a
// quarter of the memory) without changing any similarity it reports.
import { Index, MetricKind, ScalarKind } from 'usearch';

/**
 * HNSW parameters (docs/router.md, "Search"). Connectivity 32, not usearch's 16: at 100k
 * synthetic templates, of the lookups whose exact best similarity is 0.85 or more, the graph's
 * candidates held that best for 279 of 299 (hashing) and 292 of 300 (fused) with 16, and for
 * 298 of 299 and 298 of 300 with 32, at the same search time and about 2% more resident
 * memory; a wider search beam instead (128 -> 256) or float32 vectors did not close the gap
 * (test/bench/semantic/recall-probe.ts).
 */
export interface AnnOptions {
  /** Graph degree: more is better recall, more memory and slower inserts. */
  connectivity: number;
  /** Beam width while inserting. */
  expansionAdd: number;
  /** Beam width while searching (raised to k when k is larger). */
  expansionSearch: number;
}

export const DEFAULT_ANN: AnnOptions = { connectivity: 32, expansionAdd: 64, expansionSearch: 128 };

export class AnnIndex {
  private readonly index: Index;

  constructor(readonly dim: number, readonly options: AnnOptions = DEFAULT_ANN) {
    this.index = new Index({ dimensions: dim, metric: MetricKind.Cos, quantization: ScalarKind.I8, connectivity: options.connectivity, expansion_add: options.expansionAdd, expansion_search: options.expansionSearch, multi: false });
  }

  /** A graph saved by `save` (throws when the file is missing or not a graph of this dimension). */
  static load(path: string, dim: number, options: AnnOptions = DEFAULT_ANN): AnnIndex {
    const ann = new AnnIndex(dim, options);
    ann.index.load(path);
    if (ann.index.dimensions() !== dim) throw new Error(`graph ${path} has ${ann.index.dimensions()} dimensions, not ${dim}`);
    return ann;
  }

  get size(): number {
    return this.index.size();
  }

  /** Adds many rows at once, on both cores (the index batches its upserts). */
  addMany(keys: bigint[], vectors: Float32Array[]): void {
    if (keys.length === 0) return;
    const matrix = new Float32Array(keys.length * this.dim);
    vectors.forEach((v, i) => matrix.set(v, i * this.dim));
    this.index.add(BigUint64Array.from(keys), matrix, 2);
  }

  remove(key: bigint): void {
    this.index.remove(key);
  }

  /** Removes many rows at once. */
  removeMany(keys: bigint[]): void {
    if (keys.length > 0) this.index.remove(BigUint64Array.from(keys));
  }

  /** Keys of the approximately `k` nearest rows, nearest first. */
  search(vector: Float32Array, k: number): BigUint64Array {
    if (this.index.size() === 0) return new BigUint64Array(0);
    return this.index.search(vector, Math.min(k, this.index.size()), 1).keys;
  }

  /** Writes the graph to a file (usearch's own format). */
  save(path: string): void {
    this.index.save(path);
  }
}
