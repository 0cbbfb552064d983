// Conditional steps learned from runs that did an action only when an earlier look-up found
// nothing (or did one of two actions): the runs go through the real segmenter and inducer.
import { describe, expect, it } from 'vitest';
import { CONDITION_AGREEMENT, learnCondition } from './conditions.js';
import { plainInstance } from './induce.js';
import { summarise } from './summary.js';
import { publishedTemplates, trajectoriesOf, type Call, type Task } from './test-tasks.js';

const templatesOf = publishedTemplates;

const people = ['ana', 'bo', 'chen', 'dara', 'eli', 'femi', 'gus', 'hana', 'ivo', 'jun', 'kai', 'lea', 'mo', 'nia', 'oz', 'pia'];

/**
 * "If NAME has not written to me, book a catch-up with them": search_messages(from NAME), then
 * book_meeting(with NAME) when the search found nothing (`found`: whether it found messages).
 * `otherwise`: what a run does when it found messages (nothing, or a note).
 */
function catchUpTask(i: number, found: boolean, act: boolean, otherwise: 'stop' | 'note' = 'stop'): Task {
  const name = people[i % people.length]!;
  const calls: Call[] = [{ tool: 'search_messages', params: { sender: name }, result: found ? [{ id: `m${i}`, sender: name, subject: 'hello' }] : 'No messages found.' }];
  if (act) calls.push({ tool: 'book_meeting', params: { with: name, title: `Catch up with ${name}`, minutes: 30 }, result: { booked: true } });
  else if (otherwise === 'note') calls.push({ tool: 'send_note', params: { to: name, text: 'Thanks for your messages' }, result: { sent: true } });
  return { at: i * 10, taskId: `t${i}`, query: `If ${name} has not written to me, book a catch-up with ${name}`, calls };
}

describe('conditional steps', () => {
  it('learns a tail that runs when an earlier result has no elements, as one template with the condition', () => {
    const tasks = Array.from({ length: 16 }, (_, i) => catchUpTask(i, i % 2 === 0, i % 2 === 1));
    const ts = templatesOf(trajectoriesOf(tasks));
    const t = ts.find((x) => x.signature.join('>') === 'search_messages>book_meeting');
    expect(t).toBeDefined();
    expect(t!.name).toBe('search_messages > [book_meeting]');
    expect(t!.steps[1]).toMatchObject({ optional: true, conditionJson: JSON.stringify({ whenResult: { step: 0, path: '', has: 'none' } }) });
    // both branches are the template's evidence, and its structure accepts every run
    expect(t!.stats).toMatchObject({ support: 16, successes: 16 });
    expect(t!.structureFit).toBe(1);
    expect(ts.some((x) => x.signature.join('>') === 'search_messages')).toBe(false);
  });

  it('learns an either/or branch as two optional steps with opposite conditions', () => {
    const tasks = Array.from({ length: 16 }, (_, i) => catchUpTask(i, i % 2 === 0, i % 2 === 1, 'note'));
    const t = templatesOf(trajectoriesOf(tasks)).find((x) => x.steps.length === 3);
    expect(t).toBeDefined();
    const byTool = new Map(t!.steps.map((s) => [s.toolName, s]));
    expect(byTool.get('book_meeting')).toMatchObject({ optional: true, conditionJson: JSON.stringify({ whenResult: { step: 0, path: '', has: 'none' } }) });
    expect(byTool.get('send_note')).toMatchObject({ optional: true, conditionJson: JSON.stringify({ whenResult: { step: 0, path: '', has: 'elements' } }) });
    expect(t!.stats.support).toBe(16);
  });

  it('learns no condition when the result does not predict whether the tail ran', () => {
    // half the runs booked after finding messages, half after finding none; the others stopped either way
    const tasks = Array.from({ length: 16 }, (_, i) => catchUpTask(i, i % 2 === 0, i % 4 < 2));
    const ts = templatesOf(trajectoriesOf(tasks));
    expect(ts.length).toBeGreaterThan(0);
    for (const t of ts) for (const s of t.steps) expect(s.conditionJson ?? '').not.toContain('whenResult');
  });

  it('states its agreement: a condition holds when at least that share of the successful runs agree, from two tasks per branch', () => {
    const instances = (tasks: Task[]) => trajectoriesOf(tasks).map((t, i) => summarise(t, 0, i)).map((s) => plainInstance(s, s.mined.slice(0, 1)));
    const stopped = instances(Array.from({ length: 9 }, (_, i) => catchUpTask(2 * i, true, false)));
    const booked = instances(Array.from({ length: 9 }, (_, i) => catchUpTask(2 * i + 1, false, true)));
    expect(learnCondition(1, stopped, booked)).toMatchObject({ step: 0, path: '', has: 'none', agreeing: 18, runs: 18 });
    // one booking after a search that found messages: 17 of 18 agree (0.94), still a condition
    const oneOff = instances([catchUpTask(40, true, true)]);
    expect(CONDITION_AGREEMENT).toBeLessThanOrEqual(17 / 18);
    expect(learnCondition(1, stopped, [...booked.slice(1), ...oneOff])).toMatchObject({ agreeing: 17, runs: 18 });
    // three of twelve: no condition
    const mixed = instances([catchUpTask(41, true, true), catchUpTask(43, true, true), catchUpTask(45, true, true)]);
    expect(learnCondition(1, stopped, [...booked.slice(0, 3), ...mixed])).toBeNull();
    // one task per branch (all runs of one task) is no pattern
    const oneTask = instances(Array.from({ length: 4 }, (_, i) => ({ ...catchUpTask(60 + 2 * i, false, true), taskId: 'same', query: 'If ana has not written to me, book a catch-up with ana' })));
    expect(learnCondition(1, stopped, oneTask)).toBeNull();
  });
});
