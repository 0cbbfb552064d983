import { createHash } from 'node:crypto';
import { AnnIndex } from './ann.js';
import type { GraphSnapshot } from './graph-store.js';
import { DEFAULT_RANKING, TermStats, type RankingOptions } from './lexical.js';

/** One trigger example as indexed: its text, its content tokens and its vector. */
export interface IndexedExample {
  text: string;
  tokens: string[];
  vector: Float32Array;
}

/** The best example of one template for a query. */
export interface Hit {
  templateId: string;
  similarity: number;
  example: string;
  /** What candidates are ordered by (`rank`): the cosine blended with lexical coverage; absent from a plain `search`. */
  score?: number;
  /** Set when the ranking lowered `similarity` for query slots the query does not fill (lookup.ts, `penaliseUnbound`): the cosine, and the slots. */
  unbound?: { cosine: number; slots: string[]; of: number };
}

/** How a search finds its candidates (docs/router.md, "Index"). */
export interface SearchLimits {
  /** Up to this many rows, every row is scored (exact)... */
  bruteForceRows: number;
  /**
   * ...while rows x non-zero dimensions of the query stays within this: a hashed query has a few
   * dozen non-zero dimensions and scans 4,000 rows for the price a dense model vector pays for ~900.
   */
  exactScanWork: number;
  /** Above it: rows proposed by the approximate nearest-neighbour graph... */
  annCandidates: number;
  /** ...plus the rows sharing the query's rarest content tokens (the lexical side): postings visited, rarest first... */
  postingBudget: number;
  /** ...and at most this many of those, by shared-token count. All candidates are scored exactly. */
  candidateRows: number;
}

export const DEFAULT_SEARCH_LIMITS: SearchLimits = { bruteForceRows: 4_000, exactScanWork: 4_000 * 64, annCandidates: 64, postingBudget: 10_000, candidateRows: 64 };

interface Row {
  templateId: string;
  text: string;
  tokens: string[];
  /** The row's key in the graph: the same template and vector give the same key in every process. */
  key: bigint;
}

const KEY_MASK = (1n << 63n) - 1n;
/** Rows per block of vectors: 1 MiB at 256 dimensions, 2 MiB at 512. */
const VECTOR_BLOCK = 1024;

/** A stable 63-bit key for a row (salt: the rare second row of a template with the same vector). */
function rowKey(templateId: string, vector: Float32Array, salt: number): bigint {
  const h = createHash('sha1').update(templateId).update(new Uint8Array(vector.buffer, vector.byteOffset, vector.byteLength));
  if (salt > 0) h.update(String(salt));
  return h.digest().readBigUInt64LE(0) & KEY_MASK;
}

/**
 * The trigger examples of one tenant's templates: vectors for scoring, and for candidate
 * generation an HNSW graph (semantic side) and an inverted index on content tokens (lexical
 * side). Small tenants are scanned exactly; large ones score only the candidates of both.
 *
 * The graph is keyed by each row's stable key, so it can be saved and loaded (GraphSnapshot):
 * a loaded graph's keys are *unconfirmed* until a row with that key arrives from the topic
 * (then it is used without inserting anything); those no row claimed by the time the feed has
 * caught up are removed (`settle`). A removed row's key stays in the graph until the end of the
 * batch (`prepare`), so a new version with the same examples costs no re-insertion.
 */
