// Paraphrase recall of the router on WorkBench (dataset-specific: test/bench only). Templates
// are learned from some phrasings of each task template, looked up with queries written in the
// others; whole task templates are held out as unseen requests. The same run measures the
// hashing embedder (the default), WordLlama fused with hashing and alone, and the
// all-MiniLM-L6-v2 sentence-transformer alone and fused with hashing, each with the thresholds
// calibrated for it (calibration.json), so every figure has its ratio against hashing. A second pass prepends one persona
// to every trigger example and query, as agents do, to show what request reduction keeps.
import { calibrationFor, CachedEmbedder, DEFAULT_RANKING, type RankingOptions, Catalog, FusedEmbedder, HashingEmbedder, localModelDir, minilmDir, MiniLmEmbedder, Policies, RouterConfigSchema, RouterCore, StaticModelEmbedder, type Embedder, type RouterSink } from '@praxis/router';
import { TemplateSchema, type Template } from '@praxis/schemas';
import { makeTemplate } from '@praxis/schemas/factories';
import { percentile, type BenchContext, type Measurement } from '../harness.js';
import { loadWorkbenchTasks, paraphraseSplit, type WorkbenchTask } from './workbench.js';

const TENANT = 'wb';
const AGENT = 'wb-agent';
const discard: RouterSink = { writeTemplates: async () => {}, writeFeedback: async () => {} };
export const PERSONA = 'You are the assistant of Dana Smith, operations manager at Atlas in Austin 78712; be brief and polite.';

/** The values a query fills into its phrasing's {placeholders}: what an inducer sees vary between runs of a task (slot examples). */
function phrasingValues(t: WorkbenchTask): Map<string, string> {
  const names = [...t.phrasing.matchAll(/\{([a-z_]+)\}/g)].map((m) => m[1]!);
  const pattern = t.phrasing.split(/\{[a-z_]+\}/).map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('(.+?)');
  const match = new RegExp(`^${pattern}$`, 'i').exec(t.query);
  return new Map(match ? names.map((n, i) => [n, match[i + 1]!] as const) : []);
}

/** One learned template per task template: its trigger examples and the slot values seen in them. */
export function learnedTemplates(tasks: WorkbenchTask[], learn: Map<string, string[]>, persona: string | null): Template[] {
  const base = TemplateSchema.parse(makeTemplate({ tenantId: TENANT, agentId: AGENT }));
  return [...learn.entries()].map(([task, queries], i) => {
    const examples = new Map<string, Set<string>>();
    for (const t of tasks) {
      if (t.task !== task || !queries.includes(t.query)) continue;
      for (const [name, value] of phrasingValues(t)) (examples.get(name) ?? examples.set(name, new Set()).get(name)!).add(value);
    }
    const slots = [...examples.entries()].map(([name, values]) => ({ name, schemaJson: JSON.stringify({ type: 'string' }), source: 'QUERY' as const, required: false, description: null, examplesJson: [...values].slice(0, 5).map((v) => JSON.stringify(v)) }));
    return {
      ...base,
      templateId: `wb-${i}`,
      name: `task ${i}`,
      signature: [`tool_${i}`],
      steps: [{ index: 0, toolName: `tool_${i}`, params: slots.map((s) => ({ path: s.name, kind: 'SLOT' as const, slotName: s.name, valueJson: null, stepIndex: null, resultPath: null })) }],
      slots,
      triggerExamples: queries.map((q) => (persona ? `${persona} ${q}` : q)),
    } as Template;
  });
}

interface Outcome {
  top1: number;
  /** Threshold-free: the chance that a paraphrase's similarity exceeds an unseen request's (ROC AUC). */
  separability: number;
  tiers: Record<'reuse' | 'rewrite' | 'plan', number>;
  unseenPlan: number;
  lookupUs: number[];
}

// a share no 4-gram reaches: request reduction off, to show what it does
const NO_REDUCTION = { fraction: 2, minTemplates: 1, leaveRatio: 0.5, refreshGrowth: 0.1 };

