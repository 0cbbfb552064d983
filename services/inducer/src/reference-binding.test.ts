import { describe, expect, it } from 'vitest';
import { derivations, referenceTransform } from './binding.js';
import { induceBody, plainInstance, plainSteps, type Instance } from './induce.js';
import { embedCore } from './kinds.js';
import { summarise } from './summary.js';
import { policy, trajectoriesOf, type Task } from './test-tasks.js';

// T0 (test-tasks) is Monday 2026-01-12 09:00 UTC; each run's own start is its "now".
const SIG = ['search_mail', 'get_visits'];
const NAMES = ['amelia', 'carlos', 'nadia', 'kofi', 'yuki', 'sofia'];
const WEEKDAYS = ['Sunday', 'Tuesday', 'Wednesday', 'Friday', 'Saturday', 'Thursday'];
// the day (of January 2026) each weekday above last fell on before Monday the 12th
const LAST = [11, 6, 7, 9, 10, 8];

const day = (d: number) => `2026-01-${String(d).padStart(2, '0')}`;

/** A run whose dates are not written as dates: a range of the past n days ending today, visits since a weekday, a digest of yesterday. */
function rangeTask(i: number): Task {
  const n = 2 + (i % 4);
  return {
    at: i * 10,
    query: `did ${NAMES[i]} write in the past ${n} days? and how were visits since ${WEEKDAYS[i]}`,
    calls: [
      { tool: 'search_mail', params: { from: NAMES[i], date_min: day(12 - n), date_max: day(12), digest_of: `${day(11)} 00:00:00` }, result: { mails: [] } },
      { tool: 'get_visits', params: { since: day(LAST[i]!), until: `${day(12)} 23:59:59` }, result: { visits: 3 } },
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
describe("dates relative to the run's own time (detection at induction)", { timeout: 30_000 }, () => {
  const body = induceBody(plainSteps(SIG), instancesOf(Array.from({ length: 6 }, (_, i) => rangeTask(i))), policy());
  const param = (step: number, path: string) => body.steps[step]!.params.find((p) => p.path === path)!;
  const slot = (name: string | null) => body.slots.find((s) => s.name === name)!;

  it('reads the start of "the past n days" from the number in the query (the task day minus n days)', () => {
    expect(param(0, 'date_min')).toMatchObject({ kind: 'SLOT', transform: 'date:YYYY-MM-DD' });
    expect(slot(param(0, 'date_min').slotName)).toMatchObject({ source: 'QUERY', queryForm: 'date' });
  });

  it('binds the end of the range, the same date in every run, to the task day instead of a constant', () => {
    expect(param(0, 'date_max')).toMatchObject({ kind: 'SLOT', transform: 'date:YYYY-MM-DD' });
    expect(slot(param(0, 'date_max').slotName)).toMatchObject({ source: 'QUERY', queryForm: 'today' });
    // the end of today's search, in the tool's format, from the same slot
    expect(param(1, 'until')).toMatchObject({ kind: 'SLOT', slotName: param(0, 'date_max').slotName, transform: 'date_end:YYYY-MM-DD HH:mm:ss' });
  });

  it('learns a constant offset from the task day (yesterday, never written)', () => {
    expect(param(0, 'digest_of')).toMatchObject({ kind: 'SLOT', transform: 'shift:-1d|date:YYYY-MM-DD HH:mm:ss' });
    expect(slot(param(0, 'digest_of').slotName)).toMatchObject({ queryForm: 'today' });
  });

  it('reads "since <weekday>" as the last such day on or before the task day', () => {
    expect(param(1, 'since')).toMatchObject({ kind: 'SLOT', transform: 'date:YYYY-MM-DD' });
    expect(slot(param(1, 'since').slotName)).toMatchObject({ queryForm: 'date_past' });
  });

  it('writes a date from the task day only at midnight or the end of the day, and within a year', () => {
    const t = { nowMs: Date.UTC(2026, 0, 12, 9), timeZone: 'UTC' };
    expect(referenceTransform('2026-01-05', 'YYYY-MM-DD', t)).toBe('shift:-7d|date:YYYY-MM-DD');
    expect(referenceTransform('2026-01-12 09:15:00', 'YYYY-MM-DD HH:mm:ss', t)).toBeNull();
    expect(referenceTransform('2020-01-12', 'YYYY-MM-DD', t)).toBeNull();
    // in New York 04:00 UTC on the 12th is still the 11th
    expect(referenceTransform('2026-01-11', 'YYYY-MM-DD', { nowMs: Date.UTC(2026, 0, 12, 4), timeZone: 'America/New_York' })).toBe('date:YYYY-MM-DD');
  });

  it('lists both readings when the text says the task day (FORM_RANK puts the text first)', () => {
    const keys = [...derivations('2026-01-12', 'call me today', { nowMs: Date.UTC(2026, 0, 12, 9) }).keys()];
    expect(keys).toContain('date\u0000date:YYYY-MM-DD');
    expect(keys).toContain('today\u0000date:YYYY-MM-DD');
  });
});

describe("a run's reference time, when it is not its event time (a log replayed today)", { timeout: 30_000 }, () => {
  it('reads the run\'s dates against its reference time, not against when its steps were sent', () => {
    const day = Date.UTC(2023, 10, 30);
    const tasks = Array.from({ length: 4 }, (_, i) => rangeTask(i));
    const [traj] = trajectoriesOf(tasks.slice(0, 1));
    const replayed = { ...traj!, referenceTimeMs: day };
    expect(summarise(replayed, 0, 0).referenceTimeMs).toBe(day);
    expect(summarise(traj!, 0, 0).referenceTimeMs).toBe(traj!.startedAtMs);
    // the same value read at the reference day: "the past 2 days" of 2023-11-30
    expect([...derivations('2023-11-28', 'did amelia write in the past 2 days?', { nowMs: summarise(replayed, 0, 0).referenceTimeMs }).keys()]).toContain('date\u0000date:YYYY-MM-DD');
  });
});

describe('a value dataflow found in the query without its case', () => {
  it('keeps the case the tool took: "to won" passed as "Won" is a title transform, not verbatim', () => {
    const statuses = ['won', 'lost', 'proposal', 'qualified', 'lead'];
    const tasks: Task[] = statuses.map((st, i) => ({ at: i * 10, query: `Update the status of customer C-${100 + i} to ${st} in the crm`, calls: [{ tool: 'update_customer', params: { customer: `C-${100 + i}`, status: st[0]!.toUpperCase() + st.slice(1) }, result: { ok: true } }] }));
    const sig = ['update_customer'];
    const instances = trajectoriesOf(tasks)
      .map((t, i) => summarise(t, 0, i))
      .map((summary) => plainInstance(summary, embedCore(summary.sequence, sig)!.map((p) => summary.mined[p]!)))
      .reverse();
    const body = induceBody(plainSteps(sig), instances, policy());
    expect(body.steps[0]!.params.find((p) => p.path === 'status')).toMatchObject({ kind: 'SLOT', transform: 'title' });
    expect(body.steps[0]!.params.find((p) => p.path === 'customer')).toMatchObject({ kind: 'SLOT', transform: null });
  });
});

describe('a number written in the query', () => {
  it('stays the verbatim number it was (no to_number re-reading of a text slot)', () => {
    const tasks: Task[] = [30, 50, 80, 130, 210].map((n, i) => ({ at: i * 10, query: `scale service svc-${i} to ${n} replicas`, calls: [{ tool: 'scale', params: { service: `svc-${i}`, replicas: n }, result: { ok: true } }] }));
    const sig = ['scale'];
    const instances = trajectoriesOf(tasks)
      .map((t, i) => summarise(t, 0, i))
      .map((summary) => plainInstance(summary, embedCore(summary.sequence, sig)!.map((p) => summary.mined[p]!)))
      .reverse();
    const body = induceBody(plainSteps(sig), instances, policy());
    const replicas = body.steps[0]!.params.find((p) => p.path === 'replicas')!;
    expect(replicas).toMatchObject({ kind: 'SLOT', transform: null });
    expect(JSON.parse(body.slots.find((s) => s.name === replicas.slotName)!.schemaJson).type).toBe('integer');
  });
});
