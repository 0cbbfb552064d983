// Evidence counted by task (docs/learning.md, "Confidence" and "Lifecycle"): runs of one task
// by several agents are one piece of evidence; a failure of a run whose task another run of the
// same structure got right failed on a value; a task this structure failed at but other calls
// got right is conflicting evidence, which blocks promotion and, when it prevails, the template.
import { wilsonLowerBound } from '@praxis/core';
import type { Template, Trajectory } from '@praxis/schemas';
import { describe, expect, it } from 'vitest';
import { learnedTemplateId } from './candidate.js';
import { Inducer, type TemplateOutput } from './processor.js';
import { currentShapes, isCurrentShape } from './shapes.js';
import { summarise } from './summary.js';
import { orderStatusTask, policy, trajectoriesOf, type Task } from './test-tasks.js';

const ID = learnedTemplateId('acme', 'bot', ['get_order', 'get_tracking', 'send_email']);
const induce = (trajectories: Trajectory[]) => {
  const inducer = new Inducer(() => policy());
  trajectories.forEach((t, i) => inducer.applyTrajectory(t, 0, i));
  return inducer.publish('acme/bot');
};
const latest = (outs: TemplateOutput[], id = ID) => outs.filter((o) => o.key === id).at(-1)?.value as Template | null | undefined;

/** `agents` runs of each of `tasks` tasks (same task id and query), the k-th run of a task at its own time. */
function runsOfTasks(tasks: number, agents: number, outcome: (task: number, agent: number) => 'SUCCEEDED' | 'FAILED' = () => 'SUCCEEDED', calls?: (task: number, agent: number) => Task['calls'] | undefined): Trajectory[] {
  const out: Task[] = [];
  for (let t = 0; t < tasks; t++) {
    for (let a = 0; a < agents; a++) {
      const base = orderStatusTask(t, { at: (t * agents + a) * 10, session: `agent${a}-task${t}`, taskId: `task-${t}`, outcome: outcome(t, a) });
      out.push({ ...base, calls: calls?.(t, a) ?? base.calls });
    }
  }
  return trajectoriesOf(out);
}

