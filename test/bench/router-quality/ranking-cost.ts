// pnpm bench router-ranking: what the ranking's lexical side (services/router/src/index/lexical.ts)
// costs a lookup at 1k / 10k / 100k templates. One catalog of synthetic templates (2 trigger
// examples each, hashing embedder), two router cores reading it: the default ranking and the
// cosine alone (the baseline). Lookups alternate between the two, in process, the query's
// embedding included, so both see the same machine load.
import { Catalog, DEFAULT_RANKING, HashingEmbedder, Policies, RouterCore, type RouterSink } from '@praxis/router';
import { percentile, type BenchContext, type BenchSuite, type Measurement } from '../harness.js';
import { queries, syntheticTemplates } from '../suites/router.js';

const sink: RouterSink = { writeTemplates: async () => {}, writeFeedback: async () => {} };
const k = (n: number) => `${n / 1000}k`;

/** p50 / p99 lookup microseconds with and without the lexical side, per size. */
export async function rankingCost(ctx: BenchContext, sizes: number[], lookups: number): Promise<Measurement[]> {
  const out: Measurement[] = [];
  for (const size of sizes) {
    const embedder = new HashingEmbedder(256);
    const policies = new Policies({ '*': { rateLimitPerSecond: 1e9, rateLimitBurst: 1e9 } });
    const catalog = new Catalog();
    const ranked = new RouterCore({ embedder, policies, sink, catalog, lookupBatch: 1e9, maxPendingLookupRecords: 0 });
    const cosine = new RouterCore({ embedder, policies, sink, catalog, ranking: { ...DEFAULT_RANKING, lexicalWeight: 0 }, lookupBatch: 1e9, maxPendingLookupRecords: 0 });
    const templates = syntheticTemplates(size);
    const t0 = performance.now();
    for (let i = 0; i < templates.length; i += 5_000) {
      await ranked.applyRecords(templates.slice(i, i + 5_000).map((t, j) => ({ key: t.templateId, value: t, partition: 0, offset: String(i + j) })));
    }
    ctx.log(`router-ranking ${k(size)}: loaded in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    const qs = queries(lookups, size);
    const times = { ranked: [] as number[], cosine: [] as number[] };
    // warm-up, then alternate which core goes first
    for (const q of qs.slice(0, 50)) {
      await ranked.lookup('bench', { query: q, agentId: 'bench-agent' });
      await cosine.lookup('bench', { query: q, agentId: 'bench-agent' });
    }
    for (const [j, q] of qs.entries()) {
      const order = j % 2 === 0 ? (['ranked', 'cosine'] as const) : (['cosine', 'ranked'] as const);
      for (const which of order) {
        const s = performance.now();
        await (which === 'ranked' ? ranked : cosine).lookup('bench', { query: q, agentId: 'bench-agent' });
        times[which].push((performance.now() - s) * 1000);
      }
    }
    ctx.log(`router-ranking ${k(size)}: ranked p50 ${percentile(times.ranked, 50).toFixed(0)} us p99 ${percentile(times.ranked, 99).toFixed(0)} us; cosine p50 ${percentile(times.cosine, 50).toFixed(0)} us p99 ${percentile(times.cosine, 99).toFixed(0)} us`);
    for (const [which, samples] of Object.entries(times)) {
      for (const p of [50, 99]) {
        out.push({
          name: `router.ranking_lookup_p${p}_${k(size)}_${which}`,
          label: `in-process lookup p${p}, ${k(size)} templates, ${which === 'ranked' ? 'ranked (cosine + lexical coverage)' : 'cosine alone'}`,
          unit: 'us',
          higherIsBetter: false,
          samples: [percentile(samples, p)],
          ...(which === 'ranked' ? { baseline: `router.ranking_lookup_p${p}_${k(size)}_cosine` } : {}),
        });
      }
    }
  }
  return out;
}

export const routerRankingSuite: BenchSuite = {
  id: 'router-ranking',
  title: 'Router ranking: lookup cost of the lexical side against the cosine alone (hashing, in process)',
  run: (ctx) => rankingCost(ctx, ctx.quick ? [1_000, 10_000] : [1_000, 10_000, 100_000], ctx.quick ? 500 : 2_000),
};
