// Induction of the structures real runs have: loops over a collection, optional steps,
// sub-workflows shared by tasks that go on differently, and one-call workflows. The runs are
// small realistic factories that go through the real segmenter (dataflow included).
import type { Template, Trajectory } from '@praxis/schemas';
import { describe, expect, it } from 'vitest';
import { learnedTemplateId, segmentTemplateId } from './candidate.js';
import { chooseStructure, collapse, kindsOf, matchRun } from './kinds.js';
import { Inducer } from './processor.js';
import { findSegments } from './segments.js';
import { policy, trajectoriesOf, type Call, type Task } from './test-tasks.js';

const templatesOf = (trajectories: Trajectory[], p = policy()) => {
  const inducer = new Inducer(() => p);
  trajectories.forEach((t, i) => inducer.applyTrajectory(t, 0, i));
  const out = new Map<string, Template>();
  for (const o of inducer.publish('acme/bot')) if (o.value) out.set(o.key, o.value);
  return [...out.values()];
};
const bySignature = (ts: Template[], ...tools: string[]) => ts.find((t) => t.signature.join('>') === tools.join('>'));

/** A customer's order with `items` products: get_order, then get_product once per item, then cancel_order. */
function perItemTask(i: number, items: number, extra: Partial<Task> = {}): Task {
  const orderId = `#W${5_000_000 + i * 7919}`;
  const products = Array.from({ length: items }, (_, k) => ({ productId: `${8_000_000_000 + i * 1_000 + k}`, quantity: 1 }));
  return {
    at: i * 10,
    query: `Cancel my order ${orderId}, but first tell me what is in it`,
    calls: [
      { tool: 'get_order_details', params: { order_id: orderId }, result: { order: { id: orderId, status: 'pending', items: products } } },
      ...products.map((p): Call => ({ tool: 'get_product_details', params: { product_id: p.productId }, result: { product: { id: p.productId, name: `thing ${p.productId}`, price: 10 } } })),
      { tool: 'cancel_pending_order', params: { order_id: orderId, reason: 'no longer needed' }, result: { cancelled: true } },
    ],
    ...extra,
  };
}

/** A user looked up by email, then (when the query names a product) that product, then an order cancelled. */
function optionalLookupTask(i: number, withProduct: boolean): Task {
  const email = `user${i}@example.com`;
  const orderId = `#W${6_000_000 + i * 31}`;
  const product = `P-${100 + i}`;
  return {
    at: i * 10,
    query: withProduct ? `I am ${email}; is ${product} in stock? Cancel ${orderId} anyway` : `I am ${email}, cancel ${orderId}`,
    calls: [
      { tool: 'find_user', params: { email }, result: { user: { id: `usr-${i}`, email } } },
      ...(withProduct ? [{ tool: 'get_product_details', params: { product_id: product }, result: { product: { id: product, stock: 3 } } }] : []),
      { tool: 'cancel_pending_order', params: { order_id: orderId, user_id: `usr-${i}` }, result: { cancelled: true } },
    ],
  };
}

const ACTIONS = ['cancel_pending_order', 'modify_address', 'return_items', 'exchange_items', 'modify_payment', 'transfer_to_human', 'modify_items', 'list_payments'];

/** Authenticate, look the order up, then one action: `action` picks it. */
function authThenActionTask(i: number, action: string): Task {
  const user = `user_${i}`;
  const orderId = `#W${7_000_000 + i * 13}`;
  return {
    at: i * 10,
    query: `I am ${user}, please ${action.replace(/_/g, ' ')} on order ${orderId}`,
    calls: [
      { tool: 'find_user_id_by_name_zip', params: { name: user, zip: '10001' }, result: { user_id: `${user}_id` } },
      { tool: 'get_order_details', params: { order_id: orderId, user_id: `${user}_id` }, result: { order: { id: orderId, status: 'pending' } } },
      { tool: action, params: { order_id: orderId }, result: { ok: true } },
    ],
  };
}

