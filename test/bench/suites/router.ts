// pnpm bench router: lookup latency under HTTP load at 1k / 10k / 100k templates (against
// GET /healthz under the same load, and against the in-process lookup without HTTP), index
// build, publish-to-served latency through Kafka, SDK record() overhead per step, and the
// executor's start-up. Everything on loopback, bounded in time.
import { randomBytes } from 'node:crypto';
import { createLogger, createRuntime, ensureTopics, parseConfig, type Runtime } from '@praxis/kafka';
import { hashApiKey, RouterConfigSchema, startRouter, type RouterHandle } from '@praxis/router';
import { TemplateSchema, type Template } from '@praxis/schemas';
import { makeTemplate } from '@praxis/schemas/factories';
import { executeWorkflow, kafkaStepSink, Recorder, type StepInput } from '@praxis/sdk';
import autocannon from 'autocannon';
import { percentile, repeat, type BenchContext, type BenchSuite, type Measurement } from '../harness.js';
import { semanticFigures } from './router-semantic.js';
import { oppositeProbes } from '../router-quality/opposites.js';
import { findWorkbench } from '../semantic/workbench.js';
import { fileURLToPath } from 'node:url';

const KEY = 'bench-key';
const VERBS = ['export', 'archive', 'approve', 'email', 'print', 'share', 'rename', 'audit', 'merge', 'tag', 'review', 'sign', 'translate', 'summarise', 'publish', 'schedule', 'encrypt', 'compress', 'index', 'validate'];
const OBJECTS = Array.from({ length: 50 }, (_, i) => `${['invoice', 'report', 'contract', 'ticket', 'photo', 'playlist', 'budget', 'roster', 'manifest', 'ledger'][i % 10]}${['', 's'][Math.floor(i / 10) % 2]} ${['alpha', 'beta', 'gamma', 'delta', 'omega'][Math.floor(i / 10) % 5]}`);
const WORDS = 'amber basil cedar dune ember fjord grove harbor iris juniper kelp lotus maple nectar onyx pearl quartz raven sage tundra umber velvet willow xenon yarrow zephyr acorn birch coral dahlia elm fern garnet hazel indigo jade kiwi lilac moss nutmeg olive pine quince rose saffron thyme ula vine wheat yew zinnia arbor bloom cliff delta estuary fable glade heath islet jetty knoll lagoon mesa nook oasis prairie quarry reef savanna terrace upland vale wharf yard zenith atlas beacon canyon dell eyrie forge gully hollow inlet jungle keel ledge marsh notch orchard pass ridge shoal tarn brook cairn dingle ford glen'.split(' ');

/** The trigger text of synthetic template i: a distinct verb x object x qualifier per template. */
const trigger = (i: number, variant: number) => `${VERBS[i % 20]} the ${OBJECTS[Math.floor(i / 20) % 50]} of the ${WORDS[Math.floor(i / 1000) % WORDS.length]} project${variant ? ' for ticket T-1' : ' T-1'}`;

export function syntheticTemplates(count: number): Template[] {
  const base = TemplateSchema.parse(makeTemplate({ tenantId: 'bench', agentId: null }));
  return Array.from({ length: count }, (_, i) => ({ ...base, templateId: `bench-${i}`, name: `bench ${i}`, triggerExamples: [trigger(i, 0), trigger(i, 1)] }));
}

/** Queries: half repeats with other ids, a quarter paraphrases, a quarter unrelated. */
export function queries(count: number, templates: number): string[] {
  return Array.from({ length: count }, (_, j) => {
    const i = (j * 7919) % templates;
    if (j % 4 === 0) return `what time is the ${WORDS[j % WORDS.length]} train to ${WORDS[(j * 3) % WORDS.length]}`;
    if (j % 4 === 1) return `please ${trigger(i, 0).replace('T-1', `T-${j}`)} now`;
    return trigger(i, j % 2).replace('T-1', `T-${j}`);
  });
}

