import { describe, expect, it } from 'vitest';
import { firstOfEachId, possiblyStored, storedIdsQuery } from './dedup.js';
import type { TableRow } from './rows.js';

const row = (id: string, partition: number, offset: number, ts = '2026-11-01 10:00:00', tenant = 'acme'): { row: TableRow } => ({
  row: { table: 'steps', id, row: { event_id: id, tenant_id: tenant, ts, source_partition: partition, source_offset: offset } },
});

describe('insert-side dedup', () => {
  it('keeps the first row of each id in a batch', () => {
    const rows = [row('a', 0, 1), row('b', 0, 2), row('a', 0, 3)];
    expect(firstOfEachId(rows).map((r) => r.row.row.source_offset)).toEqual([1, 2]);
  });

  it('looks up only rows at or below their partition watermark', () => {
    const rows = [row('a', 0, 5), row('b', 0, 6), row('c', 1, 2), row('d', 2, 0)];
    const marks = new Map([
      [0, 5],
      [1, 9],
    ]);
    expect(possiblyStored(rows, marks).map((r) => r.row.id)).toEqual(['a', 'c']);
    expect(possiblyStored(rows, new Map())).toEqual([]);
  });

  it('asks for the ids within their tenants and time range, every value escaped by the one helper', () => {
    const q = storedIdsQuery('steps', [row("x'; DROP TABLE steps --", 0, 1, '2026-11-01 10:00:00', "t'1").row, row('y', 0, 2, '2026-11-01 09:00:00').row]);
    expect(q).toContain("event_id IN ('x\\'; DROP TABLE steps --', 'y')");
    expect(q).toContain("tenant_id IN ('t\\'1', 'acme')");
    expect(q).toContain("ts >= toDateTime('2026-11-01 09:00:00', 'UTC') AND ts <= toDateTime('2026-11-01 10:00:00', 'UTC')");
  });
});
