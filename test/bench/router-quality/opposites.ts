// `pnpm bench router`, opposite requests: the committed probes (negations and contrasts of
// held-out WorkBench requests) looked up against the learned WorkBench catalogue. Reported: how
// often a probe gets the template it must not get (reuse; any tier), how often it gets any
// workflow at all, and, as the same run's baseline, what the original held-out requests get.
// Plus the cost of the check on ordinary paraphrases: how often the right template is refused
// (a false conflict) or held back from reuse (review).
import { fileURLToPath } from 'node:url';
import type { BenchContext, BenchSuite, Measurement } from '../harness.js';
import { findWorkbench } from '../semantic/workbench.js';
import { ask, loadProbes, localEmbedder, workbenchCatalog, workbenchCore } from './probe-run.js';

const pct = (n: number, d: number) => (d === 0 ? 0 : (100 * n) / d);

/** The opposite-probe and false-conflict figures for one embedder. */
async function figures(ctx: BenchContext, kind: 'fused' | 'hashing' | 'minilm' | 'minilm-fused', root: string): Promise<Measurement[]> {
  const catalog = workbenchCatalog(root);
  const embedder = localEmbedder(kind);
  const label = kind === 'fused' ? `default embedder (${embedder.id})` : kind === 'hashing' ? 'hashing embedder' : `${kind} embedder (${embedder.id})`;
  const core = await workbenchCore(catalog, embedder);
  const probes = loadProbes().filter((p) => catalog.templateOf.has(p.mustNotGet));
  let reuseForbidden = 0;
  let anyForbidden = 0;
  let reuseAny = 0;
  let workflowAny = 0;
  let inBand = 0; // the forbidden template was close enough to be offered: the structural check decided
  let refusedInBand = 0;
  const byFamily = new Map<string, { n: number; forbidden: number; reuse: number }>();
  const misses: string[] = [];
  for (const p of probes) {
    const r = await ask(core, p.probe);
    const forbidden = catalog.templateOf.get(p.mustNotGet)!;
    const gotForbidden = r.tier !== 'plan' && r.templateId === forbidden;
    if (gotForbidden && r.tier === 'reuse') reuseForbidden++;
    if (gotForbidden) anyForbidden++;
    if (r.tier === 'reuse') reuseAny++;
    if (r.tier !== 'plan') workflowAny++;
    const refusal = r.alternatives.find((a) => a.templateId === forbidden && a.rejected !== null);
    if (gotForbidden || refusal) inBand++;
    if (refusal) refusedInBand++;
    for (const key of [`family.${p.family}`, `source.${p.source}`]) {
      const f = byFamily.get(key) ?? { n: 0, forbidden: 0, reuse: 0 };
      f.n++;
      if (gotForbidden) f.forbidden++;
      if (gotForbidden && r.tier === 'reuse') f.reuse++;
      byFamily.set(key, f);
    }
    if (gotForbidden && misses.length < 8) misses.push(`${r.tier}: ${p.probe.slice(0, 100)}`);
  }
  // the originals of the generated probes, and every held-out paraphrase: the check's cost
  const originals = [...new Set(probes.map((p) => p.fromQuery).filter((q): q is string => q !== null))];
  let originalsWorkflow = 0;
  for (const q of originals) if ((await ask(core, q)).tier !== 'plan') originalsWorkflow++;
  const paraphrases = catalog.split.paraphrases.filter((q) => catalog.templateOf.has(q.task));
  let refused = 0;
  let reviewed = 0;
  for (const q of paraphrases) {
    const r = await ask(core, q.query);
    const right = catalog.templateOf.get(q.task)!;
    if (r.alternatives.some((a) => a.templateId === right && a.rejected)) refused++;
    if (r.templateId === right && r.conflicts.some((c) => c.kind === 'action' || c.kind === 'negation')) reviewed++;
  }
  ctx.log(`router opposites (${label}): ${probes.length} probes, in band ${inBand}, refused ${refusedInBand}, forbidden template ${anyForbidden} (reuse ${reuseForbidden}), any workflow ${workflowAny}; paraphrases ${paraphrases.length}: refused ${refused}, review ${reviewed}`);
  for (const m of misses) ctx.log(`  got the forbidden template: ${m}`);
  const k = kind === 'fused' ? 'default' : kind.replace('-', '_');
  const out: Measurement[] = [
    { name: `router.opposites.${k}.reuse_forbidden_pct`, label: `opposite probes answered reuse of the template they must not get [${label}]`, unit: '%', higherIsBetter: false, samples: [pct(reuseForbidden, probes.length)], notes: `${reuseForbidden} of ${probes.length}` },
    { name: `router.opposites.${k}.workflow_forbidden_pct`, label: `opposite probes given the template they must not get, any tier [${label}]`, unit: '%', higherIsBetter: false, samples: [pct(anyForbidden, probes.length)], notes: `${anyForbidden} of ${probes.length}`, baseline: `router.opposites.${k}.originals_workflow_pct` },
    { name: `router.opposites.${k}.in_band_pct`, label: `opposite probes whose forbidden template was similar enough to be offered [${label}]`, unit: '%', higherIsBetter: false, samples: [pct(inBand, probes.length)], notes: `${inBand} of ${probes.length}` },
    { name: `router.opposites.${k}.refused_in_band_pct`, label: `of those, refused by the structural check [${label}]`, unit: '%', higherIsBetter: true, samples: [pct(refusedInBand, inBand)], notes: `${refusedInBand} of ${inBand}` },
    { name: `router.opposites.${k}.reuse_any_pct`, label: `opposite probes answered reuse of any template [${label}]`, unit: '%', higherIsBetter: false, samples: [pct(reuseAny, probes.length)], notes: `${reuseAny} of ${probes.length}` },
    { name: `router.opposites.${k}.workflow_any_pct`, label: `opposite probes given any workflow [${label}]`, unit: '%', higherIsBetter: false, samples: [pct(workflowAny, probes.length)], notes: `${workflowAny} of ${probes.length}` },
    { name: `router.opposites.${k}.originals_workflow_pct`, label: `their original held-out requests given a workflow (baseline) [${label}]`, unit: '%', higherIsBetter: true, samples: [pct(originalsWorkflow, originals.length)], notes: `${originalsWorkflow} of ${originals.length}` },
    { name: `router.opposites.${k}.paraphrase_refused_pct`, label: `held-out paraphrases whose right template the check refused (false conflicts) [${label}]`, unit: '%', higherIsBetter: false, samples: [pct(refused, paraphrases.length)], notes: `${refused} of ${paraphrases.length}` },
    { name: `router.opposites.${k}.paraphrase_review_pct`, label: `held-out paraphrases whose right template was held back from reuse by an action conflict [${label}]`, unit: '%', higherIsBetter: false, samples: [pct(reviewed, paraphrases.length)], notes: `${reviewed} of ${paraphrases.length}` },
  ];
  for (const [key, f] of [...byFamily].sort()) {
    out.push({ name: `router.opposites.${k}.${key}`, label: `${key.replace('.', ' ')}: given the forbidden template [${label}]`, unit: '%', higherIsBetter: false, samples: [pct(f.forbidden, f.n)], notes: `${f.forbidden} of ${f.n}, reuse ${f.reuse}` });
  }
  return out;
}

/** Opposite-request probes with the WordLlama-fused, the hashing and the MiniLM embedders, in the same run. */
export async function oppositeProbes(ctx: BenchContext, workbenchRoot: string): Promise<Measurement[]> {
  const out: Measurement[] = [];
  for (const kind of ['fused', 'hashing', 'minilm', 'minilm-fused'] as const) out.push(...(await figures(ctx, kind, workbenchRoot)));
  return out;
}

/**
 * The probes alone, as their own suite (`pnpm bench router-opposites`, under a minute): the same
 * figures as in `pnpm bench router`, without the lookups at scale that take a quarter of an hour.
 */
export const routerOppositesSuite: BenchSuite = {
  id: 'router-opposites',
  title: 'Router: opposite requests (WorkBench probes)',
  async run(ctx) {
    const root = findWorkbench(process.env, fileURLToPath(new URL('../../..', import.meta.url)));
    if (!root) {
      ctx.log('router-opposites: WorkBench not found (set PRAXIS_WORKBENCH_DIR)');
      return [];
    }
    return oppositeProbes(ctx, root);
  },
};
