// Where a tenant's HNSW graph is kept between runs. Building the graph is the dominant cost of a
// restart (minutes at 100k templates on a busy machine), while loading a saved one reads a file.
// A snapshot is one directory entry per (templates topic, embedder, tenant): the graph in
// usearch's format, the keys it holds (usearch cannot list them), and a manifest written last
// that says what the two files are. A snapshot that does not match (another embedder, other
// graph parameters, a torn write) is ignored and the graph is built anew: it is a cache, never
// a source of truth. The rows themselves still come from the topic; only keys the topic
// confirms are used (index/vector-index.ts).
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AnnIndex, DEFAULT_ANN, type AnnOptions } from './ann.js';

const FORMAT = 1;

interface Manifest {
  format: number;
  scope: string;
  tenantId: string;
  dim: number;
  options: AnnOptions;
  count: number;
  savedAtMs: number;
}

/** A saved graph and the keys it holds. */
export interface LoadedGraph {
  ann: AnnIndex;
  keys: BigUint64Array;
}

/** One tenant's snapshot: what VectorIndex loads when it needs its graph, and saves when asked. */
export interface GraphSnapshot {
  load(dim: number): LoadedGraph | null;
  save(ann: AnnIndex, keys: BigUint64Array): void;
}

export class GraphStore {
  /**
   * @param dir where the snapshots live (created on first save)
   * @param scope what the graphs are graphs of: the templates topic and the embedder id
   * @param onProblem told why a snapshot was not used or could not be written
   */
  constructor(
    private readonly dir: string,
    private readonly scope: string,
    private readonly options: AnnOptions = DEFAULT_ANN,
    private readonly onProblem: (message: string) => void = () => undefined,
  ) {}

  private base(tenantId: string): string {
    return join(this.dir, createHash('sha256').update(`${this.scope}\u0000${tenantId}`).digest('hex').slice(0, 32));
  }

  /** The snapshot of one tenant. */
  forTenant(tenantId: string): GraphSnapshot {
    const base = this.base(tenantId);
    return {
      load: (dim) => this.load(base, tenantId, dim),
      save: (ann, keys) => this.save(base, tenantId, ann, keys),
    };
  }

  private load(base: string, tenantId: string, dim: number): LoadedGraph | null {
    if (!existsSync(`${base}.json`)) return null;
    try {
      const m = JSON.parse(readFileSync(`${base}.json`, 'utf8')) as Manifest;
      const same = m.format === FORMAT && m.scope === this.scope && m.tenantId === tenantId && m.dim === dim && JSON.stringify(m.options) === JSON.stringify(this.options);
      if (!same) return this.skip(`graph snapshot of tenant ${tenantId} was made for another embedder, dimension or graph parameters; rebuilding`);
      const raw = readFileSync(`${base}.keys`);
      if (raw.length !== m.count * 8) return this.skip(`graph snapshot of tenant ${tenantId}: keys file holds ${raw.length / 8} keys, manifest says ${m.count}; rebuilding`);
      const keys = new BigUint64Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.length));
      const ann = AnnIndex.load(`${base}.usearch`, dim, this.options);
      if (ann.size !== m.count) return this.skip(`graph snapshot of tenant ${tenantId}: graph holds ${ann.size} rows, manifest says ${m.count}; rebuilding`);
      return { ann, keys };
    } catch (error) {
      return this.skip(`graph snapshot of tenant ${tenantId} unreadable (${(error as Error).message}); rebuilding`);
    }
  }

  private skip(message: string): null {
    this.onProblem(message);
    return null;
  }

  // temporary names, then renames, the manifest last: a reader sees a whole snapshot or the previous one
  private save(base: string, tenantId: string, ann: AnnIndex, keys: BigUint64Array): void {
    try {
      mkdirSync(this.dir, { recursive: true });
      const tmp = `${base}.${process.pid}.tmp`;
      ann.save(`${tmp}.usearch`);
      writeFileSync(`${tmp}.keys`, new Uint8Array(keys.buffer, keys.byteOffset, keys.byteLength));
      const manifest: Manifest = { format: FORMAT, scope: this.scope, tenantId, dim: ann.dim, options: this.options, count: keys.length, savedAtMs: Date.now() };
      writeFileSync(`${tmp}.json`, JSON.stringify(manifest));
      renameSync(`${tmp}.usearch`, `${base}.usearch`);
      renameSync(`${tmp}.keys`, `${base}.keys`);
      renameSync(`${tmp}.json`, `${base}.json`);
    } catch (error) {
      this.onProblem(`could not save the graph of tenant ${tenantId}: ${(error as Error).message}`);
    }
  }
}
