// Every query in docs/analytics.md runs on the Debian server (18.16) and on the current
// engine, against a dataset with redelivered duplicates; both return the same rows, and
// several agree with figures computed independently from the records.
import { readFileSync } from 'node:fs';
import { migrate, placeholders, type SqlParams } from '@praxis/clickhouse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../setup/infra.js';
import { ENGINES, comparable, testClickHouse, type EngineName } from '../support/clickhouse.js';
import { generateDataset } from '../support/analytics-data.js';
import { expectedDerived, quantileBounds, quantileExact } from '../support/analytics-expected.js';
import { loadDataset } from '../support/analytics-load.js';

/** The named ```sql blocks of the analyst guide. */
export function documentedQueries(markdown: string): { name: string; sql: string }[] {
  return [...markdown.matchAll(/```sql name=([a-z0-9_]+)\n([\s\S]*?)```/g)].map((m) => ({ name: m[1]!, sql: m[2]!.trim() }));
}

const QUERIES = documentedQueries(readFileSync(`${repoRoot}docs/analytics.md`, 'utf8'));
const data = generateDataset({ prefix: 'doc', seed: 5, days: 4, sessionsPerDay: 16 });
const PARAMS: SqlParams = { tenant: 'globex', from: '2026-11-01', to: '2026-11-04', template_id: 'doc-tpl-globex-w0', min_calls: 5, recent_from: '2026-11-04' };
const results: Record<EngineName, Record<string, unknown[]>> = { 'clickhouse-18.16': {}, chdb: {} };

describe('the analyst guide', () => {
  it('has a dozen named queries whose parameters are all documented', () => {
    expect(QUERIES.length).toBeGreaterThanOrEqual(12);
    expect(new Set(QUERIES.map((q) => q.name)).size).toBe(QUERIES.length);
    for (const q of QUERIES) for (const p of placeholders(q.sql)) expect(Object.keys(PARAMS), `${q.name}: {${p.name}}`).toContain(p.name);
  });
});

describe.each(ENGINES)('documented queries on %s', (engine) => {
  let ch: Awaited<ReturnType<typeof testClickHouse>>;

  beforeAll(async () => {
    ch = await testClickHouse(engine, 'docs');
    await migrate(ch);
    await loadDataset(ch, data, { batchSize: 300, redeliver: 0.5 });
  });
  afterAll(async () => {
    await ch?.drop();
  });

  for (const q of QUERIES) {
    it(`${q.name} runs and returns rows`, async () => {
      const rows = await ch.query(q.sql, PARAMS);
      expect(rows.length, q.name).toBeGreaterThan(0);
      results[engine][q.name] = rows;
    });
  }
});

describe('documented queries, checked', () => {
  const expected = expectedDerived(data);
  const of = (name: string) => results['clickhouse-18.16'][name] as Record<string, unknown>[];

  it('return the same rows on 18.16 and on the current engine', () => {
    // top_workflows.p50_ms is a quantileTDigest (a sketch): checked against the records below.
    const sketches = (name: string) => (name === 'top_workflows' ? ['p50_ms'] : []);
    for (const q of QUERIES) expect(comparable(results.chdb[q.name], sketches(q.name)), q.name).toEqual(comparable(results['clickhouse-18.16'][q.name], sketches(q.name)));
  });

  it('worst_tools and tool_latency agree with the records', () => {
    const calls = expected.tool_daily.filter((r) => r.tenant_id === 'globex');
    const byTool = new Map<string, { calls: number; errors: number }>();
    for (const r of calls) {
      const t = byTool.get(r.tool_name) ?? { calls: 0, errors: 0 };
      byTool.set(r.tool_name, { calls: t.calls + r.calls, errors: t.errors + r.errors });
    }
    for (const row of of('worst_tools')) {
      const t = byTool.get(row.tool_name as string)!;
      expect(row).toMatchObject({ calls: t.calls, errors: t.errors });
      expect(row.error_rate).toBeCloseTo(t.errors / t.calls, 9);
    }
    const timed = data.steps.filter((s) => s.tenantId === 'globex' && s.kind === 'TOOL_CALL' && s.durationMs !== null);
    for (const row of of('tool_latency')) {
      const values = timed.filter((s) => s.toolName === row.tool_name && s.agentId === row.agent_id).map((s) => s.durationMs!);
      expect(row).toMatchObject({ timed_calls: values.length, p50_ms: quantileExact(values, 0.5), p95_ms: quantileExact(values, 0.95), max_ms: Math.max(...values) });
    }
  });

  it('top_workflows counts runs exactly and places the median within the sketch tolerance, on both engines', () => {
    for (const engine of ENGINES) {
      for (const row of results[engine].top_workflows as Record<string, unknown>[]) {
        const runs = data.trajectories.filter((t) => t.tenantId === 'globex' && t.signature.join(' > ') === row.workflow);
        expect(row.runs, String(row.workflow)).toBe(runs.length);
        const [lo, hi] = quantileBounds(runs.map((t) => t.endedAtMs - t.startedAtMs), 0.5);
        expect(row.p50_ms as number).toBeGreaterThanOrEqual(lo - 1e-9);
        expect(row.p50_ms as number).toBeLessThanOrEqual(hi + 1e-9);
      }
    }
  });

  it('templates_that_stopped_working finds the template that broke on the last day', () => {
    expect(of('templates_that_stopped_working').map((r) => r.template_id)).toEqual(['doc-tpl-globex-w1']);
    expect(of('templates_that_stopped_working')[0]).toMatchObject({ recent_rate: 0 });
  });

  it('learning_funnel counts each stage once over the range', () => {
    const funnel = Object.fromEntries(of('learning_funnel').map((r) => [r.stage, r.n]));
    const globex = (pred: (x: { tenantId: string }) => boolean) => pred;
    expect(funnel.steps).toBe(data.steps.filter(globex((s) => s.tenantId === 'globex')).length);
    expect(funnel.trajectories).toBe(data.trajectories.filter((t) => t.tenantId === 'globex').length);
    expect(funnel.templates).toBe(3);
    expect(funnel.executions).toBe(data.feedback.filter((f) => f.tenantId === 'globex' && f.kind === 'EXECUTION').length);
    expect(of('learning_funnel').map((r) => r.stage)).toEqual(['steps', 'trajectories', 'patterns', 'templates', 'active_templates', 'executions']);
  });

  it('token_savings_per_tenant sums distinct lookups', () => {
    for (const row of of('token_savings_per_tenant')) {
      const mine = data.feedback.filter((f) => f.kind === 'LOOKUP' && f.tenantId === row.tenant_id);
      expect(row).toMatchObject({ lookups: mine.length, estimated_tokens_saved: mine.reduce((s, f) => s + (f.lookup!.estimatedTokensSaved ?? 0), 0) });
    }
  });

  it('current_templates shows the newest version, or DELETED after the tombstone', () => {
    const rows = of('current_templates');
    expect(rows.map((r) => r.status)).toEqual(['ACTIVE', 'ACTIVE', 'ACTIVE']);
    expect(rows.every((r) => r.latest_version === 4)).toBe(true);
  });
});
