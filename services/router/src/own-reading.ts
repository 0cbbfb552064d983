// Third stage of the ranking: each close candidate's own reading of the query. A template's
// trigger examples are indexed with their values read as <value> (index/values.ts), but a query
// can only have the values masked that the tenant already knows: "rename the next team
// evaluation meeting to customer insight forum" keeps five words no template has, and they
// pull its cosine to the template that reads exactly those two values below the rewrite band.
// A candidate that binds slots from spans of the query says which words are its values; the
// query is compared with that candidate again with those spans read as <value>, as the
// candidate's own examples are (docs/router.md, "Ranking": the own reading).
//
// Only spans made of words no template's examples hold are read as values: a span that holds a
// word some template asks by ("the most popular traffic source" bound as a metric) is request
// wording, and masking it would erase the very words that tell templates apart. A span of a
// number or a date alone is left as it reads (<num>, <date>), as the examples have it.
import type { Template } from '@praxis/schemas';
import type { Extraction } from './extractor.js';
import type { Hit } from './index/vector-index.js';
import { VALUE_PLACEHOLDER } from './index/values.js';

/**
 * Whether a bound span is read as a value: it has a word of its own (a span of entity
 * placeholders only, a number, a date, an id, already reads as its kind in the template's
 * examples, which keep those placeholders), and no template's examples hold any of its words
 * (`templatesWith`: how many templates' examples hold a token). `tokens` are the span's content
 * tokens as the index reads them (values masked, `<value>` for a known one).
 */
export function isValueSpan(tokens: readonly string[], templatesWith: (token: string) => number): boolean {
  if (tokens.length === 0 || tokens.every((t) => t.startsWith('<') && t !== VALUE_PLACEHOLDER)) return false;
  return tokens.every((t) => t.startsWith('<') || templatesWith(t) === 0);
}

/** The query with the given spans ([start, end) offsets) read as <value>; overlapping spans count once. */
export function maskSpans(query: string, spans: readonly (readonly [number, number])[]): string {
  const sorted = [...spans].sort((a, b) => a[0] - b[0] || b[1] - a[1]);
  let out = '';
  let at = 0;
  for (const [start, end] of sorted) {
    if (start < at) continue;
    out += `${query.slice(at, start)}${VALUE_PLACEHOLDER}`;
    at = end;
  }
  return out + query.slice(at);
}

export interface OwnReadingDeps {
  templates: ReadonlyMap<string, Template>;
  /** The extractions the ranking made so far (filled in here for the candidates it reads). */
  extractions: Map<string, Extraction>;
  extract: (t: Template) => Extraction;
  /** Whether a span of the query is made of value words only (no template's examples hold its words). */
  isValueSpan: (text: string) => boolean;
  /** The text embedded for a query text (masking and request reduction, lookup.ts `requestText`). */
  searchText: (query: string) => string;
  embed: (texts: string[]) => Promise<Float32Array[]>;
  /** The cosine of a vector to a template's closest example (null: none). */
  similarityTo: (templateId: string, vector: Float32Array) => number | null;
}

export interface OwnReadingOptions {
  /** At most this many candidates are read (0: off)... */
  candidates: number;
  /** ...of those whose score is within this of the best. */
  reach: number;
  /** The ranking's lexical weight: a raise of the cosine raises the score by (1 - w) times it. */
  lexicalWeight: number;
}

/**
 * Raises the cosine of each read candidate to its cosine with the query read its way, when
 * that is higher (never lowers it): `similarity` (and the unbound note's cosine) by the
 * difference, `score` by (1 - lexicalWeight) times it; hits re-sorted by score. One embedding
 * per candidate read, all in one batch.
 */
export async function readAsBound(hits: Hit[], query: string, deps: OwnReadingDeps, options: OwnReadingOptions): Promise<Hit[]> {
  if (options.candidates <= 0 || hits.length === 0) return hits;
  const score = (h: Hit) => h.score ?? h.similarity;
  const best = Math.max(...hits.map(score));
  const texts = new Map<string, string>();
  for (const h of hits) {
    if (texts.size >= options.candidates) break;
    if (score(h) < best - options.reach) continue;
    const t = deps.templates.get(h.templateId);
    if (!t || !t.slots.some((s) => s.source === 'QUERY')) continue;
    let extraction = deps.extractions.get(h.templateId);
    if (!extraction) deps.extractions.set(h.templateId, (extraction = deps.extract(t)));
    const spans = extraction.spans.filter(([a, b]) => deps.isValueSpan(query.slice(a, b)));
    if (spans.length === 0) continue;
    texts.set(h.templateId, deps.searchText(maskSpans(query, spans)));
  }
  if (texts.size === 0) return hits;
  const ids = [...texts.keys()];
  const vectors = await deps.embed(ids.map((id) => texts.get(id)!));
  const read = new Map<string, number>();
  ids.forEach((id, i) => {
    const cosine = deps.similarityTo(id, vectors[i]!);
    if (cosine !== null) read.set(id, cosine);
  });
  return hits
    .map((h) => {
      const own = read.get(h.templateId);
      const cosine = h.unbound?.cosine ?? h.similarity;
      if (own === undefined || own <= cosine) return h;
      const raise = own - cosine;
      return { ...h, similarity: Math.min(1, h.similarity + raise), score: score(h) + (1 - options.lexicalWeight) * raise, ...(h.unbound ? { unbound: { ...h.unbound, cosine: own } } : {}) };
    })
    .sort((a, b) => score(b) - score(a) || b.similarity - a.similarity);
}
