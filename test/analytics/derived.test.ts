// The derived daily tables agree with figures computed independently from the distinct
// records, although half of the batches reached ClickHouse twice (as after a sink crash
// between insert and commit), on 18.16 and on the current engine.
import { MIGRATIONS_DIR, migrate, type ClickHouse } from '@praxis/clickhouse';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, comparable, testClickHouse } from '../support/clickhouse.js';
import { expectedRowCounts, generateDataset } from '../support/analytics-data.js';
import { expectedDerived, quantileBounds, sorted } from '../support/analytics-expected.js';
import { formatDate } from '@praxis/clickhouse';
import { datasetRows, loadDataset } from '../support/analytics-load.js';
import { lineOf, ROLLUPS, SOURCE_TIME, viewSelectOver, writeBatch, type Refill, type WritableRow } from '@praxis/analytics';

const data = generateDataset({ prefix: 'drv', seed: 11, days: 3, sessionsPerDay: 10 });
const expected = expectedDerived(data);

// Sketch columns: compared within their documented tolerance, not exactly (docs/analytics.md).
// template_daily.p50_ms is a quantileTDigest: between the exact quantiles at 0.5 ± 0.1 of rank.
const SKETCHES: Partial<Record<string, string[]>> = { template_daily: ['p50_ms'] };
const runDurations = (day: string, tenant: string, template: string) =>
  data.feedback.filter((f) => f.kind === 'EXECUTION' && formatDate(f.timestampMs) === day && f.tenantId === tenant && f.templateId === template).map((f) => f.execution!.durationMs);
const without = (rows: unknown[], columns: string[] = []) => rows.map((r) => Object.fromEntries(Object.entries(r as object).filter(([k]) => !columns.includes(k))));

/** The exact columns equal the independent figures; the sketch columns lie within their tolerance. */
function expectAgreement(table: keyof typeof READ, actual: Record<string, unknown>[]): void {
  expect(comparable(sorted(without(actual, SKETCHES[table])))).toEqual(comparable(sorted(without(expected[table] as unknown[], SKETCHES[table]))));
  if (table === 'template_daily') {
    for (const row of actual) {
      const [lo, hi] = quantileBounds(runDurations(String(row.day), String(row.tenant_id), String(row.template_id)), 0.5);
      expect(row.p50_ms as number, `${row.template_id} ${row.day}`).toBeGreaterThanOrEqual(lo - 1e-9);
      expect(row.p50_ms as number, `${row.template_id} ${row.day}`).toBeLessThanOrEqual(hi + 1e-9);
    }
  }
}

// Each derived table read back into the shape of expectedDerived's rows.
const READ = {
  template_daily: `
    SELECT toString(day) AS day, tenant_id, template_id,
      sumMerge(executions) AS executions, sumMerge(succeeded) AS succeeded, sumMerge(failed) AS failed,
      sumMerge(deviated) AS deviated, sumMerge(ignored) AS ignored, sumMerge(abandoned) AS abandoned,
      sumMerge(duration_sum) AS duration_sum,
      quantileTDigestMerge(0.5)(durations) AS p50_ms,
      maxMerge(last_version) AS last_version
    FROM template_daily GROUP BY day, tenant_id, template_id`,
  template_confidence_daily: `
    SELECT toString(day) AS day, tenant_id, template_id,
      argMaxMerge(last_confidence) AS last_confidence, minMerge(min_confidence) AS min_confidence, maxMerge(max_confidence) AS max_confidence,
      argMaxMerge(last_status) AS last_status, argMaxMerge(last_support) AS last_support, maxMerge(last_version) AS last_version,
      uniqExactMerge(versions) AS versions
    FROM template_confidence_daily GROUP BY day, tenant_id, template_id`,
  tool_daily: `
    SELECT toString(day) AS day, tenant_id, agent_id, tool_name,
      sumMerge(calls) AS calls, sumMerge(errors) AS errors,
      sumMerge(timed) AS timed,
      sumMerge(duration_sum) AS duration_sum,
      quantileTimingIfMerge(0.95)(durations) AS p95_ms
    FROM tool_daily GROUP BY day, tenant_id, agent_id, tool_name`,
  tool_errors_daily: `
    SELECT toString(day) AS day, tenant_id, tool_name, error_fingerprint,
      sumMerge(occurrences) AS occurrences, uniqCombinedMerge(agents) AS agents,
      argMaxMerge(last_message) AS last_message, maxMerge(last_seen_ms) AS last_seen_ms
    FROM tool_errors_daily GROUP BY day, tenant_id, tool_name, error_fingerprint`,
  router_daily: `
    SELECT toString(day) AS day, tenant_id, agent_id, toString(tier) AS tier,
      sumMerge(lookups) AS lookups, sumMerge(with_template) AS with_template,
      sumMerge(tokens_saved) AS tokens_saved,
      sumMerge(latency_sum) AS latency_sum,
      sumMerge(similarity_sum) AS similarity_sum
    FROM router_daily GROUP BY day, tenant_id, agent_id, tier`,
  signature_daily: `
    SELECT toString(day) AS day, tenant_id, agent_id, signature_hash, anyMerge(tools) AS tools,
      sumMerge(trajectories) AS trajectories, sumMerge(succeeded) AS succeeded, sumMerge(from_template) AS from_template,
      sumMerge(duration_sum) AS duration_sum,
      sumMerge(token_sum) AS token_sum
    FROM signature_daily GROUP BY day, tenant_id, agent_id, signature_hash`,
  funnel_daily: `
    SELECT toString(day) AS day, tenant_id, stage, if(has(['templates', 'active_templates'], stage), uniqExactIfMerge(templates), sumMerge(n)) AS ids
    FROM funnel_daily GROUP BY day, tenant_id, stage`,
} as const;

