// ClickHouse for tests: the shared Debian server over HTTP, or the current engine embedded
// in this process through chDB. Each test file gets its own database on the server; the
// embedded engine belongs to the test process alone.
import { randomBytes } from 'node:crypto';
import { openClickHouse, type ClickHouse } from '@praxis/clickhouse';
import { stack } from './stack.js';

export type EngineName = 'clickhouse-18.16' | 'chdb';

/** Both engines every migration and documented query must run on. */
export const ENGINES: EngineName[] = ['clickhouse-18.16', 'chdb'];

/** A database name no other test file or run uses. */
export function uniqueDatabase(name: string): string {
  return `it_${name}_${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
}

/** Opens a fresh database on the engine; `drop()` removes it (the server's) when the file is done. */
export async function testClickHouse(engine: EngineName, name: string, url?: string): Promise<ClickHouse & { drop(): Promise<void> }> {
  const database = uniqueDatabase(name);
  const ch = await openClickHouse({ url: engine === 'chdb' ? 'chdb::memory:' : (url ?? stack().clickhouseUrl), database });
  await ch.ensureDatabase();
  return Object.assign(ch, {
    async drop() {
      await ch.command(`DROP DATABASE IF EXISTS ${database}`).catch(() => undefined);
      await ch.close();
    },
  });
}

/**
 * Rows with numbers rounded to 9 significant digits, so the two engines' float output compares
 * equal. Columns named in `sketches` (quantileTDigest results, which the engines' versions of
 * the digest place a little differently) keep only their type; tests check them against their
 * documented tolerance instead.
 */
export function comparable(rows: unknown, sketches: readonly string[] = []): unknown {
  if (Array.isArray(rows)) return rows.map((r) => comparable(r, sketches));
  if (rows && typeof rows === 'object') return Object.fromEntries(Object.entries(rows).map(([k, v]) => [k, sketches.includes(k) ? `sketch:${typeof v}` : comparable(v, sketches)]));
  if (typeof rows === 'number' && !Number.isInteger(rows)) return Number(rows.toPrecision(9));
  return rows;
}
