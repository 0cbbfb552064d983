import { confidenceOf, wilsonLowerBound } from '@praxis/core';
import { FeedbackSchema, type Template, type Trajectory } from '@praxis/schemas';
import { makeFeedback } from '@praxis/schemas/factories';
import { describe, expect, it } from 'vitest';
import { combinedEvidence, learnedTemplateId } from './candidate.js';
import { plainInstance } from './induce.js';
import { embedCore } from './kinds.js';
import { contentHash, Inducer, type TemplateOutput } from './processor.js';
import { summarise } from './summary.js';
import { MIN, orderStatusTask, policy, T0, trajectoriesOf, type Task } from './test-tasks.js';

const SIG = ['get_order', 'get_tracking', 'send_email'];
const round3 = (n: number) => Math.round(n * 1000) / 1000;
const ID = learnedTemplateId('acme', 'bot', SIG);

function inducerWith(trajectories: Trajectory[], p = policy()) {
  const inducer = new Inducer(() => p);
  trajectories.forEach((t, i) => inducer.applyTrajectory(t, 0, i));
  return inducer;
}
const latest = (outs: TemplateOutput[], id = ID) => outs.filter((o) => o.key === id).at(-1)?.value as Template | null | undefined;
const runs = (n: number, from = 0, extra: Partial<Task> = {}) => trajectoriesOf(Array.from({ length: n }, (_, i) => orderStatusTask(from + i, extra)));
const feedback = (o: Parameters<typeof makeFeedback>[0]) => FeedbackSchema.parse(makeFeedback({ tenantId: 'acme', agentId: 'bot', templateId: ID, ...o }));

describe('confidence', () => {
  const instances = trajectoriesOf(Array.from({ length: 10 }, (_, i) => orderStatusTask(i, { outcome: i === 4 ? 'FAILED' : 'SUCCEEDED' })))
    .map((t, i) => summarise(t, 0, i))
    .map((summary) => plainInstance(summary, embedCore(summary.sequence, SIG)!));
  const now = Math.max(...instances.map((i) => i.summary.endedAtMs));

  it('is the Wilson lower bound (z = 1.28) of successes over runs, when nothing has aged', () => {
    const e = combinedEvidence(instances, undefined, now, policy());
    expect(e.trials).toBeCloseTo(10, 1);
    expect(confidenceOf(e, now)).toBeCloseTo(wilsonLowerBound(9, 10, 1.28), 2);
  });

  it('does not depend on the order of the instances', () => {
    const a = combinedEvidence(instances, undefined, now, policy());
    const b = combinedEvidence([...instances].reverse(), undefined, now, policy());
    expect(b).toEqual(a);
  });

  it('decays with age: 30 days later the runs weigh half', () => {
    const e = combinedEvidence(instances, undefined, now + 30 * 24 * 60 * MIN, policy());
    expect(e.trials).toBeCloseTo(5, 1);
  });
});