const ID = { steps: 'event_id', trajectories: 'trajectory_id', template_versions: '(template_id, version)', executions: 'feedback_id', router_lookups: 'feedback_id', unlearns: 'feedback_id' };

describe.each(ENGINES)('derived tables on %s', (engine) => {
  let ch: ClickHouse & { drop(): Promise<void> };
  let redelivered = 0;

  beforeAll(async () => {
    ch = await testClickHouse(engine, 'derived');
    await migrate(ch);
    ({ redelivered } = await loadDataset(ch, data, { batchSize: 200, redeliver: 0.5 }));
  });
  afterAll(async () => {
    await ch?.drop();
  });

  it('holds each record once per raw table (FINAL), although batches arrived twice', async () => {
    expect(redelivered).toBeGreaterThan(1);
    for (const [table, n] of Object.entries(expectedRowCounts(data))) {
      expect((await ch.query<{ n: number }>(`SELECT count() AS n FROM ${table} FINAL`))[0]!.n, table).toBe(n);
      // The sink dropped the redelivered rows before the insert: not even unmerged duplicates.
      expect((await ch.query<{ n: number }>(`SELECT count() AS n FROM ${table}`))[0]!.n, table).toBe(n);
      expect((await ch.query<{ n: number }>(`SELECT uniqExact(${ID[table as keyof typeof ID]}) AS n FROM ${table}`))[0]!.n, table).toBe(n);
    }
  });

  for (const table of Object.keys(READ) as (keyof typeof READ)[]) {
    it(`${table} agrees with the figures computed from the distinct records`, async () => {
      const actual = await ch.query<Record<string, unknown>>(READ[table]);
      expect(actual.length).toBeGreaterThan(0);
      expectAgreement(table, actual);
    });
  }

  it('stays the same after ClickHouse merges the duplicates away', async () => {
    for (const table of [...Object.keys(ID), ...Object.keys(READ)]) await ch.command(`OPTIMIZE TABLE ${table} FINAL`);
    for (const [table, n] of Object.entries(expectedRowCounts(data))) expect((await ch.query<{ n: number }>(`SELECT count() AS n FROM ${table}`))[0]!.n, table).toBe(n);
    expectAgreement('tool_daily', await ch.query(READ.tool_daily));
    expectAgreement('template_daily', await ch.query(READ.template_daily));
  });
});

