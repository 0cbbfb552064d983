// Learning pipeline benchmarks: steps/s through the segmenter and inducer processors, each
// against decoding the same records (Avro + zod, what every consumer pays anyway), memory
// per 10k open sessions against the raw size of their steps, and steps/s through a real
// segmenter group against a no-op group on the same topic.
import { runInNewContext } from 'node:vm';
import v8 from 'node:v8';
import { generateTraffic } from '@praxis/fleet';
import { DEFAULT_INDUCER_POLICY, Inducer } from '@praxis/inducer';
import { ConsumerRunner, createKafka, createLogger, createRuntime, ensureTopics, perRecord } from '@praxis/kafka';
import { AgentStepSchema, avroType, TrajectorySchema, type AgentStep, type Trajectory } from '@praxis/schemas';
import { DEFAULT_POLICY, PartitionSegmenter, startSegmenter, type EmittedTrajectory } from '@praxis/segmenter';
import { repeat, timeMs, type BenchSuite, type Measurement } from '../harness.js';

v8.setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const segmenterOptions = { policyFor: () => DEFAULT_POLICY, idleMs: 5 * 60_000, maxPendingPerSession: 2_000 };

export function segmentAll(steps: AgentStep[]): Trajectory[] {
  const seg = new PartitionSegmenter(segmenterOptions);
  const out: EmittedTrajectory[] = [];
  steps.forEach((s, i) => seg.apply(s, i, i, out));
  seg.flushAll(out);
  return out.map((o) => o.trajectory);
}

/** The traffic of several fleet seeds, one after the other in time. */
export function workload(quick: boolean): AgentStep[] {
  const seeds = quick ? 1 : 4;
  const steps: AgentStep[] = [];
  for (let s = 0; s < seeds; s++) {
    const traffic = generateTraffic(`bench-${s}`, { instancesPerWorkflow: quick ? 10 : 30, startMs: Date.UTC(2026, 0, 12 + s * 2, 9) });
    steps.push(...traffic.events.map((e) => AgentStepSchema.parse({ ...e, sessionId: `${e.sessionId}-${s}`, eventId: `${e.eventId}-${s}` })));
  }
  return steps;
}

/** 10k sessions, each with an open task of four steps (query, plan, two tool calls with results). */
function openSessions(n: number): AgentStep[] {
  const t0 = Date.UTC(2026, 0, 12, 9);
  const steps: AgentStep[] = [];
  for (let i = 0; i < n; i++) {
    const base = { tenantId: `tenant-${i % 10}`, agentId: `agent-${i % 7}`, sessionId: `session-${i}`, timestampMs: t0 + (i % 1000) };
    steps.push(
      AgentStepSchema.parse({ ...base, eventId: `e${i}-0`, seq: 0, kind: 'QUERY', query: `Where is my order ORD-${10_000 + i}? It should have arrived last week.` }),
      AgentStepSchema.parse({ ...base, eventId: `e${i}-1`, seq: 1, kind: 'LLM_CALL', model: 'gpt-4o', promptTokens: 1200, completionTokens: 150 }),
      AgentStepSchema.parse({ ...base, eventId: `e${i}-2`, seq: 2, kind: 'TOOL_CALL', toolName: 'get_order', parametersJson: JSON.stringify({ orderId: `ORD-${10_000 + i}` }), resultJson: JSON.stringify({ order: { id: `ORD-${10_000 + i}`, status: 'shipped', total: 129.99, customer: { id: `C-${i}`, email: `user${i}@example.com` }, shipment: { carrier: 'DHL', trackingRef: `TR${1_000_000_000 + i}` }, items: [{ sku: `SKU-${i}`, qty: 1 }, { sku: `SKU-${i + 1}`, qty: 2 }] } }), durationMs: 120 }),
      AgentStepSchema.parse({ ...base, eventId: `e${i}-3`, seq: 3, kind: 'TOOL_CALL', toolName: 'get_tracking', parametersJson: JSON.stringify({ trackingRef: `TR${1_000_000_000 + i}` }), resultJson: JSON.stringify({ tracking: { status: 'in_transit', eta: '2026-01-20', events: [{ at: '2026-01-12T10:00:00Z', where: 'Hub A' }] } }), durationMs: 80 }),
    );
  }
  return steps;
}

/** As the inducer service does: apply a batch of 500 trajectories, then re-induce the agents it touched; each published record to `onRecord`. */
export function induceInBatches(trajectories: readonly Trajectory[], onRecord: (record: unknown) => void = () => undefined): void {
  const inducer = new Inducer(() => DEFAULT_INDUCER_POLICY);
  for (let i = 0; i < trajectories.length; i += 500) {
    const touched = new Set<string>();
    trajectories.slice(i, i + 500).forEach((t, j) => {
      const key = inducer.applyTrajectory(t, 0, i + j);
      if (key) touched.add(key);
    });
    for (const key of touched) for (const o of inducer.publish(key)) onRecord(o);
  }
}

