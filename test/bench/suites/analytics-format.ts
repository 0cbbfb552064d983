// Which input format ClickHouse ingests fastest, on both engines the suite uses: the same rows
// (the steps of the dataset, the widest table) are inserted as JSONEachRow, TabSeparated,
// RowBinary and Native. Each body is produced by the engine itself (SELECT ... FORMAT X), so
// only the server's parsing and writing is compared; the sink would also pay for building the
// body in JavaScript (JSON.stringify is native; the others would need a serialiser of ours).
// The bodies come from the Debian server (chDB's connection hands results over as text, which
// breaks binary formats); RowBinary and Native of these column types read the same on both.
import { Readable } from 'node:stream';
import { migrate, openClickHouse, type ClickHouse } from '@praxis/clickhouse';
import { randomBytes } from 'node:crypto';
import { writeBatch, type WritableRow } from '@praxis/analytics';
import { timeMs } from '../harness.js';

export const FORMATS = ['JSONEachRow', 'TabSeparated', 'RowBinary', 'Native'] as const;
/** chDB's connection turns an insert body into text, which corrupts binary formats (Code 131 on RowBinary). */
export const TEXT_FORMATS = ['JSONEachRow', 'TabSeparated'] as const;

async function body(ch: ClickHouse, format: string): Promise<Buffer> {
  const rs = await ch.client.exec({ query: `SELECT * FROM steps FORMAT ${format}` });
  const chunks: Buffer[] = [];
  for await (const c of rs.stream) chunks.push(Buffer.from(c as Buffer));
  return Buffer.concat(chunks);
}

async function insert(ch: ClickHouse, table: string, format: string, data: Buffer): Promise<void> {
  const rs = await ch.client.exec({ query: `INSERT INTO ${table} FORMAT ${format}`, values: Readable.from([data], { objectMode: false }) });
  for await (const _ of rs.stream) void _;
}

/** The steps rows as each format's body, made by the server at `httpUrl`. */
export async function formatBodies(httpUrl: string, rows: WritableRow[]): Promise<{ bodies: Map<string, Buffer>; rows: number }> {
  const ch = await openClickHouse({ url: httpUrl, database: `bench_fmtsrc_${randomBytes(4).toString('hex')}` });
  await migrate(ch);
  const steps = rows.filter((r) => r.row.table === 'steps');
  await writeBatch(ch, steps);
  const bodies = new Map<string, Buffer>();
  for (const f of FORMATS) bodies.set(f, await body(ch, f));
  await ch.command(`DROP DATABASE IF EXISTS ${ch.database}`);
  await ch.close();
  return { bodies, rows: steps.length };
}

/** Rows/s per format on one engine: `runs` inserts of the steps rows into the full schema (views included). */
export async function measureFormats(url: string, source: { bodies: Map<string, Buffer>; rows: number }, runs: number, formats: readonly string[] = FORMATS): Promise<Record<string, number[]>> {
  const ch = await openClickHouse({ url, database: `bench_fmt_${randomBytes(4).toString('hex')}` });
  await migrate(ch);
  const { bodies } = source;
  const steps = { length: source.rows };
  const out: Record<string, number[]> = Object.fromEntries(formats.map((f) => [f, []]));
  for (let run = 0; run <= runs; run++) {
    const order = run % 2 === 0 ? formats : [...formats].reverse();
    for (const f of order) {
      // A fresh copy of the table each time, so every insert finds the same (empty) table.
      await ch.command('TRUNCATE TABLE steps');
      const ms = await timeMs(() => insert(ch, 'steps', f, bodies.get(f)!));
      if (run > 0) out[f]!.push((steps.length / ms) * 1000);
    }
  }
  await ch.command(`DROP DATABASE IF EXISTS ${ch.database}`);
  await ch.close();
  return out;
}
