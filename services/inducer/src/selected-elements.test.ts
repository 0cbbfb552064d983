// The elements a task acts on, learned from runs that mostly met one element each: a loop that
// one run over a whole result shows (only-element-loops.ts), and a search filter that is the
// query's value when it names one, else the value every other run passed (query-or-constant.ts).
// The runs go through the real segmenter (dataflow and element rules included).
import type { Template, Trajectory } from '@praxis/schemas';
import { describe, expect, it } from 'vitest';
import { publishedTemplates, trajectoriesOf, type Task } from './test-tasks.js';

const PEOPLE = ['amelia', 'carlos', 'nadia', 'kofi', 'yuki', 'sofia', 'olga', 'raj'];

const templatesOf = (trajectories: Trajectory[]) =>
  publishedTemplates(trajectories).filter((t) => t.signature.join('>') === 'find_person>search_tickets>update_ticket');

/** "Move X's tickets that are <state> to <target>": find the owner, search their tickets in that state, update each one found (`found` tickets). */
function moveTask(i: number, found: number, state: { query: string; passed: string } | null, target = 'Done'): Task {
  const person = PEOPLE[i % PEOPLE.length]!;
  const tickets = Array.from({ length: found }, (_, j) => ({ ticket_id: `T${1000 + i * 10 + j}`, owner: `${person}@corp.example`, state: state?.passed ?? 'Open', due: `2026-02-0${1 + j}` }));
  return {
    at: i * 10,
    taskId: `task-${i}`,
    query: state ? `move all of ${person}'s tickets that are ${state.query} to ${target.toLowerCase()}` : `${person} left, so move all their stale tickets to ${target.toLowerCase()}`,
    calls: [
      { tool: 'find_person', params: { name: person }, result: [`${person}@corp.example`] },
      { tool: 'search_tickets', params: { owner: `${person}@corp.example`, state: state?.passed ?? 'Open' }, result: tickets },
      ...tickets.map((t) => ({ tool: 'update_ticket', params: { ticket_id: t.ticket_id, field: 'state', value: target }, result: 'updated' })),
    ],
  };
}

const inReview = { query: 'in review', passed: 'In review' };

describe('a loop over a result learned from one run over every element and runs that met one', () => {
  it('is a loop when one run updated every element in order and every other run the only element', () => {
    const tasks = [0, 1, 2, 3, 4].map((i) => moveTask(i, 1, inReview)).concat([moveTask(5, 3, inReview)]);
    const [t] = templatesOf(trajectoriesOf(tasks));
    expect(t!.steps[2]).toMatchObject({ toolName: 'update_ticket', loop: { overStepIndex: 1, overPath: '', overSlot: null } });
    expect(t!.steps[2]!.params.find((p) => p.path === 'ticket_id')).toMatchObject({ kind: 'LOOP_ITEM', resultPath: 'ticket_id' });
  });

  it('stays one call on a chosen element when a run took one element of several', () => {
    const onlyOne = moveTask(6, 2, inReview);
    onlyOne.calls = onlyOne.calls.slice(0, 3);
    const tasks = [0, 1, 2, 3].map((i) => moveTask(i, 1, inReview)).concat([moveTask(5, 3, inReview), onlyOne]);
    const [t] = templatesOf(trajectoriesOf(tasks));
    expect(t!.steps[2]!.loop).toBeNull();
    expect(t!.steps[2]!.params.find((p) => p.path === 'ticket_id')).toMatchObject({ kind: 'STEP_RESULT', stepIndex: 1 });
  });

  it('is no loop without a run that went over every element', () => {
    const [t] = templatesOf(trajectoriesOf([0, 1, 2, 3, 4, 5].map((i) => moveTask(i, 1, inReview))));
    expect(t!.steps[2]!.loop).toBeNull();
  });
});

describe('a search value the query gives when it names one, else the value the other runs passed', () => {
  const stateSlot = (t: Template) => t.slots.find((s) => s.name === t.steps[1]!.params.find((p) => p.path === 'state')!.slotName);

  it('is a query slot whose default is the other runs\' constant', () => {
    const tasks = [moveTask(0, 1, inReview), moveTask(1, 1, { query: 'in progress', passed: 'In progress' }), moveTask(2, 1, inReview), moveTask(3, 1, null), moveTask(4, 1, null), moveTask(5, 1, inReview)];
    const [t] = templatesOf(trajectoriesOf(tasks));
    const slot = stateSlot(t!);
    expect(slot).toMatchObject({ source: 'QUERY', required: false });
    expect(JSON.parse(slot!.schemaJson)).toMatchObject({ default: 'Open' });
  });

  it('is made up when the runs the query does not explain passed different values', () => {
    const other = moveTask(4, 1, null);
    other.calls[1]!.params.state = 'Blocked';
    const tasks = [moveTask(0, 1, inReview), moveTask(1, 1, { query: 'in progress', passed: 'In progress' }), moveTask(2, 1, inReview), moveTask(3, 1, null), other, moveTask(5, 1, inReview)];
    const [t] = templatesOf(trajectoriesOf(tasks));
    expect(stateSlot(t!)).toMatchObject({ source: 'GENERATED', required: true });
  });
});
