// The router's local embedding model: static token embeddings (one vector per tokenizer token,
// distilled from a large language model), averaged over the text. No network and no runtime
// beyond a table lookup: tens of microseconds a text, and the vectors know that "remove" and
// "delete" are close, which hashed spellings cannot.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Tokenizer } from '@huggingface/tokenizers';
import { maskEntities } from '../text.js';
import { normalise, type Embedder } from './embedder.js';

/** The model `infra/fetch-model.sh` installs, and its files in the model directory. */
export const LOCAL_MODEL = {
  name: 'wordllama-l2-supercat-256',
  source: 'PyPI wordllama 0.4.0.post1 (MIT): weights/l2_supercat_256.safetensors and its tokenizer',
  weights: 'weights.safetensors',
  tokenizer: 'tokenizer.json',
} as const;

/** The directory of the local model under the cache directory. */
export function localModelDir(cacheDir: string): string {
  return join(cacheDir, 'models', LOCAL_MODEL.name);
}

/** Whether the model's files are in place (the fetch script checked their sha-256). */
export function localModelPresent(dir: string): boolean {
  return existsSync(join(dir, LOCAL_MODEL.weights)) && existsSync(join(dir, LOCAL_MODEL.tokenizer));
}

// IEEE half -> single precision for every 16-bit pattern, built once (the weights are F16).
let halfTable: Float32Array | undefined;
function halfToFloat(): Float32Array {
  if (halfTable) return halfTable;
  halfTable = new Float32Array(65536);
  for (let h = 0; h < 65536; h++) {
    const sign = h & 0x8000 ? -1 : 1;
    const exp = (h >> 10) & 0x1f;
    const frac = h & 0x3ff;
    halfTable[h] = exp === 0 ? sign * 2 ** -14 * (frac / 1024) : exp === 31 ? (frac ? NaN : sign * Infinity) : sign * 2 ** (exp - 15) * (1 + frac / 1024);
  }
  return halfTable;
}

/** Reads one 2-D tensor (F16 or F32) of a safetensors file as float32, row-major. */
export function readSafetensorsMatrix(bytes: Buffer, key?: string): { rows: number; cols: number; data: Float32Array } {
  const headerLength = Number(bytes.readBigUInt64LE(0));
  const header = JSON.parse(bytes.subarray(8, 8 + headerLength).toString('utf8')) as Record<string, { dtype: string; shape: number[]; data_offsets: [number, number] }>;
  const name = key ?? Object.keys(header).find((k) => k !== '__metadata__');
  const entry = name ? header[name] : undefined;
  if (!entry || entry.shape.length !== 2) throw new Error(`safetensors: no 2-D tensor ${name ?? ''}`);
  const [rows, cols] = entry.shape as [number, number];
  const start = 8 + headerLength + entry.data_offsets[0];
  const count = rows * cols;
  const bytesPer = entry.dtype === 'F16' ? 2 : entry.dtype === 'F32' ? 4 : 0;
  if (bytesPer === 0) throw new Error(`safetensors: unsupported dtype ${entry.dtype}`);
  if (start + count * bytesPer > bytes.length) throw new Error('safetensors: file shorter than its header says');
  const data = new Float32Array(count);
  // copied out, so the typed view is aligned whatever the buffer's offset (little-endian hosts)
  const raw = bytes.buffer.slice(bytes.byteOffset + start, bytes.byteOffset + start + count * bytesPer);
  if (bytesPer === 2) {
    const table = halfToFloat();
    const halves = new Uint16Array(raw);
    for (let i = 0; i < count; i++) data[i] = table[halves[i]!]!;
  } else data.set(new Float32Array(raw));
  return { rows, cols, data };
}

// Words of the masked text; a placeholder (<id>, <date>, <value>...) reads as the plain word of
// its kind at half weight: the kind of value is part of the request ("on <date>"), not its spelling.
const WORD = /<[a-z]+>|[\p{L}\p{N}]+(?:['’][\p{L}]+)?/gu;
const PLACEHOLDER_WEIGHT = 0.5;
const WORD_CACHE = 100_000;

/**
 * Mean-pooled static token embeddings, as WordLlama's own inference computes them (tokens
 * without special tokens, rows averaged, L2-normalised), on the entity-masked text like every
 * embedder here. Words are tokenised one by one (the tokenizer prepends "▁" to each, as it does
 * to every word of a sentence), so a word's token ids are computed once and cached.
 */
export class StaticModelEmbedder implements Embedder {
  readonly id: string;
  readonly dim: number;
  private readonly words = new Map<string, Int32Array>();

  private constructor(
    private readonly tokenizer: Tokenizer,
    private readonly table: Float32Array,
    private readonly vocab: number,
    dim: number,
    name: string,
    /** Digest of the weights and tokenizer: stored vectors of other files are not reused. */
    readonly version: string,
  ) {
    this.dim = dim;
    this.id = `static:${name}:${dim}`;
  }

  /** Loads the model from its directory (weights.safetensors + tokenizer.json). Throws when a file is missing or malformed. */
  static load(dir: string, name: string = LOCAL_MODEL.name): StaticModelEmbedder {
    const weights = readFileSync(join(dir, LOCAL_MODEL.weights));
    const tokenizerText = readFileSync(join(dir, LOCAL_MODEL.tokenizer), 'utf8');
    const { rows, cols, data } = readSafetensorsMatrix(weights);
    const tokenizer = new Tokenizer(JSON.parse(tokenizerText) as object, {});
    const version = createHash('sha256').update(weights).update(tokenizerText).digest('hex').slice(0, 12);
    return new StaticModelEmbedder(tokenizer, data, rows, cols, name, version);
  }

  async embed(texts: string[]): Promise<Float32Array[]> {
    return texts.map((t) => this.embedOne(t));
  }

  /** The token ids of one word (cached). */
  tokenIds(word: string): Int32Array {
    let ids = this.words.get(word);
    if (!ids) {
      ids = Int32Array.from(this.tokenizer.encode(word, { add_special_tokens: false }).ids as number[], (id: number) => (id < 0 ? 0 : id >= this.vocab ? this.vocab - 1 : id));
      if (this.words.size >= WORD_CACHE) this.words.clear();
      this.words.set(word, ids);
    }
    return ids;
  }

  /** The vector of one text, synchronously. */
  embedOne(text: string): Float32Array {
    const vector = new Float32Array(this.dim);
    const dim = this.dim;
    for (const match of maskEntities(text).matchAll(WORD)) {
      const word = match[0];
      const placeholder = word.startsWith('<');
      const weight = placeholder ? PLACEHOLDER_WEIGHT : 1;
      for (const id of this.tokenIds(placeholder ? word.slice(1, -1) : word)) {
        const base = id * dim;
        for (let j = 0; j < dim; j++) vector[j]! += weight * this.table[base + j]!;
      }
    }
    return normalise(vector);
  }
}
