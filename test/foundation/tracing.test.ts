// One agent task followed by its trace id from the SDK to the router, through real Kafka,
// registry and ClickHouse: the SDK's task span, the send of its steps, the segmenter's send of
// its trajectory, the inducer's send of the template version it completes and the router's
// apply of that version share one trace, each span the child of the one before (the context
// rides in the records' traceparent header). Spans go to an in-memory exporter.
import { launchPraxis, isolatedEnv, type PraxisServices } from '@praxis/cli/launch';
import { generateTraffic } from '@praxis/fleet';
import { startTracing, type Tracing } from '@praxis/kafka';
import { hashApiKey } from '@praxis/router';
import { kafkaStepSink, type StepSink } from '@praxis/sdk';
import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeIsolated } from '../bench/isolated.js';
import { eventually, quietLogger, stack, uniquePrefix } from '../support/stack.js';

describe('tracing: one agent task from the SDK to the router', () => {
  const prefix = uniquePrefix('trace');
  const database = prefix.replace(/\W/g, '_');
  const exporter = new InMemorySpanExporter();
  let tracing: Tracing;
  let services: PraxisServices;
  let sink: StepSink;
  let served: ReadableSpan;

  beforeAll(async () => {
    tracing = startTracing({ service: 'praxis-test', exporter });
    const s = stack();
    services = await launchPraxis({
      logger: quietLogger,
      env: isolatedEnv({ stack: { kafkaBrokers: s.kafkaBrokers.join(','), registryUrl: s.registryUrl, clickhouseUrl: s.clickhouseUrl }, prefix, database, routerPort: 0, instanceId: prefix, keyHashes: { t: hashApiKey('trace-key') }, logLevel: 'warn', idleMs: 1_000, idleGraceMs: 500 }),
    });
    sink = kafkaStepSink({ brokers: s.kafkaBrokers, registryUrl: s.registryUrl, topicPrefix: prefix, clientId: 'trace-test', logger: quietLogger('sdk') });
    // a small fleet in real time (event time = now), so its tasks close at their TASK_END
    const traffic = generateTraffic('trace-test', { instancesPerWorkflow: 6, sessionsPerAgent: 2, lateRate: 0, tooLateRate: 0, duplicateRate: 0, abandonRate: 0 });
    const events = traffic.tasks.flatMap((t) => t.events).sort((a, b) => a.timestampMs - b.timestampMs || a.seq - b.seq);
    const sessions = new Map<string, typeof events>();
    for (const e of events) sessions.set(`${e.tenantId}/${e.agentId}/${e.sessionId}`, [...(sessions.get(`${e.tenantId}/${e.agentId}/${e.sessionId}`) ?? []), e]);
    // sessions side by side, each in its order (the SDK's order per session)
    await Promise.all([...sessions.values()].map(async (list) => {
      for (const e of list) await sink.send([{ ...e, timestampMs: Date.now() }]);
    }));
    const applied = await eventually(() => exporter.getFinishedSpans().find((sp) => sp.name === 'apply template'), 60_000);
    if (!applied) {
      const names = new Map<string, number>();
      for (const sp of exporter.getFinishedSpans()) names.set(sp.name, (names.get(sp.name) ?? 0) + 1);
      throw new Error(`the router applied no traced template within 60 s; spans: ${JSON.stringify(Object.fromEntries(names))}`);
    }
    served = applied;
  }, 120_000);

  afterAll(async () => {
    await sink?.close();
    if (services) await removeIsolated(services, stack().clickhouseUrl, prefix, database);
    await tracing?.shutdown();
  });

  const traceOf = (traceId: string) => exporter.getFinishedSpans().filter((s) => s.spanContext().traceId === traceId);
  const parentOf = (span: ReadableSpan, all: ReadableSpan[]) => all.find((s) => s.spanContext().spanId === span.parentSpanContext?.spanId);

  it('chains the router apply back to the agent task span: SDK -> segmenter -> inducer -> router', async () => {
    const { topics } = services;
    // the SDK's task span ends at TASK_END; later spans of the trace may still be in flight
    await eventually(() => traceOf(served.spanContext().traceId).some((s) => s.name === 'agent task'));
    const trace = traceOf(served.spanContext().traceId);
    const chain: string[] = [];
    for (let span: ReadableSpan | undefined = served; span; span = parentOf(span, trace)) chain.push(`${span.name}${span.attributes['praxis.service'] ? ` (${String(span.attributes['praxis.service'])})` : ''}`);
    expect(chain).toEqual([
      'apply template',
      `send ${topics.templates.name} (inducer)`,
      `send ${topics.trajectories.name} (segmenter)`,
      `send ${topics.steps.name} (sdk-recorder)`,
      'agent task',
    ]);
    const task = trace.find((s) => s.name === 'agent task')!;
    expect(task.parentSpanContext).toBeUndefined();
    expect(task.attributes['praxis.tenant']).toEqual(expect.any(String));
  });

  it('puts batch handling and ClickHouse writes in spans, the batches linked to the traces of their records', async () => {
    const all = exporter.getFinishedSpans();
    const batches = all.filter((s) => s.name === `process ${services.topics.trajectories.name}`);
    expect(batches.length).toBeGreaterThan(0);
    const linked = new Set(batches.flatMap((b) => b.links.map((l) => l.context.traceId)));
    expect(linked.has(served.spanContext().traceId)).toBe(true);
    await eventually(() => exporter.getFinishedSpans().some((s) => s.name.startsWith(`INSERT ${database}.`)));
    const inserts = exporter.getFinishedSpans().filter((s) => s.name.startsWith(`INSERT ${database}.`));
    expect(inserts.length).toBeGreaterThan(0);
    expect(inserts[0]!.attributes['db.system.name']).toBe('clickhouse');
    // a write flushed by a batch is that batch's child; one flushed by a tick (the buffer's age) is a root of its own
    for (const insert of inserts) {
      const parent = parentOf(insert, exporter.getFinishedSpans());
      if (insert.parentSpanContext) expect({ parent: parent?.name, service: parent?.attributes['praxis.service'] }).toEqual({ parent: expect.stringMatching(/^process /), service: 'analytics' });
    }
  });
});
