import { describe, expect, it } from 'vitest';
import { learnedTemplateId } from './candidate.js';
import { learnKinds } from './learn.js';
import { partitionKind, subKindTemplateId } from './partition.js';
import { Inducer } from './processor.js';
import { summarise } from './summary.js';
import { policy, trajectoriesOf, type Task } from './test-tasks.js';

const OWNERS = ['Ana', 'Bruno', 'Chen', 'Dara', 'Emeka', 'Farah', 'Goran', 'Hana'];
const ticket = (i: number) => `TCK-${5000 + i * 13}`;

/** "Close X's ticket": the ticket's status set to a constant the query does not write. */
function closeTask(i: number, extra: Partial<Task> = {}): Task {
  const owner = OWNERS[i % OWNERS.length]!;
  return {
    at: i * 10,
    query: `Please close the open ticket of ${owner}`,
    calls: [
      { tool: 'search_tickets', params: { owner }, result: { tickets: [{ id: ticket(i), owner }] } },
      { tool: 'update_ticket', params: { id: ticket(i), field: 'status', value: 'done' } },
    ],
    ...extra,
  };
}

/** "Give X's ticket to Y": the same calls, another field, the new value from the query. */
function reassignTask(i: number, extra: Partial<Task> = {}): Task {
  const owner = OWNERS[i % OWNERS.length]!;
  const next = OWNERS[(i + 3) % OWNERS.length]!;
  return {
    at: i * 10,
    query: `Hand the ticket of ${owner} over to ${next}`,
    calls: [
      { tool: 'search_tickets', params: { owner }, result: { tickets: [{ id: ticket(i), owner }] } },
      { tool: 'update_ticket', params: { id: ticket(i), field: 'assignee', value: next } },
    ],
    ...extra,
  };
}

const summariesOf = (tasks: Task[]) => trajectoriesOf(tasks).map((t, i) => summarise(t, 0, i));
const pooled = () => Array.from({ length: 12 }, (_, i) => (i % 2 === 0 ? closeTask(i) : reassignTask(i)));

