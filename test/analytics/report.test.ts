// `praxis report` and `praxis migrate` against real engines: the report's SQL runs on 18.16
// and on the current engine with the same figures, which match the records; the CLI prints
// tables, CSV and JSON and names bad options.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildReport, type Report } from '@praxis/analytics';
import { migrate } from '@praxis/clickhouse';
import { runCli } from '@praxis/cli';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, comparable, testClickHouse, type EngineName } from '../support/clickhouse.js';
import { generateDataset } from '../support/analytics-data.js';
import { loadDataset } from '../support/analytics-load.js';
import { quantileBounds } from '../support/analytics-expected.js';
import { stack } from '../support/stack.js';

const data = generateDataset({ prefix: 'rep', seed: 9, days: 3, sessionsPerDay: 10 });
const RANGE = { tenant: 'acme', from: '2026-11-01', to: '2026-11-03', now: new Date('2026-11-04T00:00:00Z') };
const reports: Partial<Record<EngineName, Report>> = {};

describe.each(ENGINES)('report on %s', (engine) => {
  let ch: Awaited<ReturnType<typeof testClickHouse>>;

  beforeAll(async () => {
    ch = await testClickHouse(engine, 'report');
    await migrate(ch);
    await loadDataset(ch, data, { batchSize: 250, redeliver: 0.5 });
  });
  afterAll(async () => {
    await ch?.drop();
  });

  it('reads the key figures of a tenant from the derived tables', async () => {
    const report = await buildReport(ch, RANGE);
    reports[engine] = report;
    const section = (id: string) => report.sections.find((s) => s.id === id)!.rows;
    const figure = (name: string) => section('overview').find((r) => r.figure === name)!.value;
    const acme = <T extends { tenantId: string }>(xs: T[]) => xs.filter((x) => x.tenantId === 'acme');
    const trajectories = acme(data.trajectories);
    const lookups = acme(data.feedback).filter((f) => f.kind === 'LOOKUP');
    const executions = acme(data.feedback).filter((f) => f.kind === 'EXECUTION');
    const counted = executions.filter((f) => f.execution!.outcome !== 'IGNORED');

    expect(figure('step events')).toBe(acme(data.steps).length);
    expect(figure('trajectories')).toBe(trajectories.length);
    expect(figure('trajectory success rate')).toBeCloseTo(trajectories.filter((t) => t.outcome === 'SUCCEEDED').length / trajectories.length, 9);
    expect(figure('template executions')).toBe(executions.length);
    expect(figure('execution success rate')).toBeCloseTo(counted.filter((f) => f.execution!.outcome === 'SUCCEEDED').length / counted.length, 9);
    expect(figure('router lookups')).toBe(lookups.length);
    expect(figure('estimated tokens saved')).toBe(lookups.reduce((s, f) => s + (f.lookup!.estimatedTokensSaved ?? 0), 0));

    const templates = section('templates');
    expect(templates.find((t) => t.template_id === 'rep-tpl-acme-w1')).toMatchObject({ status: 'DELETED', name: 'lookup_order > create_refund > send_email' });
    expect(templates.find((t) => t.template_id === 'rep-tpl-acme-w0')).toMatchObject({ status: 'ACTIVE', executions: executions.filter((f) => f.templateId === 'rep-tpl-acme-w0').length });
    // The median run time is a sketch (quantileTDigest): within 0.1 of rank of the exact median.
    for (const t of templates) {
      const [lo, hi] = quantileBounds(executions.filter((f) => f.templateId === t.template_id).map((f) => f.execution!.durationMs), 0.5);
      expect(t.p50_ms as number, String(t.template_id)).toBeGreaterThanOrEqual(lo - 1e-9);
      expect(t.p50_ms as number, String(t.template_id)).toBeLessThanOrEqual(hi + 1e-9);
    }
    const tools = section('tools');
    expect(tools.reduce((s, t) => s + (t.calls as number), 0)).toBe(acme(data.steps).filter((s) => s.kind === 'TOOL_CALL').length);
    expect(section('router').map((r) => r.tier).sort()).toEqual(['PLAN', 'REUSE', 'REWRITE']);
    expect(section('funnel').map((r) => r.stage)).toEqual(['steps', 'trajectories', 'patterns', 'templates', 'active_templates', 'executions']);
  });

  it('is empty, not wrong, for a tenant without data', async () => {
    const report = await buildReport(ch, { ...RANGE, tenant: "nobody' OR '1'='1" });
    expect(report.sections.find((s) => s.id === 'overview')!.rows.find((r) => r.figure === 'step events')!.value).toBe(0);
    expect(report.sections.find((s) => s.id === 'templates')!.rows).toEqual([]);
  });
});