describe('structures: pure rules', () => {
  it('collapses consecutive calls of one tool and matches loops and optional steps exactly', () => {
    const run = collapse(['a', 'b', 'b', 'b', 'c']);
    expect(run.map((e) => [e.tool, e.count])).toEqual([['a', 1], ['b', 3], ['c', 1]]);
    const steps = [
      { tool: 'a', optional: false, loop: false },
      { tool: 'x', optional: true, loop: false },
      { tool: 'b', optional: false, loop: true },
      { tool: 'c', optional: false, loop: false },
    ];
    expect(matchRun(steps, run)).toEqual([0, -1, 1, 2]);
    expect(matchRun(steps, collapse(['a', 'x', 'b', 'c']))).toEqual([0, 1, 2, 3]);
    expect(matchRun(steps, collapse(['a', 'c']))).toBeNull();
    expect(matchRun(steps, collapse(['a', 'b', 'c', 'd']))).toBeNull();
    expect(matchRun([{ tool: 'a', optional: false, loop: false }], collapse(['a', 'a']))).toBeNull();
  });

  it('gives one kind to cores with the same first and last call, one inside the other, and keeps rare insertions as noise', () => {
    const runs = [...Array(10).fill('abc'), ...Array(6).fill('axbc'), ...Array(5).fill('adc'), 'aybc'].map((s: string) => collapse(s.split('')));
    const kinds = kindsOf(runs, { minSupport: 5, minSteps: 1, maxSteps: 10 });
    expect(kinds.map((k) => [k.core.join(''), k.members.length])).toEqual([['abc', 17], ['adc', 5]]);
    const structure = chooseStructure(kinds[0]!.core, kinds[0]!.members.map((m) => runs[m]!), 5);
    expect(structure.map((s) => `${s.optional ? '?' : ''}${s.tool}`).join('')).toBe('a?xbc');
  });

  it('finds a segment shared by whole workflows, or recurring where the rest varies, not one that always goes on the same way', () => {
    const options = { minSupport: 5, minSteps: 2, maxSteps: 10, minVariation: 0.2 };
    const runs = ['abc', 'abc', 'abd', 'abd', 'abe', 'abf', 'xyz', 'xyz', 'xyz', 'xyz', 'xyz', 'xyz'].map((s) => collapse(s.split('')));
    const all = new Set(runs.map((_, i) => i));
    expect(findSegments(runs, [], all, options).map((s) => [s.tools.join(''), s.occurrences.length])).toEqual([['ab', 6]]);
    // shared by two whole workflows (an optional step never belongs to a segment)
    const wholes = [['a', 'b', 'c'], ['a', 'b', 'd'], ['x', null, 'y', 'z']];
    expect(findSegments(runs, wholes, new Set(), options).map((s) => s.tools.join(''))).toEqual(['ab']);
    // a prefix that one workflow alone has, whose explained runs vary only by noise, is none
    const noisy = ['abc', 'abc', 'abc', 'abc', 'xabc', 'yabc'].map((s) => collapse(s.split('')));
    expect(findSegments(noisy, [['a', 'b', 'c']], new Set(), options)).toEqual([]);
  });
});