export class VectorIndex {
  /** Rows by id; ids of removed rows are reused (free list), so the array stays dense. */
  private readonly rows: (Row | undefined)[] = [];
  /**
   * The rows' vectors, row id x dimension in blocks of VECTOR_BLOCK rows: scoring reads them in
   * place, a large tenant keeps a few hundred buffers instead of one per row for the collector
   * to trace, and growing never copies (docs/router.md, "Lookup cost").
   */
  private readonly blocks: Float32Array[] = [];
  /** The vectors' dimension, fixed by the first row (0: none yet). */
  private dim = 0;
  private readonly free: number[] = [];
  private live = 0;
  private readonly byTemplate = new Map<string, number[]>();
  /** Row id of each key (every live row). */
  private readonly rowOfKey = new Map<bigint, number>();
  private readonly postings = new Map<string, Set<number>>();
  /** Tokens per template and their template frequencies, for the lexical side of `rank`. */
  private readonly terms = new TermStats();
  /** Shared-token counts of candidate generation, by row id (reset after each search). */
  private counts = new Uint16Array(1024);
  /** Built when the tenant first outgrows the exact scan, then kept in step with the rows. */
  private ann: AnnIndex | null = null;
  /** Rows upserted since the last search: added to the graph in one batch (both cores) before the next one. */
  private pending = new Set<number>();
  /** Keys of a loaded graph that no row has claimed yet (removed by `settle`). */
  private unconfirmed = new Set<bigint>();
  /** Keys of removed rows still in the graph (removed by the next flush unless a row claims them). */
  private released = new Set<bigint>();
  /** The graph changed since it was loaded or saved. */
  private dirty = false;
  /** Where the graph came from, and the rows inserted into it by this process. */
  private graphSource: 'built' | 'loaded' | null = null;
  private inserted = 0;

  constructor(private readonly snapshot?: GraphSnapshot) {}

  get rowCount(): number {
    return this.live;
  }

  get templateCount(): number {
    return this.byTemplate.size;
  }

  /** Replaces the examples of a template. */
  upsert(templateId: string, examples: IndexedExample[]): void {
    const dim = this.dim || (examples[0]?.vector.length ?? 0);
    const wrong = examples.find((e) => e.vector.length !== dim);
    if (wrong) throw new Error(`vector index: a vector of ${wrong.vector.length} dimensions for ${templateId}, the index holds ${dim}`);
    this.remove(templateId);
    if (examples.length > 0) this.dim = dim;
    const ids: number[] = [];
    for (const example of examples) {
      const id = this.free.pop() ?? this.rows.length;
      const tokens = [...new Set(example.tokens)];
      let salt = 0;
      let key = rowKey(templateId, example.vector, salt);
      while (this.rowOfKey.has(key)) key = rowKey(templateId, example.vector, ++salt);
      this.rows[id] = { templateId, text: example.text, tokens, key };
      this.storeVector(id, example.vector);
      this.rowOfKey.set(key, id);
      this.live++;
      if (this.ann && !this.released.delete(key) && !this.unconfirmed.delete(key)) this.pending.add(id);
      for (const token of tokens) {
        let posting = this.postings.get(token);
        if (!posting) this.postings.set(token, (posting = new Set()));
        posting.add(id);
      }
      ids.push(id);
    }
    this.byTemplate.set(templateId, ids);
    this.terms.set(templateId, examples.flatMap((e) => e.tokens));
  }

  /** Removes a template's examples (no-op when absent). */
  remove(templateId: string): void {
    const ids = this.byTemplate.get(templateId);
    if (!ids) return;
    for (const id of ids) {
      const row = this.rows[id];
      if (!row) continue;
      for (const token of row.tokens) {
        const posting = this.postings.get(token);
        posting?.delete(id);
        if (posting?.size === 0) this.postings.delete(token);
      }
      this.rows[id] = undefined;
      this.rowOfKey.delete(row.key);
      if (this.ann && !this.pending.delete(id)) this.released.add(row.key);
      this.free.push(id);
      this.live--;
    }
    this.byTemplate.delete(templateId);
    this.terms.remove(templateId);
  }

  /**
   * The `k` accepted templates best for the query: the `depth` nearest by cosine (`search`),
   * re-ordered by the cosine blended with how much of the query each template's tokens cover
   * (index/lexical.ts). Each hit keeps its cosine as `similarity` (what the tiers read) and
   * carries the blend as `score`.
   */
  rank(vector: Float32Array, tokens: string[], k: number, accept: (templateId: string) => boolean, limits: SearchLimits = DEFAULT_SEARCH_LIMITS, ranking: RankingOptions = DEFAULT_RANKING): Hit[] {
    const hits = this.search(vector, tokens, Math.max(k, ranking.depth), accept, limits);
    const w = ranking.lexicalWeight;
    const coverage = this.terms.coverageOf(tokens);
    for (const h of hits) h.score = w === 0 ? h.similarity : (1 - w) * h.similarity + w * coverage(h.templateId);
    hits.sort((a, b) => b.score! - a.score! || b.similarity - a.similarity || (a.templateId < b.templateId ? -1 : a.templateId > b.templateId ? 1 : 0));
    return hits.slice(0, k);
  }

