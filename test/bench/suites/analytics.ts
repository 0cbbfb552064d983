// Rows per second into ClickHouse (the Debian 18.16 server), through the analytics sink,
// against a raw @clickhouse/client insert of the same rows measured in the same run:
// - writer: the sink's batch writer (duplicate filter, rows serialised once, one INSERT per table and batch);
// - end to end: Kafka -> sink -> ClickHouse, from the group's first assignment until every
//   row is acknowledged (the records are produced beforehand and not timed).
// Each measurement uses a fresh database with the full schema (materialized views included),
// so both sides pay for the same derived tables.
import { generateDataset } from '../../support/analytics-data.js';
import { datasetRecords, produceAll } from '../../support/analytics-produce.js';
import { datasetRows } from '../../support/analytics-load.js';
import { DEFAULT_LIMITS, DuplicateFilter, RollupReconciler, startAnalytics, writeBatch, type WritableRow } from '@praxis/analytics';
import { migrate, openClickHouse, type ClickHouse } from '@praxis/clickhouse';
import { createKafka, createLogger, createRuntime, ensureTopics, sleep } from '@praxis/kafka';
import { randomBytes } from 'node:crypto';
import { repeat, timeMs, type BenchSuite, type Measurement } from '../harness.js';
import { formatBodies, measureFormats, TEXT_FORMATS } from './analytics-format.js';
import { measureSizes } from './analytics-size.js';

// The sink's own batch size, so both sides insert the same rows in the same batches.
const BATCH = DEFAULT_LIMITS.maxRows;

async function freshDatabase(url: string, tag: string, options: { views?: boolean } = {}): Promise<ClickHouse> {
  const ch = await openClickHouse({ url, database: `bench_${tag}_${randomBytes(4).toString('hex')}` });
  await migrate(ch);
  if (options.views === false) {
    const views = await ch.query<{ name: string }>("SELECT name FROM system.tables WHERE database = currentDatabase() AND engine = 'MaterializedView'");
    for (const v of views) await ch.command(`DROP TABLE ${v.name}`);
  }
  return ch;
}

async function dropDatabase(ch: ClickHouse): Promise<void> {
  await ch.command(`DROP DATABASE IF EXISTS ${ch.database}`);
  await ch.close();
}

/** The baseline: @clickhouse/client's own insert of the row objects, per table, in the same batches. */
async function rawInsert(ch: ClickHouse, rows: WritableRow[]): Promise<void> {
  for (let i = 0; i < rows.length; i += BATCH) {
    const batch = rows.slice(i, i + BATCH);
    const byTable = new Map<string, object[]>();
    for (const r of batch) byTable.set(r.row.table, [...(byTable.get(r.row.table) ?? []), r.row.row]);
    for (const [table, values] of byTable) await ch.client.insert({ table, values, format: 'JSONEachRow' });
  }
}

/** The sink's batch writer over the same batches. */
async function sinkWrite(ch: ClickHouse, rows: WritableRow[]): Promise<void> {
  // One long-lived duplicate filter, as the sink keeps.
  const duplicates = new DuplicateFilter(ch);
  const rollups = new RollupReconciler(ch);
  for (let i = 0; i < rows.length; i += BATCH) {
    const { rejected } = await writeBatch(ch, rows.slice(i, i + BATCH), { duplicates, rollups });
    if (rejected.length) throw new Error(`bench rows rejected: ${rejected[0]!.reason}`);
  }
}

