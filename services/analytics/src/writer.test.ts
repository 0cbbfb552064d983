import { describe, expect, it } from 'vitest';
import { insertFindingRejects, WriteUnavailableError } from './writer.js';

// The insert function stands in for ClickHouse's answer to a batch: the real client is never
// mocked; test/analytics/sink.test.ts runs the same code against the real server.
const refusing = (bad: Set<number>, log: number[][] = []) => async (rows: number[]) => {
  log.push(rows);
  const hit = rows.find((r) => bad.has(r));
  if (hit !== undefined) throw new Error(`Code: 27, e.displayText() = DB::Exception: Cannot parse input: row ${hit}, e.what() = DB::Exception`);
};

describe('insertFindingRejects', () => {
  it('writes a clean batch in one insert', async () => {
    const log: number[][] = [];
    expect(await insertFindingRejects('steps', [1, 2, 3], refusing(new Set(), log))).toEqual([]);
    expect(log).toEqual([[1, 2, 3]]);
  });

  it('bisects to the refused rows, writes all the others, and keeps the server message', async () => {
    const rows = Array.from({ length: 100 }, (_, i) => i);
    const log: number[][] = [];
    const rejected = await insertFindingRejects('steps', rows, refusing(new Set([13, 77]), log));
    expect(rejected.map((r) => r.entry)).toEqual([13, 77]);
    expect(rejected[0]!.reason).toBe('Code 27: Cannot parse input: row 13');
    const accepted = log.filter((part) => !part.some((r) => r === 13 || r === 77)).flat().sort((a, b) => a - b);
    expect(accepted).toEqual(rows.filter((r) => r !== 13 && r !== 77));
    expect(log.length).toBeLessThanOrEqual(1 + 2 * 2 * Math.ceil(Math.log2(100)));
  });

  it('throws, blaming no row, when ClickHouse is unreachable or fails for another reason', async () => {
    const down = async () => {
      throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:8123'), { code: 'ECONNREFUSED' });
    };
    await expect(insertFindingRejects('steps', [1, 2], down)).rejects.toMatchObject({ name: 'WriteUnavailableError', kind: 'unavailable' });
    const noTable = async () => {
      throw new Error("Code: 60, e.displayText() = DB::Exception: Table praxis.steps doesn't exist., e.what() = DB::Exception");
    };
    await expect(insertFindingRejects('steps', [1, 2], noTable)).rejects.toBeInstanceOf(WriteUnavailableError);
    await expect(insertFindingRejects('steps', [1, 2], noTable)).rejects.toMatchObject({ kind: 'server' });
  });
});
