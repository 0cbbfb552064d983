// N events produced -> exactly N rows (after dedup) in each raw table, although the sink
// process is killed with -9 twice and ClickHouse is killed and restarted during the run; the
// derived tables agree exactly with the figures computed from the distinct records: an insert
// the kill cut between the raw table and its views is completed by the sink (rollups.ts).
// ClickHouse is a server of this test's own; the sink runs as its own process (main.ts).
import { openClickHouse, type ClickHouse } from '@praxis/clickhouse';
import type { Runtime } from '@praxis/kafka';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { comparable, uniqueDatabase } from '../support/clickhouse.js';
import { expectedRowCounts, generateDataset } from '../support/analytics-data.js';
import { expectedDerived, sorted } from '../support/analytics-expected.js';
import { datasetRecords, produceAll } from '../support/analytics-produce.js';
import { DedicatedClickHouse } from '../support/dedicated-clickhouse.js';
import { ServiceProcess } from '../support/service-process.js';
import { createTopics, eventually, stack, testRuntime, uniquePrefix } from '../support/stack.js';

const data = generateDataset({ prefix: 'crash', seed: 21, days: 2, sessionsPerDay: 30 });
const CHUNK = 100;


describe('analytics sink through crashes', () => {
  const prefix = uniquePrefix('analytics-crash');
  const database = uniqueDatabase('crash');
  let server: DedicatedClickHouse;
  let rt: Runtime;
  let sink: ServiceProcess;
  let ch: ClickHouse;

  const started = (runs: number) => eventually(() => sink.events('analytics_started').length >= runs, 60_000, 100);

  beforeAll(async () => {
    server = await DedicatedClickHouse.start();
    rt = await testRuntime('analytics-crash-test', prefix);
    await createTopics(rt.kafka, Object.values(rt.topics));
    sink = new ServiceProcess('services/analytics/src/main.ts', {
      KAFKA_BROKERS: stack().kafkaBrokers.join(','),
      SCHEMA_REGISTRY_URL: stack().registryUrl,
      PRAXIS_TOPIC_PREFIX: prefix,
      CLICKHOUSE_URL: server.url,
      CLICKHOUSE_DATABASE: database,
      CLICKHOUSE_REQUEST_TIMEOUT_MS: '5000',
      ANALYTICS_BATCH_MAX_ROWS: '250',
      ANALYTICS_BATCH_MAX_AGE_MS: '300',
      ANALYTICS_CHUNK_RECORDS: '200',
      ANALYTICS_RETRY_MAX_MS: '1000',
      ANALYTICS_SESSION_TIMEOUT_MS: '6000',
      ANALYTICS_RETENTION_INTERVAL_MS: '0',
      OPS_PORT: '0',
      LOG_LEVEL: 'info',
    });
    ch = await openClickHouse({ url: server.url, database });
  });
  afterAll(async () => {
    await sink?.kill();
    await rt?.producer.disconnect();
    await ch?.close();
    await server?.destroy();
  });

  it('ends with exactly one row per record in every raw table, and derived figures that agree', async () => {
    sink.start();
    expect(await started(1)).toBe(true);
    const records = datasetRecords(rt, data);
    const chunks = Math.ceil(records.length / CHUNK);
    let clickhouseDown = false;

    await produceAll(rt, records, {
      chunk: CHUNK,
      pauseMs: 40,
      onChunk: async (sent) => {
        const i = sent / CHUNK;
        if (i === Math.floor(chunks / 4) || i === Math.floor((3 * chunks) / 4)) {
          // the sink dies with a batch in flight; a new process resumes from the commits
          await sink.kill();
          sink.start();
        }
        if (i === Math.floor(chunks / 4)) {
          // consuming again (the dead member's partitions move after its session timeout)
          // before ClickHouse goes down, so the outage hits a running sink
          expect(await eventually(() => sink.events('partitions_assigned').length >= 2, 60_000, 100)).toBe(true);
        }
        if (i === Math.floor(chunks / 2)) {
          await server.kill();
          clickhouseDown = true;
        }
        if (clickhouseDown && i === Math.floor(chunks / 2) + 3) {
          // records produced meanwhile wait in the sink, which retries with backoff
          await eventually(() => sink.events('flush_failed').length > 0, 30_000, 100);
          await server.startAgain();
          clickhouseDown = false;
          // the same process writes its held batch once ClickHouse answers again
          expect(await eventually(() => sink.events('clickhouse_recovered').length > 0, 30_000, 100)).toBe(true);
        }
      },
    });
    expect(sink.starts).toBe(3);
    expect(sink.events('flush_failed').length).toBeGreaterThan(0);

    const want = expectedRowCounts(data);
    const counts = async () => {
      const out: Record<string, number> = {};
      for (const table of Object.keys(want)) out[table] = (await ch.query<{ n: number }>(`SELECT count() AS n FROM ${table} FINAL`))[0]!.n;
      return out;
    };
    const got = await eventually(async () => {
      const c = await counts().catch(() => null);
      return c && JSON.stringify(c) === JSON.stringify(want) ? c : null;
    }, 120_000, 500);
    expect(got, `sink output:\n${sink.output.split('\n').slice(-30).join('\n')}`).toEqual(want);

    const expected = expectedDerived(data);
    const TOOLS = `
      SELECT toString(day) AS day, tenant_id, agent_id, tool_name,
        sumMerge(calls) AS calls, sumMerge(errors) AS errors,
        sumMerge(timed) AS timed,
        sumMerge(duration_sum) AS duration_sum,
        quantileTimingIfMerge(0.95)(durations) AS p95_ms
      FROM tool_daily GROUP BY day, tenant_id, agent_id, tool_name`;
    // Exact, with no repair: whatever the kills cut, every view counts each raw row once.
    expect(comparable(sorted(await ch.query(TOOLS)))).toEqual(comparable(sorted(expected.tool_daily)));
    const FUNNEL = `SELECT toString(day) AS day, tenant_id, stage, if(has(['templates', 'active_templates'], stage), uniqExactIfMerge(templates), sumMerge(n)) AS ids
      FROM funnel_daily GROUP BY day, tenant_id, stage`;
    expect(comparable(sorted(await ch.query(FUNNEL)))).toEqual(comparable(sorted(expected.funnel_daily)));
    const refills = sink.events('rollup_refilled').length;
    console.log(`crash test: ${refills} view-days refilled, ${sink.events('flush_failed').length} failed flushes`);
  }, 300_000);
});
