// pnpm bench router-lookup-cpu: what one in-process lookup costs at 1k / 10k / 100k templates,
// CPU time apart from wall time. The machine is shared: wall time includes waiting for a core,
// CPU time (the process's user + system time across the lookup, process.cpuUsage) does not.
// One catalog of synthetic templates (2 trigger examples each) per embedder, a router core
// reading it, the query's embedding included; repeated, each figure the median of the repeats
// with the repeats' spread (min-max) logged. Also a digest of every answer (tier, template,
// similarity) so that a pure speed-up can be checked to answer the same.
import { createHash } from 'node:crypto';
import { Catalog, HashingEmbedder, hashApiKey, localEmbedderFor, Policies, RouterConfigSchema, RouterCore, type Embedder, type RouterSink } from '@praxis/router';
import { parseConfig } from '@praxis/kafka';
import { percentile, type BenchContext, type BenchSuite, type Measurement } from '../harness.js';
import { queries, syntheticTemplates } from '../suites/router.js';

const sink: RouterSink = { writeTemplates: async () => {}, writeFeedback: async () => {} };
const k = (n: number) => `${n / 1000}k`;
const median = (xs: number[]) => percentile(xs, 50);

function embedderOf(which: 'hashing' | 'fused'): Embedder {
  if (which === 'hashing') return new HashingEmbedder(256);
  return localEmbedderFor(parseConfig(RouterConfigSchema, { EMBEDDINGS_LOCAL: 'fused', ROUTER_API_KEYS: `bench:${hashApiKey('bench-key')}`, LOG_LEVEL: 'warn' }));
}

/** Per size and embedder: wall and CPU p50/p99 of single lookups (median over repeats), and the answers' digest. */
export async function lookupCpu(ctx: BenchContext, sizes: number[], embedders: ('hashing' | 'fused')[], lookups: number, repeats: number): Promise<Measurement[]> {
  const out: Measurement[] = [];
  for (const which of embedders) {
    const embedder = embedderOf(which);
    const core = new RouterCore({ embedder, policies: new Policies({ '*': { rateLimitPerSecond: 1e9, rateLimitBurst: 1e9 } }), sink, catalog: new Catalog(), lookupBatch: 1e9, maxPendingLookupRecords: 0 });
    let loaded = 0;
    for (const size of sizes) {
      const templates = syntheticTemplates(size).slice(loaded);
      const t0 = performance.now();
      for (let i = 0; i < templates.length; i += 5_000) {
        await core.applyRecords(templates.slice(i, i + 5_000).map((t, j) => ({ key: t.templateId, value: t, partition: 0, offset: String(loaded + i + j) })));
      }
      ctx.log(`lookup-cpu ${which} ${k(size)}: loaded ${templates.length} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
      loaded = size;
      const qs = queries(lookups, size);
      for (const q of qs.slice(0, 50)) await core.lookup('bench', { query: q, agentId: 'bench-agent' });
      const figures: Record<string, number[]> = { wall_p50: [], wall_p99: [], cpu_p50: [], cpu_p99: [], cpu_mean: [] };
      let digest = '';
      for (let r = 0; r < repeats; r++) {
        const wall: number[] = [];
        const cpu: number[] = [];
        const h = createHash('sha1');
        for (const q of qs) {
          const c0 = process.cpuUsage();
          const w0 = performance.now();
          const res = await core.lookup('bench', { query: q, agentId: 'bench-agent' });
          wall.push((performance.now() - w0) * 1000);
          const c = process.cpuUsage(c0);
          cpu.push(c.user + c.system);
          h.update(`${res.tier}|${res.templateId}|${res.similarity.toFixed(6)}|${res.alternatives.map((a) => `${a.templateId}:${a.similarity.toFixed(6)}`).join(',')}\n`);
        }
        figures.wall_p50!.push(percentile(wall, 50));
        figures.wall_p99!.push(percentile(wall, 99));
        figures.cpu_p50!.push(percentile(cpu, 50));
        figures.cpu_p99!.push(percentile(cpu, 99));
        figures.cpu_mean!.push(cpu.reduce((a, b) => a + b, 0) / cpu.length);
        digest = h.digest('hex').slice(0, 12);
      }
      const spread = (xs: number[]) => `${median(xs).toFixed(0)} [${Math.min(...xs).toFixed(0)}-${Math.max(...xs).toFixed(0)}]`;
      ctx.log(`lookup-cpu ${which} ${k(size)} (us, median [min-max] of ${repeats}): wall p50 ${spread(figures.wall_p50!)} p99 ${spread(figures.wall_p99!)}; cpu p50 ${spread(figures.cpu_p50!)} p99 ${spread(figures.cpu_p99!)} mean ${spread(figures.cpu_mean!)}; answers ${digest}`);
      for (const [name, samples] of Object.entries(figures)) {
        out.push({
          name: `router.lookup_${name}_${k(size)}_${which}`,
          label: `in-process lookup ${name.replace('_', ' ')}, ${k(size)} templates, ${which} (one sample per repeat)`,
          unit: 'us',
          higherIsBetter: false,
          samples,
          ...(which !== 'hashing' && embedders.includes('hashing') ? { baseline: `router.lookup_${name}_${k(size)}_hashing` } : {}),
        });
      }
    }
  }
  return out;
}

export const routerLookupCpuSuite: BenchSuite = {
  id: 'router-lookup-cpu',
  title: 'Router lookup cost in process: CPU time and wall time per lookup at 1k / 10k / 100k (hashing and fused)',
  run: (ctx) => lookupCpu(ctx, ctx.quick ? [1_000, 10_000] : [1_000, 10_000, 100_000], ['hashing', 'fused'], ctx.quick ? 500 : 1_000, ctx.quick ? 3 : 5),
};