describe('lifecycle', () => {
  it('needs minSupport runs for a template, starts it as DRAFT and promotes it after enough successes', () => {
    expect(inducerWith(runs(4)).publish('acme/bot')).toEqual([]);
    const draft = latest(inducerWith(runs(6)).publish('acme/bot'))!;
    expect([draft.status, draft.version, draft.statusReason]).toEqual(['DRAFT', 1, '6 of 8 successful runs needed for promotion']);
    const active = latest(inducerWith(runs(9)).publish('acme/bot'))!;
    expect(active.status).toBe('ACTIVE');
    expect(active.confidence).toBeGreaterThanOrEqual(0.8);
    expect(active.belowThreshold).toBe(false);
  });

  it('does not learn from a pattern that fails too often', () => {
    const tasks = Array.from({ length: 10 }, (_, i) => orderStatusTask(i, { outcome: i % 2 ? 'FAILED' : 'SUCCEEDED' }));
    expect(inducerWith(trajectoriesOf(tasks)).publish('acme/bot')).toEqual([]);
  });

  it('marks a template below the threshold, then retires it (tombstone) when failed executions keep coming', () => {
    const inducer = inducerWith(runs(9));
    inducer.publish('acme/bot');
    for (let i = 0; i < 6; i++) inducer.applyFeedback(feedback({ timestampMs: T0 + 100 * MIN + i, execution: { executionId: `x${i}`, outcome: 'FAILED', stepsTotal: 3, stepsCompleted: 1, durationMs: 1 } }), 0, i);
    const marked = latest(inducer.publish('acme/bot'))!;
    expect(marked.belowThreshold).toBe(true);
    expect(marked.status).not.toBe('RETIRED');
    for (let i = 6; i < 21; i++) inducer.applyFeedback(feedback({ timestampMs: T0 + 100 * MIN + i, execution: { executionId: `x${i}`, outcome: 'FAILED', stepsTotal: 3, stepsCompleted: 1, durationMs: 1 } }), 0, i);
    const outs = inducer.publish('acme/bot');
    expect(outs.map((o) => o.value?.status ?? null)).toEqual(['RETIRED', null]);
    expect(outs[0]!.value!.statusReason).toMatch(/stayed below 0.8/);
  });

  it('takes a variant of the same path (same first and last call) into the same kind: an optional step when enough successful runs make it, else noise', () => {
    const good = Array.from({ length: 12 }, (_, i) => orderStatusTask(i));
    const detour = (n: number) =>
      Array.from({ length: n }, (_, i) => {
        const t = orderStatusTask(100 + i, { outcome: i < 2 ? 'FAILED' : 'SUCCEEDED' });
        t.calls.splice(1, 0, { tool: 'get_invoice', params: { orderId: `ORD-${10_000 + (100 + i) * 37}` }, result: { invoice: { id: `INV-${i}` } } });
        return t;
      });
    const variant = learnedTemplateId('acme', 'bot', ['get_order', 'get_invoice', 'get_tracking', 'send_email']);
    // 4 of 16 successful runs: cheaper as exceptions than as a step (docs/learning.md, "Structures")
    const few = inducerWith(trajectoriesOf([...good, ...detour(6)])).publish('acme/bot');
    expect(latest(few, variant)).toBeUndefined();
    expect(latest(few)).toMatchObject({ signature: SIG, structureFit: round3(12 / 18), stats: { support: 18 } });
    // 10 of 22: an optional step, which the runs without it skip
    const many = inducerWith(trajectoriesOf([...good, ...detour(12)])).publish('acme/bot');
    const t = latest(many, variant)!;
    expect(t.steps.map((s) => s.optional)).toEqual([false, true, false, false]);
    expect(t.name).toBe('get_order > [get_invoice] > get_tracking > send_email');
    expect(t.structureFit).toBe(1);
    expect(latest(many)).toBeUndefined();
  });

  it('sends a template back to DRAFT when a tool changes its result structure, until new runs confirm it', () => {
    const before = runs(10);
    const changed = trajectoriesOf(
      Array.from({ length: 3 }, (_, i) => {
        const t = orderStatusTask(20 + i);
        t.calls[1]!.result = { tracking: { status: 'in_transit', eta: '2026-02-01' } };
        return t;
      }),
    );
    const inducer = inducerWith([...before, ...changed]);
    const draft = latest(inducer.publish('acme/bot'))!;
    expect(draft.status).toBe('DRAFT');
    expect(draft.statusReason).toMatch(/get_tracking changed its parameter or result structure; 3 of 8 confirming runs/);
    const confirming = trajectoriesOf(
      Array.from({ length: 5 }, (_, i) => {
        const t = orderStatusTask(30 + i);
        t.calls[1]!.result = { tracking: { status: 'in_transit', eta: '2026-02-01' } };
        return t;
      }),
    );
    confirming.forEach((t, i) => inducer.applyTrajectory(t, 0, 100 + i));
    expect(latest(inducer.publish('acme/bot'))!.status).toBe('ACTIVE');
  });
});

