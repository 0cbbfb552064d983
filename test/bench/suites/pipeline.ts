// pnpm bench pipeline: the whole pipeline on this machine, each figure against raw kafkajs
// measured in the same run.
//  - throughput: steps/s from the SDK's record() through the segmenter, the inducer and the
//    analytics sink, against producing and consuming the same (encoded) messages with kafkajs;
//  - learning latency: a task's end -> the template it completes served by the router,
//    against the same three Kafka hops (steps -> trajectories -> templates -> router) relayed
//    by bare kafkajs consumers.
import { randomBytes } from 'node:crypto';
import { inducerCaughtUp, isolatedEnv, launchPraxis, type PraxisServices } from '@praxis/cli/launch';
import type { StackEndpoints } from '@praxis/cli/stack';
import { deterministicId } from '@praxis/core';
import { generateTraffic, type FleetTraffic } from '@praxis/fleet';
import { createLogger } from '@praxis/kafka';
import { hashApiKey } from '@praxis/router';
import { AgentStepSchema, type AgentStepInput, type Template } from '@praxis/schemas';
import { kafkaStepSink, Recorder, type StepInput, type StepSink } from '@praxis/sdk';
import { removeIsolated } from '../isolated.js';
import { percentile, type BenchContext, type BenchSuite, type Measurement } from '../harness.js';
import { rawProduceConsume, rawRelayLatencies } from './pipeline-raw.js';

const quiet = (service: string) => createLogger(service, 'error');

