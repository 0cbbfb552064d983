/** Turns texts into L2-normalised vectors of a fixed dimension; cosine = dot product. */
export interface Embedder {
  /** Identifies the vector space: vectors of different ids are never compared. */
  readonly id: string;
  readonly dim: number;
  /** Set when this is not the embedder the configuration asked for (a fallback), saying why. */
  readonly fallback?: string;
  /** Changes when the same id would give other vectors (a model's weights): stored vectors are kept by id and version. */
  readonly version?: string;
  embed(texts: string[]): Promise<Float32Array[]>;
}

/** The name stored vectors and graphs are kept under: the embedder id, and its version when it has one. */
export function vectorSpace(embedder: Embedder): string {
  return embedder.version ? `${embedder.id}@${embedder.version}` : embedder.id;
}

/** Scales a vector to unit length in place (the zero vector stays zero). */
export function normalise(vector: Float32Array): Float32Array {
  let sum = 0;
  for (let i = 0; i < vector.length; i++) sum += vector[i]! * vector[i]!;
  if (sum === 0) return vector;
  const inv = 1 / Math.sqrt(sum);
  for (let i = 0; i < vector.length; i++) vector[i]! *= inv;
  return vector;
}

/** Dot product of two vectors of the same dimension (cosine for unit vectors). */
export function dot(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  const n = a.length;
  for (let i = 0; i < n; i++) sum += a[i]! * b[i]!;
  return sum;
}

/** An embedder in front of another (a cache, a store): the same vector space, id, version and fallback. */
export abstract class WrappingEmbedder implements Embedder {
  constructor(protected readonly inner: Embedder) {}

  get id(): string {
    return this.inner.id;
  }

  get dim(): number {
    return this.inner.dim;
  }

  get fallback(): string | undefined {
    return this.inner.fallback;
  }

  get version(): string | undefined {
    return this.inner.version;
  }

  abstract embed(texts: string[]): Promise<Float32Array[]>;
}

/**
 * Remembers vectors by text, so the trigger examples that every new version of a template
 * repeats are embedded once. Least recently used entries go first.
 */
export class CachedEmbedder extends WrappingEmbedder {
  private readonly cache = new Map<string, Float32Array>();
  constructor(inner: Embedder, private readonly capacity = 50_000) {
    super(inner);
  }

  async embed(texts: string[]): Promise<Float32Array[]> {
    const missing = [...new Set(texts.filter((t) => !this.cache.has(t)))];
    if (missing.length > 0) {
      const vectors = await this.inner.embed(missing);
      missing.forEach((text, i) => this.remember(text, vectors[i]!));
    }
    return texts.map((t) => {
      const v = this.cache.get(t)!;
      // refresh recency
      this.cache.delete(t);
      this.cache.set(t, v);
      return v;
    });
  }

  private remember(text: string, vector: Float32Array): void {
    this.cache.set(text, vector);
    if (this.cache.size > this.capacity) this.cache.delete(this.cache.keys().next().value!);
  }
}