describe('structures: induction from runs', () => {
  it('learns a loop over the items of an earlier result from repeated per-item look-ups, and its own runs have its structure', () => {
    const tasks = Array.from({ length: 12 }, (_, i) => perItemTask(i, 1 + (i % 4)));
    const [t, ...others] = templatesOf(trajectoriesOf(tasks));
    expect(others).toEqual([]);
    expect(t!.signature).toEqual(['get_order_details', 'get_product_details', 'cancel_pending_order']);
    expect(t!.name).toBe('get_order_details > get_product_details* > cancel_pending_order');
    expect(t!.steps[1]!.loop).toEqual({ overStepIndex: 0, overPath: 'order.items', overSlot: null, maxIterations: 100 });
    expect(t!.steps[1]!.params).toEqual([expect.objectContaining({ path: 'product_id', kind: 'LOOP_ITEM', resultPath: 'productId' })]);
    expect(t!.steps[2]!.params.find((p) => p.path === 'order_id')).toMatchObject({ kind: 'SLOT' });
    expect(t!.structureFit).toBe(1);
    expect(t!.stats.support).toBe(12);
  });

  it('keeps the error knowledge of the failing runs of the same kind', () => {
    const ok = Array.from({ length: 10 }, (_, i) => perItemTask(i, 2));
    const failing = Array.from({ length: 3 }, (_, i) => {
      const task = perItemTask(50 + i, 2, { outcome: 'FAILED' });
      task.calls[2] = { ...task.calls[2]!, error: { type: 'NotFound', message: 'product 123 not found' } };
      task.calls.splice(3);
      return task;
    });
    const [t] = templatesOf(trajectoriesOf([...ok, ...failing]));
    // the failing runs stop before the final call: not instances of the workflow, but their errors are known to it
    expect(t!.knownErrors).toEqual([expect.objectContaining({ toolName: 'get_product_details', occurrences: 3 })]);
    expect(t!.stats).toMatchObject({ support: 10, successes: 10 });
  });

  it('learns an optional look-up that some successful runs make, run when the query holds its value', () => {
    const tasks = Array.from({ length: 16 }, (_, i) => optionalLookupTask(i, i % 2 === 0));
    const ts = templatesOf(trajectoriesOf(tasks));
    expect(ts).toHaveLength(1);
    const t = ts[0]!;
    expect(t.name).toBe('find_user > [get_product_details] > cancel_pending_order');
    expect(t.steps[1]).toMatchObject({ optional: true, conditionJson: JSON.stringify({ whenSlot: 'product_id' }) });
    expect(t.slots.find((s) => s.name === 'product_id')).toMatchObject({ required: false, source: 'QUERY' });
    expect(t.steps[2]!.params.find((p) => p.path === 'user_id')).toMatchObject({ kind: 'STEP_RESULT', stepIndex: 0, resultPath: 'user.id' });
    expect(t.structureFit).toBe(1);
  });

  it('learns a shared authenticate-then-look-up prefix once, marks it in the workflows that contain it, and serves it where the rest varies', () => {
    const tasks: Task[] = [];
    for (let i = 0; i < 6; i++) tasks.push(authThenActionTask(tasks.length, 'cancel_pending_order'));
    for (let i = 0; i < 6; i++) tasks.push(authThenActionTask(tasks.length, 'modify_address'));
    for (const action of ACTIONS.slice(2)) tasks.push(authThenActionTask(tasks.length, action));
    const ts = templatesOf(trajectoriesOf(tasks));
    const segment = ts.find((t) => t.partialSteps !== null)!;
    expect(segment.templateId).toBe(segmentTemplateId('acme', 'bot', ['find_user_id_by_name_zip', 'get_order_details']));
    expect(segment).toMatchObject({ signature: ['find_user_id_by_name_zip', 'get_order_details'], partialSteps: 2, structureFit: 1, stats: { support: 18 } });
    expect(segment.name).toBe('sub-workflow: find_user_id_by_name_zip > get_order_details');
    // its examples are the runs no whole workflow explains: those get a partial answer
    expect(segment.triggerExamples).toHaveLength(6);
    expect(segment.triggerExamples.every((q) => !/cancel pending order|modify address/.test(q))).toBe(true);
    expect(segment.steps[1]!.params.find((p) => p.path === 'user_id')).toMatchObject({ kind: 'STEP_RESULT', stepIndex: 0, resultPath: 'user_id' });
    for (const action of ['cancel_pending_order', 'modify_address']) {
      const whole = bySignature(ts, 'find_user_id_by_name_zip', 'get_order_details', action)!;
      expect(whole.steps.map((s) => s.segmentId)).toEqual([segment.templateId, segment.templateId, null]);
      expect(whole.partialSteps).toBeNull();
    }
    expect(ts).toHaveLength(3);
  });

  it('learns a loop over a list of values written in the query when no earlier result holds them', () => {
    const tasks = Array.from({ length: 8 }, (_, i): Task => {
      const skus = Array.from({ length: 2 + (i % 3) }, (_, k) => `SKU-${1_000 + i * 10 + k}`);
      return {
        at: i * 10,
        query: `Add ${skus.join(' and ')} to cart c${100 + i}`,
        calls: [...skus.map((sku): Call => ({ tool: 'add_to_cart', params: { sku, cart: `c${100 + i}` }, result: { ok: true } })), { tool: 'checkout', params: { cart: `c${100 + i}` }, result: { total: 3 } }],
      };
    });
    const [t] = templatesOf(trajectoriesOf(tasks));
    expect(t!.name).toBe('add_to_cart* > checkout');
    const slot = t!.slots.find((s) => s.name === t!.steps[0]!.loop?.overSlot)!;
    expect(slot).toMatchObject({ name: 'sku_list', source: 'QUERY', required: true });
    expect(JSON.parse(slot.schemaJson)).toMatchObject({ type: 'array', items: { type: 'string' } });
    expect(t!.steps[0]!.params).toContainEqual(expect.objectContaining({ path: 'sku', kind: 'LOOP_ITEM', resultPath: '' }));
    expect(t!.structureFit).toBe(1);
    // the runs' lists are the slot's examples (the router reads each element by where they sat)
    expect(slot.examplesJson.map((e) => JSON.parse(e) as string[])).toContainEqual(['SKU-1070', 'SKU-1071', 'SKU-1072']);
    expect(slot.examplesJson.every((e) => Array.isArray(JSON.parse(e)))).toBe(true);
  });

  it('learns a list the query never wrote as a constant list when the runs agree on it', () => {
    const tasks = Array.from({ length: 8 }, (_, i): Task => ({
      at: i * 10,
      query: `Close the account of client${i}`,
      calls: [
        ...['open', 'pending'].map((state): Call => ({ tool: 'search_accounts', params: { owner: `client${i}`, state }, result: state === 'open' ? [{ id: `a${i}` }] : [] })),
        { tool: 'close_account', params: { id: `a${i}` }, result: { ok: true } },
      ],
    }));
    const [t] = templatesOf(trajectoriesOf(tasks));
    const slot = t!.slots.find((s) => s.name === t!.steps[0]!.loop?.overSlot)!;
    expect(slot).toMatchObject({ name: 'state_list', required: false });
    expect(JSON.parse(slot.schemaJson)).toMatchObject({ type: 'array', default: ['open', 'pending'] });
  });

  it('leaves out a list the agents chose when they agree on none and successful runs did without it', () => {
    const states = ['open', 'pending', 'closed', 'frozen', 'new'];
    const tasks = Array.from({ length: 8 }, (_, i): Task => {
      const searches: Call[] =
        i % 2 === 0
          ? [{ tool: 'search_accounts', params: { owner: `client${i}` }, result: [{ id: `a${i}` }] }]
          : [0, 1].map((k): Call => ({ tool: 'search_accounts', params: { owner: `client${i}`, state: states[(i + k) % states.length]! }, result: [{ id: `a${i}` }] }));
      return { at: i * 10, query: `Close the account of client${i}`, calls: [...searches, { tool: 'close_account', params: { id: `a${i}` }, result: { ok: true } }] };
    });
    const [t] = templatesOf(trajectoriesOf(tasks));
    expect(t!.steps[0]!.loop).toBeNull();
    expect(t!.steps[0]!.params.map((p) => p.path)).toEqual(['owner']);
    expect(t!.slots.some((s) => JSON.parse(s.schemaJson).type === 'array')).toBe(false);
  });

  it('loops a later step over an earlier loop\'s results, one element per iteration', () => {
    const tasks = Array.from({ length: 8 }, (_, i): Task => {
      const names = Array.from({ length: 1 + (i % 3) }, (_, k) => `person${i * 10 + k}`);
      return {
        at: i * 10,
        query: `Send note n${100 + i} to ${names.join(' and ')}`,
        calls: [
          ...names.map((name): Call => ({ tool: 'find_email', params: { name }, result: [`${name}@corp.example`] })),
          ...names.map((name): Call => ({ tool: 'send_note', params: { note: `n${100 + i}`, to: `${name}@corp.example` }, result: { ok: true } })),
        ],
      };
    });
    const [t] = templatesOf(trajectoriesOf(tasks));
    expect(t!.name).toBe('find_email* > send_note*');
    expect(t!.steps[1]!.loop).toEqual({ overStepIndex: 0, overPath: '', overSlot: null, maxIterations: 100 });
    expect(t!.steps[1]!.params).toContainEqual(expect.objectContaining({ path: 'to', kind: 'LOOP_ITEM', resultPath: '0' }));
    // no made-up list of recipients: the only list slot is the names the query wrote
    expect(t!.slots.filter((s) => JSON.parse(s.schemaJson).type === 'array').map((s) => [s.name, s.source])).toEqual([['name_list', 'QUERY']]);
  });

  it('learns a one-call workflow when it recurs and succeeds, and not when it fails', () => {
    const weather = (i: number, outcome: 'SUCCEEDED' | 'FAILED' = 'SUCCEEDED'): Task => ({ at: i * 10, query: `weather in city${i}?`, calls: [{ tool: 'get_weather', params: { city: `city${i}` }, result: { temp: 20 } }], outcome });
    const [t, ...rest] = templatesOf(trajectoriesOf(Array.from({ length: 6 }, (_, i) => weather(i))));
    expect(rest).toEqual([]);
    expect(t).toMatchObject({ templateId: learnedTemplateId('acme', 'bot', ['get_weather']), signature: ['get_weather'], structureFit: 1 });
    expect(t!.steps[0]!.params).toEqual([expect.objectContaining({ path: 'city', kind: 'SLOT' })]);
    expect(templatesOf(trajectoriesOf(Array.from({ length: 6 }, (_, i) => weather(i, 'FAILED'))))).toEqual([]);
    expect(templatesOf(trajectoriesOf(Array.from({ length: 6 }, (_, i) => weather(i))), policy({ minStepsToLearn: 2 }))).toEqual([]);
  });
});
