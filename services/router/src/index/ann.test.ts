import { describe, expect, it } from 'vitest';
import { normalise } from '../embedding/embedder.js';
import { VectorIndex, type SearchLimits } from './vector-index.js';

// Seeded clustered unit vectors: realistic for embeddings (requests of a kind cluster), and
// the case an HNSW graph must get right.
function random(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32) - 0.5;
}
const DIM = 64;
const rnd = random(7);
const centres = Array.from({ length: 300 }, () => Float32Array.from({ length: DIM }, rnd));
const vector = (i: number, noise = 0.6) => normalise(Float32Array.from(centres[i % centres.length]!, (c) => c + noise * rnd()));

const ANN_ONLY: SearchLimits = { bruteForceRows: 1_000, exactScanWork: Infinity, annCandidates: 64, postingBudget: 0, candidateRows: 0 };
const EXACT: SearchLimits = { bruteForceRows: Infinity, exactScanWork: Infinity, annCandidates: 0, postingBudget: 0, candidateRows: 0 };

describe('approximate candidates (HNSW)', () => {
  const index = new VectorIndex();
  for (let i = 0; i < 3_000; i++) index.upsert(`t${i}`, [{ text: `t${i}`, tokens: [], vector: vector(i) }]);

  it('recall@10 of the graph against the exact scan is at least 0.95 on 3,000 clustered vectors', { timeout: 30_000 }, () => {
    let found = 0;
    let wanted = 0;
    for (let q = 0; q < 100; q++) {
      const query = vector(q * 37, 0.7);
      const exact = new Set(index.search(query, [], 10, () => true, EXACT).map((h) => h.templateId));
      const approximate = index.search(query, [], 10, () => true, ANN_ONLY);
      found += approximate.filter((h) => exact.has(h.templateId)).length;
      wanted += exact.size;
    }
    expect(index.approximate).toBe(true);
    expect(found / wanted).toBeGreaterThanOrEqual(0.95);
  });

  it('reports exact similarities and stays in step with upserts and removals', () => {
    const query = vector(5, 0.01);
    const [top] = index.search(query, [], 1, () => true, ANN_ONLY);
    const [exact] = index.search(query, [], 1, () => true, EXACT);
    expect(top).toEqual(exact);
    index.remove(top!.templateId);
    expect(index.search(query, [], 5, () => true, ANN_ONLY).some((h) => h.templateId === top!.templateId)).toBe(false);
    index.upsert('fresh', [{ text: 'fresh', tokens: [], vector: query }]);
    expect(index.search(query, [], 1, () => true, ANN_ONLY)[0]).toMatchObject({ templateId: 'fresh' });
    expect(index.search(query, [], 1, () => true, ANN_ONLY)[0]!.similarity).toBeCloseTo(1, 5);
  });
});
