// Diagnosis of the WorkBench paraphrase benchmark's plain pass (dataset-specific: test/bench
// only): its top-1, answered and unseen-plan figures, the misses with their alternatives
// (--misses), and a threshold sweep of the top-ranked candidate's similarity (--from t: answered,
// right and answered, unseen planned at each rewrite threshold from t in steps of 0.02).
//   npx tsx test/bench/semantic/diagnose-paraphrase.ts [hashing|fused] [--misses] [--from 0.5] [--similarity-penalty 0.2] [--candidates 2] [--own-reading 3] [--tool-words 0.1]
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { calibrationFor, DEFAULT_RANKING, FusedEmbedder, HashingEmbedder, localModelDir, Policies, RouterConfigSchema, RouterCore, StaticModelEmbedder, type Embedder, type RouterSink } from '@praxis/router';
import { learnedTemplates } from './quality.js';
import { findWorkbench, loadWorkbenchTasks, paraphraseSplit } from './workbench.js';

const discard: RouterSink = { writeTemplates: async () => {}, writeFeedback: async () => {} };
const root = findWorkbench(process.env, fileURLToPath(new URL('../../..', import.meta.url)))!;
const tasks = loadWorkbenchTasks(root);
const split = paraphraseSplit(tasks);
const which = process.argv[2]?.startsWith('--') ? 'hashing' : (process.argv[2] ?? 'hashing');
const verbose = process.argv.includes('--misses');
const flag = (name: string, fallback: number) => (process.argv.includes(name) ? Number(process.argv[process.argv.indexOf(name) + 1]) : fallback);
const ranking = { ...DEFAULT_RANKING, unboundSimilarityPenalty: flag('--similarity-penalty', DEFAULT_RANKING.unboundSimilarityPenalty), unboundSlotCandidates: flag('--candidates', DEFAULT_RANKING.unboundSlotCandidates), ownReadingCandidates: flag('--own-reading', DEFAULT_RANKING.ownReadingCandidates), toolWordWeight: flag('--tool-words', DEFAULT_RANKING.toolWordWeight), ...(process.argv.includes('--coverage') ? { coverageScope: process.argv[process.argv.indexOf('--coverage') + 1] as 'template' | 'example' } : {}), ...(process.argv.includes('--lexical') ? { lexicalWeight: flag('--lexical', 0.5) } : {}) };
const from = flag('--from', 0.5);
function make(): Embedder {
  if (which === 'fused') {
    const model = StaticModelEmbedder.load(localModelDir(RouterConfigSchema.shape.PRAXIS_CACHE_DIR.parse(undefined)));
    const weight = RouterConfigSchema.shape.EMBEDDINGS_MODEL_WEIGHT.parse(undefined);
    return new FusedEmbedder([{ embedder: model, weight }, { embedder: new HashingEmbedder(256), weight: 1 - weight }]);
  }
  return new HashingEmbedder(256);
}
const embedder = make();
const policies = new Policies({ '*': { rateLimitPerSecond: 1e9, rateLimitBurst: 1e9 } }, calibrationFor(embedder.id));
const core = new RouterCore({ embedder, ranking, policies, sink: discard });
const templates = learnedTemplates(tasks, split.learn, null);
await core.applyRecords(templates.map((t, i) => ({ key: t.templateId, value: t, partition: 0, offset: String(i) })));
const expected = new Map([...split.learn.keys()].map((task, i) => [task, `wb-${i}`]));
const nameOf = new Map([...split.learn.keys()].map((task, i) => [`wb-${i}`, task]));
let top1 = 0;
let answered = 0;
let plan = 0;
for (const p of split.paraphrases) {
  const r = await core.lookup('wb', { query: p.query, agentId: 'wb-agent' });
  const got = r.templateId ?? r.alternatives[0]?.templateId;
  if (got === expected.get(p.task)) top1++;
  else if (verbose) console.log(`MISS ${r.tier} ${r.similarity.toFixed(2)} q="${p.query}"\n   want: ${p.task}\n   got:  ${nameOf.get(got ?? '')}\n   alts: ${r.alternatives.map((a) => `${nameOf.get(a.templateId)?.slice(0, 40)} ${a.similarity.toFixed(2)}`).join(' | ')}`);
  if (r.tier !== 'plan') answered++;
  else if (verbose && got === expected.get(p.task)) console.log(`PLAN-RIGHT ${r.similarity.toFixed(2)} q="${p.query}"`);
}
for (const u of split.unseen) {
  const r = await core.lookup('wb', { query: u.query, agentId: 'wb-agent' });
  if (r.tier === 'plan') plan++;
  else if (verbose) console.log(`UNSEEN-SERVED ${r.tier} ${r.similarity.toFixed(2)} q="${u.query}" got ${nameOf.get(r.templateId ?? '')}`);
}
const n = split.paraphrases.length;
// threshold sweep: every query looked up with the rewrite band open from 0 (the top-ranked candidate's similarity)
const open = new RouterCore({ embedder, ranking, policies: new Policies({ '*': { rateLimitPerSecond: 1e9, rateLimitBurst: 1e9, rewriteSimilarity: 0 } }, calibrationFor(embedder.id)), sink: discard });
await open.applyRecords(templates.map((t, i) => ({ key: t.templateId, value: t, partition: 0, offset: String(i) })));
const para: { sim: number; right: boolean }[] = [];
// --dump file: per query of the open pass, the top similarity, the next candidate's, and the unbound note (to try tier rules)
const dump: string[] = [];
const features = (r: Awaited<ReturnType<typeof open.lookup>>) => ({ sim: r.similarity, next: r.alternatives.find((a) => a.templateId !== r.templateId)?.similarity ?? 0, unbound: /lowered for (\d+) of (\d+)/.exec(r.reason)?.slice(1).map(Number) ?? null });
for (const p of split.paraphrases) {
  const r = await open.lookup('wb', { query: p.query, agentId: 'wb-agent' });
  para.push({ sim: r.similarity, right: (r.templateId ?? r.alternatives[0]?.templateId) === expected.get(p.task) });
  dump.push(JSON.stringify({ kind: 'paraphrase', query: p.query, right: para.at(-1)!.right, ...features(r) }));
}
const uns: number[] = [];
for (const u of split.unseen) {
  const r = await open.lookup('wb', { query: u.query, agentId: 'wb-agent' });
  uns.push(r.similarity);
  dump.push(JSON.stringify({ kind: 'unseen', query: u.query, right: false, ...features(r) }));
}
if (process.argv.includes('--dump')) writeFileSync(process.argv[process.argv.indexOf('--dump') + 1]!, dump.join('\n') + '\n');
let auc = 0;
for (const a of para) for (const b of uns) auc += a.sim > b ? 1 : a.sim === b ? 0.5 : 0;
console.log(`AUC ${(100 * auc / (para.length * uns.length)).toFixed(1)}%`);
for (let t = from; t <= from + 0.26; t += 0.02) console.log(`  t=${t.toFixed(2)} answered ${(100 * para.filter((x) => x.sim >= t).length / n).toFixed(1)}% right&answered ${(100 * para.filter((x) => x.sim >= t && x.right).length / n).toFixed(1)}% unseen plan ${(100 * uns.filter((x) => x < t).length / uns.length).toFixed(1)}%`);
console.log(`${which}: top-1 ${(100 * top1 / n).toFixed(1)}% answered ${(100 * answered / n).toFixed(1)}% unseen plan ${(100 * plan / split.unseen.length).toFixed(1)}%`);
