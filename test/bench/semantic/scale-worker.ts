// One router in a process of its own, for the scale figures (test/bench/semantic/scale.ts): a
// fresh process gives honest resident memory (nothing freed by an earlier embedder's run is
// reused) and a real restart (no module state, no page of the old heap). Started with fork()
// and --expose-gc; told what to do in argv[2] (JSON); answers one message with its figures.
import { createLogger, createRuntime, ensureTopics, parseConfig, type Runtime } from '@praxis/kafka';
import { hashApiKey, requestText, RouterConfigSchema, startRouter, type RouterHandle } from '@praxis/router';
import autocannon from 'autocannon';
import { randomBytes } from 'node:crypto';
import { percentile } from '../harness.js';
import { queries, syntheticTemplates } from '../suites/router.js';

export type WorkerTask =
  | { kind: 'scale'; embedder: Local; sizes: number[]; seconds: number; brokers: string[]; registryUrl: string }
  | { kind: 'ceiling'; embedder: Local; step: number; max: number; limitMb: number; budgetMs?: number; brokers: string[]; registryUrl: string }
  | { kind: 'restart'; embedder: Local; count: number; prefix: string; cacheDir: string; cache: boolean; brokers: string[]; registryUrl: string }
  | { kind: 'shard'; embedder: Local; shard: string; tenants: string[]; prefix: string; brokers: string[]; registryUrl: string };
export type Local = 'fused' | 'model' | 'hashing';

/** What a worker sends back: figures by name (milliseconds, MB, counts), in the order measured. */
export type WorkerFigures = Record<string, number>;

const KEY = 'bench-key';
const EXACT = { bruteForceRows: Infinity, exactScanWork: Infinity, annCandidates: 0, postingBudget: 0, candidateRows: 0 };
const mb = (bytes: number) => bytes / 2 ** 20;
const gc = () => (globalThis as { gc?: () => void }).gc?.();

async function runtimeFor(task: WorkerTask, prefix: string): Promise<Runtime> {
  const runtime = await createRuntime('bench-scale', { KAFKA_BROKERS: task.brokers, SCHEMA_REGISTRY_URL: task.registryUrl, PRAXIS_TOPIC_PREFIX: prefix, LOG_LEVEL: 'warn' }, createLogger('bench-scale', 'warn'));
  const admin = runtime.kafka.admin();
  await admin.connect();
  await ensureTopics(admin, Object.values(runtime.topics));
  await admin.disconnect();
  return runtime;
}

async function router(runtime: Runtime, prefix: string, embedder: Local, cache: { dir: string; on: boolean }, extra: Record<string, string> = {}): Promise<RouterHandle> {
  const config = parseConfig(RouterConfigSchema, {
    ...extra,
    ROUTER_PORT: '0', PRAXIS_TOPIC_PREFIX: prefix, ROUTER_INSTANCE_ID: `bench-scale-${randomBytes(3).toString('hex')}`, ROUTER_API_KEYS: `bench:${hashApiKey(KEY)}`,
    ROUTER_TENANT_POLICIES: JSON.stringify({ '*': { rateLimitPerSecond: 1e9, rateLimitBurst: 1e9 } }), EMBEDDINGS_LOCAL: embedder, LOG_LEVEL: 'warn',
    ROUTER_VECTOR_CACHE: cache.on ? 'true' : 'false', ...(cache.on ? { PRAXIS_CACHE_DIR: cache.dir } : {}),
  });
  return startRouter({ config, runtime });
}

/** Loads templates [from, to) into the router's core in batches of 2,000, as the feed would. */
async function load(r: RouterHandle, from: number, to: number): Promise<void> {
  const templates = syntheticTemplates(to).slice(from);
  for (let i = 0; i < templates.length; i += 2_000) {
    await r.core.applyRecords(templates.slice(i, i + 2_000).map((t, j) => ({ key: t.templateId, value: t, partition: 0, offset: String(from + i + j) })));
  }
}

const memory = () => {
  gc();
  const m = process.memoryUsage();
  return { rss: mb(m.rss), heap: mb(m.heapUsed), buffers: mb(m.arrayBuffers) };
};

