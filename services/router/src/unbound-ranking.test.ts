import { describe, expect, it } from 'vitest';
import type { Extraction } from './extractor.js';
import type { Hit } from './index/vector-index.js';
import { penaliseUnbound } from './lookup.js';
import { template } from './test-support/fixtures.js';

const slot = (name: string, source: 'QUERY' | 'GENERATED' = 'QUERY') => ({ name, schemaJson: '{"type":"string"}', source, required: false, description: null, examplesJson: [] });
const steps = (names: string[]) => [{ index: 0, toolName: 'act', params: names.map((n) => ({ path: n, kind: 'SLOT' as const, slotName: n })) }];
const withSlots = (templateId: string, ...names: string[]) => template({ templateId, signature: ['act'], steps: steps(names), slots: names.map((n) => slot(n)) });
const hit = (templateId: string, score: number): Hit => ({ templateId, similarity: score, example: templateId, score });
const bound = (...names: string[]): Extraction => ({ bindings: Object.fromEntries(names.map((n) => [n, 'x'])), sources: {}, missing: [], work: 0, budgetExhausted: false, spans: [] });

describe('penaliseUnbound', () => {
  it('lowers the score by the penalty times the share of query slots left unbound, and never the similarity', () => {
    const templates = new Map([['a', withSlots('a', 'person')], ['b', withSlots('b', 'title', 'day')]]);
    const binds: Record<string, Extraction> = { a: bound('person'), b: bound('day') };
    const { hits, extractions } = penaliseUnbound([hit('b', 0.8), hit('a', 0.78)], templates, (t) => binds[t.templateId]!, 0.1);
    expect(hits.map((h) => [h.templateId, h.score])).toEqual([['b', 0.8 - 0.05], ['a', 0.78]]);
    expect(hits[0]!.similarity).toBe(0.8);
    expect([...extractions.keys()].sort()).toEqual(['a', 'b']);
  });

  it('extracts only the hits that could still come first, and leaves templates without query slots alone', () => {
    const templates = new Map([['top', withSlots('top', 'x')], ['far', withSlots('far', 'y')], ['none', template({ templateId: 'none', signature: ['act'], steps: steps(['reason']), slots: [slot('reason', 'GENERATED')] })]]);
    const asked: string[] = [];
    const { hits } = penaliseUnbound([hit('top', 0.9), hit('none', 0.85), hit('far', 0.7)], templates, (t) => (asked.push(t.templateId), bound()), 0.1);
    expect(asked).toEqual(['top']);
    expect(hits.map((h) => h.score)).toEqual([0.9 - 0.1, 0.85, 0.7]);
  });

  it('extracts at most `limit` hits, the best-scored first', () => {
    const templates = new Map(['a', 'b', 'c'].map((id) => [id, withSlots(id, 'x')] as const));
    const asked: string[] = [];
    const { hits } = penaliseUnbound([hit('a', 0.9), hit('b', 0.88), hit('c', 0.86)], templates, (t) => (asked.push(t.templateId), bound()), 0.1, 2);
    expect(asked).toEqual(['a', 'b']);
    expect(hits.map((h) => h.score)).toEqual([0.9 - 0.1, 0.88 - 0.1, 0.86]);
  });

  it('lowers the similarity the tiers read by the similarity penalty times the same share, keeping the cosine and the unbound slots', () => {
    const templates = new Map([['b', withSlots('b', 'title', 'day')], ['a', withSlots('a', 'person')]]);
    const binds: Record<string, Extraction> = { a: bound('person'), b: bound('day') };
    const { hits } = penaliseUnbound([hit('b', 0.8), hit('a', 0.78)], templates, (t) => binds[t.templateId]!, 0.1, 2, 0.2);
    expect(hits[0]!.similarity).toBeCloseTo(0.8 - 0.1, 10);
    expect(hits[0]!.unbound).toEqual({ cosine: 0.8, slots: ['title'], of: 2 });
    // every query slot bound: the cosine is the similarity
    expect(hits[1]!.similarity).toBe(0.78);
    expect(hits[1]!.unbound).toBeUndefined();
  });

  it('changes nothing at penalty 0', () => {
    const templates = new Map([['a', withSlots('a', 'p')]]);
    const input = [hit('a', 0.5)];
    expect(penaliseUnbound(input, templates, () => bound(), 0).hits).toBe(input);
  });
});
