import { describe, expect, it } from 'vitest';
import { HashingEmbedder } from './embedding/hashing.js';
import type { Extraction } from './extractor.js';
import { DEFAULT_RANKING } from './index/lexical.js';
import type { Hit } from './index/vector-index.js';
import { Policies } from './policy.js';
import { isValueSpan, maskSpans, readAsBound, type OwnReadingDeps } from './own-reading.js';
import { RouterCore } from './router-core.js';
import { MemorySink, template } from './test-support/fixtures.js';

const NOW = Date.UTC(2026, 11, 1);
const slot = (name: string, examples: string[]) => ({ name, schemaJson: '{"type":"string"}', source: 'QUERY' as const, required: false, description: null, examplesJson: examples.map((e) => JSON.stringify(e)) });
const withSlots = (templateId: string, names: string[]) =>
  template({ templateId, signature: ['act'], steps: [{ index: 0, toolName: 'act', params: names.map((n) => ({ path: n, kind: 'SLOT' as const, slotName: n })) }], slots: names.map((n) => slot(n, [])) });
const extraction = (spans: [number, number][]): Extraction => ({ bindings: {}, sources: {}, missing: [], work: 0, budgetExhausted: false, spans });
const hit = (templateId: string, similarity: number, score = similarity): Hit => ({ templateId, similarity, example: templateId, score });

describe('maskSpans', () => {
  it('reads each span as <value>, overlapping spans once', () => {
    expect(maskSpans('rename the next team review meeting to risk forum', [[39, 49], [16, 27]])).toBe('rename the next <value> meeting to <value>');
    expect(maskSpans('abc def ghi', [[4, 7], [4, 11], [5, 6]])).toBe('abc <value>');
    expect(maskSpans('abc', [])).toBe('abc');
  });
});

describe('isValueSpan', () => {
  const df: Record<string, number> = { meet: 12, popular: 3, traffic: 4, sourc: 4 };
  const templatesWith = (t: string) => df[t] ?? 0;
  it('reads a span as a value when no template holds any of its words; known values and entities may sit in it', () => {
    expect(isValueSpan(['team', 'evalu'], templatesWith)).toBe(true);
    expect(isValueSpan(['<value>', 'anderson'], templatesWith)).toBe(true);
    expect(isValueSpan(['<value>'], templatesWith)).toBe(true);
  });
  it('leaves request wording, a bare number or date, and a span of no content word as they read', () => {
    expect(isValueSpan(['most', 'popular', 'traffic', 'sourc'], templatesWith)).toBe(false);
    expect(isValueSpan(['project', 'meet'], templatesWith)).toBe(false);
    expect(isValueSpan(['<num>'], templatesWith)).toBe(false);
    expect(isValueSpan(['<date>', '<num>'], templatesWith)).toBe(false);
    expect(isValueSpan([], templatesWith)).toBe(false);
  });
});

