// End to end, small scale: the demo's own path (fleet -> Kafka -> segmenter, inducer,
// analytics sink, router; SDK lookups, executions and feedback), on topics, a database and a
// router port of its own. Asserts learned templates, a reuse answer, a correct replay, and
// ClickHouse rows that match what went through Kafka.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CommandIO } from '@praxis/cli';
import { runDemo, type DemoRun } from '@praxis/cli/demo';
import { evaluateTemplates } from '@praxis/fleet';
import type { Template } from '@praxis/schemas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readTopic, stack, uniquePrefix } from '../support/stack.js';

const AGENTS = ['acme-travel/trip-planner', 'initech-ops/deploy-bot'];

describe('end to end: fleet -> Kafka -> every service -> router and ClickHouse', () => {
  let run: DemoRun;
  const out: string[] = [];

  beforeAll(async () => {
    const prefix = uniquePrefix('e2e');
    const io: CommandIO = {
      out: (t: string) => out.push(t),
      err: (t: string) => out.push(t),
      env: { KAFKA_BROKERS: stack().kafkaBrokers.join(','), SCHEMA_REGISTRY_URL: stack().registryUrl, CLICKHOUSE_URL: stack().clickhouseUrl, LOG_LEVEL: 'warn' },
    };
    run = await runDemo({
      io,
      seed: 'e2e',
      scale: 'small',
      logDir: mkdtempSync(join(tmpdir(), 'praxis-e2e-')),
      isolate: { prefix, database: `it_${prefix.replace(/\W/g, '_')}`, routerPort: 0 },
    });
  }, 300_000);

  afterAll(async () => {
    await run?.stop();
  });

  const served = (): Template[] => {
    const catalog = run.services.router.core.catalog;
    return catalog.tenantIds().flatMap((t) => [...catalog.tenant(t).templates.values()]);
  };

  it('prints every part of the demo', () => {
    const text = out.join('\n');
    for (const part of ['1. Real servers', '2. Praxis services', '3. The synthetic agent fleet', '4. What Praxis learned', '5. The router answers', '6. An agent runs', '7. The loop closes', '8. Analytics in ClickHouse', 'Try it yourself']) {
      expect(text).toContain(part);
    }
  });

  it('learns the planted workflows of both agents as active templates, slots and bindings right', () => {
    expect(run.learned).toBe(true);
    const evaluation = evaluateTemplates(served(), { agents: AGENTS });
    expect({ missing: evaluation.missing, extra: evaluation.extra, mismatches: evaluation.mismatches }).toEqual({ missing: [], extra: [], mismatches: [] });
    expect(served().filter((t) => t.status === 'ACTIVE').length).toBe(evaluation.recovered.length);
  });

  it('answers a fresh query with reuse, every slot bound to the query\'s values', () => {
    const reuse = run.lookups.find((l) => l.task && l.answer.tier === 'reuse');
    expect(reuse, 'a fresh query answered with reuse').toBeDefined();
    const values = { ...reuse!.task!.values, ...reuse!.task!.context };
    for (const [slot, value] of Object.entries(reuse!.answer.workflow!.bindings)) {
      if (slot in values) expect(value).toEqual(values[slot]);
    }
    expect(reuse!.answer.workflow!.missingSlots).toEqual([]);
    expect(run.lookups.some((l) => l.answer.tier === 'plan')).toBe(true);
  });

  it('replays a served workflow with the calls of a correct run, and closes the loop', () => {
    expect(run.execution).toMatchObject({ outcome: 'succeeded', matchesExpected: true });
    expect(run.loop.executed).toBeGreaterThan(0);
    expect(run.loop.correct).toBe(run.loop.succeeded);
    expect(run.loop.succeeded / run.loop.executed).toBeGreaterThanOrEqual(0.9);
  });

  it('has exactly one ClickHouse row per step event, trajectory, template version, lookup and execution', async () => {
    const ch = run.services.clickhouse;
    const count = async (sql: string) => Number((await ch.query<{ n: number }>(sql))[0]!.n);
    expect(await count('SELECT count() AS n FROM steps FINAL')).toBe(new Set(run.events.map((e) => e.eventId)).size);

    const kafka = run.services.kafka;
    const admin = kafka.admin();
    await admin.connect();
    const total = async (topic: string) => (await admin.fetchTopicOffsets(topic)).reduce((n, p) => n + Number(p.high), 0);
    const [trajectoryRecords, templateRecords] = [await total(run.services.topics.trajectories.name), await total(run.services.topics.templates.name)];
    await admin.disconnect();
    const trajectoryIds = new Set<string>();
    for (const m of await readTopic(kafka, run.services.topics.trajectories.name, trajectoryRecords)) {
      trajectoryIds.add(((await decode(run, 'trajectories', m.value!)) as { trajectoryId: string }).trajectoryId);
    }
    expect(await count('SELECT count() AS n FROM trajectories FINAL')).toBe(trajectoryIds.size);

    const versions = new Set<string>();
    for (const m of await readTopic(kafka, run.services.topics.templates.name, templateRecords)) {
      if (m.value) {
        const t = (await decode(run, 'templates', m.value)) as { templateId: string; version: number };
        versions.add(`${t.templateId}@${t.version}`);
      }
    }
    expect(await count('SELECT count() AS n FROM (SELECT DISTINCT template_id, version FROM template_versions FINAL WHERE version > 0)')).toBe(versions.size);

    // every lookup (shown queries, the detailed run, the wave) and every execution reported
    expect(await count('SELECT count() AS n FROM router_lookups FINAL')).toBe(run.lookups.length + 1 + run.loop.tasks);
    expect(await count('SELECT count() AS n FROM executions FINAL')).toBe(1 + run.loop.executed);
  });
});

async function decode(run: DemoRun, topic: 'trajectories' | 'templates', value: Buffer): Promise<unknown> {
  const { AvroSerde } = await import('@praxis/kafka');
  return AvroSerde.forUrl(stack().registryUrl).decode(run.services.topics[topic], value);
}
