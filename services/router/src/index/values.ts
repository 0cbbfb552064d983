// Slot values in the text to search by: "book a first flight from HND to NBO" and "book a
// business flight from LIS to BER" are the same request with other values. The router
// masks the tenant's known slot values (enum values and examples of its templates' slots)
// before embedding, in trigger examples and queries alike, as it masks ids and dates.
import type { Template } from '@praxis/schemas';

const MAX_WORDS = 3;
const WORD = /[A-Za-z0-9][A-Za-z0-9'-]*/g;
export const VALUE_PLACEHOLDER = '<value>';

const normal = (s: string) => s.toLowerCase().replace(/\s+/g, ' ').trim();

// Words only: ids, numbers, emails and dates are masked by their kind already (text.ts), and
// masking "A-1001" as a value would part it from "A-2002", which reads as an id.
const WORDLIKE = /^[\p{L}][\p{L}' -]*$/u;

/** The phrases a template's slots take: string enum values and string examples of one to three words, letters only. */
export function slotValues(t: Template): string[] {
  const out = new Set<string>();
  const keep = (v: unknown) => {
    if (typeof v !== 'string') return;
    const phrase = normal(v);
    if (phrase.length >= 2 && WORDLIKE.test(phrase) && phrase.split(' ').length <= MAX_WORDS) out.add(phrase);
  };
  for (const slot of t.slots) {
    try {
      const schema = JSON.parse(slot.schemaJson) as { enum?: unknown[] };
      schema.enum?.forEach(keep);
    } catch {
      // a slot schema that does not parse carries no values
    }
    for (const example of slot.examplesJson) {
      try {
        keep(JSON.parse(example));
      } catch {
        // idem
      }
    }
  }
  return [...out];
}

/** Replaces every phrase the predicate knows (longest first, whole words only) by <value>. */
export function maskValues(text: string, known: (phrase: string) => boolean): string {
  const words = [...text.matchAll(WORD)].map((m) => ({ start: m.index!, end: m.index! + m[0].length, word: m[0].toLowerCase() }));
  const spans: [number, number][] = [];
  for (let i = 0; i < words.length; ) {
    let matched = 0;
    for (let n = Math.min(MAX_WORDS, words.length - i); n >= 1 && !matched; n--) {
      if (known(words.slice(i, i + n).map((w) => w.word).join(' '))) matched = n;
    }
    if (matched) {
      spans.push([words[i]!.start, words[i + matched - 1]!.end]);
      i += matched;
    } else i++;
  }
  let out = text;
  for (const [start, end] of spans.reverse()) out = `${out.slice(0, start)}${VALUE_PLACEHOLDER}${out.slice(end)}`;
  return out;
}

/** The slot values of a tenant's templates, counted so that removing a template removes only its own. */
export class ValueVocabulary {
  private readonly counts = new Map<string, number>();

  add(values: readonly string[], delta: 1 | -1): void {
    for (const v of values) {
      const n = (this.counts.get(v) ?? 0) + delta;
      if (n > 0) this.counts.set(v, n);
      else this.counts.delete(v);
    }
  }

  has = (phrase: string): boolean => this.counts.has(phrase);

  get size(): number {
    return this.counts.size;
  }
}