describe('readAsBound', () => {
  const embedder = new HashingEmbedder();
  const query = 'rename the next team review meeting to risk forum';
  // the template's example, its values read as <value> (what the index holds for it)
  const own = async (text: string) => (await embedder.embed([text]))[0]!;
  const deps = async (spans: Record<string, [number, number][]>, isValueSpan = (_: string) => true): Promise<OwnReadingDeps & { embedded: string[] }> => {
    const example = await own('rename the next <value> meeting to <value>');
    const embedded: string[] = [];
    return {
      embedded,
      templates: new Map(Object.keys(spans).map((id) => [id, withSlots(id, ['event', 'title'])] as const)),
      extractions: new Map(),
      extract: (t) => extraction(spans[t.templateId] ?? []),
      isValueSpan,
      searchText: (text) => text,
      embed: async (texts) => (embedded.push(...texts), embedder.embed(texts)),
      similarityTo: (_id, v) => v.reduce((sum, x, i) => sum + x * example[i]!, 0),
    };
  };
  const options = { candidates: 3, reach: 0.15, lexicalWeight: 0.5 };

  it('raises a candidate to its cosine with the query read its way, the score by (1 - w) times the raise', async () => {
    const d = await deps({ a: [[16, 27], [39, 49]] });
    const [h] = await readAsBound([hit('a', 0.4, 0.45)], query, d, options);
    expect(d.embedded).toEqual(['rename the next <value> meeting to <value>']);
    expect(h!.similarity).toBeCloseTo(1, 5);
    expect(h!.score).toBeCloseTo(0.45 + 0.5 * (1 - 0.4), 5);
  });

  it('never lowers a candidate, and re-sorts by score', async () => {
    const d = await deps({ a: [[0, 6]], b: [[16, 27], [39, 49]] });
    const hits = await readAsBound([hit('a', 0.7), hit('b', 0.6)], query, d, options);
    expect(hits.map((h) => h.templateId)).toEqual(['b', 'a']);
    expect(hits[1]!.similarity).toBe(0.7);
  });

  it('reads no span holding a word some template asks by, and no candidate without query spans', async () => {
    const d = await deps({ a: [[16, 27], [39, 49]], b: [] }, (text) => !text.includes('review'));
    const hits = await readAsBound([hit('a', 0.5), hit('b', 0.49)], query, d, options);
    expect(d.embedded).toEqual(['rename the next team review meeting to <value>']);
    expect(hits.find((h) => h.templateId === 'b')!.similarity).toBe(0.49);
  });

  it('reads at most `candidates` hits, those within reach of the best score, and nothing when off', async () => {
    const spans: [number, number][] = [[16, 27]];
    const d = await deps({ a: spans, b: spans, c: spans, far: spans });
    await readAsBound([hit('a', 0.6), hit('b', 0.58), hit('far', 0.3), hit('c', 0.57)], query, d, { ...options, candidates: 2 });
    expect([...d.extractions.keys()]).toEqual(['a', 'b']);
    const off = await deps({ a: spans });
    const input = [hit('a', 0.6)];
    expect(await readAsBound(input, query, off, { ...options, candidates: 0 })).toBe(input);
    expect(off.embedded).toEqual([]);
  });

  it('keeps the unbound note consistent: its cosine is the raised one', async () => {
    const d = await deps({ a: [[16, 27]] });
    const [h] = await readAsBound([{ ...hit('a', 0.3), unbound: { cosine: 0.4, slots: ['title'], of: 2 } }], query, d, options);
    expect(h!.unbound!.cosine).toBeGreaterThan(0.4);
    expect(h!.similarity).toBeCloseTo(0.3 + (h!.unbound!.cosine - 0.4), 10);
  });
});

describe('the own reading in a lookup', () => {
  // a rename template learned from two runs: its examples' values are known, the query's are not
  const rename = template({
    templateId: 'tpl-rename',
    name: 'rename meeting',
    signature: ['find_event', 'update_event'],
    steps: [
      { index: 0, toolName: 'find_event', params: [{ path: 'name', kind: 'SLOT', slotName: 'event' }] },
      { index: 1, toolName: 'update_event', params: [{ path: 'name', kind: 'SLOT', slotName: 'title' }] },
    ],
    slots: [slot('event', ['budget planning', 'quarterly sync']), slot('title', ['risk forum', 'tech talk'])],
    triggerExamples: ['Rename the next budget planning meeting to risk forum', 'Rename the next quarterly sync meeting to tech talk'],
  });
  const other = template({ templateId: 'tpl-weather', name: 'weather', signature: ['forecast'], steps: [{ index: 0, toolName: 'forecast', params: [] }], slots: [], triggerExamples: ['what will the weather be tomorrow'] });

  async function lookupWith(ownReadingCandidates: number, query: string) {
    const c = new RouterCore({ embedder: new HashingEmbedder(), policies: new Policies({ '*': { leadBelowRewrite: 0 } }), sink: new MemorySink(), clock: () => NOW, ranking: { ...DEFAULT_RANKING, ownReadingCandidates } });
    await c.applyRecords([rename, other].map((t, i) => ({ key: t.templateId, value: t, partition: 0, offset: String(i) })));
    return c.lookup('acme', { query, agentId: 'support-bot' });
  }

  // (the clear-lead rule off, so that the band alone decides)
  it('answers a paraphrase whose values no template knows, which the plain cosine sends to plan', async () => {
    const query = 'Rename the next team evaluation meeting to customer insight forum';
    const plain = await lookupWith(0, query);
    const read = await lookupWith(3, query);
    expect(plain.tier).toBe('plan');
    expect(read.tier).not.toBe('plan');
    expect(read.templateId).toBe('tpl-rename');
    expect(read.similarity).toBeGreaterThan(plain.similarity + 0.2);
    expect(read.workflow?.bindings).toEqual({ event: 'team evaluation', title: 'customer insight forum' });
  });

  it('leaves an unrelated query planned', async () => {
    const r = await lookupWith(3, 'what is the capital of peru');
    expect(r.tier).toBe('plan');
  });
});
