// Value conditions learned from runs that acted only when a look-up's numbers satisfied the
// comparison the query wrote ("if sales were more / less than N since D, open a ticket"): the
// runs go through the real segmenter (which records the comparison facts, never the numbers)
// and the real inducer.
import { describe, expect, it } from 'vitest';
import { COMPARISON_SLOT, learnCondition } from './conditions.js';
import { plainInstance } from './induce.js';
import { summarise } from './summary.js';
import { publishedTemplates, trajectoriesOf, type Call, type Task } from './test-tasks.js';

const templatesOf = publishedTemplates;

const days = ['2026-01-01', '2026-01-02', '2026-01-03'];
const regions = ['north', 'south', 'east', 'west', 'inland', 'coast', 'hills', 'delta'];

/**
 * "If sales in REGION were more (less) than N at any time since D, open a ticket": daily_sales
 * returns a number per day; the run opens a ticket only when some day's number satisfies the
 * comparison, and the direction comes from the query; `act` overrides whether it does.
 */
function salesTask(i: number, more: boolean, act?: boolean): Task {
  const region = regions[i % regions.length]!;
  const sales = Object.fromEntries(days.map((d, k) => [d, 10 + ((i + k) % 3) * 5]));
  const threshold = i % 2 === 0 ? 12 + (i % 3) : 30 - (i % 5);
  const values = Object.values(sales);
  const holds = more ? values.some((v) => v > threshold) : values.some((v) => v < threshold);
  const calls: Call[] = [{ tool: 'daily_sales', params: { region, since: days[0] }, result: sales }];
  if (act ?? holds) calls.push({ tool: 'open_ticket', params: { title: `Look at ${region} sales`, queue: 'sales' }, result: { id: `t${i}` } });
  return { at: i * 10, taskId: `t${i}`, query: `If sales in ${region} were ${more ? 'more' : 'less'} than ${threshold} at any time since January 1, open a ticket 'Look at ${region} sales'`, calls };
}

describe('value conditions', () => {
  it('learns a tail that runs when some number of a result satisfies the query\'s comparison, either way round', () => {
    const tasks = Array.from({ length: 24 }, (_, i) => salesTask(i, i % 4 < 2));
    // both branches, both directions, from several tasks each
    const acted = tasks.filter((t) => t.calls.length === 2).length;
    expect(acted).toBeGreaterThan(3);
    expect(tasks.length - acted).toBeGreaterThan(3);
    const ts = templatesOf(trajectoriesOf(tasks));
    const t = ts.find((x) => x.signature.join('>') === 'daily_sales>open_ticket');
    expect(t).toBeDefined();
    expect(t!.steps[1]).toMatchObject({ optional: true, conditionJson: JSON.stringify({ whenValue: { step: 0, path: '', quantifier: 'some', slot: COMPARISON_SLOT, holds: true } }) });
    const slot = t!.slots.find((s) => s.name === COMPARISON_SLOT);
    expect(slot).toMatchObject({ source: 'QUERY', queryForm: 'comparison', required: true });
    expect(slot!.examplesJson.map((e) => JSON.parse(e) as string).every((e) => /^[<>]\d+$/.test(e))).toBe(true);
    expect(t!.stats).toMatchObject({ support: 24, successes: 24 });
    expect(ts.some((x) => x.signature.join('>') === 'daily_sales')).toBe(false);
    // its trigger examples are the queries of runs that acted: those say what the template does
    const actingQueries = new Set(tasks.filter((x) => x.calls.length === 2).map((x) => x.query));
    expect(t!.triggerExamples.length).toBeGreaterThan(0);
    expect(t!.triggerExamples.every((q) => actingQueries.has(q))).toBe(true);
  });

  it('learns none when the numbers do not predict whether the tail ran, or when few runs compare anything', () => {
    const instances = (tasks: Task[]) => trajectoriesOf(tasks).map((t, i) => summarise(t, 0, i)).map((s) => plainInstance(s, s.mined.slice(0, 1)));
    const all = Array.from({ length: 24 }, (_, i) => salesTask(i, i % 4 < 2));
    const split = (xs: Task[]) => [instances(xs.filter((t) => t.calls.length === 1)), instances(xs.filter((t) => t.calls.length === 2))] as const;
    const [stopped, acted] = split(all);
    expect(learnCondition(1, stopped, acted)).toMatchObject({ step: 0, path: '', has: 'elements', quantifier: 'some', agreeing: 24, runs: 24 });
    // runs that act whatever their numbers say: no condition
    const [stoppedMixed, actedMixed] = split(all.map((_, i) => salesTask(i, i % 4 < 2, i % 3 === 0)));
    expect(learnCondition(1, stoppedMixed, actedMixed)).toBeNull();
    // the same runs with queries that write no comparison: nothing to judge a value condition on
    const plain = (xs: Task[]) => xs.map((t) => ({ ...t, query: t.query!.replace(/ were (more|less) than \d+/, ' changed') }));
    const [stoppedPlain, actedPlain] = split(plain(all));
    expect(learnCondition(1, stoppedPlain, actedPlain)).toBeNull();
  });
});