  /** How many templates' examples hold the (stemmed content) token. */
  templatesWith(token: string): number {
    return this.terms.templatesWith(token);
  }

  /** The cosine of a query to one template's closest example, clamped to [0, 1] (null when the template has no rows). */
  templateSimilarity(templateId: string, vector: Float32Array): number | null {
    const ids = this.byTemplate.get(templateId);
    if (!ids || ids.length === 0 || vector.length !== this.dim) return null;
    let best: number | null = null;
    for (const id of ids) {
      if (!this.rows[id]) continue;
      const v = this.blocks[Math.floor(id / VECTOR_BLOCK)]!;
      const base = (id % VECTOR_BLOCK) * this.dim;
      let sum = 0;
      for (let j = 0; j < this.dim; j++) sum += vector[j]! * v[base + j]!;
      const similarity = sum >= 1 ? 1 : sum < 0 ? 0 : sum;
      if (best === null || similarity > best) best = similarity;
    }
    return best;
  }

  /**
   * The `k` accepted templates most similar to the query, best first, each with its
   * closest example. Similarity is the cosine, clamped to [0, 1].
   */
  search(vector: Float32Array, tokens: string[], k: number, accept: (templateId: string) => boolean, limits: SearchLimits = DEFAULT_SEARCH_LIMITS): Hit[] {
    if (this.dim > 0 && vector.length !== this.dim) throw new Error(`vector index: a query of ${vector.length} dimensions, the index holds ${this.dim}`);
    // A hashed query is sparse (a few dozen features): only its non-zero dimensions count.
    const nz: number[] = [];
    for (let i = 0; i < vector.length; i++) if (vector[i] !== 0) nz.push(i);
    const qi = Int32Array.from(nz);
    const qv = Float32Array.from(nz, (i) => vector[i]!);
    const exact = this.live <= limits.bruteForceRows && this.live * qi.length <= limits.exactScanWork;
    const ids = exact ? null : this.candidates(vector, tokens, limits);
    const blocks = this.blocks;
    const dim = this.dim;
    // the same terms summed in the same order either way (a zero dimension adds an exact 0):
    // a dense query reads its row straight, a sparse one only where it is non-zero
    const dense = qi.length === dim;
    const similarity = (id: number) => {
      let sum = 0;
      const v = blocks[Math.floor(id / VECTOR_BLOCK)]!;
      const base = (id % VECTOR_BLOCK) * dim;
      if (dense) for (let j = 0; j < dim; j++) sum += qv[j]! * v[base + j]!;
      else for (let j = 0; j < qi.length; j++) sum += qv[j]! * v[base + qi[j]!]!;
      return sum >= 1 ? 1 : sum;
    };

    // Keep the best rows in a small sorted buffer while scanning (most rows lose at once).
    const size = Math.max(4 * k, 32);
    const topSim = new Float64Array(size);
    const topRow = new Int32Array(size);
    let count = 0;
    const consider = (id: number) => {
      const sim = similarity(id);
      if (sim <= 0 || (count === size && sim <= topSim[size - 1]!)) return;
      let i = count < size ? count++ : size - 1;
      while (i > 0 && topSim[i - 1]! < sim) {
        topSim[i] = topSim[i - 1]!;
        topRow[i] = topRow[i - 1]!;
        i--;
      }
      topSim[i] = sim;
      topRow[i] = id;
    };
    if (ids === null) {
      for (let id = 0; id < this.rows.length; id++) if (this.rows[id]) consider(id);
    } else for (const id of ids) consider(id);

    const hits: Hit[] = [];
    const seen = new Set<string>();
    for (let i = 0; i < count && hits.length < k; i++) {
      const row = this.rows[topRow[i]!]!;
      if (seen.has(row.templateId)) continue;
      seen.add(row.templateId);
      if (accept(row.templateId)) hits.push({ templateId: row.templateId, similarity: topSim[i]!, example: row.text });
    }
    if (hits.length === k || count < size) return sortHits(hits);
    // The buffer filled up with rejected templates or repeats: score per template, in full.
    const best = new Map<string, Hit>();
    const scan = (id: number) => {
      const row = this.rows[id]!;
      const sim = similarity(id);
      if (sim <= 0) return;
      const current = best.get(row.templateId);
      if (current && sim <= current.similarity) return;
      if (!accept(row.templateId)) return;
      best.set(row.templateId, { templateId: row.templateId, similarity: sim, example: row.text });
    };
    if (ids === null) {
      for (let id = 0; id < this.rows.length; id++) if (this.rows[id]) scan(id);
    } else for (const id of ids) scan(id);
    return topK(best.values(), k);
  }