describe('report', () => {
  it('gives the same figures on both engines', () => {
    // p50_ms is a quantileTDigest: checked against its tolerance per engine above.
    expect(comparable(reports.chdb!.sections, ['p50_ms'])).toEqual(comparable(reports['clickhouse-18.16']!.sections, ['p50_ms']));
  });
});

describe('praxis report and praxis migrate (CLI, on the Debian server)', () => {
  let ch: Awaited<ReturnType<typeof testClickHouse>>;
  let env: Record<string, string | undefined>;
  let dir: string;
  const run = async (args: string[]) => {
    let out = '';
    let err = '';
    const code = await runCli(args, { out: (t) => (out += `${t}\n`), err: (t) => (err += `${t}\n`), env });
    return { code, out, err };
  };

  beforeAll(async () => {
    ch = await testClickHouse('clickhouse-18.16', 'cli');
    env = { CLICKHOUSE_URL: stack().clickhouseUrl, CLICKHOUSE_DATABASE: ch.database };
    dir = mkdtempSync(join(tmpdir(), 'praxis-report-'));
  });
  afterAll(async () => {
    await ch?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('migrates, then reports as tables, CSV and JSON', async () => {
    const migrated = await run(['migrate']);
    expect(migrated.code).toBe(0);
    expect(migrated.out).toMatch(/applied 0001_raw_tables\.sql/);
    expect((await run(['migrate'])).out).toMatch(/0 applied, \d+ already applied/);
    await loadDataset(ch, data);

    const table = await run(['report', '--tenant', 'acme', '--from', '2026-11-01', '--to', '2026-11-03']);
    expect(table.code).toBe(0);
    expect(table.out).toMatch(/Praxis report: tenant acme, 2026-11-01 to 2026-11-03/);
    expect(table.out).toMatch(/trajectory success rate\s+\d+\.\d%/);
    expect(table.out).toMatch(/Tools by errors\ntool_name\s+calls\s+errors\s+error_rate/);

    const csvFile = join(dir, 'tools.csv');
    const csv = await run(['report', '--tenant', 'acme', '--from', '2026-11-01', '--to', '2026-11-03', '--format', 'csv', '--section', 'tools', '--out', csvFile]);
    expect(csv.code).toBe(0);
    const lines = readFileSync(csvFile, 'utf8').trim().split('\n');
    expect(lines[0]).toBe('tool_name,calls,errors,error_rate,p50_ms,p95_ms,top_error_fingerprint,top_error');
    expect(lines.length).toBe(1 + 5);

    const json = JSON.parse((await run(['report', '--tenant', 'acme', '--from', '2026-11-01', '--to', '2026-11-03', '--format', 'json'])).out);
    expect(Object.keys(json.sections)).toEqual(['overview', 'funnel', 'templates', 'tools', 'router']);
    expect(json).toMatchObject({ tenant: 'acme', from: '2026-11-01', to: '2026-11-03' });
  });

  it('names bad options and an unreachable server', async () => {
    expect(await run(['report'])).toMatchObject({ code: 2, err: expect.stringMatching(/--tenant is required/) });
    expect(await run(['report', '--tenant', 'a', '--from', 'yesterday'])).toMatchObject({ code: 2, err: expect.stringMatching(/--from must be a calendar day/) });
    expect(await run(['report', '--tenant', 'a', '--from', '2026-11-05', '--to', '2026-11-01'])).toMatchObject({ code: 2, err: expect.stringMatching(/is after --to/) });
    expect(await run(['report', '--tenant', 'a', '--section', 'nope'])).toMatchObject({ code: 2, err: expect.stringMatching(/--section must be one of/) });
    const saved = env;
    env = { ...env, CLICKHOUSE_URL: 'http://127.0.0.1:1' };
    expect(await run(['migrate'])).toMatchObject({ code: 1, err: expect.stringMatching(/cannot reach ClickHouse at http:\/\/127\.0\.0\.1:1/) });
    env = { ...saved, CLICKHOUSE_DATABASE: `${ch.database}_missing` };
    expect(await run(['report', '--tenant', 'a'])).toMatchObject({ code: 1, err: expect.stringMatching(/database \w+_missing does not exist .* praxis migrate/) });
    env = { ...saved, CLICKHOUSE_DATABASE: 'bad-name' };
    expect(await run(['migrate'])).toMatchObject({ code: 2, err: expect.stringMatching(/CLICKHOUSE_DATABASE: must be letters, digits and _/) });
    env = saved;
  });
});
