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
});
