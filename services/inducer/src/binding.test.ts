import { describe, expect, it } from 'vitest';
import { derivations, derivedQueryBinding, nowBoundReading, unifiedNumberType } from './binding.js';
import { induceBody, plainInstance, plainSteps, type Instance } from './induce.js';
import { embedCore } from './kinds.js';
import { summarise } from './summary.js';
import { InducerOverrides, TimeZone } from './policy.js';
import { policy, trajectoriesOf, type Task } from './test-tasks.js';

// T0 (test-tasks) is Monday 2026-01-12 09:00 UTC: every run's own start is its "now".
const SIG = ['find_person', 'create_event'];
const PEOPLE: [string, string][] = [
  ['Amelia', 'Wong'],
  ['Carlos', 'Rodriguez'],
  ['Nadia', 'Ivanova'],
  ['Kofi', 'Mensah'],
  ['Yuki', 'Tanaka'],
  ['Sofia', 'Santos'],
];

/** A run whose values are all transformations of the query: names split, a relative date, a punctuated id, a zip read as a number. */
function meetingTask(i: number): Task {
  const [first, last] = PEOPLE[i % PEOPLE.length]!;
  const ref = `W-${5_056_519 + i * 7}`;
  const zip = `0${2_100 + i}`;
  return {
    at: i * 10,
    query: `Book a meeting with ${first} ${last} in ${i + 2} days about order ${ref}, zip ${zip}`,
    calls: [
      { tool: 'find_person', params: { first_name: first, last_name: last.toLowerCase() }, result: { person: { id: `p${9000 + i}` } } },
      { tool: 'create_event', params: { who: `P${9000 + i}`, day: `2026-01-${String(14 + i).padStart(2, '0')} 00:00:00`, order: ref.replace('-', ''), zip: Number(zip) }, result: { ok: true } },
    ],
  };
}

function instancesOf(tasks: Task[]): Instance[] {
  return trajectoriesOf(tasks)
    .map((t, i) => summarise(t, 0, i))
    .map((summary) => plainInstance(summary, embedCore(summary.sequence, SIG)!.map((p) => summary.mined[p]!)))
    .reverse();
}

// chrono-node builds its parsers on first use (about a second, more on a loaded machine)
describe('binding by transformation (detection at induction)', { timeout: 30_000 }, () => {
  const body = induceBody(plainSteps(SIG), instancesOf(Array.from({ length: 6 }, (_, i) => meetingTask(i))), policy());
  const param = (step: number, path: string) => body.steps[step]!.params.find((p) => p.path === path)!;
  const slot = (name: string | null) => body.slots.find((s) => s.name === name)!;

  it('reads the same binding from a run whose derivations it kept as from a fresh one (and per time zone)', () => {
    const tasks = Array.from({ length: 6 }, (_, i) => meetingTask(i));
    const kept = instancesOf(tasks);
    const valuesOf = (instances: Instance[], path: string) => instances.map((i) => i.summary.steps[i.at[0]!]!.params?.[path] as string | undefined);
    const names = valuesOf(kept, 'first_name');
    const first = derivedQueryBinding(kept, names, 0.8, null);
    expect(first).toMatchObject({ form: 'name', transform: 'first_name' });
    expect(derivedQueryBinding(kept, names, 0.8, null)).toEqual(first);
    expect(derivedQueryBinding(instancesOf(tasks), names, 0.8, null)).toEqual(first);
    // another zone is another key: the same runs are read again, not answered from the UTC reading
    expect(derivedQueryBinding(kept, names, 0.8, 'Pacific/Kiritimati')).toEqual(derivedQueryBinding(instancesOf(tasks), names, 0.8, 'Pacific/Kiritimati'));
  });

  it('splits a full name from the query into first and last name, one slot for both', () => {
    const first = param(0, 'first_name');
    const last = param(0, 'last_name');
    expect(first).toMatchObject({ kind: 'SLOT', transform: 'first_name' });
    expect(last).toMatchObject({ kind: 'SLOT', transform: 'last_name|lower' });
    expect(last.slotName).toBe(first.slotName);
    expect(slot(first.slotName)).toMatchObject({ source: 'QUERY', queryForm: 'name' });
    expect(slot(first.slotName).examplesJson[0]).toBe('"Sofia Santos"');
  });

  it('resolves a relative date against each run\'s own time and keeps the tool\'s date format', () => {
    const day = param(1, 'day');
    expect(day).toMatchObject({ kind: 'SLOT', transform: 'date:YYYY-MM-DD HH:mm:ss' });
    const s = slot(day.slotName);
    expect(s.queryForm).toBe('date');
    expect(JSON.parse(s.schemaJson)).toMatchObject({ type: 'string', format: 'date' });
  });

  it('binds an id that lost its punctuation, and a zip code passed as a number', () => {
    expect(param(1, 'order')).toMatchObject({ kind: 'SLOT', transform: 'strip_punctuation' });
    expect(slot(param(1, 'order').slotName)).toMatchObject({ queryForm: 'token' });
    expect(JSON.parse(slot(param(1, 'order').slotName).schemaJson)).toEqual({ type: 'string', pattern: '^W-\\d{7}$' });
    expect(param(1, 'zip')).toMatchObject({ kind: 'SLOT', transform: 'to_number' });
    expect(JSON.parse(slot(param(1, 'zip').slotName).schemaJson)).toEqual({ type: 'string', pattern: '^\\d{5}$' });
  });

  it('binds an id found by a look-up to the earlier result, in the case the tool was given it', () => {
    expect(param(1, 'who')).toMatchObject({ kind: 'STEP_RESULT', stepIndex: 0, resultPath: 'person.id', transform: 'upper' });
  });

  it('finds no transform where the value is not in the query (made up each run)', () => {
    expect(derivations('Budget review', 'Book a meeting with Amelia Wong tomorrow', { nowMs: 0 }).size).toBe(0);
  });

  it('reads a full name passed as written as a name (the router needs the form for a multi-word name)', () => {
    expect([...derivations('Jaden White', 'Delete Jaden White from the crm', { nowMs: 0 }).keys()]).toEqual(['name\u0000']);
    expect([...derivations('Jaden White', 'Delete Jaden White from the crm', { nowMs: 0 }).values()]).toEqual(['Jaden White']);
  });

  it('lists every reading that holds, so the one consistent across runs can win', () => {
    const keys = [...derivations('w5056519', 'order #W5056519', { nowMs: 0 }).keys()].map((k) => k.replace('\u0000', ' '));
    expect(keys).toEqual(['token strip_punctuation|lower']);
    expect([...derivations(2139, 'zip 02139', { nowMs: 0 }).keys()].map((k) => k.replace('\u0000', ' '))).toEqual(['token to_number']);
  });

  it('unifies a number some runs passed as text, to the type most runs used', () => {
    expect(unifiedNumberType([12345, '23456', 34567])).toEqual({ transform: 'to_number', values: ['12345', '23456', '34567'] });
    expect(unifiedNumberType(['12345', 'abc'])).toBeNull();
    expect(unifiedNumberType([1, 2])).toBeNull();
  });
});

