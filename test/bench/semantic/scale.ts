// The router at scale, one tenant of synthetic templates, each figure from a router in a process
// of its own (scale-worker.ts): lookup p50/p99 at 1k / 10k / 100k templates in process and over
// HTTP under load (the query's embedding included), index build, memory, candidate recall; how
// many templates fit in 4 GiB; restart to ready at 100k with an empty and with a warm vector
// cache. The default local embedder (the model fused with hashing), the model alone and the
// hashing embedder in the same run: the ratios are against hashing.
import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger, createRuntime, ensureTopics } from '@praxis/kafka';
import type { Template } from '@praxis/schemas';
import type { BenchContext, Measurement } from '../harness.js';
import { syntheticTemplates } from '../suites/router.js';
import type { Local, WorkerFigures, WorkerTask } from './scale-worker.js';

const WORKER = new URL('./scale-worker.ts', import.meta.url);

/** Runs one task in a fresh process and returns its figures. */
function inWorker(ctx: BenchContext, task: WorkerTask): Promise<WorkerFigures> {
  return new Promise<WorkerFigures>((resolve, reject) => {
    const child = fork(WORKER, [JSON.stringify(task)], { execArgv: [...process.execArgv, '--expose-gc', '--max-old-space-size=8192'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    let figures: WorkerFigures | undefined;
    child.on('message', (m) => (figures = m as WorkerFigures));
    child.on('error', reject);
    child.on('exit', (code) => (figures ? resolve(figures) : reject(new Error(`scale worker (${task.kind} ${task.embedder}) exited with ${code} and no figures`))));
  }).then((f) => {
    ctx.log(`router scale worker ${task.kind} ${task.embedder}: ${Object.entries(f).map(([k, v]) => `${k}=${v.toFixed(v < 10 ? 2 : 0)}`).join(' ')}`);
    return f;
  });
}

const k = (n: number) => (n >= 1_000_000 ? `${n / 1_000_000}M` : `${n / 1000}k`);

/** Lookup latency (in process and HTTP under load), build, memory and recall per embedder and size. */
export async function lookupAtScale(ctx: BenchContext, sizes: number[], embedders: Local[] = ['fused', 'model', 'hashing']): Promise<Measurement[]> {
  const stack = await ctx.stack();
  const out: Measurement[] = [];
  for (const embedder of embedders) {
    const f = await inWorker(ctx, { kind: 'scale', embedder, sizes, seconds: ctx.quick ? 2 : 5, brokers: stack.kafkaBrokers.split(','), registryUrl: stack.registryUrl });
    for (const size of sizes) {
      const m = (key: string, figure: string, label: string, unit: string, higherIsBetter = false): Measurement | null => f[`${figure}_${size}`] === undefined ? null : ({
        name: `router.scale_${key}_${k(size)}_${embedder}`, label: `${label} (${k(size)} templates, ${embedder})`, unit, higherIsBetter, samples: [f[`${figure}_${size}`]!],
        ...(embedder === 'hashing' ? {} : { baseline: `router.scale_${key}_${k(size)}_hashing` }),
      });
      const row: (Measurement | null)[] = [
        m('lookup_p50', 'direct_p50', 'in-process lookup p50, query embedding included', 'ms'),
        m('lookup_p99', 'direct_p99', 'in-process lookup p99, query embedding included', 'ms'),
        m('healthz_rate_p50', 'healthz_rate_p50', 'GET /healthz p50 at 200 req/s (the machine\'s share)', 'ms'),
        m('healthz_rate_p99', 'healthz_rate_p99', 'GET /healthz p99 at 200 req/s (the machine\'s share)', 'ms'),
        m('http_rate_p50', 'http_rate_p50', 'POST /v1/lookup p50 at 200 req/s', 'ms'),
        m('http_rate_p99', 'http_rate_p99', 'POST /v1/lookup p99 at 200 req/s', 'ms'),
        m('http_busy_p50', 'http_busy_p50', 'POST /v1/lookup p50, 16 connections', 'ms'),
        m('http_busy_p99', 'http_busy_p99', 'POST /v1/lookup p99, 16 connections', 'ms'),
        m('http_busy_rps', 'http_busy_rps', 'lookups/s, 16 connections', 'req/s', true),
        m('build', 'build_us', 'index build per template (embed, reduce, index, graph)', 'us'),
        m('first_lookup', 'first_ms', 'first lookup after loading', 'ms'),
        m('rss', 'rss_mb', 'resident memory of the loaded router', 'MB'),
        m('heap', 'heap_mb', 'JS heap of the loaded router', 'MB'),
        m('recall', 'recall', 'candidate stage finds the exact best similarity (of 100)', '%', true),
        m('recall_matching', 'recall_matching', 'candidate stage finds the exact best similarity, of the queries whose exact best is >= 0.85', '%', true),
      ];
      out.push(...row.filter((x): x is Measurement => x !== null));
    }
  }
  return out;
}

/** How many templates one router holds within `limitMb` of resident memory (loading in steps up to `max`). */
export async function memoryCeiling(ctx: BenchContext, embedder: Local, max: number, limitMb = 4096): Promise<Measurement[]> {
  const stack = await ctx.stack();
  const step = max >= 1_000_000 ? 100_000 : max / 5;
  const f = await inWorker(ctx, { kind: 'ceiling', embedder, step, max, limitMb, brokers: stack.kafkaBrokers.split(','), registryUrl: stack.registryUrl });
  const steps = Object.keys(f).filter((x) => x.startsWith('rss_mb_')).map((x) => Number(x.slice(7)));
  const last = steps[steps.length - 1]!;
  const within = steps.filter((n) => f[`rss_mb_${n}`]! <= limitMb).pop() ?? 0;
  // resident memory grows linearly past the first step: the slope is the cost of 100k more
  const perHundredK = steps.length >= 2 ? ((f[`rss_mb_${last}`]! - f[`rss_mb_${steps[0]}`]!) / (last - steps[0]!)) * 100_000 : f[`rss_mb_${last}`]! / (last / 100_000);
  const projected = f[`rss_mb_${last}`]! + (perHundredK * (max - last)) / 100_000;
  // the loading stops at the limit, at `max`, or at the worker's time budget: past the last step the slope projects
  const fits = last + ((limitMb - f[`rss_mb_${last}`]!) / perHundredK) * 100_000;
  return [
    { name: `router.ceiling_templates_${embedder}`, label: `templates one router held within ${limitMb} MB resident (${embedder}, loaded in steps of ${k(step)} up to ${k(max)}, the limit, or a 6-minute budget)`, unit: 'templates', higherIsBetter: true, samples: [within], notes: `last step ${last} at ${f[`rss_mb_${last}`]!.toFixed(0)} MB` },
    { name: `router.ceiling_projected_templates_${embedder}`, label: `templates one router would hold within ${limitMb} MB resident, projected from the steps' slope (${embedder})`, unit: 'templates', higherIsBetter: true, samples: [Math.min(max, fits)] },
    { name: `router.ceiling_rss_per_100k_${embedder}`, label: `resident memory per 100k more templates (${embedder}, slope of the steps)`, unit: 'MB', higherIsBetter: false, samples: [perHundredK] },
    { name: `router.ceiling_rss_projected_${k(max)}_${embedder}`, label: `resident memory projected for ${k(max)} templates in one router (${embedder})`, unit: 'MB', higherIsBetter: false, samples: [projected] },
  ];
}

/** Topics of a fresh prefix named after `name`, with `templates` produced to the templates topic (the producer disconnected after). */
async function templatesTopic(ctx: BenchContext, name: string, templates: Template[]): Promise<{ stack: Awaited<ReturnType<BenchContext['stack']>>; brokers: string[]; prefix: string; produceMs: number }> {
  const stack = await ctx.stack();
  const brokers = stack.kafkaBrokers.split(',');
  const prefix = `${name}-${Date.now().toString(36)}.`;
  const runtime = await createRuntime(name, { KAFKA_BROKERS: brokers, SCHEMA_REGISTRY_URL: stack.registryUrl, PRAXIS_TOPIC_PREFIX: prefix, LOG_LEVEL: 'warn' }, createLogger(name, 'warn'));
  const admin = runtime.kafka.admin();
  await admin.connect();
  await ensureTopics(admin, Object.values(runtime.topics));
  await admin.disconnect();
  const t0 = performance.now();
  for (let i = 0; i < templates.length; i += 1_000) await runtime.producer.send(templates.slice(i, i + 1_000).map((value) => ({ spec: runtime.topics.templates, key: value.templateId, value })));
  await runtime.producer.disconnect();
  return { stack, brokers, prefix, produceMs: performance.now() - t0 };
}

/**
 * Restart to ready at `count` templates on the topic: a router with an empty vector cache (it
 * embeds and builds everything, as without a cache), then a fresh process with the cache the
 * first one left (vectors read, graph loaded), per embedder. Ready, and the first answer.
 */
export async function restartToReady(ctx: BenchContext, count: number, embedders: Local[] = ['fused', 'hashing'], withCacheOff = true): Promise<Measurement[]> {
  const { stack, brokers, prefix, produceMs } = await templatesTopic(ctx, 'bench-restart', syntheticTemplates(count));
  ctx.log(`router restart: produced ${count} templates in ${(produceMs / 1000).toFixed(1)} s`);
  const out: Measurement[] = [];
  for (const embedder of embedders) {
    const cacheDir = mkdtempSync(join(tmpdir(), `praxis-bench-cache-${randomBytes(2).toString('hex')}-`));
    try {
      const task = { kind: 'restart' as const, embedder, count, prefix, cacheDir, brokers, registryUrl: stack.registryUrl };
      // without the cache: the cache off; when that run is skipped (a shorter run), the empty cache's run, which does the same work and fills it
      const off = withCacheOff ? await inWorker(ctx, { ...task, cache: false }) : null;
      const cold = await inWorker(ctx, { ...task, cache: true });
      const warm = await inWorker(ctx, { ...task, cache: true });
      const base = (name: string) => (embedder === 'hashing' ? {} : { baseline: `${name}_hashing` });
      const label = (what: string) => `${what}, ${k(count)} templates (${embedder})`;
      const without = off ? `router.restart_nocache_${embedder}` : `router.restart_cold_${embedder}`;
      if (off) out.push({ name: `router.restart_nocache_${embedder}`, label: label('restart to first answer, vector cache off'), unit: 's', higherIsBetter: false, samples: [off.answered_ms! / 1000], ...base('router.restart_nocache') });
      out.push(
        { name: `router.restart_cold_${embedder}`, label: label('restart to first answer, empty vector cache (fills it)'), unit: 's', higherIsBetter: false, samples: [cold.answered_ms! / 1000], ...(off ? { baseline: without } : base('router.restart_cold')) },
        { name: `router.restart_warm_${embedder}`, label: label('restart to first answer, warm vector cache (vectors read, graph loaded)'), unit: 's', higherIsBetter: false, samples: [warm.answered_ms! / 1000], baseline: without, notes: `graph loaded: ${warm.graph_loaded === 1}, rows inserted ${warm.graph_inserted}` },
        { name: `router.restart_warm_ready_${embedder}`, label: label('restart to ready (/readyz), warm vector cache'), unit: 's', higherIsBetter: false, samples: [warm.ready_ms! / 1000] },
        { name: `router.restart_cold_rss_${embedder}`, label: label('resident memory after the restart, empty cache'), unit: 'MB', higherIsBetter: false, samples: [cold.rss_mb!] },
      );
    } finally {
      rmSync(cacheDir, { recursive: true, force: true });
    }
  }
  return out;
}

/**
 * Router shards by tenant (docs/router.md, "Shards by tenant"): `count` synthetic templates of
 * `tenants` tenants on one templates topic; a router of the whole catalog, then each of `shards`
 * shards, each in a fresh process reading the topic from the start: to ready, templates held,
 * resident memory, in-process lookups of its own tenants. Ratios against the whole router.
 */
export async function shardsByTenant(ctx: BenchContext, count: number, tenants: number, shards: number, embedder: Local = 'hashing'): Promise<Measurement[]> {
  const names = Array.from({ length: tenants }, (_, i) => `tenant-${i}`);
  const templates = syntheticTemplates(count).map((t, i) => ({ ...t, tenantId: names[i % tenants]!, templateId: `${names[i % tenants]}-${t.templateId}` }));
  const { stack, brokers, prefix } = await templatesTopic(ctx, 'bench-shards', templates);
  const task = { kind: 'shard' as const, embedder, tenants: names, prefix, brokers, registryUrl: stack.registryUrl };
  const whole = await inWorker(ctx, { ...task, shard: '0/1' });
  const parts: WorkerFigures[] = [];
  for (let i = 0; i < shards; i++) parts.push(await inWorker(ctx, { ...task, shard: `${i}/${shards}` }));
  const label = (what: string, of: string) => `${what}, ${of} (${k(count)} templates of ${tenants} tenants, ${embedder})`;
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const out: Measurement[] = [
    { name: 'router.shards_whole_ready', label: label('restart to ready', 'one router, every tenant'), unit: 's', higherIsBetter: false, samples: [whole.ready_ms! / 1000] },
    { name: 'router.shards_whole_rss', label: label('resident memory when ready', 'one router, every tenant'), unit: 'MB', higherIsBetter: false, samples: [whole.rss_mb!] },
    { name: 'router.shards_whole_templates', label: label('templates held', 'one router, every tenant'), unit: 'templates', higherIsBetter: false, samples: [whole.templates!] },
    { name: 'router.shards_whole_lookup_p50', label: label('in-process lookup p50, own tenants', 'one router, every tenant'), unit: 'ms', higherIsBetter: false, samples: [whole.lookup_p50_ms!] },
    { name: 'router.shards_shard_ready', label: label(`restart to ready, each of ${shards} shards`, 'one shard'), unit: 's', higherIsBetter: false, samples: parts.map((p) => p.ready_ms! / 1000), baseline: 'router.shards_whole_ready' },
    { name: 'router.shards_shard_rss', label: label(`resident memory when ready, each of ${shards} shards`, 'one shard'), unit: 'MB', higherIsBetter: false, samples: parts.map((p) => p.rss_mb!), baseline: 'router.shards_whole_rss' },
    { name: 'router.shards_whole_growth', label: label('resident memory the catalog added (ready minus start)', 'one router, every tenant'), unit: 'MB', higherIsBetter: false, samples: [whole.rss_growth_mb!] },
    { name: 'router.shards_shard_growth', label: label(`resident memory the catalog added, each of ${shards} shards`, 'one shard'), unit: 'MB', higherIsBetter: false, samples: parts.map((p) => p.rss_growth_mb!), baseline: 'router.shards_whole_growth' },
    { name: 'router.shards_shard_templates', label: label(`templates held, each of ${shards} shards`, 'one shard'), unit: 'templates', higherIsBetter: false, samples: parts.map((p) => p.templates!), notes: `together ${parts.reduce((n, p) => n + p.templates!, 0)} of ${whole.templates}` },
    { name: 'router.shards_shard_lookup_p50', label: label('in-process lookup p50, own tenants', 'one shard'), unit: 'ms', higherIsBetter: false, samples: parts.map((p) => p.lookup_p50_ms!), baseline: 'router.shards_whole_lookup_p50' },
  ];
  ctx.log(`router shards: whole ${whole.templates} templates, rss ${whole.rss_mb!.toFixed(0)} MB, ready ${(whole.ready_ms! / 1000).toFixed(1)} s; shards ${parts.map((p) => `${p.templates} templates ${p.rss_mb!.toFixed(0)} MB ${(p.ready_ms! / 1000).toFixed(1)} s`).join(' | ')} (median rss ${median(parts.map((p) => p.rss_mb!)).toFixed(0)} MB)`);
  return out;
}
