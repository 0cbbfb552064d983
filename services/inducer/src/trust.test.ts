// Trust boundaries of the inducer (docs/security.md): feedback of a tenant that does not own
// the template changes nothing; a client clock ahead of broker time moves no agent's clock;
// keyed template ids.
import { FeedbackSchema, type Template } from '@praxis/schemas';
import { makeFeedback } from '@praxis/schemas/factories';
import { describe, expect, it } from 'vitest';
import { learnedTemplateId } from './candidate.js';
import { Inducer, type Refusal, type TemplateOutput } from './processor.js';
import { MIN, orderStatusTask, policy, T0, trajectoriesOf } from './test-tasks.js';

const SIG = ['get_order', 'get_tracking', 'send_email'];
const ID = learnedTemplateId('acme', 'bot', SIG);
const Y2099 = Date.UTC(2099, 0, 1);

function setup(options: { templateIdKey?: string } = {}) {
  const refusals: Refusal[] = [];
  const inducer = new Inducer(() => policy(), { ...options, onRefusal: (r) => refusals.push(r) });
  const trajectories = trajectoriesOf(Array.from({ length: 9 }, (_, i) => orderStatusTask(i)));
  // Broker time: each trajectory record was written a little after it ended.
  trajectories.forEach((t, i) => inducer.applyTrajectory(t, 0, i, t.endedAtMs + 1_000));
  return { inducer, refusals, kts: Math.max(...trajectories.map((t) => t.endedAtMs)) + 2_000 };
}

const latest = (outs: TemplateOutput[], id = ID) => outs.filter((o) => o.key === id).at(-1)?.value as Template | null | undefined;
const failed = (i: number, o: Parameters<typeof makeFeedback>[0] = {}) =>
  FeedbackSchema.parse(makeFeedback({ tenantId: 'acme', agentId: 'bot', templateId: ID, timestampMs: T0 + 100 * MIN + i, execution: { executionId: `x${i}`, outcome: 'FAILED', stepsTotal: 3, stepsCompleted: 1, durationMs: 1 }, ...o }));

describe('feedback across tenants', () => {
  it('ignores and counts feedback from a tenant that does not own the template', () => {
    const { inducer, refusals, kts } = setup();
    const owned = latest(inducer.publish('acme/bot'))!;
    expect(owned.status).toBe('ACTIVE');
    for (let i = 0; i < 30; i++) expect(inducer.applyFeedback(failed(i, { tenantId: 'evil', agentId: 'evil-bot' }), 0, i, kts)).toBeNull();
    expect(inducer.applyFeedback(failed(30, { tenantId: 'evil', kind: 'UNLEARN', execution: null }), 0, 30, kts)).toBeNull();
    expect(refusals.filter((r) => r === 'tenant_mismatch')).toHaveLength(31);
    expect(inducer.controls.has(ID)).toBe(false);
    expect(inducer.publish('acme/bot')).toEqual([]);
    // The owner's own feedback still counts.
    expect(inducer.applyFeedback(failed(31), 0, 31, kts)).not.toBeNull();
  });

  it('does not let a control another tenant created under a future id count for its owner', () => {
    const refusals: Refusal[] = [];
    const inducer = new Inducer(() => policy(), { onRefusal: (r) => refusals.push(r) });
    // Before acme's template exists, "evil" sends failures for the id it derived.
    for (let i = 0; i < 20; i++) inducer.applyFeedback(failed(i, { tenantId: 'evil', agentId: 'evil-bot', timestampMs: T0 + i }), 0, i, T0 + 10_000);
    const trajectories = trajectoriesOf(Array.from({ length: 9 }, (_, i) => orderStatusTask(i)));
    trajectories.forEach((t, i) => inducer.applyTrajectory(t, 0, i, t.endedAtMs));
    const t = latest(inducer.publish('acme/bot'))!;
    expect(t.status).toBe('ACTIVE');
    expect(t.stats.executions).toBe(0);
    // The owner's feedback now starts a control of its own instead of adding to evil's.
    expect(inducer.applyFeedback(failed(40, { timestampMs: T0 + 200 * MIN }), 0, 40, T0 + 300 * MIN)!.control).toMatchObject({ tenantId: 'acme', agentId: 'bot', executions: 1 });
    expect(refusals.filter((r) => r === 'tenant_mismatch')).toHaveLength(0);
  });
});

describe('client clocks', () => {
  it('clamps an execution time ahead of broker time: one 2099 feedback evicts no horizon', () => {
    const { inducer, refusals, kts } = setup();
    inducer.publish('acme/bot');
    const before = inducer.agents.get('acme/bot')!.ring.length;
    const result = inducer.applyFeedback(failed(0, { timestampMs: Y2099, execution: { executionId: 'x0', outcome: 'SUCCEEDED', stepsTotal: 3, stepsCompleted: 3, durationMs: 1 } }), 0, 0, kts);
    expect(result!.control.lastExecutionMs).toBe(kts + 5 * MIN);
    expect(refusals).toContain('clock_clamped');
    expect(inducer.clockOf('acme/bot')).toBeLessThanOrEqual(kts + 5 * MIN);
    const outs = inducer.publish('acme/bot');
    expect(inducer.agents.get('acme/bot')!.ring.length).toBe(before);
    expect(outs.every((o) => o.value !== null && o.value.status !== 'RETIRED')).toBe(true);
  });

  it('a trajectory dated 2099 does not move its agent clock beyond broker time plus skew', () => {
    const { inducer, kts } = setup();
    const [future] = trajectoriesOf([orderStatusTask(50)]).map((t) => ({ ...t, trajectoryId: 'future', startedAtMs: Y2099 - 1_000, endedAtMs: Y2099 }));
    inducer.applyTrajectory(future!, 0, 50, kts);
    expect(inducer.clockOf('acme/bot')).toBe(kts + 5 * MIN);
    expect(inducer.agents.get('acme/bot')!.ring.length).toBe(10);
    expect(latest(inducer.publish('acme/bot'))!.status).toBe('ACTIVE');
  });
});

describe('keyed template ids', () => {
  it('are deterministic for one key and differ from the plain hash and across keys', () => {
    const a = learnedTemplateId('acme', 'bot', SIG, 'k'.repeat(32));
    expect(learnedTemplateId('acme', 'bot', SIG, 'k'.repeat(32))).toBe(a);
    expect(a).toMatch(/^tpl_[0-9a-f]{20}$/);
    expect(a).not.toBe(ID);
    expect(learnedTemplateId('acme', 'bot', SIG, 'j'.repeat(32))).not.toBe(a);
  });

  it('are the ids the inducer publishes under when it has a key', () => {
    const key = 'deployment-secret-0123456789';
    const { inducer } = setup({ templateIdKey: key });
    const outs = inducer.publish('acme/bot');
    expect(outs.map((o) => o.key)).toContain(learnedTemplateId('acme', 'bot', SIG, key));
    expect(outs.map((o) => o.key)).not.toContain(ID);
  });
});