describe('the zone relative dates are read in', () => {
  it('takes IANA zones, per tenant too, and refuses anything else', () => {
    expect(TimeZone.parse('America/New_York')).toBe('America/New_York');
    expect(TimeZone.safeParse('Mars/Olympus').success).toBe(false);
    expect(InducerOverrides.parse({ acme: { timeZone: 'Europe/Paris' } }).acme?.timeZone).toBe('Europe/Paris');
    expect(InducerOverrides.safeParse({ acme: { timeZone: 'nowhere' } }).success).toBe(false);
  });

  it('reads a run\'s "tomorrow" on the day it was in the policy zone', () => {
    // 2026-01-12 23:30 in New York is already the 13th in UTC
    const late = Date.UTC(2026, 0, 13, 4, 30);
    expect([...derivations('2026-01-13', 'call me tomorrow', { nowMs: late, timeZone: 'America/New_York' }).keys()]).toContain('date\u0000date:YYYY-MM-DD');
    // in UTC that run's "tomorrow" is the 14th: the 13th is only its own day, not what the text says
    expect([...derivations('2026-01-13', 'call me tomorrow', { nowMs: late, timeZone: 'UTC' }).keys()]).toEqual(['today\u0000date:YYYY-MM-DD']);
  });
});

describe('a bound "up to now" the runs wrote as the task\'s day or the day before', { timeout: 30_000 }, () => {
  const COUNT = ['count_visits'];
  // runs of a Monday (T0): "since" a day the query names, "until" the run's own day or the day before
  const countTask = (i: number, until: string): Task => ({
    at: i * 10,
    query: `How many visits since January ${2 + i}?`,
    calls: [{ tool: 'count_visits', params: { since: `2026-01-${String(2 + i).padStart(2, '0')}`, until }, result: { visits: 10 + i } }],
  });
  const bodyOf = (untils: string[]) => {
    const instances = trajectoriesOf(untils.map((u, i) => countTask(i, u)))
      .map((t, i) => summarise(t, 0, i))
      .map((summary) => plainInstance(summary, embedCore(summary.sequence, COUNT)!.map((p) => summary.mined[p]!)));
    const body = induceBody(plainSteps(COUNT), instances, policy());
    const until = body.steps[0]!.params.find((p) => p.path === 'until')!;
    return { until, slot: body.slots.find((s) => s.name === until.slotName) };
  };

  it('reads it from the task\'s time with the shift most runs chose, though no shift has the binding agreement', () => {
    const { until, slot } = bodyOf(['2026-01-11', '2026-01-12', '2026-01-11', '2026-01-12', '2026-01-11']);
    expect(until).toMatchObject({ kind: 'SLOT', transform: 'shift:-1d|date:YYYY-MM-DD' });
    expect(slot).toMatchObject({ source: 'QUERY', queryForm: 'today' });
    // a tie goes to the later day (the task's own)
    expect(bodyOf(['2026-01-11', '2026-01-12', '2026-01-11', '2026-01-12']).until).toMatchObject({ kind: 'SLOT', transform: 'date:YYYY-MM-DD' });
  });

  it('leaves it made up when the runs\' days spread further than a day, or lie ahead of the task', () => {
    expect(bodyOf(['2026-01-09', '2026-01-12', '2026-01-11', '2026-01-12', '2026-01-10']).slot).toMatchObject({ source: 'GENERATED', queryForm: null });
    expect(nowBoundReading([], [], null)).toBeNull();
    expect(bodyOf(['2026-01-13', '2026-01-12', '2026-01-13', '2026-01-12', '2026-01-13']).slot).toMatchObject({ source: 'GENERATED' });
  });
});
