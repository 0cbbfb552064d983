// Keeps the derived daily tables equal to what the raw tables hold, whatever happened to an
// insert. On 18.16 an INSERT writes the raw table's part and then each materialized view's
// part, not as one transaction: a ClickHouse crash in between leaves raw rows that some views
// never counted, and the insert-side dedup (dedup.ts) then skips them on the retry. So every
// view also keeps, in the same part as its counts, the highest source offset it has summed per
// Kafka partition and day (`offsets`, maxForEach of offset + 1 by partition; 0 = none, 0003).
// One member writes a partition, in offset order, and a view's day part is atomic, so a raw
// row of (day, partition) is counted by a view iff its offset is at most that view's mark.
// Whenever the dedup finds rows ClickHouse already holds (a retry or a redelivery, the only
// way a half-done insert comes back), the reconciler compares those rows' offsets with each
// view's marks and re-runs the view's own SELECT over the raw rows above the mark, one day
// at a time: one INSERT into one partition, which lands whole or not at all, so a crash in the
// refill is repaired by the next one. Nothing is counted twice and nothing is left out.
import { quoteString, type ClickHouse } from '@praxis/clickhouse';
import type { RawTable } from './rows.js';

/** A materialized view that feeds a derived table from one raw table. */
export interface Rollup {
  view: string;
  target: string;
  source: RawTable;
  /** The target's rows that this view writes, when several views share a target. */
  scope?: string;
}

/** Every view of 0003; `test/analytics/rollups.test.ts` checks the list against the schema. */
export const ROLLUPS: readonly Rollup[] = [
  { view: 'template_daily_mv', target: 'template_daily', source: 'executions' },
  { view: 'template_confidence_daily_mv', target: 'template_confidence_daily', source: 'template_versions' },
  { view: 'tool_daily_mv', target: 'tool_daily', source: 'steps' },
  { view: 'tool_errors_daily_mv', target: 'tool_errors_daily', source: 'steps' },
  { view: 'router_daily_mv', target: 'router_daily', source: 'router_lookups' },
  { view: 'signature_daily_mv', target: 'signature_daily', source: 'trajectories' },
  { view: 'funnel_steps_mv', target: 'funnel_daily', source: 'steps', scope: "stage = 'steps'" },
  { view: 'funnel_trajectories_mv', target: 'funnel_daily', source: 'trajectories', scope: "stage = 'trajectories'" },
  { view: 'funnel_templates_mv', target: 'funnel_daily', source: 'template_versions', scope: "stage = 'templates'" },
  { view: 'funnel_active_templates_mv', target: 'funnel_daily', source: 'template_versions', scope: "stage = 'active_templates'" },
  { view: 'funnel_executions_mv', target: 'funnel_daily', source: 'executions', scope: "stage = 'executions'" },
];

/** The time column of each raw table; every view's `day` is toDate of it. */
export const SOURCE_TIME: Record<RawTable, string> = {
  steps: 'ts',
  trajectories: 'ended_at',
  template_versions: 'updated_at',
  executions: 'ts',
  router_lookups: 'ts',
  unlearns: 'ts',
};

/** A raw row as ClickHouse holds it: where it came from in Kafka and its day (YYYY-MM-DD). */
export interface StoredRow {
  partition: number;
  offset: number;
  day: string;
}

/** Per (day, partition): the highest offset among `rows`. Pure. */
export function highestOffsets(rows: readonly StoredRow[]): Map<string, Map<number, number>> {
  const out = new Map<string, Map<number, number>>();
  for (const r of rows) {
    const byPartition = out.get(r.day) ?? new Map<number, number>();
    byPartition.set(r.partition, Math.max(byPartition.get(r.partition) ?? -1, r.offset));
    out.set(r.day, byPartition);
  }
  return out;
}

/** The highest offset of `partition` a view's marks hold (-1: none). Pure. */
export function markOf(marks: readonly number[], partition: number): number {
  return (marks[partition] ?? 0) - 1;
}

/**
 * The view's SELECT (from its CREATE statement as ClickHouse prints it) reading only the
 * source rows that match `condition`. Pure.
 */
