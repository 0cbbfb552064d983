import { allTokens, isStopword, maskEntities, NEGATIONS } from '../text.js';
import { normalise, type Embedder } from './embedder.js';

// Feature weights of the local embedder (docs/router.md, "Embeddings"). Content words carry
// the meaning; stop words and placeholders a little; bigrams keep some word order; character
// trigrams make near spellings ("adress", "address") meet.
const WEIGHT = { content: 1, negation: 1, placeholder: 0.5, stopword: 0.1, bigram: 0.6, trigrams: 0.5 } as const;

/** 32-bit FNV-1a with a final avalanche, so nearby strings land far apart. */
function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * A deterministic, local embedder: signed feature hashing of word unigrams, word bigrams
 * and character trigrams of the entity-masked text into `dim` dimensions, L2-normalised.
 * No model, no network, microseconds per text. It knows spelling, not synonyms: "refund"
 * and "money back" are unrelated to it (configure an embeddings endpoint for that).
 */
export class HashingEmbedder implements Embedder {
  readonly id: string;

  constructor(readonly dim = 256) {
    if (!Number.isInteger(Math.log2(dim))) throw new Error(`dimension must be a power of two (got ${dim})`);
    this.id = `hashing-v1-${dim}`;
  }

  async embed(texts: string[]): Promise<Float32Array[]> {
    return texts.map((t) => this.embedOne(t));
  }

  /** The vector of one text, synchronously. */
  embedOne(text: string): Float32Array {
    const vector = new Float32Array(this.dim);
    const add = (feature: string, weight: number) => {
      const h = hash32(feature);
      vector[h & (this.dim - 1)]! += h & 0x80000000 ? -weight : weight;
    };
    const tokens = allTokens(maskEntities(text));
    let previous: string | undefined;
    for (const token of tokens) {
      const stop = isStopword(token);
      const weight = token.startsWith('<') ? WEIGHT.placeholder : NEGATIONS.has(token) ? WEIGHT.negation : stop ? WEIGHT.stopword : WEIGHT.content;
      add(`w:${token}`, weight);
      if (stop) continue;
      // bigrams skip stop words: "cancel my order" and "cancel order" share "cancel order"
      if (previous !== undefined) add(`b:${previous} ${token}`, WEIGHT.bigram);
      previous = token;
      if (weight === WEIGHT.content && token.length > 3) {
        const padded = `^${token}$`;
        const count = padded.length - 2;
        const w = WEIGHT.trigrams / Math.sqrt(count);
        for (let j = 0; j < count; j++) add(`c:${padded.slice(j, j + 3)}`, w);
      }
    }
    return normalise(vector);
  }
}
