// The derived daily tables agree with figures computed independently from the distinct
// records, although half of the batches reached ClickHouse twice (as after a sink crash
// between insert and commit), on 18.16 and on the current engine.
import { migrate, type ClickHouse } from '@praxis/clickhouse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, comparable, testClickHouse } from '../support/clickhouse.js';
import { expectedRowCounts, generateDataset } from '../support/analytics-data.js';
import { expectedDerived, sorted } from '../support/analytics-expected.js';
import { loadDataset } from '../support/analytics-load.js';

const data = generateDataset({ prefix: 'drv', seed: 11, days: 3, sessionsPerDay: 10 });
const expected = expectedDerived(data);

// Each derived table read back into the shape of expectedDerived's rows.
const READ = {
  template_daily: `
    SELECT toString(day) AS day, tenant_id, template_id,
      uniqExactMerge(executions) AS executions, uniqExactIfMerge(succeeded) AS succeeded, uniqExactIfMerge(failed) AS failed,
      uniqExactIfMerge(deviated) AS deviated, uniqExactIfMerge(ignored) AS ignored, uniqExactIfMerge(abandoned) AS abandoned,
      arraySum(x -> x.2, groupUniqArrayMerge(durations)) AS duration_sum,
      arrayReduce('quantileExact(0.5)', arrayMap(x -> x.2, groupUniqArrayMerge(durations))) AS p50_ms,
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
      uniqExactMerge(calls) AS calls, uniqExactIfMerge(errors) AS errors,
      length(groupUniqArrayIfMerge(durations)) AS timed,
      arraySum(x -> x.2, groupUniqArrayIfMerge(durations)) AS duration_sum,
      arrayReduce('quantileExact(0.95)', arrayMap(x -> x.2, groupUniqArrayIfMerge(durations))) AS p95_ms
    FROM tool_daily GROUP BY day, tenant_id, agent_id, tool_name`,
  tool_errors_daily: `
    SELECT toString(day) AS day, tenant_id, tool_name, error_fingerprint,
      uniqExactMerge(occurrences) AS occurrences, uniqExactMerge(agents) AS agents,
      argMaxMerge(last_message) AS last_message, maxMerge(last_seen_ms) AS last_seen_ms
    FROM tool_errors_daily GROUP BY day, tenant_id, tool_name, error_fingerprint`,
  router_daily: `
    SELECT toString(day) AS day, tenant_id, agent_id, toString(tier) AS tier,
      uniqExactMerge(lookups) AS lookups, uniqExactIfMerge(with_template) AS with_template,
      arraySum(x -> x.2, groupUniqArrayIfMerge(tokens_saved)) AS tokens_saved,
      arraySum(x -> x.2, groupUniqArrayMerge(latencies)) AS latency_sum,
      arraySum(x -> x.2, groupUniqArrayMerge(similarities)) AS similarity_sum
    FROM router_daily GROUP BY day, tenant_id, agent_id, tier`,
  signature_daily: `
    SELECT toString(day) AS day, tenant_id, agent_id, signature_hash, anyMerge(tools) AS tools,
      uniqExactMerge(trajectories) AS trajectories, uniqExactIfMerge(succeeded) AS succeeded, uniqExactIfMerge(from_template) AS from_template,
      arraySum(x -> x.2, groupUniqArrayMerge(durations)) AS duration_sum,
      arraySum(x -> x.2, groupUniqArrayMerge(tokens)) AS token_sum
    FROM signature_daily GROUP BY day, tenant_id, agent_id, signature_hash`,
  funnel_daily: `SELECT toString(day) AS day, tenant_id, stage, uniqExactMerge(ids) AS ids FROM funnel_daily GROUP BY day, tenant_id, stage`,
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
      expect((await ch.query<{ n: number }>(`SELECT uniqExact(${ID[table as keyof typeof ID]}) AS n FROM ${table}`))[0]!.n, table).toBe(n);
    }
  });

  for (const table of Object.keys(READ) as (keyof typeof READ)[]) {
    it(`${table} agrees with the figures computed from the distinct records`, async () => {
      const actual = await ch.query(READ[table]);
      expect(actual.length).toBeGreaterThan(0);
      expect(comparable(sorted(actual))).toEqual(comparable(sorted(expected[table] as unknown[])));
    });
  }

  it('stays the same after ClickHouse merges the duplicates away', async () => {
    for (const table of [...Object.keys(ID), ...Object.keys(READ)]) await ch.command(`OPTIMIZE TABLE ${table} FINAL`);
    for (const [table, n] of Object.entries(expectedRowCounts(data))) expect((await ch.query<{ n: number }>(`SELECT count() AS n FROM ${table}`))[0]!.n, table).toBe(n);
    expect(comparable(sorted(await ch.query(READ.tool_daily)))).toEqual(comparable(sorted(expected.tool_daily)));
    expect(comparable(sorted(await ch.query(READ.template_daily)))).toEqual(comparable(sorted(expected.template_daily)));
  });
});