describe('evidence counted by task', () => {
  it('counts eight agents\' runs of one task once: five tasks do not promote, eight do', () => {
    const five = latest(induce(runsOfTasks(5, 8)))!;
    expect(five.stats.successes).toBe(40);
    expect(five.status).toBe('DRAFT');
    expect(five.statusReason).toBe('5 of 8 successful runs needed for promotion');
    expect(five.confidence).toBeCloseTo(wilsonLowerBound(5, 5), 3);
    const eight = latest(induce(runsOfTasks(8, 3)))!;
    expect(eight.status).toBe('ACTIVE');
    expect(eight.statusReason).toBe('promoted after 8 tasks (24 successful runs)');
    expect(eight.confidence).toBeCloseTo(wilsonLowerBound(8, 8), 3);
    expect(eight.belowThreshold).toBe(false);
  });

  it('does not count a failed run against the structure when another run of the same task with it succeeded (it failed on a value)', () => {
    const t = latest(induce(runsOfTasks(8, 4, (_, a) => (a === 0 ? 'SUCCEEDED' : 'FAILED'))))!;
    expect(t.stats).toMatchObject({ support: 32, successes: 8 });
    expect(t.confidence).toBeCloseTo(wilsonLowerBound(8, 8), 3);
    expect(t.status).toBe('ACTIVE');
  });

  it('counts a task every run failed as one failure', () => {
    const t = latest(induce(runsOfTasks(9, 3, (task) => (task === 4 ? 'FAILED' : 'SUCCEEDED'))))!;
    expect(t.confidence).toBeCloseTo(wilsonLowerBound(8, 9), 3);
    expect(t.belowThreshold).toBe(true);
  });

  it('refuses promotion on conflicting evidence: a task this structure failed at which other calls got right', () => {
    // task 0: the template's calls failed in both runs, a run that cancelled the order instead succeeded
    const cancelled = (task: number, agent: number): Task['calls'] | undefined => {
      if (task !== 0 || agent !== 2) return undefined;
      return [orderStatusTask(0).calls[0]!, { tool: 'cancel_order', params: { orderId: 'ORD-10000' }, result: { ok: true } }];
    };
    const t = latest(induce(runsOfTasks(10, 3, (task, agent) => (task === 0 && agent < 2 ? 'FAILED' : 'SUCCEEDED'), cancelled)))!;
    expect(t.status).toBe('DRAFT');
    expect(t.statusReason).toBe('conflicting evidence: 1 task failed in every run of this structure but succeeded with other calls');
  });

  it('does not hold a task against the structure when another learned workflow got it right (the task is that workflow\'s)', () => {
    // task 0 as above: this structure failed twice, a look-up and a cancel succeeded; and the
    // look-up-and-cancel is itself a workflow the agent learned, from six tasks of its own
    const cancel = (orderId: string) => [orderStatusTask(0).calls[0]!, { tool: 'cancel_order', params: { orderId }, result: { ok: true } }];
    const mixed = runsOfTasks(10, 3, (task, agent) => (task === 0 && agent < 2 ? 'FAILED' : 'SUCCEEDED'), (task, agent) => (task === 0 && agent === 2 ? cancel('ORD-10000') : undefined));
    const cancels: Task[] = Array.from({ length: 6 }, (_, k) => ({ at: 1_000 + k * 10, session: `cancel-${k}`, taskId: `cancel-${k}`, query: `cancel order ORD-${20_000 + k}`, calls: cancel(`ORD-${20_000 + k}`) }));
    const outs = induce([...mixed, ...trajectoriesOf(cancels)]);
    expect(latest(outs, learnedTemplateId('acme', 'bot', ['get_order', 'cancel_order']))).toBeTruthy();
    const t = latest(outs)!;
    expect(t.conflictingTasks).toBe(0);
    expect(t.status).toBe('ACTIVE');
    // without the learned cancel workflow, the same task is conflicting evidence
    expect(latest(induce(mixed))!.conflictingTasks).toBe(1);
  });

  it('keeps a task as evidence against a look-up agents stopped after when the learned workflow that got it right is that look-up and more', () => {
    const lookup = (t: number) => ({ tool: 'get_order', params: { orderId: `ORD-${t}` }, result: { order: { id: `ORD-${t}` } } });
    const cancel = (t: number) => ({ tool: 'cancel_order', params: { orderId: `ORD-${t}` }, result: { ok: true } });
    const tasks: Task[] = [];
    for (let t = 0; t < 5; t++) {
      // the look-up alone was right for tasks 2-4; tasks 0 and 1 needed the cancel too
      for (let a = 0; a < 2; a++) tasks.push({ at: (t * 4 + a) * 10, session: `s${t}-${a}`, taskId: `t${t}`, query: `order ORD-${t}`, calls: [lookup(t)], outcome: t >= 2 ? 'SUCCEEDED' : 'FAILED' });
      if (t < 2) tasks.push({ at: (t * 4 + 2) * 10, session: `s${t}-2`, taskId: `t${t}`, query: `order ORD-${t}`, calls: [lookup(t), cancel(t)] });
    }
    for (let t = 5; t < 8; t++) tasks.push({ at: t * 40, session: `s${t}`, taskId: `t${t}`, query: `cancel ORD-${t}`, calls: [lookup(t), cancel(t)] });
    const outs = induce(trajectoriesOf(tasks));
    expect(latest(outs, learnedTemplateId('acme', 'bot', ['get_order', 'cancel_order']))).toBeTruthy();
    const lookupOnly = latest(outs, learnedTemplateId('acme', 'bot', ['get_order']))!;
    expect(lookupOnly.conflictingTasks).toBe(2);
    expect(lookupOnly.status).toBe('DRAFT');
  });

  it('does not hold a task against a loop when a run that made its calls with the loop run zero times got it right (nothing to act on)', () => {
    // a search, then a cancel of each order found: two or three per task; for task 6 the search
    // found none to cancel, two runs cancelled one anyway and failed, one stopped after the search
    const search = (t: number) => ({ tool: 'search_orders', params: { customer: `c${t}` }, result: { orders: [`ORD-${t}`] } });
    const cancel = (id: string) => ({ tool: 'cancel_order', params: { orderId: id }, result: { ok: true } });
    const tasks: Task[] = [];
    for (let t = 0; t < 6; t++) tasks.push({ at: t * 40, session: `s${t}`, taskId: `t${t}`, query: `cancel the orders of c${t}`, calls: [search(t), ...Array.from({ length: 2 + (t % 2) }, (_, k) => cancel(`ORD-${t}-${k}`))] });
    for (let a = 0; a < 2; a++) tasks.push({ at: 300 + a * 10, session: `s6-${a}`, taskId: 't6', query: 'cancel the orders of c6', calls: [search(6), cancel('ORD-6')], outcome: 'FAILED' });
    const loopTasks = [...tasks, { at: 330, session: 's6-2', taskId: 't6', query: 'cancel the orders of c6', calls: [search(6)] }];
    const id = learnedTemplateId('acme', 'bot', ['search_orders', 'cancel_order']);
    const loop = latest(induce(trajectoriesOf(loopTasks)), id)!;
    expect(loop.steps.map((s) => s.toolName)).toEqual(['search_orders', 'cancel_order']);
    expect(loop.conflictingTasks).toBe(0);
    // a single cancel (no loop): the run that stopped after the search made other calls, so the task is conflicting
    const single = tasks.map((t) => (t.taskId === 't6' ? t : { ...t, calls: t.calls.slice(0, 2) }));
    const once = latest(induce(trajectoriesOf([...single, { at: 330, session: 's6-2', taskId: 't6', query: 'cancel the orders of c6', calls: [search(6)] }])), id)!;
    expect(once.conflictingTasks).toBe(1);
  });

  it('counts no failed run that passed another value than a constant of the template (other-values.ts): the value was wrong, not the template', () => {
    // three tasks done right with the 'order_status' e-mail; four tasks whose every run sent another e-mail and failed
    const other = (task: number): Task['calls'] | undefined => {
      if (task < 3) return undefined;
      const calls = orderStatusTask(task).calls;
      return [calls[0]!, calls[1]!, { ...calls[2]!, params: { ...calls[2]!.params, template: 'order_update' } }];
    };
    const t = latest(induce(runsOfTasks(7, 2, (task) => (task < 3 ? 'SUCCEEDED' : 'FAILED'), other)))!;
    expect(t.steps[2]!.params.find((p) => p.path === 'template')).toMatchObject({ kind: 'CONSTANT', valueJson: '"order_status"' });
    expect(t.stats).toMatchObject({ support: 14, successes: 6 });
    expect(t.confidence).toBeCloseTo(wilsonLowerBound(3, 3), 3);
    // the same four tasks failing with the template's own values: 3 of 7 tasks, under the success rate
    expect(latest(induce(runsOfTasks(7, 2, (task) => (task < 3 ? 'SUCCEEDED' : 'FAILED'))))).toBeUndefined();
  });

  it('counts no failed run that passed a value its own query does not give where the template reads a query slot', () => {
    // four tasks whose every run looked up an order the query does not name
    const other = (task: number): Task['calls'] | undefined => {
      if (task < 3) return undefined;
      const calls = orderStatusTask(task).calls;
      return [{ ...calls[0]!, params: { orderId: 'ORD-99999' } }, calls[1]!, calls[2]!];
    };
    const t = latest(induce(runsOfTasks(7, 2, (task) => (task < 3 ? 'SUCCEEDED' : 'FAILED'), other)))!;
    expect(t.steps[0]!.params.find((p) => p.path === 'orderId')).toMatchObject({ kind: 'SLOT' });
    expect(t.slots.find((s) => s.name === t.steps[0]!.params.find((p) => p.path === 'orderId')!.slotName)?.source).toBe('QUERY');
    expect(t.stats).toMatchObject({ support: 14, successes: 6 });
    expect(t.confidence).toBeCloseTo(wilsonLowerBound(3, 3), 3);
  });

  it('learns no template when the tasks other calls got right outnumber those this structure got right', () => {
    // a look-up agents stopped after: wrong for three tasks that a look-up and a cancel got right, right for two
    const tasks: Task[] = [];
    for (let t = 0; t < 5; t++) {
      const lookup = { tool: 'get_order', params: { orderId: `ORD-${t}` }, result: { order: { id: `ORD-${t}` } } };
      const stopped = t >= 3 ? 'SUCCEEDED' : 'FAILED';
      for (let a = 0; a < 2; a++) tasks.push({ at: (t * 4 + a) * 10, session: `s${t}-${a}`, taskId: `t${t}`, query: `order ORD-${t}`, calls: [lookup], outcome: stopped });
      if (t < 3) tasks.push({ at: (t * 4 + 2) * 10, session: `s${t}-2`, taskId: `t${t}`, query: `order ORD-${t}`, calls: [lookup, { tool: 'cancel_order', params: { orderId: `ORD-${t}` }, result: { ok: true } }] });
    }
    const outs = induce(trajectoriesOf(tasks));
    expect(latest(outs, learnedTemplateId('acme', 'bot', ['get_order']))).toBeUndefined();
  });
});

