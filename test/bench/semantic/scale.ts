// The router's lookup at 1k / 10k / 100k templates of one tenant, in process (no HTTP): the
// query's embedding included, the default local embedder (model fused with hashing) against the
// hashing embedder in the same run; index build, memory, and the recall of the candidate stage
// (HNSW graph + lexical postings above 4,000 rows) against the exact scan of every row.
import { randomBytes } from 'node:crypto';
import { createLogger, createRuntime, ensureTopics, parseConfig } from '@praxis/kafka';
import { embedderFor, hashApiKey, HashingEmbedder, Policies, requestText, RouterConfigSchema, RouterCore, startRouter, type Embedder, type RouterSink } from '@praxis/router';
import { percentile, type BenchContext, type Measurement } from '../harness.js';
import { queries, syntheticTemplates } from '../suites/router.js';

const discard: RouterSink = { writeTemplates: async () => {}, writeFeedback: async () => {} };
const EXACT = { bruteForceRows: Infinity, exactScanWork: Infinity, annCandidates: 0, postingBudget: 0, candidateRows: 0 };
const rssMb = () => process.memoryUsage().rss / 2 ** 20;
const gc = () => (globalThis as { gc?: () => void }).gc?.();

/** Lookup latency, build cost, memory and candidate recall of one embedder at growing sizes. */
async function scaleOf(ctx: BenchContext, name: string, embedder: Embedder, sizes: number[]): Promise<Measurement[]> {
  const out: Measurement[] = [];
  const core = new RouterCore({ embedder, policies: new Policies({ '*': { rateLimitPerSecond: 1e9, rateLimitBurst: 1e9 } }), sink: discard });
  gc();
  const rss0 = rssMb();
  let loaded = 0;
  for (const size of sizes) {
    const templates = syntheticTemplates(size).slice(loaded);
    const t0 = performance.now();
    for (let i = 0; i < templates.length; i += 2_000) {
      await core.applyRecords(templates.slice(i, i + 2_000).map((t, j) => ({ key: t.templateId, value: t, partition: 0, offset: String(loaded + i + j) })));
    }
    const buildUs = ((performance.now() - t0) * 1000) / templates.length;
    loaded = size;
    const texts = queries(600, size);
    // the first lookup past 4,000 rows builds the graph from every row
    const t1 = performance.now();
    await core.lookup('bench', { query: texts[0]!, agentId: 'bench-agent' });
    const firstMs = performance.now() - t1;
    gc();
    const rss = rssMb() - rss0;
    const latency: number[] = [];
    for (const query of texts.slice(100)) {
      const t = performance.now();
      await core.lookup('bench', { query, agentId: 'bench-agent' });
      latency.push(performance.now() - t);
    }
    // candidate recall: does the candidate stage find the exact scan's best similarity?
    const tenant = core.catalog.tenant('bench');
    let same = 0;
    let graphOnly = 0;
    const best = (hits: { similarity: number }[]) => (hits[0]?.similarity ?? 0).toFixed(5);
    for (const query of texts.slice(0, 100)) {
      const { text, tokens } = requestText(tenant, query);
      const [v] = await embedder.embed([text]);
      const exact = best(tenant.index.search(v!, tokens, 1, () => true, EXACT));
      if (best(tenant.index.search(v!, tokens, 1, () => true)) === exact) same++;
      if (best(tenant.index.search(v!, [], 1, () => true)) === exact) graphOnly++;
    }
    const k = `${size / 1000}k`;
    ctx.log(`router scale ${name} ${k}: build ${buildUs.toFixed(0)} us/template, first lookup ${firstMs.toFixed(0)} ms, p50 ${percentile(latency, 50).toFixed(2)} ms, p99 ${percentile(latency, 99).toFixed(2)} ms, rss +${rss.toFixed(0)} MB, recall@1 ${same}% (graph alone ${graphOnly}%)`);
    const m = (key: string, label: string, unit: string, samples: number[], higherIsBetter = false): Measurement => ({
      name: `router.scale_${key}_${k}_${name}`, label: `${label} (${k} templates, ${name})`, unit, higherIsBetter, samples, ...(name === 'hashing' ? {} : { baseline: `router.scale_${key}_${k}_hashing` }),
    });
    out.push(
      m('lookup_p50', 'in-process lookup p50, query embedding included', 'ms', [percentile(latency, 50)]),
      m('lookup_p99', 'in-process lookup p99, query embedding included', 'ms', [percentile(latency, 99)]),
      m('build', 'index build per template (embed, reduce, index)', 'us', [buildUs]),
      m('first_lookup', 'first lookup after loading (builds the HNSW graph above 4,000 rows)', 'ms', [firstMs]),
      m('rss', 'resident memory of the loaded router core', 'MB', [rss]),
      m('recall', 'candidate stage (graph + postings) finds the exact best similarity', '%', [same], true),
      m('recall_graph', 'HNSW graph alone finds the exact best similarity', '%', [graphOnly], true),
    );
  }
  return out;
}

