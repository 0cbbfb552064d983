// The derived daily tables stay exact when an insert is cut between the raw table and its
// views (the sink's reconciliation, services/analytics/src/rollups.ts), and when a database
// with data is upgraded from 0002 to 0003, on 18.16 and on the current engine.
import { lineOf, ROLLUPS, SOURCE_TIME, viewSelectOver, writeBatch, type Refill, type WritableRow } from '@praxis/analytics';
import { MIGRATIONS_DIR, migrate, type ClickHouse } from '@praxis/clickhouse';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, comparable, testClickHouse } from '../support/clickhouse.js';
import { expectedRowCounts, generateDataset } from '../support/analytics-data.js';
import { READ, expectAgreement as agreement } from '../support/analytics-derived.js';
import { expectedDerived, sorted } from '../support/analytics-expected.js';
import { datasetRows, loadDataset } from '../support/analytics-load.js';

const data = generateDataset({ prefix: 'rlp', seed: 13, days: 2, sessionsPerDay: 8 });
const expectAgreement = (table: keyof typeof READ, actual: Record<string, unknown>[]) => agreement(data, table, actual);

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
    const size = 60;
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
