import type { Embedder } from './embedder.js';

/** One part of a fused embedding and its share of the cosine. */
export interface FusedPart {
  embedder: Embedder;
  weight: number;
}

/**
 * Several embedders read as one: the unit vectors of each part, scaled by the square root of
 * its weight and concatenated. With weights summing to 1 the result is a unit vector whose
 * cosine is the weighted sum of the parts' cosines: the model's meaning and the hashing
 * embedder's spelling and word order in one similarity (docs/router.md, "Embeddings").
 */
export class FusedEmbedder implements Embedder {
  readonly id: string;
  readonly dim: number;
  readonly version?: string;
  private readonly scales: number[];

  constructor(private readonly parts: FusedPart[]) {
    const total = parts.reduce((s, p) => s + p.weight, 0);
    if (parts.length === 0 || parts.some((p) => p.weight <= 0 || p.embedder.dim <= 0)) throw new Error('fused embedder: every part needs a positive weight and a known dimension');
    this.scales = parts.map((p) => Math.sqrt(p.weight / total));
    this.dim = parts.reduce((s, p) => s + p.embedder.dim, 0);
    this.id = `fused(${parts.map((p) => `${p.embedder.id}*${(p.weight / total).toFixed(2)}`).join('+')})`;
    const versions = parts.map((p) => p.embedder.version ?? '');
    if (versions.some(Boolean)) this.version = versions.join('+');
  }

  async embed(texts: string[]): Promise<Float32Array[]> {
    const parts = await Promise.all(this.parts.map((p) => p.embedder.embed(texts)));
    return texts.map((_, t) => {
      const out = new Float32Array(this.dim);
      let offset = 0;
      parts.forEach((vectors, p) => {
        const v = vectors[t]!;
        const scale = this.scales[p]!;
        for (let j = 0; j < v.length; j++) out[offset + j] = scale * v[j]!;
        offset += v.length;
      });
      return out;
    });
  }
}