  /** The graph's origin (a snapshot or built here), rows this process inserted, loaded keys not yet claimed. */
  get graphStats(): { source: 'built' | 'loaded' | null; rows: number; inserted: number; unconfirmed: number } {
    return { source: this.graphSource, rows: this.ann?.size ?? 0, inserted: this.inserted, unconfirmed: this.unconfirmed.size };
  }

  /** Whether the approximate graph is built (the tenant outgrew the exact scan once). */
  get approximate(): boolean {
    return this.ann !== null;
  }

  /**
   * Copies a row's vector into its block. The first block grows by doubling up to a full block
   * (a tenant of a few templates holds a few rows, not a megabyte); later blocks are full from the start.
   */
  private storeVector(id: number, vector: Float32Array): void {
    const block = Math.floor(id / VECTOR_BLOCK);
    const offset = (id % VECTOR_BLOCK) * this.dim;
    if (block === 0 && (this.blocks[0]?.length ?? 0) < offset + this.dim) {
      const grown = new Float32Array(Math.min(VECTOR_BLOCK, Math.max(8, 2 * (id + 1))) * this.dim);
      if (this.blocks[0]) grown.set(this.blocks[0]);
      this.blocks[0] = grown;
    }
    while (this.blocks.length <= block) this.blocks.push(new Float32Array(VECTOR_BLOCK * this.dim));
    this.blocks[block]!.set(vector, offset);
  }

  /** A row's vector (a view of its block). */
  private vectorOf(id: number): Float32Array {
    const base = (id % VECTOR_BLOCK) * this.dim;
    return this.blocks[Math.floor(id / VECTOR_BLOCK)]!.subarray(base, base + this.dim);
  }

  /** Candidates of a large tenant: the graph's nearest rows, then the lexical ones it missed. */
  private candidates(vector: Float32Array, tokens: string[], limits: SearchLimits): number[] {
    this.graph(vector.length);
    this.flush();
    const out: number[] = [];
    for (const key of this.ann!.search(vector, limits.annCandidates)) {
      const id = this.rowOfKey.get(key);
      if (id !== undefined) out.push(id);
    }
    const seen = new Set(out);
    for (const id of this.lexicalCandidates(tokens, limits)) if (!seen.has(id)) out.push(id);
    return out;
  }

  /** The graph: loaded from the snapshot when there is one, else built from every row. */
  private graph(dim: number): AnnIndex {
    if (this.ann) return this.ann;
    const loaded = this.snapshot?.load(dim) ?? null;
    if (loaded) {
      this.ann = loaded.ann;
      this.unconfirmed = new Set(loaded.keys);
      this.rows.forEach((row, id) => row && !this.unconfirmed.delete(row.key) && this.pending.add(id));
    } else {
      this.ann = new AnnIndex(dim);
      this.rows.forEach((row, id) => row && this.pending.add(id));
    }
    this.dirty = loaded === null || this.pending.size > 0;
    this.graphSource = loaded ? 'loaded' : 'built';
    return this.ann;
  }

  /** Brings the graph in step with the rows: released keys out, pending rows in (one batch, both cores). */
  private flush(): void {
    const ann = this.ann;
    if (!ann) return;
    if (this.released.size > 0) {
      ann.removeMany([...this.released]);
      this.released = new Set();
      this.dirty = true;
    }
    if (this.pending.size > 0) {
      const ids = [...this.pending];
      ann.addMany(ids.map((id) => this.rows[id]!.key), ids.map((id) => this.vectorOf(id)));
      this.inserted += ids.length;
      this.pending = new Set();
      this.dirty = true;
    }
  }