// A ClickHouse crash between an insert's raw part and its views' parts (18.16 writes them one
// after the other) is played here by detaching views around a raw-only insert. The retry then
// finds the rows stored, and the reconciler (services/analytics/src/rollups.ts) sums them into
// the views that missed them, from the raw rows: the figures end exact, not short.
describe.each(ENGINES)('derived tables after inserts cut between the raw table and its views, on %s', (engine) => {
  let ch: ClickHouse & { drop(): Promise<void> };
  const refills: Refill[] = [];

  beforeAll(async () => {
    ch = await testClickHouse(engine, 'derivedcut');
    await migrate(ch);
  });
  afterAll(async () => {
    await ch?.drop();
  });

  it('lists every materialized view of the schema, each reading its source table', async () => {
    const views = await ch.query<{ name: string; create_table_query: string }>("SELECT name, create_table_query FROM system.tables WHERE database = currentDatabase() AND engine = 'MaterializedView'");
    expect(views.map((v) => v.name).sort()).toEqual(ROLLUPS.map((r) => r.view).sort());
    for (const v of views) {
      const rollup = ROLLUPS.find((r) => r.view === v.name)!;
      expect(v.create_table_query).toMatch(new RegExp(`\\bTO\\s+\`?${ch.database}\`?\\.\`?${rollup.target}\`?\\s`));
      const select = viewSelectOver(v.create_table_query, ch.database, rollup.source, '1 = 0');
      expect(select).toContain(`toDate(${SOURCE_TIME[rollup.source]}) AS day`);
      expect(await ch.query(`SELECT count() AS n FROM (${select})`)).toEqual([{ n: 0 }]);
    }
  });

  it('ends with every derived figure exact after cut inserts, retries cut differently and redeliveries', async () => {
    const rows = datasetRows(data);
    const size = 80;
    const write = (batch: WritableRow[]) => writeBatch(ch, batch, { onRefill: (_table, r) => refills.push(r) });
    let cuts = 0;
    for (let start = 0, n = 0; start < rows.length; n++) {
      const batch = rows.slice(start, start + size);
      if (n % 3 === 1) {
        // The crash: raw rows land, the views of alternate batches never see them.
        const cut = cuts++ % 2 === 0 ? ROLLUPS.slice(0, 6) : ROLLUPS.slice(5);
        for (const r of cut) await ch.command(`DETACH TABLE ${r.view}`);
        for (const table of new Set(batch.map((b) => b.row.table))) {
          await ch.insertJsonLines(table, batch.filter((b) => b.row.table === table).map((b) => b.line).join(''));
        }
        for (const r of cut) await ch.command(`ATTACH TABLE ${r.view}`);
        // The replay starts at the first uncommitted offset but may be cut shorter.
        await write(rows.slice(start, start + size / 2));
        start += size / 2;
        continue;
      }
      await write(batch);
      start += size;
    }
    // Redeliveries after the fact (a sink that died before its commit) change nothing.
    for (let start = 0; start < rows.length; start += 3 * size) await write(datasetRows(data).slice(start, start + size));

    expect(cuts).toBeGreaterThanOrEqual(4);
    expect(refills.length).toBeGreaterThan(0);
    for (const [table, n] of Object.entries(expectedRowCounts(data))) {
      expect((await ch.query<{ n: number }>(`SELECT count() AS n FROM ${table}`))[0]!.n, table).toBe(n);
    }
    for (const table of Object.keys(READ) as (keyof typeof READ)[]) expectAgreement(table, await ch.query<Record<string, unknown>>(READ[table]));
  }, 120_000);
});

// The upgrade path of existing data: a database on 0002 with its rows, then `migrate` applies
// 0003, which fills each new table from the raw rows before its view takes over.
describe.each(ENGINES)('upgrading to 0003 with data, on %s', (engine) => {
  let ch: ClickHouse & { drop(): Promise<void> };
  let dir: string;

  beforeAll(async () => {
    ch = await testClickHouse(engine, 'derivedup');
    dir = mkdtempSync(join(tmpdir(), 'praxis-upgrade-'));
    for (const f of ['0001_raw_tables.sql', '0002_derived_tables.sql']) copyFileSync(join(MIGRATIONS_DIR, f), join(dir, f));
    await migrate(ch, { dir });
    await loadDataset(ch, data, { batchSize: 200 });
    copyFileSync(join(MIGRATIONS_DIR, '0003_rollup_tables.sql'), join(dir, '0003_rollup_tables.sql'));
    expect((await migrate(ch, { dir })).applied.map((a) => a.file)).toEqual(['0003_rollup_tables.sql']);
  });
  afterAll(async () => {
    await ch?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('has every derived figure of the rows inserted before the upgrade', async () => {
    for (const table of Object.keys(READ) as (keyof typeof READ)[]) expectAgreement(table, await ch.query<Record<string, unknown>>(READ[table]));
  });

  it('keeps counting new rows once, and redeliveries of old ones not at all', async () => {
    const more = generateDataset({ prefix: 'drvup2', seed: 12, days: 2, sessionsPerDay: 4 });
    const offset = datasetRows(data).length;
    const rows = datasetRows(more).map((r) => ({ ...r, row: { ...r.row, row: { ...r.row.row, source_offset: Number(r.row.row.source_offset) + offset } } }));
    for (const r of rows) r.line = lineOf(r.row);
    await writeBatch(ch, rows);
    await writeBatch(ch, datasetRows(data).slice(0, 300));
    const both = expectedDerived({ ...data, steps: [...data.steps, ...more.steps], trajectories: [...data.trajectories, ...more.trajectories], templates: [...data.templates, ...more.templates], feedback: [...data.feedback, ...more.feedback] });
    const read = await ch.query<Record<string, unknown>>(READ.tool_daily);
    expect(comparable(sorted(read))).toEqual(comparable(sorted(both.tool_daily)));
  });
});
