// Calibrates the router's similarity thresholds on data (docs/router.md, "Tiers and
// thresholds"): the held-out WorkBench requests are split by task into a calibration half and
// an evaluation half. On the calibration half:
// - rewriteSimilarity = the threshold that best separates paraphrases of learned requests (the
//   similarity of their right template) from UNSEEN requests (tasks no template was learned
//   for; their best similarity): the maximum of Youden's J = share of paraphrases at or above
//   minus share of unseen requests at or above. (The 95th percentile of unseen requests, which
//   would give 95% of them `plan`, is reported too: on WorkBench it sends most paraphrases to
//   plan, because several held-out tasks are near-duplicates of learned ones);
// - reuseSimilarity = the 99th percentile of CONFUSION similarities (the top similarity of a
//   wrong answer: an unseen request's best template, or a paraphrase whose top template is
//   another task's), so at most 1% of confusions reach the reuse band; never below rewrite.
// The evaluation half reports what those thresholds do to requests they were not set on.
//   pnpm exec tsx test/bench/router-quality/calibrate.ts            (prints; every local embedder)
//   pnpm exec tsx test/bench/router-quality/calibrate.ts --write    (also services/router/src/calibration.json)
import { readFileSync, writeFileSync } from 'node:fs';
import type { Embedder } from '@praxis/router';
import { percentile } from '../harness.js';
import { ask, localEmbedder, workbenchCatalog, workbenchCore } from './probe-run.js';

interface Sample {
  task: string;
  /** Similarity of the right template (null for unseen requests, or when it was not among the candidates). */
  right: number | null;
  /** Best similarity of any other template. */
  wrong: number;
  /** The top-ranked candidate's similarity: what the tiers read (candidates are ranked by a blend, not by similarity alone). */
  first: number;
  /** Whether the top-ranked candidate is the right template. */
  firstRight: boolean;
}

export interface Calibration {
  embedder: string;
  reuseSimilarity: number;
  rewriteSimilarity: number;
  distributions: Record<string, number[]>;
  evaluation: Record<string, number>;
  counts: Record<string, number>;
}

const round = (n: number) => Math.round(n * 1000) / 1000;
const quantiles = (xs: number[]) => [5, 25, 50, 75, 95].map((p) => round(percentile(xs, p)));

async function samples(embedder: Embedder): Promise<{ paraphrases: Sample[]; unseen: Sample[]; calibrationTasks: Set<string> }> {
  const catalog = workbenchCatalog();
  // no thresholds while measuring: every candidate is reported with its similarity
  const core = await workbenchCore(catalog, embedder, { rewriteSimilarity: 0, reuseSimilarity: 0 });
  const measure = async (query: string, task: string): Promise<Sample> => {
    const r = await core.lookup('bench', { query, agentId: 'workbench-agent', maxAlternatives: 10 });
    const right = catalog.templateOf.get(task);
    const all = [...(r.templateId ? [{ templateId: r.templateId, similarity: r.similarity }] : []), ...r.alternatives];
    const rightSim = all.filter((a) => a.templateId === right).map((a) => a.similarity);
    const wrongSim = all.filter((a) => a.templateId !== right).map((a) => a.similarity);
    const first = all[0];
    return { task, right: rightSim.length ? Math.max(...rightSim) : null, wrong: wrongSim.length ? Math.max(...wrongSim) : 0, first: first?.similarity ?? 0, firstRight: first !== undefined && first.templateId === right };
  };
  const paraphrases: Sample[] = [];
  for (const q of catalog.split.paraphrases) if (catalog.templateOf.has(q.task)) paraphrases.push(await measure(q.query, q.task));
  const unseen: Sample[] = [];
  for (const q of catalog.split.unseen) unseen.push(await measure(q.query, q.task));
  // every other task of each kind: the halves share no task
  const alternate = (xs: Sample[]) => [...new Set(xs.map((s) => s.task))].sort().filter((_, i) => i % 2 === 0);
  return { paraphrases, unseen, calibrationTasks: new Set([...alternate(paraphrases), ...alternate(unseen)]) };
}