export const learningSuite: BenchSuite = {
  id: 'learning',
  title: 'Learning pipeline: segmenter and inducer',
  async run(ctx) {
    const steps = workload(ctx.quick);
    const stepType = avroType('agentStep');
    const encodedSteps = steps.map((s) => stepType.toBuffer(s));
    ctx.log(`workload: ${steps.length} steps`);
    const trajectories = segmentAll(steps);
    const trajectoryType = avroType('trajectory');
    const encodedTrajectories = trajectories.map((t) => trajectoryType.toBuffer(t));
    const toolSteps = trajectories.reduce((n, t) => n + t.steps.length, 0);
    ctx.log(`${trajectories.length} trajectories, ${toolSteps} tool steps`);

    const perSecond = (n: number, ms: number) => (n / ms) * 1000;
    const decodeSteps = await repeat(ctx.repeats, async () => perSecond(steps.length, await timeMs(async () => encodedSteps.forEach((b) => AgentStepSchema.parse(stepType.fromBuffer(b))))));
    const segment = await repeat(ctx.repeats, async () => perSecond(steps.length, await timeMs(async () => segmentAll(steps))));
    const decodeTrajectories = await repeat(ctx.repeats, async () => perSecond(toolSteps, await timeMs(async () => encodedTrajectories.forEach((b) => TrajectorySchema.parse(trajectoryType.fromBuffer(b))))));
    const induce = await repeat(ctx.repeats, async () =>
      perSecond(
        toolSteps,
        await timeMs(async () => {
          induceInBatches(trajectories);
        }),
      ),
    );

    const sessions = openSessions(10_000);
    const rawMiB = sessions.reduce((n, s) => n + Buffer.byteLength(JSON.stringify(s)), 0) / 2 ** 20;
    const memory = await repeat(ctx.repeats, async () => {
      gc();
      const before = process.memoryUsage().heapUsed;
      const seg = new PartitionSegmenter(segmenterOptions);
      const out: EmittedTrajectory[] = [];
      sessions.forEach((s, i) => seg.apply(s, i, i, out));
      gc();
      const delta = (process.memoryUsage().heapUsed - before) / 2 ** 20;
      if (seg.openSessions !== 10_000 || out.length !== 0) throw new Error(`expected 10k open sessions, got ${seg.openSessions}`);
      return delta;
    });

    const measurements: Measurement[] = [
      { name: 'decode.steps_per_s', label: 'decode steps (Avro + zod), baseline', unit: 'steps/s', higherIsBetter: true, samples: decodeSteps },
      { name: 'segmenter.steps_per_s', label: 'segmenter processor', unit: 'steps/s', higherIsBetter: true, samples: segment, baseline: 'decode.steps_per_s' },
      { name: 'decode.trajectory_steps_per_s', label: 'decode trajectories (Avro + zod), baseline', unit: 'steps/s', higherIsBetter: true, samples: decodeTrajectories },
      { name: 'inducer.steps_per_s', label: 'inducer processor (apply + re-induce per 500)', unit: 'steps/s', higherIsBetter: true, samples: induce, baseline: 'decode.trajectory_steps_per_s', notes: 'tool steps of the trajectories' },
      { name: 'raw.mib_per_10k_sessions', label: 'their steps as JSON, baseline', unit: 'MiB', higherIsBetter: false, samples: [rawMiB] },
      { name: 'segmenter.heap_mib_per_10k_sessions', label: 'segmenter heap, 10k open sessions x 4 steps', unit: 'MiB', higherIsBetter: false, samples: memory, baseline: 'raw.mib_per_10k_sessions' },
    ];
    if (!ctx.quick) measurements.push(...(await throughKafka(ctx, steps.slice(0, 20_000))));
    return measurements;
  },
};

/** Steps/s through a real segmenter group, against a group whose handler does nothing, on the same topic. */
async function throughKafka(ctx: Parameters<BenchSuite['run']>[0], steps: AgentStep[]): Promise<Measurement[]> {
  const stack = await ctx.stack();
  const prefix = `bench-learning-${Date.now().toString(36)}.`;
  const logger = createLogger('bench', 'error');
  const rt = await createRuntime('bench-learning', { KAFKA_BROKERS: stack.kafkaBrokers.split(','), SCHEMA_REGISTRY_URL: stack.registryUrl, PRAXIS_TOPIC_PREFIX: prefix, LOG_LEVEL: 'error' }, logger);
  const admin = createKafka({ brokers: stack.kafkaBrokers.split(','), clientId: 'bench', logger }).admin();
  await admin.connect();
  await ensureTopics(admin, [rt.topics.steps, rt.topics.trajectories]);
  await admin.disconnect();
  for (let i = 0; i < steps.length; i += 2_000) await rt.producer.send(steps.slice(i, i + 2_000).map((value) => ({ spec: rt.topics.steps, value })));
  ctx.log(`through Kafka: ${steps.length} steps in ${rt.topics.steps.name}`);

  const waitFor = async (done: () => boolean) => {
    while (!done()) await new Promise((r) => setTimeout(r, 20));
  };
  const raw: number[] = [];
  const seg: number[] = [];
  for (let run = 0; run < Math.min(ctx.repeats, 3); run++) {
    let seen = 0;
    const noop = new ConsumerRunner({ kafka: rt.kafka, serde: rt.serde, producer: rt.producer, logger, service: 'bench', groupId: `${prefix}noop-${run}`, topics: [rt.topics.steps], handler: perRecord(() => { seen++; return {}; }) });
    const t0 = performance.now();
    await noop.start();
    await waitFor(() => seen >= steps.length);
    raw.push((steps.length / (performance.now() - t0)) * 1000);
    await noop.stop();

    const t1 = performance.now();
    const handle = await startSegmenter({ runtime: { ...rt, logger }, groupId: `${prefix}segmenter-${run}`, policy: DEFAULT_POLICY, idleMs: 60_000, idleGraceMs: 10_000 });
    await waitFor(() => handle.applied() >= steps.length);
    seg.push((steps.length / (performance.now() - t1)) * 1000);
    await handle.stop();
  }
  await rt.producer.disconnect();
  return [
    { name: 'kafka.noop_steps_per_s', label: 'through Kafka: no-op group (decode, validate, commit), baseline', unit: 'steps/s', higherIsBetter: true, samples: raw },
    { name: 'kafka.segmenter_steps_per_s', label: 'through Kafka: segmenter group', unit: 'steps/s', higherIsBetter: true, samples: seg, baseline: 'kafka.noop_steps_per_s' },
  ];
}
