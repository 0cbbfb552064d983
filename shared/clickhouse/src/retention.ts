// Retention by dropping whole day partitions (the Debian server has no TTL). Every Praxis
// table is partitioned by toYYYYMMDD(<its time>), so a partition id is the day it holds.
import type { ClickHouse } from './client.js';
import { formatDate, quoteIdentifier } from './escape.js';

/** Days to keep per table; 0 keeps the table forever. */
export type RetentionPolicy = Record<string, number>;

/**
 * Raw events age out; the daily aggregates derived from them are small and outlive them, so
 * figures over a year stay available after the raw rows are gone. Template versions and
 * unlearn orders are the catalogue's history and are kept.
 */
export const DEFAULT_RETENTION: RetentionPolicy = {
  steps: 30,
  trajectories: 90,
  executions: 180,
  router_lookups: 90,
  template_versions: 0,
  unlearns: 0,
  template_daily: 400,
  template_confidence_daily: 400,
  tool_daily: 400,
  tool_errors_daily: 400,
  router_daily: 400,
  signature_daily: 400,
  funnel_daily: 400,
};

/** Parses `steps=30,trajectories=90`; named tables override the defaults. */
export function parseRetention(text: string | undefined, defaults: RetentionPolicy = DEFAULT_RETENTION): RetentionPolicy {
  const policy = { ...defaults };
  if (!text || text.trim() === '') return policy;
  for (const part of text.split(',').map((p) => p.trim()).filter(Boolean)) {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)=(\d+)$/.exec(part);
    if (!m) throw new Error(`retention entry ${JSON.stringify(part)} must look like table=days (days >= 0)`);
    policy[m[1]!] = Number(m[2]);
  }
  return policy;
}

/** A partition of a table, as system.parts names it. */
export interface PartitionRef {
  table: string;
  partitionId: string;
}

/** A partition to drop, and the day it holds. */
export interface PartitionDrop extends PartitionRef {
  day: string;
}

const DAY_MS = 86_400_000;

/**
 * The partitions older than their table's retention: a table with N days keeps today and
 * the N previous days (UTC) and drops every day before. Pure.
 */
export function partitionsToDrop(partitions: PartitionRef[], policy: RetentionPolicy, now: number): PartitionDrop[] {
  const today = Math.floor(now / DAY_MS) * DAY_MS;
  const drops: PartitionDrop[] = [];
  for (const p of partitions) {
    const days = policy[p.table];
    if (!days || days <= 0) continue;
    const m = /^(\d{4})(\d{2})(\d{2})$/.exec(p.partitionId);
    if (!m) continue; // not a day partition (e.g. schema_migrations' "all")
    const day = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
    if (day < today - days * DAY_MS) drops.push({ ...p, day: formatDate(day) });
  }
  return drops.sort((a, b) => a.table.localeCompare(b.table) || a.partitionId.localeCompare(b.partitionId));
}

/** Drops the expired partitions of the database (or lists them with dryRun). */
export async function applyRetention(ch: ClickHouse, policy: RetentionPolicy, options: { now?: number; dryRun?: boolean } = {}): Promise<PartitionDrop[]> {
  const partitions = await ch.query<PartitionRef>(
    `SELECT table, partition_id AS partitionId FROM system.parts
     WHERE database = {database:String} AND active GROUP BY table, partition_id`,
    { database: ch.database },
  );
  const drops = partitionsToDrop(partitions, policy, options.now ?? Date.now());
  if (!options.dryRun) {
    for (const d of drops) {
      // The id is eight digits (checked above); the table name comes from system.parts.
      await ch.command(`ALTER TABLE ${quoteIdentifier(d.table).text} DROP PARTITION ID '${d.partitionId}'`);
    }
  }
  return drops;
}
