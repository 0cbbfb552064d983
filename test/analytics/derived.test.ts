// The derived daily tables agree with figures computed independently from the distinct
// records, although half of the batches reached ClickHouse twice (as after a sink crash
// between insert and commit), on 18.16 and on the current engine.
import { migrate, type ClickHouse } from '@praxis/clickhouse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, testClickHouse } from '../support/clickhouse.js';
import { expectedRowCounts, generateDataset } from '../support/analytics-data.js';
import { READ, expectAgreement as agreement } from '../support/analytics-derived.js';
import { loadDataset } from '../support/analytics-load.js';

const data = generateDataset({ prefix: 'drv', seed: 11, days: 3, sessionsPerDay: 10 });
const expectAgreement = (table: keyof typeof READ, actual: Record<string, unknown>[]) => agreement(data, table, actual);

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
