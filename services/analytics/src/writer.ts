// Writes a batch of one table and finds the rows ClickHouse refuses, without giving up on the
// rest: a refused insert is split in halves until each refused row stands alone.
import { classifyFailure, describeFailure, type ClickHouse } from '@praxis/clickhouse';
import { lineOf } from './buffer.js';
import { DuplicateFilter } from './dedup.js';
import { RollupReconciler, type Refill } from './rollups.js';
import { RAW_TABLES, type RawTable, type TableRow } from './rows.js';

/** A row ClickHouse refused, and its error. */
export interface Rejection<T> {
  entry: T;
  reason: string;
}

/** Thrown when a batch could not be written for a reason that is not its rows; retry it whole. */
export class WriteUnavailableError extends Error {
  constructor(
    readonly kind: 'unavailable' | 'server',
    readonly table: string,
    cause: unknown,
  ) {
    super(`insert into ${table} failed (${kind}): ${describeFailure(cause)}`, { cause });
    this.name = 'WriteUnavailableError';
  }
}

/**
 * Inserts `entries` with `insert`; when ClickHouse rejects the data (a parse, type or enum
 * error), bisects to find the refused rows and inserts the others. Returns the refused rows
 * with ClickHouse's message. Any other failure (server down, unknown table) is thrown as a
 * WriteUnavailableError: nothing is blamed on the rows, and the caller retries the batch.
 * Inserting a half twice is harmless (the tables deduplicate), so a retry after a partial
 * failure is safe. Cost: about 2·k·log2(n) extra inserts for k refused rows among n.
 */
export async function insertFindingRejects<T>(table: string, entries: T[], insert: (entries: T[]) => Promise<void>): Promise<Rejection<T>[]> {
  if (entries.length === 0) return [];
  try {
    await insert(entries);
    return [];
  } catch (error) {
    const kind = classifyFailure(error);
    if (kind !== 'rejected') throw new WriteUnavailableError(kind, table, error);
    if (entries.length === 1) return [{ entry: entries[0]!, reason: describeFailure(error) }];
    const mid = Math.ceil(entries.length / 2);
    const left = await insertFindingRejects(table, entries.slice(0, mid), insert);
    const right = await insertFindingRejects(table, entries.slice(mid), insert);
    return [...left, ...right];
  }
}

/** A row ready to write: its table row and JSONEachRow line. */
export interface WritableRow {
  row: TableRow;
  line: string;
}

/** What a batch write did. */
export interface BatchResult<E> {
  /** Rows acknowledged per table (duplicates not counted). */
  written: Partial<Record<RawTable, number>>;
  rejected: Rejection<E>[];
  /** Rows not inserted because ClickHouse already held them (or the batch held them twice). */
  duplicates: number;
}

/** Options of writeBatch. */
export interface WriteOptions {
  /** The sink's long-lived filter; without one, a fresh filter reads the watermarks for this batch. */
  duplicates?: DuplicateFilter;
  /** The sink's reconciler of the derived tables (one is made per batch without it). */
  rollups?: RollupReconciler;
  /** Told about every view refilled from the raw rows (after a half-done insert). */
  onRefill?: (table: RawTable, refill: Refill) => void;
  onUnknownTombstone?: (templateId: string) => void;
}

/**
 * The sink's batch writer: fills in tombstone tenants, drops the rows ClickHouse already
 * holds (so the materialized views see each row once), then inserts each raw table's rows in
 * one request, the tables concurrently (finding refused rows by bisection). Throws WriteUnavailableError when
 * ClickHouse cannot take the batch; the caller retries all of it.
 */
