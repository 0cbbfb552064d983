import { describe, expect, it } from 'vitest';
import { checksumOf, loadMigrations, MigrationError, parseMigration, planMigrations, type AppliedMigration } from './migrations.js';
import { stripLeadingComments } from './statements.js';

const m1 = parseMigration('0001_raw.sql', 'CREATE TABLE IF NOT EXISTS a (x String) ENGINE = Memory;');
const m2 = parseMigration('0002_more.sql', 'CREATE TABLE IF NOT EXISTS b (x String) ENGINE = Memory;\nCREATE TABLE IF NOT EXISTS c (x String) ENGINE = Memory;');
const applied = (m: typeof m1, checksum = m.checksum): AppliedMigration => ({ version: m.version, name: m.name, checksum, appliedAt: '2026-11-01 00:00:00' });

describe('planMigrations', () => {
  it('applies what is not applied yet, in order', () => {
    expect(planMigrations([m1, m2], []).pending.map((m) => m.file)).toEqual(['0001_raw.sql', '0002_more.sql']);
    expect(planMigrations([m1, m2], [applied(m1)]).pending.map((m) => m.file)).toEqual(['0002_more.sql']);
    expect(planMigrations([m1, m2], [applied(m1), applied(m2)])).toEqual({ pending: [], problems: [] });
  });

  it('refuses a file that changed after it was applied, and applies nothing', () => {
    const plan = planMigrations([m1, m2], [applied(m1, 'deadbeef'.repeat(8))]);
    expect(plan.pending).toEqual([]);
    expect(plan.problems).toEqual([expect.stringMatching(/^0001_raw\.sql changed after it was applied/)]);
  });

  it('refuses a missing applied file and a new file older than the newest applied one', () => {
    const m3 = parseMigration('0003_late.sql', 'SELECT 1');
    expect(planMigrations([m2, m3], [applied(m1), applied(m3)]).problems).toEqual([
      expect.stringMatching(/^0001_raw\.sql was applied .* no longer in the migrations folder/),
      expect.stringMatching(/^0002_more\.sql is older than the newest applied migration \(3\)/),
    ]);
  });
});

describe('migration files', () => {
  it('parses names and counts statements; refuses bad names', () => {
    expect(m2).toMatchObject({ version: 2, name: 'more', statements: [expect.any(String), expect.any(String)] });
    expect(() => parseMigration('2_bad.sql', 'SELECT 1')).toThrow(MigrationError);
    expect(() => parseMigration('0004_empty.sql', '-- nothing here')).toThrow(/has no statement/);
  });

  it('ignores line endings in checksums', () => {
    expect(checksumOf('a;\r\nb;')).toBe(checksumOf('a;\nb;'));
    expect(checksumOf('a;\nb;')).not.toBe(checksumOf('a;\nc;'));
  });

  it("Praxis's migrations create everything idempotently", () => {
    const files = loadMigrations();
    expect(files.map((f) => f.version)).toEqual(files.map((_, i) => i + 1));
    for (const file of files) {
      for (const statement of file.statements) {
        const head = stripLeadingComments(statement);
        if (/^CREATE/i.test(head)) expect(head, `${file.file}: ${head.slice(0, 60)}`).toMatch(/^CREATE (TABLE|MATERIALIZED VIEW|VIEW|DATABASE) IF NOT EXISTS /);
      }
    }
  });
});