describe('versions and lineage', () => {
  it('publishes a new version only on a real change, and ignores repeated trajectories', () => {
    const trajectories = runs(9);
    const inducer = inducerWith(trajectories);
    expect(latest(inducer.publish('acme/bot'))!.version).toBe(1);
    expect(inducer.publish('acme/bot')).toEqual([]);
    expect(inducer.applyTrajectory(trajectories[0]!, 0, 99)).toBeNull();
    const [more] = runs(1, 50);
    inducer.applyTrajectory(more!, 0, 100);
    const v2 = latest(inducer.publish('acme/bot'))!;
    expect([v2.version, v2.stats.support]).toEqual([2, 10]);
    expect(v2.lineage[0]).toEqual({ trajectoryId: more!.trajectoryId, partition: 0, offset: 100 });
  });

  it('after a restore from the templates topic, identical content is not published again', () => {
    const trajectories = runs(9);
    const first = inducerWith(trajectories).publish('acme/bot');
    const restored = inducerWith(trajectories);
    for (const o of first) restored.restorePublished(o.key, o.value);
    expect(restored.publish('acme/bot')).toEqual([]);
  });

  it('retires a template whose pattern left the horizon', () => {
    const inducer = inducerWith(runs(9), policy({ horizonTrajectories: 9 }));
    inducer.publish('acme/bot');
    trajectoriesOf(Array.from({ length: 9 }, (_, i) => ({ at: 500 + i, calls: [{ tool: 'a', params: {} }, { tool: 'b', params: {} }] }))).forEach((t, i) => inducer.applyTrajectory(t, 0, 50 + i));
    const outs = inducer.publish('acme/bot');
    // the new two-call runs recur and succeed: they are a workflow of their own now (they were not learned while at least 3 calls were needed)
    expect(outs.map((o) => [o.key, o.value?.status ?? null])).toEqual([[learnedTemplateId('acme', 'bot', ['a', 'b']), 'ACTIVE'], [ID, 'RETIRED'], [ID, null]]);
    expect(outs[1]!.value!.statusReason).toBe('no longer recurring in the horizon');
  });
});

describe('unlearn', () => {
  it('tombstones the template and never induces it again from the same history', () => {
    const trajectories = runs(9);
    const inducer = inducerWith(trajectories);
    inducer.publish('acme/bot');
    const unlearnAt = Math.max(...trajectories.map((t) => t.endedAtMs));
    inducer.applyFeedback(feedback({ kind: 'UNLEARN', execution: null, timestampMs: unlearnAt, reason: 'user deleted it' }), 0, 1);
    const outs = inducer.publish('acme/bot');
    expect(outs.map((o) => o.value?.status ?? null)).toEqual(['RETIRED', null]);
    expect(outs[0]!.value!.statusReason).toBe('unlearned by the user: user deleted it');
    // the same history again (a replay) does not bring it back
    trajectories.forEach((t, i) => inducer.applyTrajectory(t, 0, i));
    expect(inducer.publish('acme/bot')).toEqual([]);
    // a fresh process that restores the control from the changelog does not either
    const fresh = inducerWith(trajectories);
    fresh.restoreControl(inducer.controls.get(ID)!);
    expect(fresh.publish('acme/bot')).toEqual([]);
  });

  it('a new history after the unlearn order can teach it again', () => {
    const inducer = inducerWith(runs(9));
    inducer.applyFeedback(feedback({ kind: 'UNLEARN', execution: null, timestampMs: T0 + 200 * MIN }), 0, 1);
    expect(inducer.publish('acme/bot')).toEqual([]);
    runs(6, 30).forEach((t, i) => inducer.applyTrajectory(t, 0, 100 + i));
    expect(latest(inducer.publish('acme/bot'))!.stats.support).toBe(6);
  });
});

describe('horizon and commit hold', () => {
  it('keeps the newest trajectories by event time, whatever the arrival order, and holds at the oldest kept offset', () => {
    const trajectories = runs(12);
    const p = policy({ horizonTrajectories: 10 });
    const inOrder = inducerWith(trajectories, p);
    const reversed = new Inducer(() => p);
    [...trajectories].reverse().forEach((t) => reversed.applyTrajectory(t, 0, trajectories.indexOf(t)));
    const ids = (i: Inducer) => i.agents.get('acme/bot')!.ring.map((t) => t.trajectoryId);
    expect(ids(reversed)).toEqual(ids(inOrder));
    expect(ids(inOrder)).toEqual(trajectories.slice(2).map((t) => t.trajectoryId));
    expect(inOrder.hold(0, 99)).toBe(2);
    expect(inOrder.hold(1, 99)).toBe(99);
  });

  it('induces the same templates whatever order the trajectories arrive in', () => {
    const tasks = [...Array.from({ length: 9 }, (_, i) => orderStatusTask(i)), ...Array.from({ length: 4 }, (_, i) => orderStatusTask(20 + i, { outcome: 'FAILED' }))];
    const trajectories = trajectoriesOf(tasks);
    const a = latest(inducerWith(trajectories).publish('acme/bot'))!;
    const shuffled = [...trajectories].sort((x, y) => (x.trajectoryId < y.trajectoryId ? -1 : 1));
    const inducer = new Inducer(() => policy());
    shuffled.forEach((t) => inducer.applyTrajectory(t, 0, trajectories.indexOf(t)));
    expect(contentHash(latest(inducer.publish('acme/bot'))!)).toBe(contentHash(a));
  });
});
