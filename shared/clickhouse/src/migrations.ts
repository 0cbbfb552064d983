// The migration runner: numbered .sql files applied once, in order, and recorded. A file that
// changed after it was applied is refused, so a database always matches the files that built it.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ClickHouse } from './client.js';
import { raw, sql } from './escape.js';
import { splitStatements, stripLeadingComments } from './statements.js';

/** Where Praxis's own migrations live. */
export const MIGRATIONS_DIR = fileURLToPath(new URL('../../../schemas/clickhouse/', import.meta.url));

/** The table that records applied migrations, in the migrated database. */
export const MIGRATIONS_TABLE = 'schema_migrations';
const MIGRATIONS_TABLE_ID = raw(MIGRATIONS_TABLE);

const FILE_NAME = /^(\d{4})_([a-z0-9_]+)\.sql$/;

/** One migration file. */
export interface Migration {
  version: number;
  name: string;
  file: string;
  checksum: string;
  statements: string[];
}

/** A migration the database says it has applied. */
export interface AppliedMigration {
  version: number;
  name: string;
  checksum: string;
  appliedAt: string;
}

/** Thrown when the files and the database disagree; nothing is applied. */
export class MigrationError extends Error {
  constructor(readonly problems: string[]) {
    super(`ClickHouse migrations refused:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'MigrationError';
  }
}

/** sha-256 of a file's text, line endings normalised so a checkout on Windows is not "changed". */
export function checksumOf(text: string): string {
  return createHash('sha256').update(text.replace(/\r\n/g, '\n')).digest('hex');
}

/** Parses one migration file's name and text. */
export function parseMigration(file: string, text: string): Migration {
  const m = FILE_NAME.exec(file);
  if (!m) throw new MigrationError([`${file}: name must be NNNN_lower_snake_case.sql`]);
  const statements = splitStatements(text);
  if (statements.length === 0) throw new MigrationError([`${file}: has no statement`]);
  return { version: Number(m[1]), name: m[2]!, file, checksum: checksumOf(text), statements };
}

/** Reads the migrations of a folder, ordered by number; two files with one number are refused. */
export function loadMigrations(dir: string = MIGRATIONS_DIR): Migration[] {
  const files = readdirSync(dir).filter((f) => f.endsWith('.sql')).sort();
  const migrations = files.map((file) => parseMigration(file, readFileSync(join(dir, file), 'utf8')));
  const problems: string[] = [];
  migrations.forEach((m, i) => {
    const prev = migrations[i - 1];
    if (prev && prev.version === m.version) problems.push(`${prev.file} and ${m.file} share the number ${m.version}`);
  });
  if (problems.length) throw new MigrationError(problems);
  return migrations;
}

/** What to apply, or why not to: changed, missing or out-of-order files. Pure. */
export function planMigrations(files: Migration[], applied: AppliedMigration[]): { pending: Migration[]; problems: string[] } {
  const problems: string[] = [];
  const byVersion = new Map(files.map((f) => [f.version, f]));
  const appliedVersions = new Set(applied.map((a) => a.version));
  for (const a of applied) {
    const file = byVersion.get(a.version);
    const label = `${String(a.version).padStart(4, '0')}_${a.name}.sql`;
    if (!file) problems.push(`${label} was applied (${a.appliedAt}) but is no longer in the migrations folder`);
    else if (file.checksum !== a.checksum) {
      problems.push(`${file.file} changed after it was applied (${a.appliedAt}; checksum ${a.checksum.slice(0, 12)} then, ${file.checksum.slice(0, 12)} now): revert it and add a new migration instead`);
    }
  }
  const pending = files.filter((f) => !appliedVersions.has(f.version));
  const newestApplied = Math.max(0, ...applied.map((a) => a.version));
  for (const p of pending) {
    if (p.version < newestApplied) problems.push(`${p.file} is older than the newest applied migration (${newestApplied}): renumber it after ${newestApplied}`);
  }
  return { pending: problems.length ? [] : pending, problems };
}

const CREATE_MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS ${MIGRATIONS_TABLE} (
  version UInt32,
  name String,
  checksum String,
  statements UInt32,
  applied_at DateTime('UTC')
) ENGINE = ReplacingMergeTree ORDER BY version`;

/** The migrations recorded in the database (creating the database and the record table if needed). */
export async function appliedMigrations(ch: ClickHouse): Promise<AppliedMigration[]> {
  await ch.ensureDatabase();
  await ch.command(CREATE_MIGRATIONS_TABLE);
  return ch.query<AppliedMigration>(
    `SELECT version, argMax(name, applied_at) AS name, argMax(checksum, applied_at) AS checksum, toString(min(applied_at)) AS appliedAt
     FROM ${MIGRATIONS_TABLE} GROUP BY version ORDER BY version`,
  );
}

/** What a run did. */
export interface MigrationReport {
  database: string;
  applied: { version: number; file: string; statements: number }[];
  alreadyApplied: number;
  dryRun: boolean;
}

/**
 * Applies the pending migrations in order, one statement at a time, and records each file
 * after all its statements succeeded. Statements must be idempotent (CREATE ... IF NOT
 * EXISTS), so a run that dies half-way through a file simply runs the file again.
 */
export async function migrate(
  ch: ClickHouse,
  options: { dir?: string; dryRun?: boolean; onStatement?: (file: string, statement: string) => void } = {},
): Promise<MigrationReport> {
  const files = loadMigrations(options.dir);
  const applied = await appliedMigrations(ch);
  const { pending, problems } = planMigrations(files, applied);
  if (problems.length) throw new MigrationError(problems);
  const report: MigrationReport = { database: ch.database, applied: [], alreadyApplied: applied.length, dryRun: options.dryRun ?? false };
  for (const m of pending) {
    if (!options.dryRun) {
      for (const statement of m.statements) {
        options.onStatement?.(m.file, stripLeadingComments(statement).split('\n')[0]!);
        try {
          await ch.command(statement);
        } catch (error) {
          throw new Error(`${m.file}: statement failed: ${(error as Error).message}\n  ${stripLeadingComments(statement).slice(0, 300)}`, { cause: error });
        }
      }
      await ch.command(
        sql`INSERT INTO ${MIGRATIONS_TABLE_ID} (version, name, checksum, statements, applied_at) VALUES (${m.version}, ${m.name}, ${m.checksum}, ${m.statements.length}, ${new Date()})`,
      );
    }
    report.applied.push({ version: m.version, file: m.file, statements: m.statements.length });
  }
  return report;
}

/** Each file and whether the database has it, for `praxis migrate --status`. */
export async function migrationStatus(ch: ClickHouse, dir?: string) {
  const files = loadMigrations(dir);
  const applied = await appliedMigrations(ch);
  const { problems } = planMigrations(files, applied);
  const byVersion = new Map(applied.map((a) => [a.version, a]));
  return {
    database: ch.database,
    files: files.map((f) => ({ version: f.version, file: f.file, appliedAt: byVersion.get(f.version)?.appliedAt ?? null })),
    problems,
  };
}
