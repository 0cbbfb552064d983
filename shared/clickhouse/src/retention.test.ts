import { describe, expect, it } from 'vitest';
import { DEFAULT_RETENTION, parseRetention, partitionsToDrop } from './retention.js';

const NOW = Date.UTC(2026, 10, 21, 15, 0, 0); // 2026-11-21

describe('partitionsToDrop', () => {
  it('keeps today and the N previous days, drops older day partitions', () => {
    const parts = ['20261020', '20261021', '20261022', '20261121', 'all'].map((partitionId) => ({ table: 'steps', partitionId }));
    expect(partitionsToDrop(parts, { steps: 30 }, NOW)).toEqual([
      { table: 'steps', partitionId: '20261020', day: '2026-10-20' },
      { table: 'steps', partitionId: '20261021', day: '2026-10-21' },
    ]);
  });

  it('never drops from tables kept forever or not in the policy', () => {
    const parts = [{ table: 'template_versions', partitionId: '20200101' }, { table: 'other', partitionId: '20200101' }];
    expect(partitionsToDrop(parts, { template_versions: 0 }, NOW)).toEqual([]);
  });
});

describe('parseRetention', () => {
  it('overrides the defaults per table', () => {
    expect(parseRetention('steps=7, tool_daily=0')).toEqual({ ...DEFAULT_RETENTION, steps: 7, tool_daily: 0 });
    expect(parseRetention('')).toEqual(DEFAULT_RETENTION);
  });

  it('names a bad entry', () => {
    expect(() => parseRetention('steps=-1')).toThrow(/"steps=-1" must look like table=days/);
    expect(() => parseRetention('steps')).toThrow(/table=days/);
  });
});
