// What a query asks, not who asks it. Agents prepend the same persona, instructions and
// pleasantries to every request ("You are the assistant of ... in 78712; answer briefly."),
// and those words outweigh the action in any embedding: two different actions of one user look
// alike, a paraphrase of the same action looks different. No word list can know a tenant's
// boilerplate, but the tenant's own templates show it: a run of words that occurs in the trigger
// examples of a large share of *different* templates tells them apart from nothing, so it is
// masked before embedding, in trigger examples and queries alike (docs/router.md, "Request
// reduction"). Values are masked before this (entities by kind, slot values as <value>).
import { maskEntities } from '../text.js';

/** Words per shingle: long enough that a shared run is boilerplate, not a shared action ("cancel my order"). */
export const SHINGLE_WORDS = 4;

export interface BoilerplateOptions {
  /** A shingle in at least this share of the tenant's templates is boilerplate... */
  fraction: number;
  /** ...and in at least this many of them. */
  minTemplates: number;
  /** Once boilerplate, it stays so until its share falls below fraction x this (hysteresis: no flapping, fewer re-embeddings). */
  leaveRatio: number;
  /**
   * The set is re-decided when the template count moved by this share since the last decision
   * (always below 64 templates). In between, every text is reduced with the same set, so vectors
   * stay comparable; a tenant loading 100k templates re-decides about 120 times, not per batch.
   */
  refreshGrowth: number;
}

export const DEFAULT_BOILERPLATE: BoilerplateOptions = { fraction: 0.25, minTemplates: 5, leaveRatio: 1, refreshGrowth: 0.1 };

const WORD = /<[a-z]+>|[\p{L}\p{N}]+(?:['’][\p{L}]+)?/gu;

/** The words a request is compared by: entity-masked, lower-cased, placeholders kept. */
export function requestWords(text: string): string[] {
  return maskEntities(text).match(WORD) ?? [];
}

/** 32-bit FNV-1a of a shingle (collisions only merge two shingles' counts). */
function hash(words: string[], start: number): number {
  let h = 0x811c9dc5;
  for (let w = start; w < start + SHINGLE_WORDS; w++) {
    const word = words[w]!;
    for (let i = 0; i < word.length; i++) h = Math.imul(h ^ word.charCodeAt(i), 0x01000193);
    h = Math.imul(h ^ 32, 0x01000193);
  }
  return h >>> 0;
}

function shingles(words: string[]): number[] {
  const out: number[] = [];
  for (let i = 0; i + SHINGLE_WORDS <= words.length; i++) out.push(hash(words, i));
  return out;
}

/**
 * One tenant's boilerplate, learned from its templates' search texts: how many templates
 * contain each word 4-gram, and which 4-grams are boilerplate. `refresh()` applies the counts
 * and returns the templates whose reduced texts changed (their vectors must be recomputed).
 */
export class BoilerplateModel {
  private readonly counts = new Map<number, number>();
  private readonly byTemplate = new Map<string, Uint32Array>();
  private readonly boilerplate = new Set<number>();
  private readonly touched = new Set<number>();
  private lastThreshold = 0;
  private lastCount = 0;

  constructor(private readonly options: BoilerplateOptions = DEFAULT_BOILERPLATE) {}

  get size(): number {
    return this.boilerplate.size;
  }

  /** Sets (or replaces) the search texts of a template. */
  add(templateId: string, texts: string[]): void {
    this.remove(templateId);
    const own = Uint32Array.from(new Set(texts.flatMap((t) => shingles(requestWords(t)))));
    this.byTemplate.set(templateId, own);
    for (const h of own) {
      this.counts.set(h, (this.counts.get(h) ?? 0) + 1);
      this.touched.add(h);
    }
  }

  /** Forgets a template (no-op when absent). */
  remove(templateId: string): void {
    const own = this.byTemplate.get(templateId);
    if (!own) return;
    this.byTemplate.delete(templateId);
    for (const h of own) {
      const c = (this.counts.get(h) ?? 1) - 1;
      if (c <= 0) this.counts.delete(h);
      else this.counts.set(h, c);
      this.touched.add(h);
    }
  }

  /**
   * Re-decides the shingles whose count or threshold moved since the last call; returns the
   * ids of the templates containing one that became or stopped being boilerplate.
   */
  refresh(): string[] {
    const count = this.byTemplate.size;
    if (count >= 64 && Math.abs(count - this.lastCount) < this.options.refreshGrowth * this.lastCount) return [];
    this.lastCount = count;
    const threshold = Math.max(this.options.minTemplates, Math.ceil(this.options.fraction * count));
    const leave = Math.max(2, Math.floor(threshold * this.options.leaveRatio));
    const candidates = new Set(this.touched);
    // a higher threshold can only drop members; a lower one can admit any shingle
    if (threshold !== this.lastThreshold) for (const h of threshold > this.lastThreshold ? this.boilerplate : this.counts.keys()) candidates.add(h);
    this.touched.clear();
    this.lastThreshold = threshold;
    const flipped = new Set<number>();
    for (const h of candidates) {
      const c = this.counts.get(h) ?? 0;
      const member = this.boilerplate.has(h);
      if (!member && c >= threshold) {
        this.boilerplate.add(h);
        flipped.add(h);
      } else if (member && c < leave) {
        this.boilerplate.delete(h);
        flipped.add(h);
      }
    }
    if (flipped.size === 0) return [];
    const affected: string[] = [];
    for (const [id, own] of this.byTemplate) if (own.some((h) => flipped.has(h))) affected.push(id);
    return affected;
  }

  /** The request: the words of the text that no boilerplate shingle covers (all of them when nothing would be left). */
  reduce(text: string): string {
    const words = requestWords(text);
    if (this.boilerplate.size === 0 || words.length < SHINGLE_WORDS) return words.join(' ');
    const drop = new Uint8Array(words.length);
    let dropped = 0;
    for (let i = 0; i + SHINGLE_WORDS <= words.length; i++) {
      if (!this.boilerplate.has(hash(words, i))) continue;
      for (let j = i; j < i + SHINGLE_WORDS; j++) if (!drop[j]) (drop[j] = 1), dropped++;
    }
    if (dropped === words.length) return words.join(' ');
    return words.filter((_, i) => !drop[i]).join(' ');
  }
}
