// How large the derived daily tables are next to the raw tables they come from, with 0002's
// set-valued states (before) and 0003's counters and sketches (after): rows and bytes of the
// active parts in system.parts, after OPTIMIZE ... FINAL so each holds its rolled-up state.
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { MIGRATIONS_DIR, migrate, openClickHouse } from '@praxis/clickhouse';
import { RAW_TABLES, writeBatch, type WritableRow } from '@praxis/analytics';

/** Rows and bytes on disk of the raw and the derived tables. */
export interface TableSizes {
  raw: { rows: number; bytes: number };
  derived: { rows: number; bytes: number };
}

/** Loads `rows` into a fresh database migrated up to `upTo` (2: 0002's derived tables; 3: 0003's) and measures. */
export async function measureSizes(url: string, rows: WritableRow[], upTo: 2 | 3, batch: number): Promise<TableSizes> {
  const dir = mkdtempSync(join(tmpdir(), 'praxis-migrations-'));
  for (const f of ['0001_raw_tables.sql', '0002_derived_tables.sql', ...(upTo === 3 ? ['0003_rollup_tables.sql'] : [])]) copyFileSync(join(MIGRATIONS_DIR, f), join(dir, f));
  const ch = await openClickHouse({ url, database: `bench_size_${randomBytes(4).toString('hex')}` });
  try {
    await migrate(ch, { dir });
    for (let i = 0; i < rows.length; i += batch) await writeBatch(ch, rows.slice(i, i + batch));
    const tables = await ch.query<{ name: string }>("SELECT name FROM system.tables WHERE database = currentDatabase() AND engine LIKE '%MergeTree'");
    for (const t of tables) await ch.command(`OPTIMIZE TABLE ${t.name} FINAL`);
    const parts = await ch.query<{ table: string; rows: number; bytes: number }>(
      'SELECT table, sum(rows) AS rows, sum(bytes_on_disk) AS bytes FROM system.parts WHERE database = currentDatabase() AND active GROUP BY table',
    );
    const raw = new Set<string>(RAW_TABLES);
    const total = (pick: (t: string) => boolean) =>
      parts.filter((p) => pick(p.table)).reduce((s, p) => ({ rows: s.rows + Number(p.rows), bytes: s.bytes + Number(p.bytes) }), { rows: 0, bytes: 0 });
    return { raw: total((t) => raw.has(t)), derived: total((t) => t.endsWith('_daily')) };
  } finally {
    await ch.command(`DROP DATABASE IF EXISTS ${ch.database}`);
    await ch.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