/** Launches every service on topics and a database of their own. */
export async function launch(stack: StackEndpoints, tag: string, extra: Record<string, string> = {}): Promise<{ services: PraxisServices; prefix: string; database: string; cleanup: () => Promise<void> }> {
  const id = `${tag}-${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
  const prefix = `bench-${id}.`;
  const database = `bench_${id.replace(/\W/g, '_')}`;
  const services = await launchPraxis({
    logger: quiet,
    env: {
      ...isolatedEnv({
        stack,
        prefix,
        database,
        routerPort: 0,
        instanceId: `bench-${id}`,
        keyHashes: { bench: hashApiKey('bench-key') },
        logLevel: 'error',
        idleMs: 1_000,
        idleGraceMs: 500,
      }),
      // the segmenter's partitions in flight (docs/runtime.md, "The consume path"), when the bench is run with it
      ...(process.env.CONSUMER_PARTITIONS_IN_FLIGHT ? { CONSUMER_PARTITIONS_IN_FLIGHT: process.env.CONSUMER_PARTITIONS_IN_FLIGHT } : {}),
      ...extra,
    },
  });
  // a busy shared server may time out dropping the database; the figures are taken, so say so and go on
  const cleanup = () => removeIsolated(services, stack.clickhouseUrl, prefix, database, (error) => console.error(`  bench: could not drop ${database}: ${(error as Error).message}`));
  return { services, prefix, database, cleanup };
}

/** A fleet step as the agent's code would hand it to record(). */
function stepInput(e: AgentStepInput): StepInput {
  return {
    kind: e.kind,
    sessionId: e.sessionId,
    taskId: e.taskId ?? undefined,
    timestampMs: e.timestampMs,
    query: e.query ?? undefined,
    toolName: e.toolName ?? undefined,
    parameters: e.parametersJson ? (JSON.parse(e.parametersJson) as Record<string, unknown>) : undefined,
    result: e.resultJson ? (JSON.parse(e.resultJson) as unknown) : undefined,
    status: e.status ?? 'OK',
    errorType: e.errorType ?? undefined,
    errorMessage: e.errorMessage ?? undefined,
    durationMs: e.durationMs ?? undefined,
    model: e.model ?? undefined,
    promptTokens: e.promptTokens ?? undefined,
    completionTokens: e.completionTokens ?? undefined,
    taskOutcome: e.taskOutcome ?? undefined,
  };
}

/**
 * One SDK Recorder per agent, and the fleet's steps as record() inputs: the agent's own values,
 * built here, before a caller starts its clock (the raw baseline encodes its messages before its
 * clock too).
 */
export function fleetRecorders(sink: StepSink, events: readonly AgentStepInput[]): { recordAll: () => Promise<void>; close: () => Promise<void> } {
  const recorders = new Map<string, Recorder>();
  const recorderOf = (e: AgentStepInput) => {
    const key = `${e.tenantId}/${e.agentId}`;
    let rec = recorders.get(key);
    if (!rec) recorders.set(key, (rec = new Recorder({ tenantId: e.tenantId, agentId: e.agentId, sink, flushOnExit: false, maxBuffer: events.length + 1 })));
    return rec;
  };
  const inputs = events.map((e) => ({ e, input: stepInput(e) }));
  return {
    /** Records every step, then resolves once the sink has acknowledged them all. */
    async recordAll() {
      for (const { e, input } of inputs) recorderOf(e).record(input);
      await Promise.all([...recorders.values()].map((rec) => rec.flush()));
    },
    async close() {
      for (const rec of recorders.values()) await rec.close();
    },
  };
}

/** The fleet's tasks in event order per session, without the deliberately late and duplicate deliveries. */
export function orderedEvents(traffic: FleetTraffic): AgentStepInput[] {
  return [...traffic.tasks.flatMap((t) => t.events)].sort((a, b) => a.timestampMs - b.timestampMs || a.seq - b.seq);
}

export async function until(probe: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await probe()) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

/** Steps/s through SDK -> segmenter -> inducer -> sink, and raw kafkajs on the same messages. */
async function throughput(ctx: BenchContext): Promise<Measurement[]> {
  const stack = await ctx.stack();
  // PRAXIS_BENCH_PIPELINE_INSTANCES: a larger workload than the recorded one (steady state; fixed waits weigh less)
  const traffic = generateTraffic('bench-pipeline', { instancesPerWorkflow: Number(process.env.PRAXIS_BENCH_PIPELINE_INSTANCES ?? (ctx.quick ? 16 : 48)), sessionsPerAgent: 8 });
  const events = orderedEvents(traffic);
  const n = events.length;
  ctx.log(`pipeline: ${n} steps of ${traffic.tasks.length} tasks per run`);
  const ingest: number[] = [];
  const endToEnd: number[] = [];
  const raw: number[] = [];
  const runs = Math.min(ctx.repeats, ctx.quick ? 1 : 3);
  for (let r = 0; r < runs; r++) {
    const { services, prefix, cleanup } = await launch(stack, `pipe${r}`);
    try {
      const sink = kafkaStepSink({ brokers: stack.kafkaBrokers.split(','), registryUrl: stack.registryUrl, topicPrefix: prefix, clientId: 'bench-sdk' });
      const count = async (table: string) => Number((await services.clickhouse.query<{ n: number }>(`SELECT count() AS n FROM ${table}`))[0]?.n ?? 0);
      const recorders = fleetRecorders(sink, events);
      const elu0 = performance.eventLoopUtilization();
      const cpu0 = process.cpuUsage();
      const t0 = performance.now();
      await recorders.recordAll();
      const tSdk = performance.now();
      // where the ingest time goes: the SDK's acknowledged sends, the segmenter, the sink's rows
      let tSegmenter = 0;
      let tSink = 0;
      await until(async () => {
        if (!tSegmenter && services.segmenter.applied() >= n) tSegmenter = performance.now();
        if (!tSink && (await count('steps')) >= n) tSink = performance.now();
        return tSegmenter > 0 && tSink > 0;
      }, 300_000);
      const t1 = performance.now();
      const elu1 = performance.eventLoopUtilization(elu0);
      const cpu1 = process.cpuUsage(cpu0);
      await until(async () => {
        if (services.segmenter.openSessions() > 0) return false;
        const inducer = await inducerCaughtUp(services);
        return inducer.caughtUp && (await count('trajectories')) >= inducer.trajectories;
      }, 300_000);
      const t2 = performance.now();
      ingest.push(n / ((t1 - t0) / 1000));
      endToEnd.push(n / ((t2 - t0) / 1000));
      await recorders.close();
      await sink.close();
      ctx.log(`pipeline run ${r + 1}: ingest ${Math.round(n / ((t1 - t0) / 1000))} steps/s, end to end ${Math.round(n / ((t2 - t0) / 1000))} steps/s (after ${Math.round(tSdk - t0)} ms the SDK's steps were acknowledged, ${Math.round(tSegmenter - t0)} ms all applied by the segmenter, ${Math.round(tSink - t0)} ms all in ClickHouse, ${Math.round(t2 - t0)} ms all induced; during ingest the event loop was busy ${Math.round(elu1.utilization * 100)} % and the process used ${Math.round((cpu1.user + cpu1.system) / 1000)} ms CPU in ${Math.round(t1 - t0)} ms; ${services.inducer.plans()} agent plans for ${(await inducerCaughtUp(services)).trajectories} trajectories)`);
    } finally {
      await cleanup();
    }
    raw.push(await rawProduceConsume(stack, events.map((e) => AgentStepSchema.parse(e))));
  }
  return [
    { name: 'pipeline.raw_kafkajs', label: 'raw kafkajs produce + consume, same Avro messages', unit: 'steps/s', higherIsBetter: true, samples: raw },
    {
      name: 'pipeline.ingest',
      label: 'SDK record() -> segmenter + analytics sink (all steps applied and in ClickHouse)',
      unit: 'steps/s',
      higherIsBetter: true,
      samples: ingest,
      baseline: 'pipeline.raw_kafkajs',
    },
    {
      name: 'pipeline.end_to_end',
      label: '... and every trajectory closed, induced and in ClickHouse',
      unit: 'steps/s',
      higherIsBetter: true,
      samples: endToEnd,
      baseline: 'pipeline.raw_kafkajs',
      notes: 'includes the 1.5 s idle close of the last open sessions (SEGMENTER_IDLE_MS 1000 + grace 500)',
    },
  ];
}

