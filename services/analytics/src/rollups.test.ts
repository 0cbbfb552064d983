import { describe, expect, it } from 'vitest';
import { highestOffsets, markOf, viewSelectOver } from './rollups.js';

describe('rollup reconciliation (pure parts)', () => {
  it('finds the highest stored offset per day and partition', () => {
    const rows = [
      { partition: 0, offset: 5, day: '2026-11-01' },
      { partition: 0, offset: 9, day: '2026-11-01' },
      { partition: 2, offset: 1, day: '2026-11-01' },
      { partition: 0, offset: 3, day: '2026-11-02' },
    ];
    expect([...highestOffsets(rows)].map(([d, m]) => [d, [...m]])).toEqual([
      ['2026-11-01', [[0, 9], [2, 1]]],
      ['2026-11-02', [[0, 3]]],
    ]);
  });

  it('reads a view mark: offset + 1 by partition index, 0 or missing for none', () => {
    expect(markOf([0, 11, 4], 1)).toBe(10);
    expect(markOf([0, 11, 4], 0)).toBe(-1);
    expect(markOf([7], 3)).toBe(-1);
  });

  it("runs the view's own SELECT over a subset of its source, as either engine prints the view", () => {
    const old = 'CREATE MATERIALIZED VIEW db.tool_daily_mv TO db.tool_daily ( day Date,  calls AggregateFunction(sum, UInt64)) AS SELECT toDate(ts) AS day, sumState(toUInt64(1)) AS calls FROM db.steps  WHERE kind = \'TOOL_CALL\' GROUP BY day';
    expect(viewSelectOver(old, 'db', 'steps', 'source_partition = 1')).toBe(
      "SELECT toDate(ts) AS day, sumState(toUInt64(1)) AS calls FROM (SELECT * FROM db.steps WHERE source_partition = 1) AS steps  WHERE kind = 'TOOL_CALL' GROUP BY day",
    );
    const current = 'CREATE MATERIALIZED VIEW db.f TO db.funnel_daily\n(\n    `day` Date\n)\nAS SELECT toDate(ts) AS day\nFROM db.steps\nGROUP BY day';
    expect(viewSelectOver(current, 'db', 'steps', '1')).toBe('SELECT toDate(ts) AS day\nFROM (SELECT * FROM db.steps WHERE 1) AS steps\nGROUP BY day');
    // another table whose name starts with the source's is not the source
    expect(() => viewSelectOver('CREATE MATERIALIZED VIEW db.v TO db.t AS SELECT 1 FROM db.steps_archive', 'db', 'steps', '1')).toThrow(/does not read steps/);
    expect(() => viewSelectOver('CREATE TABLE db.x (a UInt8) ENGINE = Memory', 'db', 'steps', '1')).toThrow(/not a view/);
    expect(() => viewSelectOver('CREATE MATERIALIZED VIEW db.v TO db.t AS SELECT 1 FROM db.trajectories', 'db', 'steps', '1')).toThrow(/does not read steps/);
  });
});
