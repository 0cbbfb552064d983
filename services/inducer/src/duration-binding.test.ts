import { describe, expect, it } from 'vitest';
import { induceBody, plainInstance, plainSteps, type Instance } from './induce.js';
import { embedCore } from './kinds.js';
import { summarise } from './summary.js';
import { policy, trajectoriesOf, type Task } from './test-tasks.js';

const SIG = ['lookup_person', 'book_slot'];
const NAMES = ['amelia', 'carlos', 'nadia', 'kofi', 'yuki', 'sofia'];
const LENGTHS: [string, string][] = [['1.5 hour', '90'], ['30 minute', '30'], ['2 hours', '120'], ['half an hour', '30'], ['1 hour', '60'], ['45 minutes', '45']];
const TIMES: [string, string][] = [['3:30', '15:30'], ['11', '11:00'], ['2', '14:00'], ['10:30', '10:30'], ['4', '16:00'], ['9', '09:00']];

/** A booking whose length the query writes in words and the tool takes in minutes, at an hour written without am or pm. */
function bookingTask(i: number): Task {
  return {
    at: i * 10,
    query: `book a ${LENGTHS[i]![0]} slot with ${NAMES[i]} on January ${20 + i} at ${TIMES[i]![0]}`,
    calls: [
      { tool: 'lookup_person', params: { name: NAMES[i] }, result: [`${NAMES[i]}@example.com`] },
      { tool: 'book_slot', params: { who: `${NAMES[i]}@example.com`, minutes: LENGTHS[i]![1], start: `2026-01-${20 + i} ${TIMES[i]![1]}:00` }, result: 'ok' },
    ],
  };
}

function instancesOf(tasks: Task[]): Instance[] {
  return trajectoriesOf(tasks)
    .map((t, i) => summarise(t, 0, i))
    .map((summary) => plainInstance(summary, embedCore(summary.sequence, SIG)!.map((p) => summary.mined[p]!)))
    .reverse();
}

describe('a duration written in words, passed as a number of minutes (detection at induction)', { timeout: 30_000 }, () => {
  const body = induceBody(plainSteps(SIG), instancesOf(Array.from({ length: 6 }, (_, i) => bookingTask(i))), policy());
  const param = (path: string) => body.steps[1]!.params.find((p) => p.path === path)!;
  const slot = (name: string | null) => body.slots.find((s) => s.name === name)!;

  it('binds the parameter to the written length through duration:minutes, as text like the runs', () => {
    expect(param('minutes')).toMatchObject({ kind: 'SLOT', transform: 'duration:minutes|to_string' });
    expect(slot(param('minutes').slotName)).toMatchObject({ source: 'QUERY', queryForm: 'duration' });
  });

  it('reads an hour without am or pm as the afternoon when the runs did', () => {
    expect(param('start')).toMatchObject({ kind: 'SLOT', transform: 'date:YYYY-MM-DD HH:mm:ss' });
    expect(slot(param('start').slotName)).toMatchObject({ queryForm: 'date_daytime' });
  });
});

describe('an hour without am or pm, when no run shows which', { timeout: 30_000 }, () => {
  // every run at 9 or later: `date` and `date_daytime` explain them all; a time of day reads as the afternoon's
  const tasks = Array.from({ length: 6 }, (_, i) => bookingTask(i)).filter((_, i) => [1, 3, 5].includes(i));
  const body = induceBody(plainSteps(SIG), instancesOf([...tasks, ...tasks.map((t) => ({ ...t, at: t.at + 100 }))]), policy());
  it('prefers the afternoon reading for a parameter with a time of day', () => {
    const start = body.steps[1]!.params.find((p) => p.path === 'start')!;
    expect(body.slots.find((s) => s.name === start.slotName)).toMatchObject({ queryForm: 'date_daytime' });
  });
});


describe('a parameter successful runs did without, whose values agree on no source', { timeout: 30_000 }, () => {
  // half the runs bound a search with a made-up cutoff (different each time, from no query value), the others left it out
  const task = (i: number): Task => ({
    at: i * 10,
    query: `did I meet ${NAMES[i]} lately? if not write to them`,
    calls: [
      { tool: 'lookup_person', params: { name: NAMES[i], ...(i % 2 === 0 ? { before: `2026-0${1 + (i % 3)}-0${3 + i}` } : {}) }, result: [`${NAMES[i]}@example.com`] },
      { tool: 'book_slot', params: { who: `${NAMES[i]}@example.com` }, result: 'ok' },
    ],
  });
  const body = induceBody(plainSteps(SIG), instancesOf(Array.from({ length: 6 }, (_, i) => task(i))), policy());
  it('is left out of the template rather than left unbound', () => {
    expect(body.steps[0]!.params.map((p) => p.path)).toEqual(['name']);
    expect(body.slots.map((s) => s.name)).not.toContain('before');
  });
});
