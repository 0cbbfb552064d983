// Client clocks at the segmenter's boundary (docs/security.md): a step dated ahead of its
// broker timestamp is clamped, and no step moves the partition watermark past its broker
// timestamp, so one tenant's 2099 step makes no other tenant's steps late. Still exact on replay.
import { generateTraffic, hashInt, Rng } from '@praxis/fleet';
import { AgentStepSchema, agentStepKey, type AgentStep, type Trajectory } from '@praxis/schemas';
import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from './policy.js';
import { PartitionSegmenter, type EmittedTrajectory, type SegmenterOptions } from './processor.js';
import { end, MIN, query, SEC, T0, tool } from './test-steps.js';

const Y2099 = Date.UTC(2099, 0, 1);
const SKEW = 5 * MIN;
const options = (extra: Partial<SegmenterOptions> = {}): SegmenterOptions => ({ policyFor: () => DEFAULT_POLICY, idleMs: 5 * MIN, maxPendingPerSession: 2_000, maxClockSkewMs: SKEW, ...extra });
const victim = { tenantId: 'victim', agentId: 'bot', sessionId: 'v1' };
const evil = { tenantId: 'evil', agentId: 'bot', sessionId: 'e1' };

/** One 2099 step of "evil", then ten steps of "victim" on the same partition, broker time = victim time + 250 ms. */
function attack(seg: PartitionSegmenter) {
  const out: EmittedTrajectory[] = [];
  seg.apply(query(0, 0, 'x', { ...evil, eventId: 'evil-0', timestampMs: Y2099 }), 0, T0, out);
  const results = Array.from({ length: 10 }, (_, i) => {
    const s = i === 0 ? query(0, i * SEC, 'where is order A-1?', victim) : i === 9 ? end(i, i * SEC, 'SUCCEEDED', victim) : tool(i, i * SEC, 'lookup_order', victim);
    return seg.apply({ ...s, eventId: `victim-${i}` }, i + 1, T0 + i * SEC + 250, out);
  });
  return { results, out };
}

describe('future-dated steps', () => {
  it('without a broker clock (old behaviour) one 2099 step dead-letters the next tenant\'s steps', () => {
    const { results } = attack(new PartitionSegmenter(options({ maxClockSkewMs: undefined })));
    expect(results.filter((r) => r.type === 'dlq')).toHaveLength(10);
  });

  it('with it, the 2099 step is clamped and the other tenant\'s steps are all accepted and segmented', () => {
    const clamped: AgentStep[] = [];
    const seg = new PartitionSegmenter(options({ onClamped: (s) => clamped.push(s) }));
    const { results, out: early } = attack(seg);
    expect(results.map((r) => r.type)).toEqual(Array(10).fill('ok'));
    expect(clamped.map((s) => s.eventId)).toEqual(['evil-0']);
    expect(seg.watermark).toBeLessThanOrEqual(T0 + 9 * SEC + 250);
    const out: EmittedTrajectory[] = [...early]; // the victim's task is complete by seq: emitted at its TASK_END
    seg.flushAll(out);
    const v = out.find((e) => e.trajectory.tenantId === 'victim')!.trajectory;
    expect(v.steps).toHaveLength(8); // the eight tool calls
    const e = out.find((x) => x.trajectory.tenantId === 'evil')!.trajectory;
    expect(e.endedAtMs).toBe(T0 + SKEW);
  });
});

interface Rec {
  step: AgentStep;
  kts: number;
}

/** Runs records in random batches, crashing and resuming from the committed hold; returns every emission. */
function run(records: Rec[], crashes: number[], rng: Rng): EmittedTrajectory[] {
  const out: EmittedTrajectory[] = [];
  let seg = new PartitionSegmenter(options());
  let committed = 0;
  let pos = 0;
  const pending = [...crashes].sort((a, b) => a - b);
  while (pos < records.length) {
    if (pending.length > 0 && pos >= pending[0]!) {
      pending.shift();
      seg = new PartitionSegmenter(options());
      pos = committed;
      continue;
    }
    const stop = Math.min(records.length, pos + rng.int(1, 60));
    for (let o = pos; o < stop; o++) seg.apply(records[o]!.step, o, records[o]!.kts, out);
    committed = seg.hold(stop);
    pos = stop;
  }
  seg.flushAll(out);
  return out;
}

const byId = (emitted: EmittedTrajectory[]) => {
  const map = new Map<string, Trajectory>();
  for (const { trajectory } of emitted) {
    const seen = map.get(trajectory.trajectoryId);
    if (seen) expect(trajectory).toEqual(seen);
    else map.set(trajectory.trajectoryId, trajectory);
  }
  return map;
};

describe('replay with clamped clocks', () => {
  it('gives the same trajectories after crashes, with future-dated steps mixed in', { timeout: 60_000 }, () => {
    const rng = new Rng('clock-crashes');
    const steps = generateTraffic('segmenter-clock', { instancesPerWorkflow: 4 }).events.map((e) => AgentStepSchema.parse(e));
    // Every 37th step claims a time far ahead of the broker's.
    const records = steps
      .filter((s) => hashInt(agentStepKey(s)) % 3 === 0)
      .map((step, i) => ({ step: i % 37 === 5 ? { ...step, timestampMs: step.timestampMs + (i % 2 ? 3_600_000 : Y2099 - step.timestampMs) } : step, kts: step.timestampMs + 250 }));
    const reference = byId(run(records, [], rng));
    expect(reference.size).toBeGreaterThan(10);
    for (let trial = 0; trial < 8; trial++) {
      const replayed = byId(run(records, Array.from({ length: rng.int(1, 4) }, () => rng.int(1, records.length - 1)), rng));
      expect([...replayed.keys()].sort()).toEqual([...reference.keys()].sort());
      for (const [id, t] of replayed) expect(t).toEqual(reference.get(id));
    }
  });
});