export function viewSelectOver(createQuery: string, database: string, source: string, condition: string): string {
  const at = createQuery.search(/\bAS\s+SELECT\b/i);
  if (at < 0) throw new Error(`not a view definition: ${createQuery.slice(0, 80)}`);
  const select = createQuery.slice(createQuery.indexOf('SELECT', at));
  const from = new RegExp(`\\bFROM\\s+(?:\`?${database}\`?\\.)?\`?${source}\`?(?![\\w.])`);
  if (!from.test(select)) throw new Error(`view does not read ${source}: ${select.slice(0, 80)}`);
  return select.replace(from, `FROM (SELECT * FROM ${database}.${source} WHERE ${condition}) AS ${source}`);
}

interface Definition {
  select: (condition: string) => string;
  columns: string[];
}

/** What reconcile did, for the logs and tests. */
export interface Refill {
  view: string;
  day: string;
  partition: number;
  /** The view's mark before the refill; source rows above it were summed again. */
  fromOffset: number;
}

/** Refills views from the raw rows they missed. One per sink; safe to share across batches. */
export class RollupReconciler {
  private definitions: Map<string, Definition> | null = null;

  constructor(private readonly ch: ClickHouse) {}

  /**
   * For rows of `table` ClickHouse already holds: every view of the table that has not summed
   * them (its mark for their day and partition is below them) gets the raw rows above its
   * mark summed again. Returns what it refilled.
   */
  async reconcile(table: RawTable, stored: readonly StoredRow[]): Promise<Refill[]> {
    if (stored.length === 0) return [];
    const wanted = highestOffsets(stored);
    const days = [...wanted.keys()];
    const refills: Refill[] = [];
    for (const rollup of ROLLUPS.filter((r) => r.source === table)) {
      const marks = await this.marksOf(rollup, days);
      for (const [day, byPartition] of wanted) {
        for (const [partition, highest] of byPartition) {
          const mark = markOf(marks.get(day) ?? [], partition);
          if (highest <= mark) continue;
          await this.refill(rollup, day, partition, mark);
          refills.push({ view: rollup.view, day, partition, fromOffset: mark });
        }
      }
    }
    return refills;
  }

  private async marksOf(rollup: Rollup, days: string[]): Promise<Map<string, number[]>> {
    const rows = await this.ch.query<{ day: string; marks: number[] }>(
      `SELECT toString(day) AS day, maxForEachMerge(offsets) AS marks FROM ${rollup.target}
       WHERE has({days:Array(String)}, toString(day))${rollup.scope ? ` AND ${rollup.scope}` : ''} GROUP BY day`,
      { days },
    );
    return new Map(rows.map((r) => [r.day, r.marks.map(Number)]));
  }

  private async refill(rollup: Rollup, day: string, partition: number, mark: number): Promise<void> {
    const definition = (await this.load()).get(rollup.view);
    if (!definition) throw new Error(`materialized view ${rollup.view} not found in ${this.ch.database}`);
    const time = SOURCE_TIME[rollup.source];
    const condition = `source_partition = ${partition} AND source_offset > ${mark} AND toDate(${time}) = toDate(${quoteString(day)})`;
    const cols = definition.columns.join(', ');
    await this.ch.command(`INSERT INTO ${rollup.target} (${cols}) SELECT ${cols} FROM (${definition.select(condition)})`);
  }

  /** The views' SELECTs and their targets' columns, read once from ClickHouse. */
  private async load(): Promise<Map<string, Definition>> {
    if (this.definitions) return this.definitions;
    const views = await this.ch.query<{ name: string; create_table_query: string }>(
      `SELECT name, create_table_query FROM system.tables WHERE database = currentDatabase() AND has({names:Array(String)}, name)`,
      { names: ROLLUPS.map((r) => r.view) },
    );
    const columns = await this.ch.query<{ table: string; name: string }>(
      `SELECT table, name FROM system.columns WHERE database = currentDatabase() AND has({tables:Array(String)}, table)`,
      { tables: [...new Set(ROLLUPS.map((r) => r.target))] },
    );
    const definitions = new Map<string, Definition>();
    for (const v of views) {
      const rollup = ROLLUPS.find((r) => r.view === v.name)!;
      definitions.set(v.name, {
        select: (condition) => viewSelectOver(v.create_table_query, this.ch.database, rollup.source, condition),
        columns: columns.filter((c) => c.table === rollup.target).map((c) => c.name),
      });
    }
    this.definitions = definitions;
    return definitions;
  }
}