/** In-process scale figures for the default embedder and for hashing. */
export async function lookupAtScale(ctx: BenchContext, sizes: number[]): Promise<Measurement[]> {
  const config = RouterConfigSchema.parse({ ROUTER_API_KEYS: `bench:${hashApiKey('bench-key')}`, EMBEDDINGS_LOCAL: 'fused' });
  return [...(await scaleOf(ctx, 'fused', embedderFor(config), sizes)), ...(await scaleOf(ctx, 'hashing', new HashingEmbedder(256), sizes))];
}

/** Restart to ready: a fresh router reads `count` templates from the topic, embeds and indexes them. */
export async function restartToReady(ctx: BenchContext, count: number): Promise<Measurement[]> {
  const stack = await ctx.stack();
  const prefix = `bench-restart-${Date.now().toString(36)}.`;
  const runtime = await createRuntime('bench-restart', { KAFKA_BROKERS: stack.kafkaBrokers.split(','), SCHEMA_REGISTRY_URL: stack.registryUrl, PRAXIS_TOPIC_PREFIX: prefix, LOG_LEVEL: 'warn' }, createLogger('bench-restart', 'warn'));
  const admin = runtime.kafka.admin();
  await admin.connect();
  await ensureTopics(admin, Object.values(runtime.topics));
  await admin.disconnect();
  try {
    const templates = syntheticTemplates(count);
    const t0 = performance.now();
    for (let i = 0; i < templates.length; i += 1_000) await runtime.producer.send(templates.slice(i, i + 1_000).map((value) => ({ spec: runtime.topics.templates, key: value.templateId, value })));
    ctx.log(`router restart: produced ${count} templates in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    const out: Measurement[] = [];
    for (const local of ['fused', 'hashing'] as const) {
      const config = parseConfig(RouterConfigSchema, {
        ROUTER_PORT: '0', PRAXIS_TOPIC_PREFIX: prefix, ROUTER_INSTANCE_ID: `bench-restart-${randomBytes(3).toString('hex')}`, ROUTER_API_KEYS: `bench:${hashApiKey('bench-key')}`, EMBEDDINGS_LOCAL: local, LOG_LEVEL: 'warn',
      });
      gc();
      const t1 = performance.now();
      const router = await startRouter({ config, runtime });
      await router.ready(600_000);
      // ready, then the first lookup (which builds the graph): what an agent waits for
      await router.core.lookup('bench', { query: queries(1, count)[0]!, agentId: 'bench-agent' });
      const seconds = (performance.now() - t1) / 1000;
      ctx.log(`router restart ${local}: ${count} templates ready and first lookup answered after ${seconds.toFixed(1)} s`);
      await router.stop();
      out.push({ name: `router.restart_ready_${local}`, label: `restart to ready + first lookup, ${count / 1000}k templates (${local})`, unit: 's', higherIsBetter: false, samples: [seconds], ...(local === 'fused' ? { baseline: 'router.restart_ready_hashing' } : {}) });
    }
    return out;
  } finally {
    await runtime.producer.disconnect();
  }
}
