// pnpm bench closed-loop: the closed loop, measured. On the same seeded fleet and tasks, an
// agent that plans every task from scratch against the same agent using Praxis (lookup ->
// reuse / rewrite only the variable nodes / plan): tokens, success and modelled latency by
// similarity band, with the ratios against the baseline. Each repeat is another seed: the
// samples are per-seed figures. No servers: learning, router and executor run in-process.
// The model and its assumptions: docs/closed-loop.md.
import { DEFAULT_PARAMETERS } from '../closed-loop/parameters.js';
import { runSeed, type SeedResult } from '../closed-loop/experiment.js';
import { inScope, measurements, SCOPES } from '../closed-loop/report.js';
import { DEFAULT_MIX, type TaskMix } from '../closed-loop/tasks.js';
import { embedderFor, hashApiKey, RouterConfigSchema, type Embedder } from '@praxis/router';
import type { BenchSuite, Measurement } from '../harness.js';

const QUICK_MIX: TaskMix = { trained: 20, paraphrase: 35, 'held-out-phrasing': 10, 'held-out-workflow': 10 };

export const closedLoopSuite: BenchSuite = {
  id: 'closed-loop',
  title: 'Closed loop: baseline planner vs Praxis, by similarity band (tokens real, LLM behaviour and latency modelled)',
  async run(ctx) {
    const seeds = ctx.quick ? Math.min(ctx.repeats, 2) : ctx.repeats;
    // the same seeds with the hashing embedder (the router's default, default thresholds: the
    // figures of docs/closed-loop.md) and with the local model fused with hashing, at its
    // calibrated thresholds (closed_loop.fused.*): the router of issue 10
    const fused = embedderFor(RouterConfigSchema.parse({ ROUTER_API_KEYS: `bench:${hashApiKey('bench')}`, EMBEDDINGS_LOCAL: 'fused', ROUTER_VECTOR_CACHE: 'false' }));
    const out: Measurement[] = [];
    for (const [name, embedder] of [['hashing', undefined], ['fused', fused]] as [string, Embedder | undefined][]) {
      if (embedder?.fallback) ctx.log(`closed-loop: ${embedder.fallback}`);
      const results: SeedResult[] = [];
      for (let i = 0; i < seeds; i++) {
        const started = performance.now();
        const seed = await runSeed(`closed-loop-${i}`, { parameters: DEFAULT_PARAMETERS, mix: ctx.quick ? QUICK_MIX : DEFAULT_MIX, instancesPerWorkflow: ctx.quick ? 10 : 16, embedder });
        results.push(seed);
        const bands = SCOPES.filter((s) => s !== 'all').map((s) => `${s} ${inScope(seed, s).length}`).join(', ');
        ctx.log(`closed-loop ${name}: seed ${seed.seed}: ${seed.steps} steps -> ${seed.trajectories} trajectories -> ${seed.templates} templates; ${seed.tasks.length} tasks (${bands}) in ${Math.round(performance.now() - started)} ms`);
      }
      const rename = (n: string) => (embedder ? n.replace(/^closed_loop\./, 'closed_loop.fused.') : n);
      out.push(...measurements(results).map((m) => ({ ...m, name: rename(m.name), label: embedder ? `(fused) ${m.label}` : m.label, ...(m.baseline ? { baseline: rename(m.baseline) } : {}) })));
    }
    return out;
  },
};