async function run(embedder: Embedder, tasks: WorkbenchTask[], persona: string | null, reduce = true, ranking?: RankingOptions): Promise<Outcome> {
  const split = paraphraseSplit(tasks);
  const policies = new Policies({ '*': { rateLimitPerSecond: 1e9, rateLimitBurst: 1e9 } }, calibrationFor(embedder.id));
  const core = new RouterCore({ embedder, ...(ranking ? { ranking } : {}), ...(reduce ? {} : { catalog: new Catalog(Date.now, undefined, NO_REDUCTION) }), policies, sink: discard });
  const templates = learnedTemplates(tasks, split.learn, persona);
  await core.applyRecords(templates.map((t, i) => ({ key: t.templateId, value: t, partition: 0, offset: String(i) })));
  const expected = new Map([...split.learn.keys()].map((task, i) => [task, `wb-${i}`]));
  const ask = (q: string) => (persona ? `${persona} ${q}` : q);
  const tiers = { reuse: 0, rewrite: 0, plan: 0 };
  let top1 = 0;
  const lookupUs: number[] = [];
  const paraphraseSims: number[] = [];
  const unseenSims: number[] = [];
  for (const p of split.paraphrases) {
    const t0 = performance.now();
    const r = await core.lookup(TENANT, { query: ask(p.query), agentId: AGENT });
    lookupUs.push((performance.now() - t0) * 1000);
    tiers[r.tier]++;
    paraphraseSims.push(r.similarity);
    // the best candidate: the chosen template, or for a plan the closest one considered
    if ((r.templateId ?? r.alternatives[0]?.templateId) === expected.get(p.task)) top1++;
  }
  let plan = 0;
  for (const u of split.unseen) {
    const r = await core.lookup(TENANT, { query: ask(u.query), agentId: AGENT });
    unseenSims.push(r.similarity);
    if (r.tier === 'plan') plan++;
  }
  const n = split.paraphrases.length;
  let above = 0;
  for (const a of paraphraseSims) for (const b of unseenSims) above += a > b ? 1 : a === b ? 0.5 : 0;
  return { top1: top1 / n, separability: above / (paraphraseSims.length * unseenSims.length), tiers: { reuse: tiers.reuse / n, rewrite: tiers.rewrite / n, plan: tiers.plan / n }, unseenPlan: plan / split.unseen.length, lookupUs };
}

/**
 * Microseconds to embed each query, one at a time (the lookup's own cost), and the process's CPU
 * time per query: on a shared machine the wall time is mostly waiting for a core, the CPU time is
 * what the embedder itself costs.
 */
async function embedCost(embedder: Embedder, queries: string[]): Promise<{ wallUs: number[]; cpuUs: number }> {
  const wallUs: number[] = [];
  const cpu0 = process.cpuUsage();
  for (const q of queries) {
    const t0 = performance.now();
    await embedder.embed([q]);
    wallUs.push((performance.now() - t0) * 1000);
  }
  const cpu = process.cpuUsage(cpu0);
  return { wallUs, cpuUs: (cpu.user + cpu.system) / queries.length };
}