  /**
   * After a batch of upserts: a tenant past `bruteForceRows` gets (or keeps) its graph in step
   * now, so neither the first lookup nor a later one pays for building it.
   */
  prepare(limits: SearchLimits = DEFAULT_SEARCH_LIMITS): void {
    if (!this.ann && (this.live <= limits.bruteForceRows || this.live === 0)) return;
    this.graph(this.dim || this.ann!.dim);
    this.flush();
  }

  /** The feed has caught up: keys of the loaded graph that no row claimed are gone from the topic. */
  settle(): void {
    if (!this.ann || this.unconfirmed.size === 0) return;
    this.ann.removeMany([...this.unconfirmed]);
    this.unconfirmed = new Set();
    this.dirty = true;
  }

  /** Saves the graph if it changed since it was loaded or saved (no-op without a snapshot or a graph). Returns whether it wrote. */
  persist(): boolean {
    if (!this.ann || !this.snapshot) return false;
    this.flush();
    if (!this.dirty) return false;
    const keys = new BigUint64Array(this.rowOfKey.size + this.unconfirmed.size);
    let i = 0;
    for (const key of this.rowOfKey.keys()) keys[i++] = key;
    for (const key of this.unconfirmed) keys[i++] = key;
    this.snapshot.save(this.ann, keys);
    this.dirty = false;
    return true;
  }

  /**
   * Rows sharing the most of the query's tokens. Tokens are taken rarest first until the
   * posting budget is spent; a token in more than a tenth of the rows carries little
   * information and is skipped unless nothing rarer exists. The best `candidateRows` by
   * shared-token count are kept (bucketed by count: linear, no sort).
   */
  private lexicalCandidates(tokens: string[], limits: SearchLimits): number[] {
    if (limits.candidateRows === 0 || tokens.length === 0) return [];
    const postings = [...new Set(tokens)]
      .map((t) => this.postings.get(t))
      .filter((p): p is Set<number> => p !== undefined)
      .sort((a, b) => a.size - b.size);
    const common = this.live / 10;
    const informative = postings.filter((p) => p.size <= common);
    const used = informative.length > 0 ? informative : postings.slice(0, 1);
    if (this.counts.length < this.rows.length) this.counts = new Uint16Array(this.rows.length * 2);
    const counts = this.counts;
    const touched: number[] = [];
    let visited = 0;
    for (const posting of used) {
      if (visited > 0 && visited + posting.size > limits.postingBudget) break;
      for (const id of posting) if (counts[id]!++ === 0) touched.push(id);
      visited += posting.size;
    }
    let out: number[];
    if (touched.length <= limits.candidateRows) out = touched;
    else {
      const buckets: number[][] = [];
      for (const id of touched) (buckets[counts[id]!] ??= []).push(id);
      out = [];
      for (let count = buckets.length - 1; count > 0 && out.length < limits.candidateRows; count--) {
        for (const id of buckets[count] ?? []) {
          out.push(id);
          if (out.length >= limits.candidateRows) break;
        }
      }
    }
    for (const id of touched) counts[id] = 0;
    return out;
  }
}

/** The k best hits, best first (ties by id), without sorting them all. */
function topK(hits: Iterable<Hit>, k: number): Hit[] {
  const out: Hit[] = [];
  const better = (a: Hit, b: Hit) => a.similarity > b.similarity || (a.similarity === b.similarity && a.templateId < b.templateId);
  for (const hit of hits) {
    if (out.length === k && !better(hit, out[k - 1]!)) continue;
    let i = out.length < k ? out.length : k - 1;
    while (i > 0 && better(hit, out[i - 1]!)) {
      if (i < k) out[i] = out[i - 1]!;
      i--;
    }
    out[i] = hit;
  }
  return out;
}

/** Hits best first, ties by id. */
function sortHits(hits: Hit[]): Hit[] {
  return hits.sort((a, b) => b.similarity - a.similarity || (a.templateId < b.templateId ? -1 : a.templateId > b.templateId ? 1 : 0));
}