describe('current shapes of a tool', () => {
  const call = (result: unknown, params: Record<string, unknown> = { orderId: 'x' }): Task => ({ at: 0, calls: [{ tool: 'get_order', params, result }] });
  const ring = (results: Task[]) => trajectoriesOf(results.map((t, i) => ({ ...t, at: i * 10 }))).map((t, i) => summarise(t, 0, i));
  const stepOf = (r: ReturnType<typeof ring>, i: number) => r[i]!.steps[0]!;

  it('keeps alternating result shapes current, and an empty list fits any', () => {
    const r = ring([call({ a: 1 }), call('not found'), call([]), call({ a: 2 }), call('not found'), call([]), call({ a: 3 })]);
    const shapes = currentShapes(r);
    for (let i = 0; i < r.length; i++) expect(isCurrentShape(shapes, 'get_order', stepOf(r, i))).toBe(true);
  });

  it('makes a result shape stale once calls of the same form moved on to a new one', () => {
    const r = ring([...Array.from({ length: 6 }, () => call({ a: 1 })), ...Array.from({ length: 3 }, () => call({ a: 1, b: 2 })), call({ a: 1 }, { orderId: 'x', verbose: true })]);
    const shapes = currentShapes(r);
    expect(isCurrentShape(shapes, 'get_order', stepOf(r, 0))).toBe(false);
    expect(isCurrentShape(shapes, 'get_order', stepOf(r, 8))).toBe(true);
    // another call form (an optional parameter) is not a change
    expect(isCurrentShape(shapes, 'get_order', stepOf(r, 9))).toBe(true);
  });
});
