// Value conditions whose evidence is pooled over look-ups in one role (conditions.ts,
// pooledValueCondition): "if M was more / less than N since D, open a ticket" for several
// measures M, each looked up by its own tool with the same arguments. One measure's runs show
// both branches from several tasks; another's show agents acting on several tasks and stopping
// on one: alone, its stopped branch is one task, no pattern; with the first measure's runs, the
// condition is the same (whether the agents acted depended on the comparison the query wrote).
import { describe, expect, it } from 'vitest';
import { COMPARISON_SLOT, sameRole } from './conditions.js';
import { publishedTemplates, trajectoriesOf, type Call, type Task } from './test-tasks.js';

const days = ['2026-01-01', '2026-01-02', '2026-01-03'];
const places = ['north', 'south', 'east', 'west', 'inland', 'coast', 'hills', 'delta'];
const whenValue = (holds: boolean) => JSON.stringify({ whenValue: { step: 0, path: '', quantifier: 'some', slot: COMPARISON_SLOT, holds } });

/**
 * A task about `measure` (looked up by `tool`): the numbers per day, the query's comparison, and
 * a ticket only when some day's number satisfies it (`act` overrides). `wrongAct`: one more run
 * of the same task that opened the ticket anyway and failed (another agent's mistake).
 */
function measureTask(tool: string, measure: string, i: number, more: boolean, act?: boolean): Task {
  const place = places[i % places.length]!;
  const numbers = Object.fromEntries(days.map((d, k) => [d, 10 + ((i + k) % 3) * 5]));
  const threshold = more ? 30 - (i % 5) : 12 + (i % 3);
  const values = Object.values(numbers);
  const holds = more ? values.some((v) => v > threshold) : values.some((v) => v < threshold);
  const calls: Call[] = [{ tool, params: { place, since: days[0] }, result: numbers }];
  if (act ?? holds) calls.push({ tool: 'open_ticket', params: { title: `Look at ${place} ${measure}`, queue: 'ops' }, result: { id: `t${i}` } });
  return { at: 0, taskId: `${tool}-${i}`, query: `If ${measure} in ${place} was ${more ? 'more' : 'less'} than ${threshold} at any time since January 1, open a ticket 'Look at ${place} ${measure}'`, calls };
}

/** Tasks laid out one after the other (each run its own time slot). */
const laidOut = (tasks: Task[]) => tasks.map((t, k) => ({ ...t, at: k * 10 }));