export const analyticsSuite: BenchSuite = {
  id: 'analytics',
  title: 'Analytics sink: rows/s into ClickHouse 18.16',
  async run(ctx) {
    const stack = await ctx.stack();
    const sessionsPerDay = ctx.quick ? 40 : 250;
    const data = generateDataset({ prefix: `bench${randomBytes(3).toString('hex')}`, seed: 1, days: 3, sessionsPerDay });
    const rows = datasetRows(data);
    ctx.log(`dataset: ${rows.length} rows over 6 raw tables, batches of ${BATCH}`);

    // Writer vs raw client: alternate the order per run so drift on the shared machine hits both.
    // A third side, the raw insert into the tables without their materialized views, prices
    // the derived daily tables.
    const samples = { sink: [] as number[], raw: [] as number[], noviews: [] as number[] };
    await repeat(ctx.repeats, async (run) => {
      const order = run % 2 === 0 ? (['sink', 'raw', 'noviews'] as const) : (['noviews', 'raw', 'sink'] as const);
      for (const side of order) {
        const ch = await freshDatabase(stack.clickhouseUrl, side, { views: side !== 'noviews' });
        const rowsCopy = datasetRows(data); // tombstone rows are completed in place; start fresh
        const ms = await timeMs(() => (side === 'sink' ? sinkWrite(ch, rowsCopy) : rawInsert(ch, rowsCopy)));
        await dropDatabase(ch);
        if (run >= 0) samples[side].push((rows.length / ms) * 1000);
      }
      return 0;
    });
    const { sink: writer, raw, noviews } = samples;

    // End to end through Kafka, once the records sit in the topics.
    const logger = createLogger('bench-analytics', 'error');
    const prefix = `bench-analytics-${Date.now().toString(36)}.`;
    const settings = { KAFKA_BROKERS: stack.kafkaBrokers.split(','), SCHEMA_REGISTRY_URL: stack.registryUrl, PRAXIS_TOPIC_PREFIX: prefix, LOG_LEVEL: 'error' };
    const rt = await createRuntime('analytics', settings, logger);
    const admin = createKafka({ brokers: settings.KAFKA_BROKERS, clientId: 'bench', logger }).admin();
    await admin.connect();
    await ensureTopics(admin, Object.values(rt.topics));
    await admin.disconnect();
    await produceAll(rt, datasetRecords(rt, data), { chunk: 2_000 });
    const endToEnd: number[] = [];
    const e2eBaseline: number[] = [];
    await repeat(ctx.repeats, async (run) => {
      // Alternate which side goes first, so drift on the shared machine hits both.
      const baseline = async () => {
        const base = await freshDatabase(stack.clickhouseUrl, 'e2ebase');
        const baseMs = await timeMs(() => rawInsert(base, datasetRows(data)));
        await dropDatabase(base);
        return baseMs;
      };
      const sink = async () => {
        const ch = await freshDatabase(stack.clickhouseUrl, 'e2e');
        const service = await startAnalytics({ runtime: rt, clickhouse: ch, groupId: `${prefix}g${run}-${randomBytes(2).toString('hex')}`, migrate: false, retention: null });
        const assigned = async () => ((await service.checks.consumer!()).details as { assigned: unknown[] }).assigned.length > 0;
        while (!(await assigned())) await sleep(5);
        const started = process.hrtime.bigint();
        while (service.stats().insertedRows < rows.length) await sleep(5);
        const ms = Number(process.hrtime.bigint() - started) / 1e6;
        await service.stop();
        await dropDatabase(ch);
        return ms;
      };
      let ms: number;
      let baseMs: number;
      if (run % 2 === 0) {
        ms = await sink();
        baseMs = await baseline();
      } else {
        baseMs = await baseline();
        ms = await sink();
      }
      if (run >= 0) {
        endToEnd.push((rows.length / ms) * 1000);
        e2eBaseline.push((rows.length / baseMs) * 1000);
      }
      return 0;
    });
    await rt.producer.disconnect();

    // Input formats, server side only, on both engines (analytics-format.ts).
    const bodies = await formatBodies(stack.clickhouseUrl, rows);
    const formatRuns = ctx.quick ? 1 : ctx.repeats;
    const http = await measureFormats(stack.clickhouseUrl, bodies, formatRuns);
    const embedded = await measureFormats('chdb::memory:', bodies, formatRuns, TEXT_FORMATS);

    // Derived tables vs raw, with 0002's states and with 0003's.
    const before = await measureSizes(stack.clickhouseUrl, datasetRows(data), 2, BATCH);
    const after = await measureSizes(stack.clickhouseUrl, datasetRows(data), 3, BATCH);
    ctx.log(`sizes: raw ${before.raw.rows} rows ${before.raw.bytes} B; derived 0002 ${before.derived.rows} rows ${before.derived.bytes} B; derived 0003 ${after.derived.rows} rows ${after.derived.bytes} B`);

    const note = `${rows.length} rows (${data.steps.length} steps, ${data.trajectories.length} trajectories, ${data.templates.length} template versions, ${data.feedback.length} feedback), batches of ${BATCH}, schema with its 11 materialized views`;
    const measurements: Measurement[] = [
      { name: 'analytics.raw_client_rows_per_s', label: 'raw @clickhouse/client insert (baseline)', unit: 'rows/s', higherIsBetter: true, samples: raw, notes: note },
      { name: 'analytics.writer_rows_per_s', label: 'sink batch writer', unit: 'rows/s', higherIsBetter: true, samples: writer, baseline: 'analytics.raw_client_rows_per_s', notes: note },
      { name: 'analytics.raw_client_no_views_rows_per_s', label: 'raw client insert, tables without their views', unit: 'rows/s', higherIsBetter: true, samples: noviews, notes: `${note}; the cost of the derived tables is the ratio of the baseline to this` },
      { name: 'analytics.e2e_baseline_rows_per_s', label: 'raw client insert, same run as end-to-end', unit: 'rows/s', higherIsBetter: true, samples: e2eBaseline, notes: note },
      { name: 'analytics.end_to_end_rows_per_s', label: 'Kafka -> sink -> ClickHouse (acknowledged)', unit: 'rows/s', higherIsBetter: true, samples: endToEnd, baseline: 'analytics.e2e_baseline_rows_per_s', notes: `${note}; from first partition assignment to the last acknowledged row; default batch bounds (10000 rows / 1 s); one batch written while the next is decoded` },
      ...Object.entries(http).map(([format, samples]): Measurement => ({
        name: `analytics.format_${format.toLowerCase()}_18_16_rows_per_s`,
        label: `steps insert as ${format}, 18.16 (server side)`,
        unit: 'rows/s',
        higherIsBetter: true,
        samples,
        ...(format === 'JSONEachRow' ? {} : { baseline: 'analytics.format_jsoneachrow_18_16_rows_per_s' }),
        notes: `${bodies.rows} steps rows, body made by the server, views included`,
      })),
      ...Object.entries(embedded).map(([format, samples]): Measurement => ({
        name: `analytics.format_${format.toLowerCase()}_chdb_rows_per_s`,
        label: `steps insert as ${format}, chDB (server side)`,
        unit: 'rows/s',
        higherIsBetter: true,
        samples,
        ...(format === 'JSONEachRow' ? {} : { baseline: 'analytics.format_jsoneachrow_chdb_rows_per_s' }),
        notes: `${bodies.rows} steps rows; binary formats are corrupted by chDB's connection (it passes the body as text), so only text formats`,
      })),
      { name: 'analytics.raw_table_bytes', label: 'raw tables, bytes on disk (after OPTIMIZE FINAL)', unit: 'bytes', higherIsBetter: false, samples: [before.raw.bytes], notes: `${before.raw.rows} rows` },
      { name: 'analytics.derived_bytes_0002', label: 'derived tables with 0002 (uniqExact, groupUniqArray), bytes', unit: 'bytes', higherIsBetter: false, samples: [before.derived.bytes], baseline: 'analytics.raw_table_bytes', notes: `${before.derived.rows} rows` },
      { name: 'analytics.derived_bytes_0003', label: 'derived tables with 0003 (sums, sketches), bytes', unit: 'bytes', higherIsBetter: false, samples: [after.derived.bytes], baseline: 'analytics.raw_table_bytes', notes: `${after.derived.rows} rows` },
    ];
    return measurements;
  },
};