/** Saturating load (16 connections, as fast as answered), or a fixed rate of 200 req/s over 4 connections. */
async function load(url: string, duration: number, request: autocannon.Request, fixedRate = false): Promise<autocannon.Result> {
  return autocannon({ url, duration, requests: [request], ...(fixedRate ? { connections: 4, overallRate: 200 } : { connections: 16 }) });
}

/** Starts a router on its own topics with generous rate limits. */
async function benchRouter(runtime: Runtime, prefix: string): Promise<RouterHandle> {
  const config = parseConfig(RouterConfigSchema, {
    ROUTER_PORT: '0',
    PRAXIS_TOPIC_PREFIX: prefix,
    ROUTER_INSTANCE_ID: `bench-${randomBytes(3).toString('hex')}`,
    ROUTER_API_KEYS: `bench:${hashApiKey(KEY)}`,
    ROUTER_TENANT_POLICIES: JSON.stringify({ '*': { rateLimitPerSecond: 1e9, rateLimitBurst: 1e9 } }),
    LOG_LEVEL: 'warn',
  });
  const router = await startRouter({ config, runtime });
  await router.ready();
  return router;
}

async function lookupUnderLoad(ctx: BenchContext, router: RouterHandle, sizes: number[]): Promise<Measurement[]> {
  const out: Measurement[] = [];
  const duration = ctx.quick ? 1 : 3;
  const runs = Math.min(ctx.repeats, 3);
  let loaded = 0;
  for (const size of sizes) {
    const templates = syntheticTemplates(size).slice(loaded);
    const buildMs: number[] = [];
    const started = performance.now();
    for (let i = 0; i < templates.length; i += 2_000) {
      await router.core.applyRecords(templates.slice(i, i + 2_000).map((t, j) => ({ key: t.templateId, value: t, partition: 0, offset: String(loaded + i + j) })));
    }
    buildMs.push((performance.now() - started) / templates.length * 1000);
    loaded = size;
    (globalThis as { gc?: () => void }).gc?.();
    const heapMb = process.memoryUsage().heapUsed / 2 ** 20;
    ctx.log(`router: ${size} templates loaded (${Math.round(heapMb)} MB heap)`);
    const bodies = queries(512, size).map((query) => JSON.stringify({ query, agentId: 'bench-agent' }));
    let next = 0;
    const lookup: autocannon.Request = { method: 'POST', path: '/v1/lookup', headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' }, setupRequest: (req) => ({ ...req, body: bodies[next++ % bodies.length] }) };
    const health: autocannon.Request = { method: 'GET', path: '/healthz' };
    const p50: number[] = [];
    const p99: number[] = [];
    const rps: number[] = [];
    const hp50: number[] = [];
    const hp99: number[] = [];
    const f50: number[] = [];
    const f99: number[] = [];
    const fh50: number[] = [];
    const fh99: number[] = [];
    for (let r = 0; r < runs; r++) {
      const fh = await load(router.url, duration, health, true);
      fh50.push(fh.latency.p50);
      fh99.push(fh.latency.p99);
      const f = await load(router.url, duration, lookup, true);
      f50.push(f.latency.p50);
      f99.push(f.latency.p99);
      const h = await load(router.url, duration, health);
      hp50.push(h.latency.p50);
      hp99.push(h.latency.p99);
      const l = await load(router.url, duration, lookup);
      if (l.non2xx > 0 || l.errors > 0) ctx.log(`router: ${l.non2xx} non-2xx and ${l.errors} errors under load at ${size}`);
      p50.push(l.latency.p50);
      p99.push(l.latency.p99);
      rps.push(l.requests.average);
    }
    // the same queries in-process, without HTTP: the index and checks alone
    const direct: number[] = [];
    for (const body of bodies) {
      const t0 = performance.now();
      await router.core.lookup('bench', JSON.parse(body));
      direct.push(performance.now() - t0);
    }
    const k = `${size / 1000}k`;
    out.push(
      { name: `router.healthz_rate_p50_${k}`, label: `GET /healthz p50 at 200 req/s (${k} templates)`, unit: 'ms', higherIsBetter: false, samples: fh50 },
      { name: `router.healthz_rate_p99_${k}`, label: `GET /healthz p99 at 200 req/s (${k})`, unit: 'ms', higherIsBetter: false, samples: fh99 },
      { name: `router.lookup_rate_p50_${k}`, label: `POST /v1/lookup p50 at 200 req/s (${k})`, unit: 'ms', higherIsBetter: false, samples: f50, baseline: `router.healthz_rate_p50_${k}` },
      { name: `router.lookup_rate_p99_${k}`, label: `POST /v1/lookup p99 at 200 req/s (${k})`, unit: 'ms', higherIsBetter: false, samples: f99, baseline: `router.healthz_rate_p99_${k}` },
      { name: `router.healthz_p50_${k}`, label: `GET /healthz p50, 16 connections (${k})`, unit: 'ms', higherIsBetter: false, samples: hp50 },
      { name: `router.healthz_p99_${k}`, label: `GET /healthz p99, 16 connections (${k})`, unit: 'ms', higherIsBetter: false, samples: hp99 },
      { name: `router.lookup_p50_${k}`, label: `POST /v1/lookup p50, 16 connections (${k})`, unit: 'ms', higherIsBetter: false, samples: p50, baseline: `router.healthz_p50_${k}` },
      { name: `router.lookup_p99_${k}`, label: `POST /v1/lookup p99, 16 connections (${k})`, unit: 'ms', higherIsBetter: false, samples: p99, baseline: `router.healthz_p99_${k}` },
      { name: `router.lookup_rps_${k}`, label: `lookups/s, 16 connections (${k})`, unit: 'req/s', higherIsBetter: true, samples: rps },
      { name: `router.lookup_direct_p50_${k}`, label: `in-process lookup p50, no HTTP (${k})`, unit: 'ms', higherIsBetter: false, samples: [percentile(direct, 50)] },
      { name: `router.lookup_direct_p99_${k}`, label: `in-process lookup p99, no HTTP (${k})`, unit: 'ms', higherIsBetter: false, samples: [percentile(direct, 99)] },
      { name: `router.index_build_${k}`, label: `index build per template (to ${k})`, unit: 'us', higherIsBetter: false, samples: buildMs, notes: `heap ${Math.round(heapMb)} MB after loading` },
    );
  }
  return out;
}

/** From producing a template to the router serving it, against a plain consumer seeing the same record. */
async function publishToServed(ctx: BenchContext, runtime: Runtime, router: RouterHandle): Promise<Measurement[]> {
  const kafka = runtime.kafka;
  const consumer = kafka.consumer({ groupId: `bench-watch-${randomBytes(3).toString('hex')}` });
  const seen = new Map<string, number>();
  await consumer.connect();
  await consumer.subscribe({ topic: runtime.topics.templates.name, fromBeginning: false });
  await consumer.run({ eachMessage: async ({ message }) => void seen.set(message.key?.toString() ?? '', performance.now()) });
  await new Promise((r) => setTimeout(r, 2_000)); // let the watcher join
  const served: number[] = [];
  const delivered: number[] = [];
  await repeat(ctx.quick ? 3 : 10, async (run) => {
    const id = `bench-pub-${run}-${randomBytes(3).toString('hex')}`;
    const word = `zq${[...randomBytes(6)].map((b) => String.fromCharCode(97 + (b % 26))).join('')}`;
    const t = makeTemplate({ templateId: id, tenantId: 'bench', agentId: null, triggerExamples: [`rotate the ${word} credentials`] });
    const t0 = performance.now();
    await runtime.producer.send([{ spec: runtime.topics.templates, value: t }]);
    let answered = 0;
    while (performance.now() - t0 < 10_000) {
      const r = await router.core.lookup('bench', { query: `rotate the ${word} credentials`, agentId: 'a' });
      if (r.templateId === id) {
        answered = performance.now();
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    const watched = seen.get(id);
    if (run >= 0 && answered) served.push(answered - t0);
    if (run >= 0 && watched) delivered.push(watched - t0);
    return 0;
  });
  await consumer.disconnect();
  return [
    { name: 'router.publish_to_consumer', label: 'template produced -> plain consumer sees it', unit: 'ms', higherIsBetter: false, samples: delivered },
    { name: 'router.publish_to_served', label: 'template produced -> served by a lookup', unit: 'ms', higherIsBetter: false, samples: served, baseline: 'router.publish_to_consumer' },
  ];
}

/** record() cost per step (synchronous part, with a real Kafka sink behind it), against JSON.stringify of the step. */
async function recorderOverhead(ctx: BenchContext, brokers: string[], registryUrl: string, prefix: string): Promise<Measurement[]> {
  const steps = 5_000;
  const step = (i: number): StepInput => ({ kind: 'TOOL_CALL', sessionId: `s-${i % 50}`, toolName: 'lookup_order', parameters: { orderId: `A-${i}`, apiKey: 'sk-should-not-leave', options: { verbose: true } }, result: { order: { id: `A-${i}`, status: 'shipped', items: [{ sku: 'X', qty: 2 }] } }, durationMs: 12 });
  const perStep: number[] = [];
  const baseline: number[] = [];
  const drained: number[] = [];
  const recorder = new Recorder({ tenantId: 'bench', agentId: 'bench-agent', sink: kafkaStepSink({ brokers, registryUrl, topicPrefix: prefix, logger: createLogger('bench', 'error') }), maxBuffer: 100_000, flushOnExit: false });
  await repeat(ctx.repeats, async (run) => {
    const inputs = Array.from({ length: steps }, (_, i) => step(i));
    let t0 = performance.now();
    for (const s of inputs) JSON.stringify(s);
    const json = ((performance.now() - t0) * 1000) / steps;
    t0 = performance.now();
    for (const s of inputs) recorder.record(s);
    const rec = ((performance.now() - t0) * 1000) / steps;
    const t1 = performance.now();
    await recorder.flush();
    if (run >= 0) {
      baseline.push(json);
      perStep.push(rec);
      drained.push(steps / ((performance.now() - t1) / 1000));
    }
    return rec;
  });
  const stats = await recorder.close();
  if (stats.dropped || stats.failed) ctx.log(`recorder: dropped ${stats.dropped}, failed ${stats.failed}`);
  return [
    { name: 'sdk.json_stringify_step', label: 'JSON.stringify of a step (baseline)', unit: 'us', higherIsBetter: false, samples: baseline },
    { name: 'sdk.record_per_step', label: 'Recorder.record() per step (redact, validate, buffer)', unit: 'us', higherIsBetter: false, samples: perStep, baseline: 'sdk.json_stringify_step' },
    { name: 'sdk.record_flush_rate', label: 'steps/s written to Kafka after record()', unit: 'steps/s', higherIsBetter: true, samples: drained },
  ];
}

/** executeWorkflow on a 3-step workflow with in-memory tools, against calling the same tools by hand. */
async function executorStartup(ctx: BenchContext): Promise<Measurement[]> {
  const t = TemplateSchema.parse(makeTemplate({
    signature: ['lookup_order', 'get_tracking', 'notify'],
    steps: [
      { index: 0, toolName: 'lookup_order', params: [{ path: 'orderId', kind: 'SLOT', slotName: 'orderId' }] },
      { index: 1, toolName: 'get_tracking', params: [{ path: 'ref', kind: 'STEP_RESULT', stepIndex: 0, resultPath: 'order.carrierRef' }] },
      { index: 2, toolName: 'notify', params: [{ path: 'status', kind: 'STEP_RESULT', stepIndex: 1, resultPath: 'status' }, { path: 'channel', kind: 'CONSTANT', valueJson: '"email"' }] },
    ],
  }));
  const tools = {
    lookup_order: async (p: Record<string, unknown>) => ({ order: { id: p.orderId, carrierRef: 'ZX-1' } }),
    get_tracking: async (p: Record<string, unknown>) => ({ status: 'in transit', ref: p.ref }),
    notify: async () => ({ sent: true }),
  };
  const runs = 2_000;
  const startup: number[] = [];
  const whole: number[] = [];
  const direct: number[] = [];
  await repeat(ctx.repeats, async (run) => {
    const s: number[] = [];
    let t0 = performance.now();
    for (let i = 0; i < runs; i++) {
      const r = await executeWorkflow({ workflow: { ...t, bindings: { orderId: 'A-1' } }, tools });
      s.push(r.startupMs!);
    }
    const exec = ((performance.now() - t0) * 1000) / runs;
    t0 = performance.now();
    for (let i = 0; i < runs; i++) {
      const a = (await tools.lookup_order({ orderId: 'A-1' })) as { order: { carrierRef: string } };
      const b = await tools.get_tracking({ ref: a.order.carrierRef });
      await tools.notify();
      void b;
    }
    const hand = ((performance.now() - t0) * 1000) / runs;
    if (run >= 0) {
      startup.push(percentile(s, 50) * 1000);
      whole.push(exec);
      direct.push(hand);
    }
    return exec;
  });
  return [
    { name: 'executor.direct_calls', label: '3 tool calls by hand (baseline)', unit: 'us', higherIsBetter: false, samples: direct },
    { name: 'executor.run', label: 'executeWorkflow, 3 steps, whole run', unit: 'us', higherIsBetter: false, samples: whole, baseline: 'executor.direct_calls' },
    { name: 'executor.startup', label: 'executeWorkflow start-up (to the first tool call)', unit: 'us', higherIsBetter: false, samples: startup },
  ];
}

export const routerSuite: BenchSuite = {
  id: 'router',
  title: 'Router paraphrase recall (WorkBench), lookup at scale and under load, SDK recorder, executor',
  async run(ctx) {
    const semantic = await semanticFigures(ctx, ctx.quick ? [1_000, 10_000] : [1_000, 10_000, 100_000], ctx.quick ? 10_000 : 100_000);
    const workbench = findWorkbench(process.env, fileURLToPath(new URL('../../..', import.meta.url)));
    if (workbench) semantic.push(...(await oppositeProbes(ctx, workbench)));
    const stack = await ctx.stack();
    const prefix = `bench-router-${Date.now().toString(36)}.`;
    const brokers = stack.kafkaBrokers.split(',');
    const runtime = await createRuntime('bench-router', { KAFKA_BROKERS: brokers, SCHEMA_REGISTRY_URL: stack.registryUrl, PRAXIS_TOPIC_PREFIX: prefix, LOG_LEVEL: 'warn' }, createLogger('bench-router', 'warn'));
    const admin = runtime.kafka.admin();
    await admin.connect();
    await ensureTopics(admin, Object.values(runtime.topics));
    await admin.disconnect();
    const router = await benchRouter(runtime, prefix);
    try {
      const results: Measurement[] = [...semantic];
      results.push(...(await executorStartup(ctx)));
      results.push(...(await recorderOverhead(ctx, brokers, stack.registryUrl, prefix)));
      results.push(...(await publishToServed(ctx, runtime, router)));
      results.push(...(await lookupUnderLoad(ctx, router, ctx.quick ? [1_000, 10_000] : [1_000, 10_000, 100_000])));
      return results;
    } finally {
      await router.stop();
      await runtime.producer.disconnect();
    }
  },
};

