import { describe, expect, it } from 'vitest';
import { induceBody, plainInstance, plainSteps, type Instance } from './induce.js';
import { embedCore } from './kinds.js';
import { summarise } from './summary.js';
import { orderStatusTask, policy, trajectoriesOf, type Task } from './test-tasks.js';

const SIG = ['get_order', 'get_tracking', 'send_email'];

function instancesOf(tasks: Task[], signature = SIG): Instance[] {
  return trajectoriesOf(tasks)
    .map((t, i) => summarise(t, 0, i))
    .map((summary) => plainInstance(summary, embedCore(summary.sequence, signature)!.map((p) => summary.mined[p]!)))
    .reverse();
}

const paramOf = (body: ReturnType<typeof induceBody>, step: number, path: string) => body.steps[step]!.params.find((p) => p.path === path)!;
const slotOf = (body: ReturnType<typeof induceBody>, name: string | null) => body.slots.find((s) => s.name === name)!;

describe('induction of parameters', () => {
  const body = induceBody(plainSteps(SIG), instancesOf(Array.from({ length: 8 }, (_, i) => orderStatusTask(i))), policy());

  it('makes a value that never changes a constant', () => {
    expect(paramOf(body, 2, 'template')).toMatchObject({ kind: 'CONSTANT', valueJson: '"order_status"' });
  });

  it('binds a value taken from an earlier result to its path', () => {
    expect(paramOf(body, 1, 'ref')).toMatchObject({ kind: 'STEP_RESULT', stepIndex: 0, resultPath: 'order.shipment.ref' });
    expect(paramOf(body, 2, 'to')).toMatchObject({ kind: 'STEP_RESULT', stepIndex: 0, resultPath: 'order.customer.email' });
  });

  it('makes a value from the query a QUERY slot, even when a lookup echoes it, and shares it between steps', () => {
    const first = paramOf(body, 0, 'orderId');
    const later = paramOf(body, 2, 'orderId');
    expect(first.kind).toBe('SLOT');
    expect(later.slotName).toBe(first.slotName);
    const slot = slotOf(body, first.slotName);
    expect(slot.source).toBe('QUERY');
    expect(JSON.parse(slot.schemaJson)).toEqual({ type: 'string', pattern: '^ORD-\\d{5}$' });
    expect(slot.examplesJson.length).toBeGreaterThan(0);
  });

  it('tells a per-session value (CONTEXT) from one made up each run (GENERATED)', () => {
    const tasks = Array.from({ length: 8 }, (_, i) => {
      const t = orderStatusTask(i, { session: `s${i % 3}` });
      (t.calls[2]!.params as Record<string, unknown>).signature = ['alice', 'bob', 'carol'][i % 3];
      (t.calls[2]!.params as Record<string, unknown>).note = `note ${i} about the parcel`;
      return t;
    });
    const b = induceBody(plainSteps(SIG), instancesOf(tasks), policy());
    expect(slotOf(b, paramOf(b, 2, 'signature').slotName).source).toBe('CONTEXT');
    expect(slotOf(b, paramOf(b, 2, 'note').slotName).source).toBe('GENERATED');
    // three callers seen eight times is no closed list: the next session brings another
    expect(JSON.parse(slotOf(b, paramOf(b, 2, 'signature').slotName).schemaJson).enum).toBeUndefined();
  });

  it('keeps a constant when one instance in ten strays', () => {
    const tasks = Array.from({ length: 10 }, (_, i) => orderStatusTask(i));
    (tasks[3]!.calls[2]!.params as Record<string, unknown>).template = 'other';
    expect(paramOf(induceBody(plainSteps(SIG), instancesOf(tasks), policy()), 2, 'template')).toMatchObject({ kind: 'CONSTANT', valueJson: '"order_status"' });
  });

  it('does not bind when too few instances agree', () => {
    const tasks = Array.from({ length: 8 }, (_, i) => orderStatusTask(i));
    // in half the runs the agent typed another reference than the one the order gave
    tasks.forEach((t, i) => {
      if (i % 2) (t.calls[1]!.params as Record<string, unknown>).ref = `TR${9_000_000 + i}`;
    });
    const p = paramOf(induceBody(plainSteps(SIG), instancesOf(tasks), policy()), 1, 'ref');
    expect(p.kind).toBe('SLOT');
  });
});
