// The one escaping helper, proven on both engines: every value comes back exactly as it went
// in, and no injection attempt changes the statement.
import { quoteIdentifier, sql, type ClickHouse } from '@praxis/clickhouse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, testClickHouse } from '../support/clickhouse.js';

const NASTY = [
  '',
  "O'Brien",
  "''",
  "\\'",
  'C:\\path\\to\\',
  '\\',
  "'; DROP TABLE canary; --",
  "x' OR '1'='1",
  "\\'; SELECT 1; --",
  'tab\there\nnewline\rcr',
  'nul\0byte',
  '\x01\x02\x1b[31m\x7f',
  'é à ü 中文 русский עברית',
  'emoji 😀👍🏽',
  'line sep \u2028 para sep \u2029',
  '{tenant:String}',
  '`backticks` and "double quotes"',
  '/* not a comment */ -- nor this',
  '%s %d ${x} ?',
];

describe.each(ENGINES)('escaping on %s', (engine) => {
  let ch: ClickHouse & { drop(): Promise<void> };

  beforeAll(async () => {
    ch = await testClickHouse(engine, 'escape');
    await ch.command('CREATE TABLE canary (s String) ENGINE = Memory');
    await ch.command("INSERT INTO canary VALUES ('alive')");
  });
  afterAll(async () => {
    await ch?.drop();
  });

  it('returns every string exactly as given, through sql`` and through bindParams', async () => {
    for (const value of NASTY) {
      const viaTag = await ch.query<{ v: string; n: number }>(sql`SELECT ${value} AS v, length(${value}) AS n`);
      expect(viaTag[0]!.v, JSON.stringify(value)).toBe(value);
      expect(viaTag[0]!.n).toBe(Buffer.byteLength(value, 'utf8'));
      const viaParam = await ch.query<{ v: string }>('SELECT {v:String} AS v', { v: value });
      expect(viaParam[0]!.v).toBe(value);
    }
    expect(await ch.query('SELECT s FROM canary')).toEqual([{ s: 'alive' }]);
  });

  it('keeps an injection attempt inside a filter value', async () => {
    const rows = await ch.query('SELECT count() AS n FROM canary WHERE s = {s:String}', { s: "alive' OR '1'='1" });
    expect(rows).toEqual([{ n: 0 }]);
    expect(await ch.query('SELECT count() AS n FROM canary WHERE s = {s:String}', { s: 'alive' })).toEqual([{ n: 1 }]);
  });

  it('writes numbers, booleans, nulls, dates and arrays the server reads back', async () => {
    const rows = await ch.query<Record<string, unknown>>(
      sql`SELECT ${42} AS i, ${-7} AS neg, ${0.125} AS f, ${1e21} AS big, ${12345678901234n} AS bi, ${true} AS t, ${null} AS nul,
          toUnixTimestamp(${new Date(Date.UTC(2026, 10, 1, 12, 30, 5))}) AS ts, ${['a', "b'c", '']} AS arr, ${[1, -2, 3]} AS nums`,
    );
    expect(rows[0]).toEqual({ i: 42, neg: -7, f: 0.125, big: 1e21, bi: 12345678901234, t: 1, nul: null, ts: Date.UTC(2026, 10, 1, 12, 30, 5) / 1000, arr: ['a', "b'c", ''], nums: [1, -2, 3] });
    expect(await ch.query('SELECT 10 - {x:Int32} AS r', { x: -1 })).toEqual([{ r: 11 }]); // never "10 --1"
  });

  it('binds typed placeholders: dates in UTC, empty and non-empty arrays, LIMIT', async () => {
    const rows = await ch.query<Record<string, unknown>>(
      `SELECT toString({d:Date}) AS d, toString({t:DateTime}) AS t, length({e:Array(String)}) AS e, has({a:Array(String)}, 'x') AS a
       FROM system.one LIMIT {n:UInt32}`,
      { d: '2026-11-01', t: '2026-11-01T10:20:30Z', e: [], a: ['y', 'x'], n: 5 },
    );
    expect(rows).toEqual([{ d: '2026-11-01', t: '2026-11-01 10:20:30', e: 0, a: 1 }]);
  });

  it('backquotes identifiers', async () => {
    await ch.command(`CREATE TABLE ${quoteIdentifier('we`ird\\name').text} (x UInt8) ENGINE = Memory`);
    const tables = await ch.query<{ name: string }>('SELECT name FROM system.tables WHERE database = {db:String} ORDER BY name', { db: ch.database });
    expect(tables.map((t) => t.name)).toContain('we`ird\\name');
  });
});
