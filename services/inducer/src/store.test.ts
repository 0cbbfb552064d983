import type { Trajectory } from '@praxis/schemas';
import { makeTrajectory } from '@praxis/schemas/factories';
import { describe, expect, it } from 'vitest';
import { HorizonLedger, inducerStores, sourceOf } from './store.js';

const stores = inducerStores('p.', 'g', 3);
const traj = (id: string) => makeTrajectory({ trajectoryId: id, tenantId: 'acme', agentId: 'bot' }) as Trajectory;
const src = (offset: number) => ({ partition: 1, offset, timestampMs: 1_000 + offset });

describe('horizon ledger', () => {
  it('writes a put per trajectory that entered a ring and a tombstone per one that left, once acknowledged', () => {
    const ledger = new HorizonLedger(stores.horizon);
    ledger.applied('acme/bot', traj('t1'), src(0));
    ledger.applied('acme/bot', traj('t2'), src(1));
    const first = ledger.writes(() => ['t1', 't2']);
    expect(first.records.map((r) => [r.key ?? null, r.value === null ? null : (r.value as { trajectoryId: string }).trajectoryId])).toEqual([
      [null, 't1'],
      [null, 't2'],
    ]);
    expect(sourceOf(first.records[0]!.headers as Record<string, string>)).toEqual(src(0));
    first.acknowledged();
    expect(ledger.size).toBe(0);
    ledger.applied('acme/bot', traj('t3'), src(2));
    const second = ledger.writes(() => ['t2', 't3']);
    expect(second.records.map((r) => r.key ?? (r.value as { trajectoryId: string }).trajectoryId)).toEqual(['acme/bot/t1', 't3']);
    expect(second.records[0]!.value).toBeNull();
  });

  it('writes the same records again after a failed send, and nothing for a trajectory evicted before it was written', () => {
    const ledger = new HorizonLedger(stores.horizon);
    ledger.applied('acme/bot', traj('t1'), src(0));
    ledger.applied('acme/bot', traj('t2'), src(1));
    const failed = ledger.writes(() => ['t2']);
    expect(failed.records).toHaveLength(1);
    const retry = ledger.writes(() => ['t2']);
    expect(retry.records.map((r) => (r.value as { trajectoryId: string }).trajectoryId)).toEqual(['t2']);
    retry.acknowledged();
    expect(ledger.writes(() => ['t2']).records).toEqual([]);
  });

  it('does not write back what a restore read, but tombstones it when it leaves the ring', () => {
    const ledger = new HorizonLedger(stores.horizon);
    ledger.restored('acme/bot', 't1');
    ledger.touch('acme/bot');
    expect(ledger.writes(() => ['t1']).records).toEqual([]);
    ledger.touch('acme/bot');
    expect(ledger.writes(() => []).records.map((r) => r.key)).toEqual(['acme/bot/t1']);
  });

  it('keys the stores by tenant first, so the tenant picks the partition', () => {
    expect(stores.horizon.keyOf(traj('t1') as never)).toBe('acme/bot/t1');
    expect(stores.horizon.partitionKey!('acme/bot/t1')).toBe('acme');
    expect(stores.controls.partitions).toBe(3);
  });
});
