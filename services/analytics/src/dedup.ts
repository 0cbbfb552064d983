// Insert-side deduplication: a row ClickHouse already holds is not inserted again, so each raw
// row reaches the materialized views once and the derived tables can keep plain counters and
// sketches (schemas/clickhouse/0003_rollup_tables.sql). ClickHouse's own insert dedup needs
// Replicated tables (ZooKeeper) on 18.16, and matches whole blocks, which a redelivery cut into
// other batches would not repeat; so the sink checks ids itself.
//
// Cheap in the common case: per table and Kafka partition it keeps a watermark, the highest
// source offset ClickHouse holds. A row above it cannot be there; only rows at or below it
// (a redelivery after a crash or a retry) are looked up by id, in their time range.
import { quoteString, type ClickHouse } from '@praxis/clickhouse';
import type { RawTable, TableRow } from './rows.js';
import type { StoredRow } from './rollups.js';

/** How a raw table names a row's id and time, in SQL. */
const SPEC: Record<RawTable, { id: string; time: string }> = {
  steps: { id: 'event_id', time: 'ts' },
  trajectories: { id: 'trajectory_id', time: 'ended_at' },
  // The sink's ids for template rows (rows.ts): `<id>@<version>`, `<id>@deleted` for tombstones.
  template_versions: { id: "if(is_deleted = 1, concat(template_id, '@deleted'), concat(template_id, '@', toString(version)))", time: 'updated_at' },
  executions: { id: 'feedback_id', time: 'ts' },
  router_lookups: { id: 'feedback_id', time: 'ts' },
  unlearns: { id: 'feedback_id', time: 'ts' },
};

/** Anything that carries a table row. */
export interface HasRow {
  row: TableRow;
}

const partitionOf = (r: TableRow) => Number(r.row.source_partition);
const offsetOf = (r: TableRow) => Number(r.row.source_offset);

/** The first row of each id, in order (a batch may hold a record twice). Pure. */
export function firstOfEachId<E extends HasRow>(entries: readonly E[]): E[] {
  const seen = new Set<string>();
  return entries.filter((e) => !seen.has(e.row.id) && (seen.add(e.row.id), true));
}

/** The rows that may already be in ClickHouse: at or below their partition's watermark, or of an unknown partition. Pure. */
export function possiblyStored<E extends HasRow>(entries: readonly E[], watermarks: ReadonlyMap<number, number>): E[] {
  return entries.filter((e) => {
    const mark = watermarks.get(partitionOf(e.row));
    return mark !== undefined && offsetOf(e.row) <= mark;
  });
}

/** The SELECT that finds which of `ids` a table holds, restricted to their tenants and time range. */
export function storedIdsQuery(table: RawTable, rows: readonly TableRow[]): string {
  const { id, time } = SPEC[table];
  const times = rows.map((r) => String(r.row[time]));
  const lo = times.reduce((a, b) => (a < b ? a : b));
  const hi = times.reduce((a, b) => (a > b ? a : b));
  const list = (values: string[]) => `(${[...new Set(values)].map(quoteString).join(', ')})`;
  return `SELECT DISTINCT ${id} AS id, source_partition AS p, source_offset AS o, toString(toDate(${time})) AS d FROM ${table}
    WHERE tenant_id IN ${list(rows.map((r) => String(r.row.tenant_id)))}
      AND ${time} >= toDateTime(${quoteString(lo)}, 'UTC') AND ${time} <= toDateTime(${quoteString(hi)}, 'UTC')
      AND ${id} IN ${list(rows.map((r) => r.id))}`;
}

/** What the filter did for one table's rows. */
export interface FreshRows<E> {
  fresh: E[];
  /** Rows dropped: repeated in the batch, or already in ClickHouse. */
  duplicates: number;
  /** Where ClickHouse holds the rows it already had (for the views' reconciliation, rollups.ts). */
  stored: StoredRow[];
}

/**
 * Tables whose rows are looked up by id in every batch, not only at or below the watermark:
 * their producers (segmenter, inducer) re-emit a record with its deterministic id at a new
 * offset when they replay after a crash. Steps and feedback come from idempotent producers;
 * their copies sit at the same offset, which the watermark catches without a lookup.
 */
export const LOOKUP_EVERY_BATCH: ReadonlySet<RawTable> = new Set(['trajectories', 'template_versions']);

/**
 * Remembers per table and partition the highest offset ClickHouse holds (read once, then
 * raised by every acknowledged insert), and filters a batch down to the rows it lacks.
 * One per sink; forget() after a failed insert (it may have landed) and after a rebalance
 * (another member may have written the partition meanwhile).
 */
export class DuplicateFilter {
  private readonly watermarks = new Map<RawTable, Map<number, number>>();
  /** Rows looked up by id so far, and how many of them ClickHouse had (for the bench and logs). */
  readonly counters = { lookedUp: 0, found: 0, lookups: 0 };

  constructor(private readonly ch: ClickHouse) {}

  /** The rows of `entries` (all of `table`) that ClickHouse does not hold yet. */
  async fresh<E extends HasRow>(table: RawTable, entries: readonly E[]): Promise<FreshRows<E>> {
    const unique = firstOfEachId(entries);
    const candidates = LOOKUP_EVERY_BATCH.has(table) ? unique : possiblyStored(unique, await this.watermarksOf(table));
    if (candidates.length === 0) return { fresh: unique, duplicates: entries.length - unique.length, stored: [] };
    this.counters.lookups++;
    this.counters.lookedUp += candidates.length;
    const found = await this.ch.query<{ id: string; p: number; o: number; d: string }>(storedIdsQuery(table, candidates.map((c) => c.row)));
    const ids = new Set(found.map((r) => r.id));
    this.counters.found += ids.size;
    const fresh = unique.filter((e) => !ids.has(e.row.id));
    return { fresh, duplicates: entries.length - fresh.length, stored: found.map((r) => ({ partition: Number(r.p), offset: Number(r.o), day: r.d })) };
  }

  /** After ClickHouse acknowledged `entries` (refused ones included: they are in the DLQ), raises the watermarks. */
  written(table: RawTable, entries: readonly HasRow[]): void {
    const marks = this.watermarks.get(table);
    if (!marks) return;
    for (const e of entries) {
      const p = partitionOf(e.row);
      marks.set(p, Math.max(marks.get(p) ?? -1, offsetOf(e.row)));
    }
  }

  /** Forgets what it knows (of one table, or all); the next batch reads the watermarks again. */
  forget(table?: RawTable): void {
    if (table) this.watermarks.delete(table);
    else this.watermarks.clear();
  }

  private async watermarksOf(table: RawTable): Promise<Map<number, number>> {
    let marks = this.watermarks.get(table);
    if (!marks) {
      const rows = await this.ch.query<{ p: number; o: number }>(`SELECT source_partition AS p, max(source_offset) AS o FROM ${table} GROUP BY p`);
      marks = new Map(rows.map((r) => [Number(r.p), Number(r.o)]));
      this.watermarks.set(table, marks);
    }
    return marks;
  }
}