/** The trajectory id the segmenter gives a fleet task (first step's event id). */
export const trajectoryIdOf = (task: FleetTraffic['tasks'][number]) => deterministicId('traj', task.tenantId, task.agentId, task.sessionId, task.events[0]!.eventId!);

/**
 * Polls the router's catalog every `intervalMs` and calls `onActive` once for each template
 * that has turned ACTIVE; `stop()` ends the polling after its current round.
 */
export function watchActive(services: PraxisServices, intervalMs: number, onActive: (t: Template) => void): { stop: () => Promise<void> } {
  const seen = new Set<string>();
  let watching = true;
  const loop = (async () => {
    while (watching) {
      const catalog = services.router.core.catalog;
      for (const tenantId of catalog.tenantIds()) {
        for (const t of catalog.tenant(tenantId).templates.values()) {
          if (t.status !== 'ACTIVE' || seen.has(t.templateId)) continue;
          seen.add(t.templateId);
          onActive(t);
        }
      }
      await new Promise((r) => setTimeout(r, intervalMs));
    }
  })();
  return {
    stop: async () => {
      watching = false;
      await loop;
    },
  };
}

/**
 * Sends the events one by one with event time = now, spread evenly over `durationMs`;
 * `onSent` sees each event once its send is acknowledged.
 */
export async function sendInRealTime(sink: StepSink, events: AgentStepInput[], durationMs: number, onSent: (e: AgentStepInput) => void): Promise<void> {
  const gap = durationMs / events.length;
  const started = performance.now();
  for (let i = 0; i < events.length; i++) {
    const e = events[i]!;
    await sink.send([{ ...e, timestampMs: Date.now() }]);
    onSent(e);
    const wait = started + (i + 1) * gap - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  }
}

/**
 * Sends the fleet's tasks in real time (event time = now) and records, for each template the
 * router comes to serve as ACTIVE, the time from the end of the last task it was learned from.
 */
