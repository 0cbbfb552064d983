// Loads a dataset into ClickHouse through the sink's own row mapping and batch writer, without
// Kafka: for tests of the schema, the derived tables and the documented queries on both engines.
import { lineOf, rowOf, writeBatch, type WritableRow } from '@praxis/analytics';
import type { ClickHouse } from '@praxis/clickhouse';
import type { AnalyticsDataset } from './analytics-data.js';

/** The rows of a dataset, as the sink would build them (tombstones timed by their record). */
export function datasetRows(data: AnalyticsDataset, insertedAt = Date.now()): WritableRow[] {
  let offset = 0;
  const pos = (timestamp: number) => ({ partition: 0, offset: String(offset++), timestamp });
  const rows = [
    ...data.steps.map((s) => rowOf('steps', null, s, pos(s.timestampMs), insertedAt)),
    ...data.trajectories.map((t) => rowOf('trajectories', null, t, pos(t.endedAtMs), insertedAt)),
    ...data.templates.map((e) =>
      e.kind === 'version' ? rowOf('templates', e.template.templateId, e.template, pos(e.template.updatedAtMs), insertedAt) : rowOf('templates', e.templateId, null, pos(e.timestampMs), insertedAt),
    ),
    ...data.feedback.map((f) => rowOf('feedback', null, f, pos(f.timestampMs), insertedAt)),
  ];
  return rows.map((row) => ({ row, line: lineOf(row) }));
}

/**
 * Writes the rows in batches of `batchSize`; `redeliver` (0..1) of the batches are written a
 * second time afterwards, as a sink that crashed before its commit would.
 */
export async function loadDataset(ch: ClickHouse, data: AnalyticsDataset, options: { batchSize?: number; redeliver?: number } = {}): Promise<{ batches: number; redelivered: number }> {
  const rows = datasetRows(data);
  const size = options.batchSize ?? 500;
  const batches: WritableRow[][] = [];
  for (let i = 0; i < rows.length; i += size) batches.push(rows.slice(i, i + size));
  for (const batch of batches) {
    const { rejected } = await writeBatch(ch, batch);
    if (rejected.length) throw new Error(`rows rejected: ${rejected.map((r) => r.reason).join('; ')}`);
  }
  // Every k-th batch again, rebuilt from the records like a redelivery would.
  const every = options.redeliver ? Math.max(1, Math.round(1 / options.redeliver)) : 0;
  let redelivered = 0;
  if (every) {
    const again = datasetRows(data, Date.now() + 1_000);
    for (let b = 0; b < batches.length; b += every) {
      await writeBatch(ch, again.slice(b * size, (b + 1) * size));
      redelivered++;
    }
  }
  return { batches: batches.length, redelivered };
}