describe('templates per task kind (partition.ts)', () => {
  it('splits a kind whose tasks pass different constants for the same calls, one sub-kind per value', () => {
    const kinds = learnKinds(summariesOf(pooled()), policy());
    expect(kinds.map((k) => k.variant).sort()).toEqual(['1.field="assignee"', '1.field="status"']);
    for (const k of kinds) {
      const queries = k.instances.map((i) => i.summary.query!);
      expect(queries).toHaveLength(6);
      expect(queries.every((q) => (k.variant!.includes('status') ? q.startsWith('Please close') : q.startsWith('Hand the ticket')))).toBe(true);
    }
  });

  it('makes each sub-kind its own template: constants that agree, a query slot, its own trigger examples and id', () => {
    const inducer = new Inducer(() => policy());
    trajectoriesOf(pooled()).forEach((t, i) => inducer.applyTrajectory(t, 0, i));
    const templates = inducer.induce('acme/bot').map((c) => c.content);
    expect(templates).toHaveLength(2);
    const closing = templates.find((t) => t.triggerExamples.every((q) => q.startsWith('Please close')))!;
    const handing = templates.find((t) => t.triggerExamples.every((q) => q.startsWith('Hand the ticket')))!;
    expect(closing).toBeDefined();
    expect(handing).toBeDefined();
    const param = (t: typeof closing, path: string) => t.steps[1]!.params.find((p) => p.path === path)!;
    expect(param(closing, 'field')).toMatchObject({ kind: 'CONSTANT', valueJson: '"status"' });
    expect(param(closing, 'value')).toMatchObject({ kind: 'CONSTANT', valueJson: '"done"' });
    expect(param(handing, 'field')).toMatchObject({ kind: 'CONSTANT', valueJson: '"assignee"' });
    expect(param(handing, 'value').kind).toBe('SLOT');
    expect(handing.slots.find((s) => s.name === param(handing, 'value').slotName)!.source).toBe('QUERY');
    expect(closing.templateId).toBe(subKindTemplateId('acme', 'bot', ['search_tickets', 'update_ticket'], '1.field="status"'));
    expect(handing.templateId).not.toBe(closing.templateId);
  });

  it('keeps a kind whole when its tasks agree (the template id is the unsplit one)', () => {
    const tasks = Array.from({ length: 8 }, (_, i) => closeTask(i));
    const kinds = learnKinds(summariesOf(tasks), policy());
    expect(kinds).toHaveLength(1);
    expect(kinds[0]!.variant).toBeNull();
    const inducer = new Inducer(() => policy());
    trajectoriesOf(tasks).forEach((t, i) => inducer.applyTrajectory(t, 0, i));
    expect(inducer.induce('acme/bot').map((c) => c.content.templateId)).toEqual([learnedTemplateId('acme', 'bot', ['search_tickets', 'update_ticket'])]);
  });

  it('does not split on a value too few runs carry (fewer than minSupport)', () => {
    const tasks = Array.from({ length: 10 }, (_, i) => (i < 7 ? closeTask(i) : reassignTask(i)));
    const kinds = learnKinds(summariesOf(tasks), policy({ minSupport: 5 }));
    expect(kinds.map((k) => k.variant)).toEqual([null]);
    // the same runs with a lower minSupport make two sub-kinds
    expect(learnKinds(summariesOf(tasks), policy({ minSupport: 3 })).map((k) => k.variant).sort()).toEqual(['1.field="assignee"', '1.field="status"']);
  });

  it('does not split on a value made up in every run (no value recurs)', () => {
    const tasks = Array.from({ length: 10 }, (_, i) => {
      const t = closeTask(i);
      (t.calls[1]!.params as Record<string, unknown>).note = `closed by the bot, run ${i}`;
      return t;
    });
    expect(learnKinds(summariesOf(tasks), policy()).map((k) => k.variant)).toEqual([null]);
  });

  it("does not split on a caller's value (one per session, as a user who signs their actions)", () => {
    const tasks = Array.from({ length: 12 }, (_, i) => {
      const t = closeTask(i, { session: `session-${i % 2}` });
      (t.calls[1]!.params as Record<string, unknown>).signed_by = i % 2 === 0 ? 'operator_one' : 'operator_two';
      return t;
    });
    expect(learnKinds(summariesOf(tasks), policy()).map((k) => k.variant)).toEqual([null]);
    // the same values spread over sessions are no caller's: two sub-kinds
    const spread = tasks.map((t, i) => ({ ...t, session: `own-${i}` }));
    expect(learnKinds(summariesOf(spread), policy()).map((k) => k.variant).sort()).toEqual(['1.signed_by="operator_one"', '1.signed_by="operator_two"']);
  });

  it('sends a failed run to the sub-kind of its value, else to the one its task succeeded in', () => {
    const tasks = [
      ...pooled(),
      // a failed run that passed the status constant
      closeTask(20, { outcome: 'FAILED', query: 'Please close the open ticket of Zoe' }),
      // a failed run with a wrong field, of a task another run succeeded at (the same task id)
      reassignTask(1, { at: 300, outcome: 'FAILED', taskId: 'task-hand', calls: [reassignTask(1).calls[0]!, { tool: 'update_ticket', params: { id: ticket(1), field: 'owner', value: 'Eve' } }] }),
      reassignTask(1, { at: 310, taskId: 'task-hand' }),
    ];
    const kinds = learnKinds(summariesOf(tasks), policy());
    const status = kinds.find((k) => k.variant === '1.field="status"')!;
    const assignee = kinds.find((k) => k.variant === '1.field="assignee"')!;
    expect(status.instances.filter((i) => !i.summary.success).map((i) => i.summary.query)).toEqual(['Please close the open ticket of Zoe']);
    expect(assignee.instances.filter((i) => !i.summary.success).map((i) => i.summary.taskKey)).toEqual([assignee.instances.find((i) => i.summary.taskKey.includes('task-hand') && i.summary.success)!.summary.taskKey]);
  });

  it('is deterministic: the same runs in another order give the same sub-kinds', () => {
    const summaries = summariesOf(pooled());
    const kinds = learnKinds(summaries, policy());
    const [first] = kinds;
    const parts = partitionKind(first!.structure, [...first!.instances].reverse(), { minSupport: 5, toolCount: 2 });
    expect(parts.map((p) => p.variant)).toEqual([null]);
    const again = learnKinds(summaries, policy());
    expect(again.map((k) => [k.variant, k.instances.map((i) => i.summary.trajectoryId)])).toEqual(kinds.map((k) => [k.variant, k.instances.map((i) => i.summary.trajectoryId)]));
  });

  it('splits by what tasks do, not by a day two task types share (a date read from each query is no sub-kind)', () => {
    // both task types are asked about the same two days: split by the date, each sub-kind pooled both types
    const DAYS = [['March 4', '2026-03-04 00:00:00'], ['March 11', '2026-03-11 00:00:00']] as const;
    const tasks = Array.from({ length: 20 }, (_, i): Task => {
      const owner = OWNERS[i % OWNERS.length]!;
      const [day, due] = DAYS[Math.floor(i / 2) % 2]!;
      const closing = i % 2 === 0;
      return {
        at: i * 10,
        query: closing ? `Please close the ticket of ${owner} due on ${day}` : `Hand the ticket of ${owner} due on ${day} to the desk`,
        calls: [
          { tool: 'search_tickets', params: { owner, due_after: due }, result: { tickets: [{ id: ticket(i), owner }] } },
          { tool: 'update_ticket', params: { id: ticket(i), field: closing ? 'status' : 'assignee', value: closing ? 'done' : 'service-desk' } },
        ],
      };
    });
    const kinds = learnKinds(summariesOf(tasks), policy());
    expect(kinds.map((k) => k.variant).sort()).toEqual(['1.field="assignee"', '1.field="status"']);
  });

  it('splits off the runs whose one call took one element of several from the runs that loop over a result', () => {
    // "remove the newest note of X" (one delete, the first of three found) and "remove the notes of X from the last 3 days" (a delete per note found)
    const tasks = Array.from({ length: 16 }, (_, i): Task => {
      const owner = OWNERS[i % OWNERS.length]!;
      const notes = [0, 1, 2].map((n) => ({ id: `N-${i}-${n}`, owner, written: `2026-01-${String(11 - n).padStart(2, '0')} 09:00:00` }));
      if (i % 2 === 0)
        return { at: i * 10, query: `Remove the newest note of ${owner}`, calls: [{ tool: 'search_notes', params: { owner }, result: notes }, { tool: 'delete_note', params: { id: notes[0]!.id } }] };
      return {
        at: i * 10,
        query: `Remove the notes of ${owner} from the last 3 days`,
        calls: [{ tool: 'search_notes', params: { owner, since: '2026-01-09' }, result: notes }, ...notes.map((n) => ({ tool: 'delete_note', params: { id: n.id } }))],
      };
    });
    const kinds = learnKinds(summariesOf(tasks), policy());
    expect(kinds).toHaveLength(2);
    const newest = kinds.find((k) => k.instances.every((inst) => inst.summary.query!.startsWith('Remove the newest')))!;
    const all = kinds.find((k) => k.instances.every((inst) => inst.summary.query!.includes('last 3 days')))!;
    expect(newest.structure.map((s) => s.repeated)).toEqual([false, false]);
    expect(all.structure.map((s) => s.repeated)).toEqual([false, true]);
  });

  it('keeps one kind when some runs pass a length as the query writes it and others as read from it ("30 minutes" vs "1.5 hours")', () => {
    // the same task type; "30" is verbatim in its query (a query source), 90 is read from "1.5 hours" (no source, a reading of the text alone)
    const LENGTHS = [['30 minutes', 30], ['45 minutes', 45], ['1.5 hours', 90], ['2 hours', 120]] as const;
    const tasks = Array.from({ length: 16 }, (_, i): Task => {
      const owner = OWNERS[i % OWNERS.length]!;
      const [written, minutes] = LENGTHS[i % LENGTHS.length]!;
      return {
        at: i * 10,
        query: `Book a ${written} review with the owner of ticket ${ticket(i)}`,
        calls: [
          { tool: 'get_ticket', params: { id: ticket(i) }, result: { id: ticket(i), owner } },
          { tool: 'book_meeting', params: { with: owner, length: minutes } },
        ],
      };
    });
    const kinds = learnKinds(summariesOf(tasks), policy());
    expect(kinds.map((k) => k.variant)).toEqual([null]);
    expect(kinds[0]!.instances).toHaveLength(16);
  });
});