async function learningLatency(ctx: BenchContext, latenessMs: number, durationMs: number): Promise<number[]> {
  const stack = await ctx.stack();
  const traffic = generateTraffic(`bench-latency-${latenessMs}`, { instancesPerWorkflow: 12, sessionsPerAgent: 6, lateRate: 0, tooLateRate: 0, duplicateRate: 0, abandonRate: 0 });
  const events = orderedEvents(traffic);
  const taskEnds = new Map<string, number>();
  const endEventOf = new Map<string, string>();
  for (const t of traffic.tasks) endEventOf.set(t.events[t.events.length - 1]!.eventId!, trajectoryIdOf(t));
  const { services, prefix, cleanup } = await launch(stack, `lat${latenessMs}`, { SEGMENTER_ALLOWED_LATENESS_MS: String(latenessMs), SEGMENTER_IDLE_MS: '3000' });
  const samples: number[] = [];
  try {
    const sink = kafkaStepSink({ brokers: stack.kafkaBrokers.split(','), registryUrl: stack.registryUrl, topicPrefix: prefix, clientId: 'bench-latency' });
    const watcher = watchActive(services, 20, (t) => {
      const ends = t.lineage.map((l) => taskEnds.get(l.trajectoryId)).filter((x): x is number => x !== undefined);
      if (ends.length > 0) samples.push(performance.now() - Math.max(...ends));
    });
    await sendInRealTime(sink, events, durationMs, (e) => {
      const trajectory = endEventOf.get(e.eventId!);
      if (trajectory) taskEnds.set(trajectory, performance.now());
    });
    await until(async () => services.segmenter.openSessions() === 0, 60_000);
    await new Promise((r) => setTimeout(r, 3_000));
    await watcher.stop();
    await sink.close();
    ctx.log(`latency (lateness ${latenessMs} ms): ${samples.length} templates served; p50 ${Math.round(percentile(samples, 50))} ms, p99 ${Math.round(percentile(samples, 99))} ms`);
  } finally {
    await cleanup();
  }
  return samples;
}

async function latencies(ctx: BenchContext): Promise<Measurement[]> {
  const stack = await ctx.stack();
  const p50: number[] = [];
  const p99: number[] = [];
  const raw50: number[] = [];
  const raw99: number[] = [];
  const runs = Math.min(ctx.repeats, ctx.quick ? 1 : 3);
  for (let r = 0; r < runs; r++) {
    const s = await learningLatency(ctx, 2_000, ctx.quick ? 20_000 : 45_000);
    p50.push(percentile(s, 50));
    p99.push(percentile(s, 99));
    const raw = await rawRelayLatencies(stack, 500);
    raw50.push(percentile(raw, 50));
    raw99.push(percentile(raw, 99));
  }
  const out: Measurement[] = [
    { name: 'latency.raw_relay_p50', label: 'raw kafkajs 3-hop relay p50 (same hops)', unit: 'ms', higherIsBetter: false, samples: raw50 },
    { name: 'latency.raw_relay_p99', label: 'raw kafkajs 3-hop relay p99', unit: 'ms', higherIsBetter: false, samples: raw99 },
    { name: 'latency.learn_p50', label: 'task end -> template served p50 (lateness 2 s)', unit: 'ms', higherIsBetter: false, samples: p50, baseline: 'latency.raw_relay_p50' },
    { name: 'latency.learn_p99', label: 'task end -> template served p99 (lateness 2 s)', unit: 'ms', higherIsBetter: false, samples: p99, baseline: 'latency.raw_relay_p99' },
  ];
  if (!ctx.quick) {
    // the default allowed lateness (60 s), with the same 3 s idle close: one long run
    const s = await learningLatency(ctx, 60_000, 150_000);
    out.push(
      { name: 'latency.learn_default_p50', label: 'task end -> template served p50 (lateness 60 s, idle close 3 s)', unit: 'ms', higherIsBetter: false, samples: [percentile(s, 50)], notes: `${s.length} templates, one run` },
      { name: 'latency.learn_default_p99', label: 'task end -> template served p99 (lateness 60 s, idle close 3 s)', unit: 'ms', higherIsBetter: false, samples: [percentile(s, 99)] },
    );
  }
  return out;
}

export const pipelineSuite: BenchSuite = {
  id: 'pipeline',
  title: 'Pipeline throughput and learning latency (real Kafka, registry, ClickHouse)',
  run: async (ctx) => [...(await throughput(ctx)), ...(await latencies(ctx))],
};

/** The learning-latency part of the pipeline suite alone (`pnpm bench pipeline-latency`). */
export const pipelineLatencySuite: BenchSuite = {
  id: 'pipeline-latency',
  title: 'Learning latency: task end -> template served (real Kafka, registry, ClickHouse)',
  run: latencies,
};

/** The throughput part of the pipeline suite alone (`pnpm bench pipeline-throughput`). */
export const pipelineThroughputSuite: BenchSuite = {
  id: 'pipeline-throughput',
  title: 'Pipeline throughput: SDK -> services -> ClickHouse against raw kafkajs (real Kafka, registry, ClickHouse)',
  run: throughput,
};
