// End to end without servers: runs that share "authenticate, then look the order up" and
// then go on in different ways are learned (a sub-workflow and the whole workflows that
// recur), served by the router (whole answers for the recurring tasks, a partial answer for
// a task that only shares the beginning), and the SDK runs the partial answer's steps and
// hands their results back.
import { Inducer } from '@praxis/inducer';
import { HashingEmbedder, Policies, RouterCore, type RouterSink } from '@praxis/router';
import type { Template } from '@praxis/schemas';
import { executeWorkflow } from '@praxis/sdk';
import { describe, expect, it } from 'vitest';
import { policy, trajectoriesOf, type Task } from '../../services/inducer/src/test-tasks.js';

const ACTIONS = ['return_items', 'exchange_items', 'modify_payment', 'transfer_to_human', 'modify_items', 'list_payments'];

function task(i: number, action: string): Task {
  const user = `user_${i}`;
  const orderId = `W${7_000_000 + i * 13}`;
  return {
    at: i * 10,
    query: `I am ${user}, please ${action.replace(/_/g, ' ')} on order ${orderId}`,
    calls: [
      { tool: 'find_user', params: { name: user }, result: { user_id: `${user}_id` } },
      { tool: 'get_order', params: { order_id: orderId, user_id: `${user}_id` }, result: { order: { id: orderId, status: 'pending' } } },
      { tool: action, params: { order_id: orderId }, result: { ok: true } },
    ],
  };
}

const nullSink: RouterSink = { writeTemplates: async () => undefined, writeFeedback: async () => undefined };

describe('partial answers, from learning to execution', () => {
  it('learns the shared beginning once, serves it where the task goes on differently, and the SDK runs it', async () => {
    const tasks: Task[] = [];
    for (let i = 0; i < 8; i++) tasks.push(task(tasks.length, 'cancel_order'));
    for (const action of [...ACTIONS, ...ACTIONS]) tasks.push(task(tasks.length, action));
    const inducer = new Inducer(() => policy());
    trajectoriesOf(tasks).forEach((t, i) => inducer.applyTrajectory(t, 0, i));
    const templates = new Map<string, Template>();
    for (const o of inducer.publish('acme/bot')) if (o.value) templates.set(o.key, o.value);
    const segment = [...templates.values()].find((t) => t.partialSteps !== null)!;
    const cancel = [...templates.values()].find((t) => t.signature.at(-1) === 'cancel_order')!;
    expect(segment.signature).toEqual(['find_user', 'get_order']);
    expect(cancel.steps.map((s) => s.segmentId)).toEqual([segment.templateId, segment.templateId, null]);

    const router = new RouterCore({ embedder: new HashingEmbedder(), policies: new Policies(), sink: nullSink, clock: () => Date.UTC(2026, 0, 13) });
    await router.applyRecords([...templates.values()].map((t, i) => ({ key: t.templateId, value: t, partition: 0, offset: String(i) })));

    const whole = await router.lookup('acme', { query: 'I am user_90, please cancel order on order W7999999', agentId: 'bot' });
    expect(whole).toMatchObject({ templateId: cancel.templateId, partial: null });

    const part = await router.lookup('acme', { query: 'I am user_91, please return items on order W7999998', agentId: 'bot' });
    expect(part.templateId).toBe(segment.templateId);
    expect(part.partial).toMatchObject({ reuseSteps: 2, planFrom: 2 });
    expect(part.workflow!.steps.map((s) => s.toolName)).toEqual(['find_user', 'get_order']);
    expect(part.workflow!.bindings).toEqual({ name: 'user_91', order_id: 'W7999998' });

    const calls: string[] = [];
    const result = await executeWorkflow({
      workflow: part.workflow!,
      tools: {
        find_user: async (p) => (calls.push(`find_user ${String(p.name)}`), { user_id: `${String(p.name)}_id` }),
        get_order: async (p) => (calls.push(`get_order ${String(p.order_id)} ${String(p.user_id)}`), { order: { id: p.order_id, status: 'pending' } }),
      },
    });
    expect(calls).toEqual(['find_user user_91', 'get_order W7999998 user_91_id']);
    expect(result).toMatchObject({ outcome: 'succeeded', partial: true, stepsCompleted: 2, results: [{ user_id: 'user_91_id' }, { order: { id: 'W7999998', status: 'pending' } }] });
  });
});