async function scale(task: Extract<WorkerTask, { kind: 'scale' }>): Promise<WorkerFigures> {
  const prefix = `bench-scale-${Date.now().toString(36)}-${randomBytes(2).toString('hex')}.`;
  const runtime = await runtimeFor(task, prefix);
  const r = await router(runtime, prefix, task.embedder, { dir: '', on: false });
  await r.ready();
  const out: WorkerFigures = {};
  const m0 = memory();
  let loaded = 0;
  for (const size of task.sizes) {
    const t0 = performance.now();
    await load(r, loaded, size);
    out[`build_us_${size}`] = ((performance.now() - t0) * 1000) / (size - loaded);
    loaded = size;
    const m = memory();
    out[`rss_mb_${size}`] = m.rss - m0.rss;
    out[`heap_mb_${size}`] = m.heap - m0.heap;
    out[`buffers_mb_${size}`] = m.buffers - m0.buffers;
    const texts = queries(700, size);
    const t1 = performance.now();
    await r.core.lookup('bench', { query: texts[0]!, agentId: 'bench-agent' });
    out[`first_ms_${size}`] = performance.now() - t1;
    // in process, one at a time: the index and the checks, the query's embedding included
    const direct: number[] = [];
    for (const query of texts.slice(200)) {
      const t = performance.now();
      await r.core.lookup('bench', { query, agentId: 'bench-agent' });
      direct.push(performance.now() - t);
    }
    out[`direct_p50_${size}`] = percentile(direct, 50);
    out[`direct_p99_${size}`] = percentile(direct, 99);
    // over HTTP under load: a fixed 200 lookups/s on 4 connections, then 16 connections as fast as answered
    const bodies = texts.slice(200).map((query) => JSON.stringify({ query, agentId: 'bench-agent' }));
    let next = 0;
    const request: autocannon.Request = { method: 'POST', path: '/v1/lookup', headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' }, setupRequest: (req) => ({ ...req, body: bodies[next++ % bodies.length] }) };
    // the machine's own share of the latency: an empty GET /healthz under the same fixed rate
    const health = await autocannon({ url: `${r.url}/healthz`, duration: task.seconds, connections: 4, overallRate: 200 });
    out[`healthz_rate_p50_${size}`] = health.latency.p50;
    out[`healthz_rate_p99_${size}`] = health.latency.p99;
    const rate = await autocannon({ url: r.url, duration: task.seconds, connections: 4, overallRate: 200, requests: [request] });
    const busy = await autocannon({ url: r.url, duration: task.seconds, connections: 16, requests: [request] });
    out[`http_rate_p50_${size}`] = rate.latency.p50;
    out[`http_rate_p99_${size}`] = rate.latency.p99;
    out[`http_busy_p50_${size}`] = busy.latency.p50;
    out[`http_busy_p99_${size}`] = busy.latency.p99;
    out[`http_busy_rps_${size}`] = busy.requests.average;
    out[`http_errors_${size}`] = rate.non2xx + rate.errors + busy.non2xx + busy.errors;
    // candidate recall: does the candidate stage find the exact scan's best similarity?
    const tenant = r.core.catalog.tenant('bench');
    // (and, apart, of the queries that match a template: exact best 0.85 or more; the others plan either way)
    let same = 0;
    let matching = 0;
    let matchingSame = 0;
    const best = (hits: { similarity: number }[]) => (hits[0]?.similarity ?? 0).toFixed(5);
    for (const query of texts.slice(0, 100)) {
      const { text, tokens } = requestText(tenant, query);
      const [v] = await r.core.embedder.embed([text]);
      const exact = best(tenant.index.search(v!, tokens, 1, () => true, EXACT));
      const found = best(tenant.index.search(v!, tokens, 1, () => true)) === exact;
      if (found) same++;
      if (Number(exact) >= 0.85) {
        matching++;
        if (found) matchingSame++;
      }
    }
    out[`recall_${size}`] = same;
    if (matching > 0) out[`recall_matching_${size}`] = (100 * matchingSame) / matching;
  }
  await r.stop();
  await runtime.producer.disconnect();
  return out;
}

// a shared 2-core machine loads about 100k fused templates in 5 minutes: past this the slope of
// the steps already measured gives the rest (the caller projects it)
const CEILING_BUDGET_MS = 6 * 60_000;

/** Loads templates in steps until `max`, until resident memory passes `limitMb`, or until the time budget is spent. */
async function ceiling(task: Extract<WorkerTask, { kind: 'ceiling' }>): Promise<WorkerFigures> {
  const prefix = `bench-ceiling-${Date.now().toString(36)}-${randomBytes(2).toString('hex')}.`;
  const runtime = await runtimeFor(task, prefix);
  const r = await router(runtime, prefix, task.embedder, { dir: '', on: false });
  await r.ready();
  const out: WorkerFigures = { rss_start_mb: memory().rss };
  let loaded = 0;
  const started = performance.now();
  while (loaded < task.max && performance.now() - started < (task.budgetMs ?? CEILING_BUDGET_MS)) {
    const to = Math.min(task.max, loaded + task.step);
    await load(r, loaded, to);
    loaded = to;
    const rss = memory().rss;
    out[`rss_mb_${loaded}`] = rss;
    process.stderr.write(`  ceiling ${task.embedder}: ${loaded} templates, rss ${rss.toFixed(0)} MB\n`);
    if (rss > task.limitMb) break;
  }
  out.loaded = loaded;
  await r.stop();
  await runtime.producer.disconnect();
  return out;
}

/** Starts a router on a topic already holding `count` templates: to ready, then to the first answer. */
async function restart(task: Extract<WorkerTask, { kind: 'restart' }>): Promise<WorkerFigures> {
  const runtime = await runtimeFor(task, task.prefix);
  const t0 = performance.now();
  const r = await router(runtime, task.prefix, task.embedder, { dir: task.cacheDir, on: task.cache });
  await r.ready(1_800_000);
  const readyMs = performance.now() - t0;
  await r.core.lookup('bench', { query: queries(1, task.count)[0]!, agentId: 'bench-agent' });
  const answeredMs = performance.now() - t0;
  const stats = r.core.catalog.tenant('bench').index.graphStats;
  const t1 = performance.now();
  await r.stop(); // saves the graph when the cache is on
  const stopMs = performance.now() - t1;
  await runtime.producer.disconnect();
  return { ready_ms: readyMs, answered_ms: answeredMs, stop_ms: stopMs, templates: r.core.catalog.size, graph_loaded: stats.source === 'loaded' ? 1 : 0, graph_inserted: stats.inserted, rss_mb: memory().rss };
}

/** A router shard (ROUTER_SHARD) started on a topic of many tenants' templates: to ready, what it holds, resident memory, lookups of its tenants. */
async function shard(task: Extract<WorkerTask, { kind: 'shard' }>): Promise<WorkerFigures> {
  const runtime = await runtimeFor(task, task.prefix);
  const m0 = memory();
  const t0 = performance.now();
  const keys = Object.fromEntries(task.tenants.map((t) => [t, [hashApiKey(`${KEY}-${t}`)]]));
  const r = await router(runtime, task.prefix, task.embedder, { dir: '', on: false }, { ROUTER_SHARD: task.shard, ROUTER_API_KEYS: JSON.stringify(keys) });
  await r.ready(1_800_000);
  const readyMs = performance.now() - t0;
  const m = memory();
  // lookups of the tenants this shard holds, one at a time, in process
  const own = task.tenants.filter((t) => r.core.catalog.tenant(t).templates.size > 0);
  const times: number[] = [];
  const perTenant = own.length === 0 ? 0 : Math.ceil(r.core.catalog.size / own.length);
  for (const [j, query] of queries(300, perTenant).entries()) {
    const t = performance.now();
    await r.core.lookup(own[j % own.length]!, { query, agentId: 'bench-agent' });
    times.push(performance.now() - t);
  }
  await r.stop();
  await runtime.producer.disconnect();
  return { ready_ms: readyMs, templates: r.core.catalog.size, tenants: own.length, rss_mb: m.rss, rss_growth_mb: m.rss - m0.rss, heap_mb: m.heap, buffers_mb: m.buffers, lookup_p50_ms: percentile(times, 50), lookup_p99_ms: percentile(times, 99) };
}

const task = JSON.parse(process.argv[2]!) as WorkerTask;
const figures = task.kind === 'scale' ? await scale(task) : task.kind === 'ceiling' ? await ceiling(task) : task.kind === 'shard' ? await shard(task) : await restart(task);
process.send!(figures, () => process.exit(0));
