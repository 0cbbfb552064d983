import OpenAI from 'openai';
import { maskEntities } from '../text.js';
import { normalise, type Embedder } from './embedder.js';

export interface OpenAIEmbedderOptions {
  baseURL: string;
  model: string;
  apiKey: string;
  /** Asked of models that can shorten their vectors (text-embedding-3-*); otherwise the model's own. */
  dimensions?: number;
  timeoutMs?: number;
  /** Texts per request. */
  batchSize?: number;
}

/**
 * Embeddings from an OpenAI-compatible `/v1/embeddings` endpoint (OpenAI, vLLM, Ollama,
 * LiteLLM...). Texts are entity-masked first, like the local embedder's, so ids never
 * leave the process and never sway the similarity. Vectors are re-normalised.
 */
export class OpenAIEmbedder implements Embedder {
  readonly id: string;
  private readonly client: OpenAI;
  private knownDim: number | undefined;

  constructor(private readonly options: OpenAIEmbedderOptions) {
    this.client = new OpenAI({ baseURL: options.baseURL, apiKey: options.apiKey, timeout: options.timeoutMs ?? 10_000, maxRetries: 1 });
    this.knownDim = options.dimensions;
    this.id = `openai:${options.baseURL}:${options.model}:${options.dimensions ?? 'native'}`;
  }

  get dim(): number {
    return this.knownDim ?? 0;
  }

  async embed(texts: string[]): Promise<Float32Array[]> {
    const out: Float32Array[] = [];
    const size = this.options.batchSize ?? 128;
    for (let i = 0; i < texts.length; i += size) {
      const input = texts.slice(i, i + size).map((t) => maskEntities(t) || '.');
      const response = await this.client.embeddings.create({
        model: this.options.model,
        input,
        encoding_format: 'float',
        ...(this.options.dimensions ? { dimensions: this.options.dimensions } : {}),
      });
      const rows = [...response.data].sort((a, b) => a.index - b.index);
      if (rows.length !== input.length) throw new Error(`embeddings endpoint returned ${rows.length} vectors for ${input.length} inputs`);
      for (const row of rows) {
        const vector = normalise(Float32Array.from(row.embedding as number[]));
        if (this.knownDim === undefined) this.knownDim = vector.length;
        if (vector.length !== this.knownDim) throw new Error(`embeddings endpoint returned dimension ${vector.length}, expected ${this.knownDim}`);
        out.push(vector);
      }
    }
    return out;
  }
}
