import { mkdtempSync, readdirSync, rmSync, truncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { normalise } from '../embedding/embedder.js';
import { GraphStore } from './graph-store.js';
import { VectorIndex, type SearchLimits } from './vector-index.js';

function random(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32) - 0.5;
}
const DIM = 32;
const rnd = random(11);
const vectors = Array.from({ length: 1_500 }, () => normalise(Float32Array.from({ length: DIM }, rnd)));
const ANN: SearchLimits = { bruteForceRows: 500, exactScanWork: 0, annCandidates: 32, postingBudget: 0, candidateRows: 0 };
const EXACT: SearchLimits = { bruteForceRows: Infinity, exactScanWork: Infinity, annCandidates: 0, postingBudget: 0, candidateRows: 0 };
const dir = mkdtempSync(join(tmpdir(), 'praxis-graphs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const load = (index: VectorIndex, from = 0, to = vectors.length) => {
  for (let i = from; i < to; i++) index.upsert(`t${i}`, [{ text: `t${i}`, tokens: [], vector: vectors[i]! }]);
};

describe('graph snapshots (a restart loads the graph instead of building it)', () => {
  const store = new GraphStore(dir, 'topic\u0000space');

  it('a second index loads the saved graph, inserts nothing for the rows it already holds, and answers the same', () => {
    const first = new VectorIndex(store.forTenant('acme'));
    load(first);
    first.prepare(ANN);
    expect(first.graphStats).toMatchObject({ source: 'built', rows: vectors.length, inserted: vectors.length });
    expect(first.persist()).toBe(true);
    expect(first.persist()).toBe(false); // unchanged since saved

    const second = new VectorIndex(store.forTenant('acme'));
    load(second);
    second.prepare(ANN);
    expect(second.graphStats).toMatchObject({ source: 'loaded', rows: vectors.length, inserted: 0, unconfirmed: 0 });
    for (const q of [3, 77, 901]) expect(second.search(vectors[q]!, [], 5, () => true, ANN)).toEqual(first.search(vectors[q]!, [], 5, () => true, ANN));
  });

  it('keys the topic no longer has are dropped once caught up; changed rows are inserted; removed templates are never answered', () => {
    const index = new VectorIndex(store.forTenant('acme'));
    load(index, 0, 1_000); // templates 1000.. were deleted while the router was down
    index.upsert('t5', [{ text: 't5', tokens: [], vector: vectors[1_400]! }]); // t5 changed
    index.prepare(ANN);
    expect(index.graphStats).toMatchObject({ source: 'loaded', inserted: 1, unconfirmed: 501 }); // 500 deleted, and t5's old vector
    // unclaimed keys are never answered, even before they are dropped
    expect(index.search(vectors[1_200]!, [], 3, () => true, ANN).map((h) => h.templateId)).not.toContain('t1200');
    index.settle();
    expect(index.graphStats).toMatchObject({ rows: 1_000, unconfirmed: 0 });
    expect(index.search(vectors[1_400]!, [], 1, () => true, ANN)[0]).toMatchObject({ templateId: 't5' });
    index.remove('t7');
    expect(index.search(vectors[7]!, [], 5, () => true, ANN).map((h) => h.templateId)).not.toContain('t7');
    // the graph is approximate (and built on both cores, so not the same graph each run): its
    // nearest hit is the query's own row, and every hit is a live template, scored exactly
    for (const q of [0, 42, 999]) {
      const approx = index.search(vectors[q]!, [], 3, () => true, ANN);
      const exact = new Map(index.search(vectors[q]!, [], 1_000, () => true, EXACT).map((h) => [h.templateId, h.similarity]));
      expect(approx[0]).toEqual(index.search(vectors[q]!, [], 1, () => true, EXACT)[0]);
      for (const hit of approx) expect(hit.similarity).toBe(exact.get(hit.templateId));
    }
  });

  it('a snapshot of another vector space, dimension or a torn write is ignored (and said), and the graph is built', () => {
    const problems: string[] = [];
    const other = new VectorIndex(new GraphStore(dir, 'topic\u0000other-space', undefined, (m) => problems.push(m)).forTenant('acme'));
    load(other, 0, 600);
    other.prepare(ANN);
    expect(other.graphStats.source).toBe('built'); // no file under that scope: nothing to say
    expect(problems).toEqual([]);

    const base = readdirSync(dir).find((f) => f.endsWith('.keys'))!;
    truncateSync(join(dir, base), 8);
    const torn = new VectorIndex(new GraphStore(dir, 'topic\u0000space', undefined, (m) => problems.push(m)).forTenant('acme'));
    load(torn, 0, 600);
    torn.prepare(ANN);
    expect(torn.graphStats.source).toBe('built');
    expect(problems.join()).toMatch(/keys file holds 1 keys/);
  });
});
