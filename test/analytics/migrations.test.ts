// The migration runner and the retention job against real engines: every migration applies
// on 18.16 and on the current engine, once; a changed applied file is refused; expired day
// partitions are dropped and the others kept.
import { copyFileSync, mkdtempSync, readdirSync, rmSync, writeFileSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyRetention, loadMigrations, migrate, migrationStatus, MigrationError, MIGRATIONS_DIR, type ClickHouse } from '@praxis/clickhouse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, testClickHouse } from '../support/clickhouse.js';

const RAW = ['steps', 'trajectories', 'template_versions', 'executions', 'router_lookups', 'unlearns'];
const DERIVED = ['template_daily', 'template_confidence_daily', 'tool_daily', 'tool_errors_daily', 'router_daily', 'signature_daily', 'funnel_daily'];

describe.each(ENGINES)('migrations on %s', (engine) => {
  let ch: ClickHouse & { drop(): Promise<void> };
  let dir: string;

  beforeAll(async () => {
    ch = await testClickHouse(engine, 'migrate');
    dir = mkdtempSync(join(tmpdir(), 'praxis-migrations-'));
    for (const f of readdirSync(MIGRATIONS_DIR)) copyFileSync(join(MIGRATIONS_DIR, f), join(dir, f));
  });
  afterAll(async () => {
    await ch?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('applies every file once, in order, and records it', async () => {
    const files = loadMigrations(dir);
    const statements: string[] = [];
    const first = await migrate(ch, { dir, onStatement: (file) => statements.push(file) });
    expect(first.applied.map((a) => a.file)).toEqual(files.map((f) => f.file));
    expect(statements.length).toBe(files.reduce((n, f) => n + f.statements.length, 0));
    const tables = (await ch.query<{ name: string; engine: string }>('SELECT name, engine FROM system.tables WHERE database = {db:String}', { db: ch.database })).map((t) => t.name);
    for (const t of [...RAW, ...DERIVED, 'schema_migrations']) expect(tables).toContain(t);
    expect(tables.filter((t) => t.endsWith('_mv')).length).toBeGreaterThanOrEqual(DERIVED.length);

    const second = await migrate(ch, { dir });
    expect(second.applied).toEqual([]);
    expect(second.alreadyApplied).toBe(files.length);
    expect((await migrationStatus(ch, dir)).files.every((f) => f.appliedAt !== null)).toBe(true);
  });

  it('applies a new file and only that one; a dry run applies nothing', async () => {
    const next = String(loadMigrations(dir).length + 1).padStart(4, '0');
    writeFileSync(join(dir, `${next}_extra.sql`), 'CREATE TABLE IF NOT EXISTS extra (x String) ENGINE = MergeTree ORDER BY x;');
    expect((await migrate(ch, { dir, dryRun: true })).applied.map((a) => a.file)).toEqual([`${next}_extra.sql`]);
    expect(await ch.query("SELECT name FROM system.tables WHERE database = {db:String} AND name = 'extra'", { db: ch.database })).toEqual([]);
    expect((await migrate(ch, { dir })).applied.map((a) => a.file)).toEqual([`${next}_extra.sql`]);
    expect((await ch.query("SELECT name FROM system.tables WHERE database = {db:String} AND name = 'extra'", { db: ch.database })).length).toBe(1);
  });

  it('refuses to run when an applied file changed, and names it', async () => {
    appendFileSync(join(dir, '0001_raw_tables.sql'), '\n-- an innocent-looking edit\n');
    const newer = String(loadMigrations(dir).length + 1).padStart(4, '0');
    writeFileSync(join(dir, `${newer}_never.sql`), 'CREATE TABLE IF NOT EXISTS never_applied (x String) ENGINE = Memory;');
    const error = await migrate(ch, { dir }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MigrationError);
    expect((error as MigrationError).problems).toEqual([expect.stringMatching(/^0001_raw_tables\.sql changed after it was applied/)]);
    expect(await ch.query("SELECT name FROM system.tables WHERE database = {db:String} AND name = 'never_applied'", { db: ch.database })).toEqual([]);
  });

  it('retention drops expired day partitions of each table and keeps the rest', async () => {
    const day = (d: number) => `2026-10-${String(d).padStart(2, '0')} 12:00:00`;
    const stepRow = (id: string, ts: string) => ({ event_id: id, tenant_id: 't', agent_id: 'a', session_id: 's', task_id: '', seq: 0, kind: 'QUERY', ts, timestamp_ms: 0, query: 'q', tool_name: '', parameters_json: '', result_json: '', result_truncated: 0, status: 'OK', error_type: '', error_message: '', error_fingerprint: '', duration_ms: null, model: '', prompt_tokens: null, completion_tokens: null, task_outcome: '', template_id: '', attribute_keys: [], attribute_values: [], source_partition: 0, source_offset: 0, inserted_at: ts });
    await ch.insert('steps', [stepRow('old', day(1)), stepRow('edge', day(10)), stepRow('kept', day(11)), stepRow('new', day(20))]);
    const now = Date.UTC(2026, 9, 20, 8, 0, 0); // 2026-10-20: with 10 days, keep 10-10 .. 10-20
    const dryRun = await applyRetention(ch, { steps: 10, funnel_daily: 10 }, { now, dryRun: true });
    expect(dryRun.map((d) => `${d.table} ${d.day}`)).toEqual(['funnel_daily 2026-10-01', 'steps 2026-10-01']);
    expect((await ch.query<{ n: number }>('SELECT count() AS n FROM steps'))[0]!.n).toBe(4);
    await applyRetention(ch, { steps: 10, funnel_daily: 10 }, { now });
    expect((await ch.query<{ event_id: string }>('SELECT event_id FROM steps ORDER BY event_id')).map((r) => r.event_id)).toEqual(['edge', 'kept', 'new']);
    expect(await ch.query('SELECT count() AS n FROM funnel_daily WHERE day < {d:Date}', { d: '2026-10-10' })).toEqual([{ n: 0 }]);
    expect(await applyRetention(ch, { steps: 10 }, { now })).toEqual([]);
  });
});
