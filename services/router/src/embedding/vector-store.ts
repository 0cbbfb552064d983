// Vectors kept between runs, so a restart does not embed every trigger example again: an
// embedding endpoint costs a network call a text, and even the local model is most of the
// catch-up's CPU. One LMDB environment (lmdb on npm, docs/dependencies.md) under
// PRAXIS_CACHE_DIR/vectors: keys are sha-256 of (vector space, text), values the float32 bytes.
// LMDB is memory-mapped (a read is a lookup in the page cache, no copy into the heap until used),
// crash-safe, and safe for several router processes sharing one directory. It is a cache: a
// missing or unreadable entry is embedded again, and the directory may be deleted at any time.
import { createHash } from 'node:crypto';
import { open, type RootDatabase } from 'lmdb';
import { storedVectorsTotal } from '../metrics.js';
import { vectorSpace, WrappingEmbedder, type Embedder } from './embedder.js';

export class VectorStore {
  private pendingWrites = 0;
  /** Texts answered from the store and texts that had to be embedded, since it was opened. */
  readonly counts = { stored: 0, embedded: 0 };

  private constructor(private readonly db: RootDatabase<Buffer, Buffer>, private readonly onProblem: (message: string) => void) {}

  /** Opens (or creates) the store in `dir`. Throws when the directory cannot be used. */
  static open(dir: string, onProblem: (message: string) => void = () => undefined): VectorStore {
    const db = open<Buffer, Buffer>({ path: dir, encoding: 'binary', keyEncoding: 'binary', compression: false });
    return new VectorStore(db, onProblem);
  }

  private static key(space: string, text: string): Buffer {
    return createHash('sha256').update(space).update('\u0000').update(text).digest();
  }

  /** The stored vector of a text in a vector space, when there is one of the right dimension. */
  get(space: string, dim: number, text: string): Float32Array | undefined {
    const bytes = this.db.getBinary(VectorStore.key(space, text));
    // dimension 0: an endpoint whose native dimension is not known yet (the space names the model)
    if (!bytes || bytes.length === 0 || bytes.length % 4 !== 0 || (dim > 0 && bytes.length !== dim * 4)) return undefined;
    // copied out of the memory map (aligned, and valid after the read transaction ends)
    return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length));
  }

  /** Stores vectors in the background (LMDB batches them into one transaction); failures are reported, never thrown. */
  put(space: string, texts: string[], vectors: Float32Array[]): void {
    texts.forEach((text, i) => {
      const v = vectors[i]!;
      this.pendingWrites++;
      this.db
        .put(VectorStore.key(space, text), Buffer.from(v.buffer, v.byteOffset, v.byteLength))
        .catch((error: unknown) => this.onProblem(`could not store a vector: ${(error as Error).message}`))
        .finally(() => this.pendingWrites--);
    });
  }

  /** Entries stored (all vector spaces). */
  get size(): number {
    return (this.db.getStats() as { entryCount: number }).entryCount;
  }

  /** Waits for the writes in flight, then closes. */
  async close(): Promise<void> {
    await this.db.flushed;
    await this.db.close();
  }
}

/** An embedder whose vectors are read from the store when it has them, computed (and stored) when not. */
export class StoredEmbedder extends WrappingEmbedder {
  private readonly space: string;

  constructor(inner: Embedder, private readonly store: VectorStore) {
    super(inner);
    this.space = vectorSpace(inner);
  }

  async embed(texts: string[]): Promise<Float32Array[]> {
    const out: (Float32Array | undefined)[] = texts.map((t) => this.store.get(this.space, this.inner.dim, t));
    const missing = texts.filter((_, i) => out[i] === undefined);
    this.store.counts.stored += texts.length - missing.length;
    storedVectorsTotal.inc({ source: 'stored' }, texts.length - missing.length);
    if (missing.length === 0) return out as Float32Array[];
    const vectors = await this.inner.embed(missing);
    this.store.counts.embedded += missing.length;
    storedVectorsTotal.inc({ source: 'embedded' }, missing.length);
    this.store.put(this.space, missing, vectors);
    let j = 0;
    return out.map((v) => v ?? vectors[j++]!);
  }
}