describe('value conditions pooled over look-ups in one role', () => {
  // sales: both branches from several tasks; visits: acting on 6 tasks, stopping on 1 (two agents: one stopped, right; one acted, wrong)
  const sales = Array.from({ length: 16 }, (_, i) => measureTask('daily_sales', 'sales', i, i % 2 === 0));
  const visitsActing = [0, 2, 4, 6, 8, 10].map((i) => measureTask('daily_visits', 'visits', i, false));
  const visitsStopped = measureTask('daily_visits', 'visits', 1, true);
  const visitsStoppedWrong: Task = { ...measureTask('daily_visits', 'visits', 1, true, true), outcome: 'FAILED' };
  // look-ups of the measure for questions that compare nothing: the look-up alone is a kind of its own
  const visitsAsked = Array.from({ length: 5 }, (_, i): Task => ({ at: 0, taskId: `ask-${i}`, query: `How many visits did ${places[i]} have since January 1?`, calls: [{ tool: 'daily_visits', params: { place: places[i]!, since: days[0] }, result: { [days[0]!]: 3 + i } }] }));

  it('gives the other measure\'s acting kind the condition, and the task whose condition was false is its own run, not evidence against it', () => {
    expect(sales.filter((t) => t.calls.length === 1).length).toBeGreaterThan(3);
    expect(visitsActing.every((t) => t.calls.length === 2)).toBe(true);
    expect(visitsStopped.calls.length).toBe(1);
    const ts = publishedTemplates(trajectoriesOf(laidOut([...sales, ...visitsAsked, ...visitsActing, ...visitsActing, visitsStopped, visitsStoppedWrong])));
    const visits = ts.find((t) => t.signature.join('>') === 'daily_visits>open_ticket');
    expect(visits).toBeDefined();
    expect(visits!.steps[1]).toMatchObject({ optional: true, conditionJson: whenValue(true) });
    expect(visits!.slots.find((s) => s.name === COMPARISON_SLOT)).toMatchObject({ source: 'QUERY', queryForm: 'comparison', required: true });
    expect(visits!.conflictingTasks).toBe(0);
    // its runs are its own: the look-up-only runs of the measure stay another kind's
    expect(visits!.stats.support).toBe(13);
    const salesTemplate = ts.find((t) => t.signature.join('>') === 'daily_sales>open_ticket');
    expect(salesTemplate!.steps[1]).toMatchObject({ conditionJson: whenValue(true) });
  });

  it('learns nothing for the measure alone, nor from a look-up called with other arguments', () => {
    const alone = publishedTemplates(trajectoriesOf(laidOut([...visitsAsked, ...visitsActing, ...visitsActing, visitsStopped, visitsStopped, visitsStoppedWrong])));
    const visits = alone.find((t) => t.signature.join('>') === 'daily_visits>open_ticket');
    expect(visits?.steps[1]?.conditionJson ?? null).toBeNull();
    // the other measure's look-up takes other arguments: not the same role, nothing pooled
    const otherArgs = sales.map((t) => ({ ...t, calls: t.calls.map((c, k) => (k === 0 ? { ...c, params: { region: c.params.place, from: c.params.since } } : c)) }));
    const ts = publishedTemplates(trajectoriesOf(laidOut([...otherArgs, ...visitsAsked, ...visitsActing, ...visitsActing, visitsStopped, visitsStopped, visitsStoppedWrong])));
    const v = ts.find((t) => t.signature.join('>') === 'daily_visits>open_ticket');
    expect(v?.steps[1]?.conditionJson ?? null).toBeNull();
    expect(ts.find((t) => t.signature.join('>') === 'daily_sales>open_ticket')!.steps[1]).toMatchObject({ conditionJson: whenValue(true) });
  });

  it('a run that made only the look-up of a conditional workflow clears no other structure\'s task', () => {
    // "chart sales in P since D" on 6 tasks; "if sales ... chart it" on one more, whose condition was false: one agent stopped (right), one charted (wrong)
    const chart = (i: number, act?: boolean): Task => {
      const t = measureTask('daily_sales', 'sales', 100 + i, true, act);
      return { ...t, taskId: `chart-${i}`, query: t.query!.replace(/open a ticket .*/, 'make a chart of it'), calls: t.calls.map((c) => (c.tool === 'open_ticket' ? { tool: 'make_chart', params: { of: 'sales', since: days[0] }, result: { ok: true } } : c)) };
    };
    const charted = [0, 2, 4, 6, 8, 10].map((i) => chart(i, true)).map((t, i) => ({ ...t, query: `Make a chart of sales in ${places[i]} since January 1` }));
    const stopped = chart(1);
    const chartedWrong: Task = { ...chart(1, true), outcome: 'FAILED' };
    expect(stopped.calls.length).toBe(1);
    expect(stopped.query).toMatch(/more than \d+/);
    expect(charted.every((t) => t.calls.length === 2)).toBe(true);
    const ts = publishedTemplates(trajectoriesOf(laidOut([...sales, ...charted, ...charted, stopped, chartedWrong])));
    expect(ts.find((t) => t.signature.join('>') === 'daily_sales>open_ticket')!.steps[1]).toMatchObject({ conditionJson: whenValue(true) });
    // the stopped run is the ticket workflow's run with its condition false: it says nothing about what a chart task needs
    expect(ts.find((t) => t.signature.join('>') === 'daily_sales>make_chart')!.conflictingTasks).toBe(1);
  });

  it('sameRole: same length, same tools after the branch, before it the same tool or the same parameter shape', () => {
    const kind = (tools: string[], shapes: string[]) => ({
      structure: tools.map((tool) => ({ tool, optional: false, repeated: false })),
      instances: [{ summary: { success: true, steps: shapes.map((h) => ({ paramShapeHash: h })) }, at: shapes.map((_, k) => k), iters: shapes.map((_, k) => [k]) }],
    }) as unknown as Parameters<typeof sameRole>[0];
    const a = kind(['look_a', 'act'], ['p', 'q']);
    expect(sameRole(a, kind(['look_b', 'act'], ['p', 'q']), 1)).toBe(true);
    expect(sameRole(a, kind(['look_b', 'act'], ['r', 'q']), 1)).toBe(false);
    expect(sameRole(a, kind(['look_b', 'other'], ['p', 'q']), 1)).toBe(false);
    expect(sameRole(a, kind(['look_b'], ['p']), 1)).toBe(false);
    expect(sameRole(a, a, 1)).toBe(false);
  });
});