export async function writeBatch<E extends WritableRow>(ch: ClickHouse, entries: readonly E[], options: WriteOptions = {}): Promise<BatchResult<E>> {
  await resolveTombstoneTenants(ch, entries, options.onUnknownTombstone);
  const filter = options.duplicates ?? new DuplicateFilter(ch);
  const rollups = options.rollups ?? new RollupReconciler(ch);
  const written: Partial<Record<RawTable, number>> = {};
  const rejected: Rejection<E>[] = [];
  let duplicates = 0;
  const writeTable = async (table: RawTable, group: E[]): Promise<void> => {
    let fresh: E[];
    try {
      const found = await filter.fresh(table, group);
      fresh = found.fresh;
      duplicates += found.duplicates;
      // Before the fresh rows raise the views' marks: rows ClickHouse already held may be
      // missing from views that a crash cut off (rollups.ts).
      for (const refill of await rollups.reconcile(table, found.stored)) options.onRefill?.(table, refill);
    } catch (error) {
      filter.forget(table);
      const kind = classifyFailure(error);
      throw new WriteUnavailableError(kind === 'rejected' ? 'server' : kind, table, error);
    }
    let refused: Rejection<E>[];
    try {
      refused = await insertFindingRejects(table, fresh, (part) => ch.insertJsonLines(table, part.map((p) => p.line).join('')));
    } catch (error) {
      // The insert may have landed although the answer was lost: read the watermarks again.
      filter.forget(table);
      throw error;
    }
    filter.written(table, group);
    written[table] = fresh.length - refused.length;
    rejected.push(...refused);
  };
  // The tables are written concurrently: each is its own insert (and its views' parts), and
  // the order that matters (rollups.ts) is per table and partition, across batches. If one
  // fails the caller retries the whole batch; the dedup drops what the others wrote.
  const outcomes = await Promise.allSettled(
    RAW_TABLES.map((table) => [table, entries.filter((e) => e.row.table === table)] as const)
      .filter(([, group]) => group.length > 0)
      .map(([table, group]) => writeTable(table, group)),
  );
  const failed = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
  if (failed) throw failed.reason;
  return { written, rejected, duplicates };
}

/**
 * A tombstone has only its template id; its row takes the tenant and agent of the
 * template's versions, from the same batch or from ClickHouse. Unknown (the versions were
 * compacted away before the sink saw them): the row keeps tenant ''.
 */
async function resolveTombstoneTenants(ch: ClickHouse, entries: readonly WritableRow[], onUnknown?: (templateId: string) => void): Promise<void> {
  const open = entries.filter((e) => e.row.tenantOfTemplate !== undefined);
  if (open.length === 0) return;
  const known = new Map<string, { tenant_id: string; agent_id: string }>();
  for (const e of entries) {
    if (e.row.table === 'template_versions' && e.row.row.is_deleted === 0) {
      known.set(String(e.row.row.template_id), { tenant_id: String(e.row.row.tenant_id), agent_id: String(e.row.row.agent_id) });
    }
  }
  const missing = [...new Set(open.map((e) => e.row.tenantOfTemplate!))].filter((id) => !known.has(id));
  if (missing.length > 0) {
    let found: { template_id: string; tenant_id: string; agent_id: string }[];
    try {
      found = await ch.query(
        `SELECT template_id, argMax(tenant_id, updated_at_ms) AS tenant_id, argMax(agent_id, updated_at_ms) AS agent_id
         FROM template_versions WHERE has({ids:Array(String)}, template_id) AND is_deleted = 0 GROUP BY template_id`,
        { ids: missing },
      );
    } catch (error) {
      const kind = classifyFailure(error);
      throw new WriteUnavailableError(kind === 'rejected' ? 'server' : kind, 'template_versions', error);
    }
    for (const f of found) known.set(f.template_id, { tenant_id: f.tenant_id, agent_id: f.agent_id });
  }
  for (const e of open) {
    const owner = known.get(e.row.tenantOfTemplate!);
    if (owner) Object.assign(e.row.row, owner);
    else onUnknown?.(e.row.tenantOfTemplate!);
    delete e.row.tenantOfTemplate;
    e.line = lineOf(e.row);
  }
}
