// Diagnosis (not the benchmark): how often the candidate stage of a large tenant finds the exact
// scan's best similarity, by the band of that best, for several candidate limits.
// npx tsx test/bench/semantic/recall-probe.ts [templates] [hashing|fused] [--misses]
// (the graph's parameters are DEFAULT_ANN in services/router/src/index/ann.ts)
import { calibrationFor, FusedEmbedder, HashingEmbedder, localModelDir, Policies, requestText, RouterConfigSchema, RouterCore, StaticModelEmbedder, type RouterSink } from '@praxis/router';
import { DEFAULT_SEARCH_LIMITS } from '../../../services/router/src/index/vector-index.js';
import { queries, syntheticTemplates } from '../suites/router.js';

const size = Number(process.argv[2] ?? 100_000);
const which = process.argv[3] ?? 'hashing';
// fused as the router builds it by default (the config's model weight and cache directory)
const weight = RouterConfigSchema.shape.EMBEDDINGS_MODEL_WEIGHT.parse(undefined);
const embedder = which === 'hashing' ? new HashingEmbedder() : new FusedEmbedder([{ embedder: StaticModelEmbedder.load(localModelDir(RouterConfigSchema.shape.PRAXIS_CACHE_DIR.parse(undefined))), weight }, { embedder: new HashingEmbedder(256), weight: 1 - weight }]);
const discard: RouterSink = { writeTemplates: async () => {}, writeFeedback: async () => {} };
const core = new RouterCore({ embedder, policies: new Policies({}, calibrationFor(embedder.id)), sink: discard });
const templates = syntheticTemplates(size);
const t0 = performance.now();
for (let i = 0; i < templates.length; i += 2_000) await core.applyRecords(templates.slice(i, i + 2_000).map((t, j) => ({ key: t.templateId, value: t, partition: 0, offset: String(i + j) })));
console.log(`loaded ${size} in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
const tenant = core.catalog.tenant('bench');
const EXACT = { bruteForceRows: Infinity, exactScanWork: Infinity, annCandidates: 0, postingBudget: 0, candidateRows: 0 };
const texts = queries(400, size);
const prepared = [];
for (const q of texts) {
  const { text, tokens } = requestText(tenant, q);
  const [v] = await embedder.embed([text]);
  const exact = tenant.index.search(v!, tokens, 1, () => true, EXACT)[0]?.similarity ?? 0;
  prepared.push({ v: v!, tokens, exact });
}
// the graph is built as the records are applied (VectorIndex.prepare), so this is the loaded router's memory
console.log(`rss ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MB`);
const bands = [[0, 0.57], [0.57, 0.85], [0.85, 1.01]] as const;
for (const ann of [64, 128, 256]) {
  const limits = { ...DEFAULT_SEARCH_LIMITS, annCandidates: ann };
  tenant.index.search(prepared[0]!.v, prepared[0]!.tokens, 1, () => true, limits);
  const found: [number, number][] = bands.map(() => [0, 0]);
  const times: number[] = [];
  for (const p of prepared) {
    const s = performance.now();
    const got = tenant.index.search(p.v, p.tokens, 1, () => true, limits)[0]?.similarity ?? 0;
    times.push(performance.now() - s);
    const b = bands.findIndex(([lo, hi]) => p.exact >= lo && p.exact < hi);
    found[b]![1]++;
    if (got.toFixed(5) === p.exact.toFixed(5)) found[b]![0]++;
  }
  times.sort((a, b) => a - b);
  console.log(`${ann} graph candidates: ${bands.map(([lo], i) => `best>=${lo}: ${found[i]![0]}/${found[i]![1]}`).join('  ')}  search p50 ${times[times.length >> 1]!.toFixed(2)} ms p99 ${times[Math.floor(times.length * 0.99)]!.toFixed(2)} ms`);
}
if (process.argv.includes('--misses')) {
  for (const [i, p] of prepared.entries()) {
    const e = tenant.index.search(p.v, p.tokens, 3, () => true, EXACT);
    const g = tenant.index.search(p.v, p.tokens, 3, () => true, DEFAULT_SEARCH_LIMITS);
    if (p.exact >= 0.85 && (g[0]?.similarity ?? 0).toFixed(5) !== p.exact.toFixed(5)) console.log(texts[i], '\n exact', e.map((h) => `${h.templateId} ${h.similarity.toFixed(3)} ${h.example}`), '\n got', g.map((h) => `${h.templateId} ${h.similarity.toFixed(3)} ${h.example}`));
  }
}