/** Thresholds from the calibration half, figures on the evaluation half. */
export async function calibrate(embedder: Embedder): Promise<Calibration> {
  const { paraphrases, unseen, calibrationTasks } = await samples(embedder);
  const half = (xs: Sample[], cal: boolean) => xs.filter((s) => calibrationTasks.has(s.task) === cal);
  // the lookup tiers by its top-ranked candidate: that candidate's similarity, and whether it is the right one
  const top = (s: Sample) => s.first;
  const correct = (s: Sample) => s.firstRight;
  const calP = half(paraphrases, true);
  const calU = half(unseen, true);
  const unseenBest = calU.map(top);
  const confusions = [...calU.map(top), ...calP.filter((s) => !correct(s)).map(top)];
  const share = (xs: number[], t: number) => xs.filter((x) => x >= t).length / Math.max(1, xs.length);
  // a paraphrase is answered (reuse or rewrite) when its top-ranked candidate is within the band
  const rightSims = calP.map(top);
  let rewrite = 0;
  let bestJ = -1;
  for (let t = 0.3; t <= 0.95; t += 0.005) {
    const j = share(rightSims, t) - share(unseenBest, t);
    if (j > bestJ + 1e-9) [bestJ, rewrite] = [j, round(t)];
  }
  const strictRewrite = round(percentile(unseenBest, 95) + 0.001);
  const reuse = round(Math.max(rewrite, percentile(confusions, 99) + 0.001));
  const evalP = half(paraphrases, false);
  const evalU = half(unseen, false);
  const band = (s: Sample) => (top(s) >= reuse ? 'reuse' : top(s) >= rewrite ? 'rewrite' : 'plan');
  const frac = (xs: Sample[], f: (s: Sample) => boolean) => round(xs.filter(f).length / Math.max(1, xs.length));
  return {
    embedder: embedder.id,
    reuseSimilarity: reuse,
    rewriteSimilarity: rewrite,
    distributions: {
      'paraphrase: similarity of the right template': quantiles(calP.map((s) => s.right ?? 0)),
      'paraphrase: similarity of the top-ranked template': quantiles(calP.map(top)),
      'paraphrase: best similarity of a wrong template': quantiles(calP.map((s) => s.wrong)),
      'confusion: top similarity of a wrong answer': quantiles(confusions),
      'unseen: best similarity': quantiles(unseenBest),
    },
    evaluation: {
      'paraphrase top-1 right': frac(evalP, correct),
      'paraphrase band reuse': frac(evalP, (s) => band(s) === 'reuse'),
      'paraphrase band rewrite': frac(evalP, (s) => band(s) === 'rewrite'),
      'paraphrase band plan': frac(evalP, (s) => band(s) === 'plan'),
      'paraphrase reuse band with the wrong template on top': frac(evalP, (s) => band(s) === 'reuse' && !correct(s)),
      'unseen band plan': frac(evalU, (s) => band(s) === 'plan'),
      'unseen band reuse': frac(evalU, (s) => band(s) === 'reuse'),
      'Youden J at rewriteSimilarity (calibration half)': round(bestJ),
      'strict rewriteSimilarity (95th percentile of unseen), for reference': strictRewrite,
    },
    counts: { 'calibration paraphrases': calP.length, 'calibration unseen': calU.length, 'calibration confusions': confusions.length, 'evaluation paraphrases': evalP.length, 'evaluation unseen': evalU.length },
  };
}

/** Markdown of one calibration (for docs/router.md). */
export function calibrationTable(c: Calibration): string {
  const lines = [`**${c.embedder}**: reuseSimilarity ${c.reuseSimilarity}, rewriteSimilarity ${c.rewriteSimilarity}`, '', '| distribution (calibration half) | p5 | p25 | p50 | p75 | p95 |', '|---|---|---|---|---|---|'];
  for (const [name, q] of Object.entries(c.distributions)) lines.push(`| ${name} | ${q.join(' | ')} |`);
  lines.push('', '| on the evaluation half | share |', '|---|---|');
  for (const [name, v] of Object.entries(c.evaluation)) lines.push(`| ${name} | ${name.startsWith('Youden') || name.startsWith('strict') ? v : `${(v * 100).toFixed(1)}%`} |`);
  lines.push('', `counts: ${Object.entries(c.counts).map(([k, v]) => `${k} ${v}`).join(', ')}`);
  return lines.join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const results: Calibration[] = [];
  // --only hashing: one embedder (a quick look; --write then keeps the other entries as they are)
  const only = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : undefined;
  for (const kind of (['minilm', 'minilm-fused', 'fused', 'model', 'hashing'] as const).filter((k) => !only || k === only)) {
    const embedder = localEmbedder(kind);
    if (embedder.fallback && kind !== 'hashing') {
      console.log(`${kind}: ${embedder.fallback}; skipped`);
      continue;
    }
    const c = await calibrate(embedder);
    results.push(c);
    console.log(`${calibrationTable(c)}\n`);
  }
  if (process.argv.includes('--write')) {
    const previous = JSON.parse(readFileSync(new URL('../../../services/router/src/calibration.json', import.meta.url), 'utf8')) as Record<string, unknown>;
    const table = Object.fromEntries([...Object.entries(previous), ...results.map((c) => [c.embedder, { reuseSimilarity: c.reuseSimilarity, rewriteSimilarity: c.rewriteSimilarity, source: 'held-out split of the calibration benchmark (test/bench/router-quality/calibrate.ts)' }] as const)]);
    writeFileSync(new URL('../../../services/router/src/calibration.json', import.meta.url), `${JSON.stringify(table, null, 2)}\n`);
    console.log('wrote services/router/src/calibration.json');
  }
}
