// pnpm bench router-semantic: only the router's semantic figures of `pnpm bench router`
// (WorkBench paraphrase recall per embedder, lookup at scale in process and over HTTP, the
// templates one router holds in 4 GiB, restart to ready with and without the vector cache), without the
// HTTP load, SDK and executor parts.
import { fileURLToPath } from 'node:url';
import type { BenchContext, BenchSuite, Measurement } from '../harness.js';
import { paraphraseQuality } from '../semantic/quality.js';
import { lookupAtScale, memoryCeiling, restartToReady, shardsByTenant } from '../semantic/scale.js';
import { findWorkbench } from '../semantic/workbench.js';

/** The semantic figures at the given template counts (scale) and restart size (0: no restart). */
export async function semanticFigures(ctx: BenchContext, sizes: number[], restartSize: number): Promise<Measurement[]> {
  const out: Measurement[] = [];
  const workbench = findWorkbench(process.env, fileURLToPath(new URL('../../..', import.meta.url)));
  if (workbench) out.push(...(await paraphraseQuality(ctx, workbench)));
  else ctx.log('router: WorkBench not found (set PRAXIS_WORKBENCH_DIR): no paraphrase figures');
  out.push(...(await lookupAtScale(ctx, sizes)));
  // 1M templates in one router within 4 GiB? Loaded in steps until 1M or past 4 GiB resident
  if (!ctx.quick) out.push(...(await memoryCeiling(ctx, 'fused', 1_000_000)));
  if (restartSize > 0) out.push(...(await restartToReady(ctx, restartSize)));
  return out;
}

export const routerSemanticSuite: BenchSuite = {
  id: 'router-semantic',
  title: 'Router semantic matching: WorkBench paraphrases, lookup at scale, restart to ready',
  run: (ctx) => semanticFigures(ctx, ctx.quick ? [1_000, 10_000] : [1_000, 10_000, 100_000], ctx.quick ? 10_000 : 100_000),
};

/** The WorkBench paraphrase figures alone (`pnpm bench router-paraphrase`, a few minutes): every local embedder, no lookups at scale. */
export const routerParaphraseSuite: BenchSuite = {
  id: 'router-paraphrase',
  title: 'Router semantic matching: WorkBench paraphrases, every local embedder',
  async run(ctx) {
    const workbench = findWorkbench(process.env, fileURLToPath(new URL('../../..', import.meta.url)));
    if (workbench) return paraphraseQuality(ctx, workbench);
    ctx.log('router-paraphrase: WorkBench not found (set PRAXIS_WORKBENCH_DIR)');
    return [];
  },
};

/** Lookup at scale alone (`pnpm bench router-scale`): latency, build, memory and candidate recall per embedder and size. */
export const routerScaleSuite: BenchSuite = {
  id: 'router-scale',
  title: 'Router lookup at scale: 1k / 10k / 100k templates per local embedder (latency, build, memory, candidate recall)',
  run: (ctx) => lookupAtScale(ctx, ctx.quick ? [1_000, 10_000] : [1_000, 10_000, 100_000]),
};

export const routerRestartSuite: BenchSuite = {
  id: 'router-restart',
  title: 'Router restart to ready with an empty and with a warm vector cache (fused and hashing)',
  // the empty cache's run does all the work a router without the cache does (plus the cache's
  // writes): it stands for "without" here, which halves the suite's time against router-semantic's
  run: (ctx) => restartToReady(ctx, ctx.quick ? 10_000 : 100_000, ['fused', 'hashing'], false),
};

export const routerShardsSuite: BenchSuite = {
  id: 'router-shards',
  title: 'Router shards by tenant: one router of every tenant vs each of 3 shards, same topic (restart to ready, memory, lookups)',
  run: (ctx) => shardsByTenant(ctx, ctx.quick ? 6_000 : 30_000, 30, 3),
};
