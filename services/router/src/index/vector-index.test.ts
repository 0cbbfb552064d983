import { describe, expect, it } from 'vitest';
import { HashingEmbedder } from '../embedding/hashing.js';
import { contentTokens, maskEntities } from '../text.js';
import { VectorIndex } from './vector-index.js';

const embedder = new HashingEmbedder(256);
const example = (text: string) => ({ text, tokens: contentTokens(maskEntities(text)), vector: embedder.embedOne(text) });
const VERBS = ['export', 'archive', 'approve', 'email', 'print', 'share', 'rename', 'audit', 'merge', 'tag'];
const NOUNS = ['invoice', 'report', 'contract', 'ticket', 'photo', 'playlist', 'budget', 'roster', 'manifest', 'ledger'];
const PLACES = ['berlin', 'lagos', 'lima', 'osaka', 'quebec', 'perth', 'tunis', 'oslo', 'delhi', 'austin'];
const TEAMS = ['red', 'blue', 'green', 'amber', 'violet', 'silver', 'golden', 'coral', 'ivory', 'teal'];
const text = (i: number) => `${VERBS[i % 10]} the ${NOUNS[Math.floor(i / 10) % 10]} for ${PLACES[Math.floor(i / 100) % 10]} ${TEAMS[Math.floor(i / 1000) % 10]} team`;

function build(count: number) {
  const index = new VectorIndex();
  for (let i = 0; i < count; i++) {
    index.upsert(`t${i}`, [example(text(i))]);
  }
  return index;
}

describe('vector index', () => {
  it('finds the exact template by brute force when small', () => {
    const index = build(500);
    const q = example(text(321));
    const [hit] = index.search(q.vector, q.tokens, 3, () => true);
    expect(hit).toMatchObject({ templateId: 't321', example: text(321) });
    expect(hit!.similarity).toBeCloseTo(1, 5);
  });

  it('finds it through candidate generation when large, and the two paths agree', () => {
    const index = build(5_000);
    const q = example(text(4997));
    const fast = index.search(q.vector, q.tokens, 5, () => true, { bruteForceRows: 100, exactScanWork: Infinity, annCandidates: 256, postingBudget: 20_000, candidateRows: 256 });
    const exact = index.search(q.vector, q.tokens, 5, () => true, { bruteForceRows: 1_000_000, exactScanWork: Infinity, annCandidates: 0, postingBudget: 0, candidateRows: 0 });
    expect(index.approximate).toBe(true);
    expect(fast[0]!.templateId).toBe('t4997');
    // the same scores (among equal scores, which template comes first is the graph's choice)
    expect(fast.map((h) => h.similarity.toFixed(6))).toEqual(exact.map((h) => h.similarity.toFixed(6)));
  });

  it('honours the filter and forgets removed templates', () => {
    const index = build(50);
    const q = example(text(21));
    expect(index.search(q.vector, q.tokens, 1, (id) => id !== 't21')[0]!.templateId).not.toBe('t21');
    index.remove('t21');
    expect(index.rowCount).toBe(49);
    expect(index.search(q.vector, q.tokens, 50, () => true).some((h) => h.templateId === 't21')).toBe(false);
    index.upsert('t21', [example(text(21))]);
    expect(index.search(q.vector, q.tokens, 1, () => true)[0]!.templateId).toBe('t21');
  });

  it('still finds k templates when the best rows all belong to rejected or repeated templates', () => {
    const index = build(20);
    index.upsert('noisy', Array.from({ length: 40 }, () => example(text(3))));
    const q = example(text(3));
    const hits = index.search(q.vector, q.tokens, 3, (id) => id !== 'noisy');
    expect(hits.map((h) => h.templateId)[0]).toBe('t3');
    expect(hits).toHaveLength(3);
    expect(index.search(q.vector, q.tokens, 2, () => true).map((h) => h.templateId)).toEqual(['noisy', 't3']);
  });

  it('scores dense vectors (a model) by their full dot product, across the buffer growing and ids reused', () => {
    const index = new VectorIndex();
    const dense = (seed: number) => {
      const v = Float32Array.from({ length: 64 }, (_, j) => Math.sin(seed * 7.3 + j * 1.7) + 0.05);
      const norm = Math.hypot(...v);
      return v.map((x) => x / norm);
    };
    // 1,500 rows span two blocks of vectors (1,024 rows each); removing and re-adding reuses ids
    for (let i = 0; i < 1500; i++) index.upsert(`d${i}`, [{ text: `d${i}`, tokens: [], vector: dense(i) }]);
    for (let i = 0; i < 1500; i += 3) index.remove(`d${i}`);
    for (let i = 0; i < 1500; i += 6) index.upsert(`d${i}`, [{ text: `d${i}`, tokens: [], vector: dense(i) }]);
    const q = dense(1000);
    const dot = (a: Float32Array, b: Float32Array) => a.reduce((s, x, j) => s + x * b[j]!, 0);
    const expected = Array.from({ length: 1500 }, (_, i) => i)
      .filter((i) => i % 3 !== 0 || i % 6 === 0)
      .map((i) => ({ id: `d${i}`, sim: Math.min(1, dot(q, dense(i))) }))
      .filter((x) => x.sim > 0)
      .sort((a, b) => b.sim - a.sim)
      .slice(0, 5);
    const hits = index.search(q, [], 5, () => true);
    expect(hits.map((h) => h.templateId)).toEqual(expected.map((x) => x.id));
    hits.forEach((h, i) => expect(h.similarity).toBeCloseTo(expected[i]!.sim, 10));
  });

  it('refuses a vector of another dimension with a clear error, keeping what it held', () => {
    const index = build(3);
    expect(() => index.upsert('t1', [example(text(1)), { text: 'short', tokens: [], vector: new Float32Array(8) }])).toThrow(/8 dimensions for t1, the index holds 256/);
    expect(index.rowCount).toBe(3);
    const q = example(text(1));
    expect(index.search(q.vector, q.tokens, 1, () => true)[0]!.templateId).toBe('t1');
    expect(() => index.search(new Float32Array(8), [], 1, () => true)).toThrow(/query of 8 dimensions, the index holds 256/);
  });
});