/** The quality figures, per embedder, with ratios against the hashing embedder of the same run. */
export async function paraphraseQuality(ctx: BenchContext, datasetRoot: string): Promise<Measurement[]> {
  const tasks = loadWorkbenchTasks(datasetRoot);
  const split = paraphraseSplit(tasks);
  ctx.log(`workbench: ${tasks.length} queries, ${split.learn.size} learned task templates, ${split.paraphrases.length} paraphrase queries, ${split.unseen.length} unseen`);
  const cacheDir = RouterConfigSchema.shape.PRAXIS_CACHE_DIR.parse(undefined);
  const model = StaticModelEmbedder.load(localModelDir(cacheDir));
  const weight = RouterConfigSchema.shape.EMBEDDINGS_MODEL_WEIGHT.parse(undefined);
  // one session; each of its two embedders caches its vectors across its own three passes, as the
  // router caches them (the first pass's queries are new to it, so its lookups pay the encoder)
  const minilmModel = MiniLmEmbedder.load(minilmDir(cacheDir));
  const minilm = new CachedEmbedder(minilmModel);
  const minilmForFusion = new CachedEmbedder(minilmModel);
  const minilmWeight = RouterConfigSchema.shape.EMBEDDINGS_MINILM_WEIGHT.parse(undefined);
  // the ranking's lexical side off (candidates by cosine alone, as before it): the same run's baseline of the ranking
  const cosineOnly: RankingOptions = { ...DEFAULT_RANKING, lexicalWeight: 0 };
  const embedders: [string, () => Embedder, RankingOptions?][] = [
    ['hashing', () => new HashingEmbedder(256)],
    ['hashing_cosine', () => new HashingEmbedder(256), cosineOnly],
    ['fused_cosine', () => new FusedEmbedder([{ embedder: model, weight }, { embedder: new HashingEmbedder(256), weight: 1 - weight }]), cosineOnly],
    ['fused', () => new FusedEmbedder([{ embedder: model, weight }, { embedder: new HashingEmbedder(256), weight: 1 - weight }])],
    ['model', () => model],
    ['minilm', () => minilm],
    ['minilm_fused', () => new FusedEmbedder([{ embedder: minilmForFusion, weight: minilmWeight }, { embedder: new HashingEmbedder(256), weight: 1 - minilmWeight }])],
  ];
  const out: Measurement[] = [];
  for (const [name, make, ranking] of embedders) {
    const plain = await run(make(), tasks, null, true, ranking);
    const persona = await run(make(), tasks, PERSONA, true, ranking);
    const unreduced = await run(make(), tasks, PERSONA, false, ranking);
    // texts no pass has seen, so a cache cannot answer them
    const { wallUs: embedUs, cpuUs: embedCpuUs } = await embedCost(make(), tasks.map((t) => `${t.query} (${name} timing)`));
    ctx.log(`workbench ${name}: top-1 ${plain.top1.toFixed(3)}, tiers ${JSON.stringify(plain.tiers)}, unseen plan ${plain.unseenPlan.toFixed(3)}; with persona top-1 ${persona.top1.toFixed(3)}, unseen plan ${persona.unseenPlan.toFixed(3)}; unreduced top-1 ${unreduced.top1.toFixed(3)}, unseen plan ${unreduced.unseenPlan.toFixed(3)}; embed p50 ${percentile(embedUs, 50).toFixed(0)} us p99 ${percentile(embedUs, 99).toFixed(0)} us cpu ${embedCpuUs.toFixed(0)} us; lookup p50 ${percentile(plain.lookupUs, 50).toFixed(0)} us p99 ${percentile(plain.lookupUs, 99).toFixed(0)} us`);
    const base = name === 'hashing' ? 'hashing_cosine' : name === 'fused' ? 'fused_cosine' : name.endsWith('_cosine') ? undefined : 'hashing';
    const m = (key: string, label: string, unit: string, value: number, higherIsBetter = true, samples?: number[]): Measurement => ({
      name: `router.wb_${key}_${name}`, label: `${label} (${name})`, unit, higherIsBetter, samples: samples ?? [value], ...(base ? { baseline: `router.wb_${key}_${base}` } : {}),
    });
    out.push(
      m('top1', 'WorkBench paraphrase: top-1 template', '%', 100 * plain.top1),
      m('separability', 'WorkBench paraphrase vs unseen: similarity AUC', '%', 100 * plain.separability),
      m('not_plan', 'WorkBench paraphrase: reuse or rewrite', '%', 100 * (plain.tiers.reuse + plain.tiers.rewrite)),
      m('reuse', 'WorkBench paraphrase: reuse', '%', 100 * plain.tiers.reuse),
      m('plan', 'WorkBench paraphrase: plan', '%', 100 * plain.tiers.plan, false),
      m('unseen_plan', 'WorkBench unseen task: plan', '%', 100 * plain.unseenPlan),
      m('persona_top1', 'WorkBench paraphrase with a persona: top-1', '%', 100 * persona.top1),
      m('persona_unseen_plan', 'WorkBench unseen with a persona: plan', '%', 100 * persona.unseenPlan),
      m('unreduced_top1', 'WorkBench paraphrase with a persona, no request reduction: top-1', '%', 100 * unreduced.top1),
      m('unreduced_unseen_plan', 'WorkBench unseen with a persona, no request reduction: plan', '%', 100 * unreduced.unseenPlan),
      m('embed_us', 'query embedding, one query', 'us', percentile(embedUs, 50), false),
      m('embed_p99_us', 'query embedding p99, one query', 'us', percentile(embedUs, 99), false),
      m('embed_cpu_us', 'query embedding, CPU time per query (mean)', 'us', embedCpuUs, false),
      m('lookup_p50_us', 'in-process lookup p50 (WorkBench, 58 templates)', 'us', percentile(plain.lookupUs, 50), false),
      m('lookup_p99_us', 'in-process lookup p99 (WorkBench, 58 templates)', 'us', percentile(plain.lookupUs, 99), false),
    );
  }
  return out;
}
