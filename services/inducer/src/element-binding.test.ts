import { describe, expect, it } from 'vitest';
import { induceBody, plainInstance, plainSteps, type Instance } from './induce.js';
import { embedCore } from './kinds.js';
import { summarise } from './summary.js';
import { policy, trajectoriesOf, type Task } from './test-tasks.js';

const SIG = ['search_mail', 'reply_mail'];
const NAMES = ['amelia', 'carlos', 'nadia', 'kofi', 'yuki', 'sofia'];

function instancesOf(tasks: Task[], sig: string[]): Instance[] {
  return trajectoriesOf(tasks)
    .map((t, i) => summarise(t, 0, i))
    .map((summary) => plainInstance(summary, embedCore(summary.sequence, sig)!.map((p) => summary.mined[p]!)))
    .reverse();
}

/** "Reply to the latest mail from X": the search returns X's mails in no useful order; the run replies to the one sent last, at another index each time. */
function latestMailTask(i: number): Task {
  const mails = Array.from({ length: 3 + (i % 2) }, (_, j) => ({ mail_id: `M${1000 + i * 10 + j}`, sent_at: `2026-01-0${1 + ((j * 2 + i) % 5)} 1${j}:00:00`, subject: `note ${j}` }));
  const latest = mails.reduce((a, b) => (b.sent_at > a.sent_at ? b : a));
  return {
    at: i * 10,
    query: `reply to the latest mail from ${NAMES[i]} with thanks`,
    calls: [
      { tool: 'search_mail', params: { from: NAMES[i] }, result: mails },
      { tool: 'reply_mail', params: { mail_id: latest.mail_id, body: 'thanks' }, result: { ok: true } },
    ],
  };
}

// the executor's side (resolving the rule on a new result): shared/sdk/src/select.test.ts
describe('a value from the element of a result chosen by a rule (induction)', () => {
  const tasks = Array.from({ length: 6 }, (_, i) => latestMailTask(i));
  const body = induceBody(plainSteps(SIG), instancesOf(tasks, SIG), policy());
  const mailId = body.steps[1]!.params.find((p) => p.path === 'mail_id')!;

  it('the runs took different indexes, so no fixed path agrees; the element with the largest date does', () => {
    // the indexes really differ (the test would prove nothing otherwise)
    expect(new Set(tasks.map((t) => (t.calls[0]!.result as { mail_id: string }[]).findIndex((m) => m.mail_id === t.calls[1]!.params.mail_id))).size).toBeGreaterThan(1);
    expect(mailId).toMatchObject({ kind: 'STEP_RESULT', stepIndex: 0, resultPath: '*.mail_id', select: 'max:sent_at' });
  });

  it('keeps a fixed index when every run took the same element (the simpler reading)', () => {
    const first = tasks.map((t): Task => ({ ...t, calls: [t.calls[0]!, { ...t.calls[1]!, params: { mail_id: (t.calls[0]!.result as { mail_id: string }[])[0]!.mail_id, body: 'thanks' } }] }));
    const firstBody = induceBody(plainSteps(SIG), instancesOf(first, SIG), policy());
    expect(firstBody.steps[1]!.params.find((p) => p.path === 'mail_id')).toMatchObject({ kind: 'STEP_RESULT', resultPath: '0.mail_id', select: null });
  });
});

describe('the element whose identifier field has a word the query names, then the first of them (induction)', () => {
  // "Reply to X's last note about S": the search by S returns everyone's notes, newest first; the run replies to X's newest,
  // at another index each time (and no position or extreme of all the notes picks it)
  const senders = ['olga', 'ines', 'kofi', 'amelia'];
  function lastNoteOf(i: number): Task {
    const who = NAMES[i]!;
    const others = senders.filter((s) => s !== who);
    const order = [...others.slice(0, i % 3), who, others[2]!, who].slice(0, 4);
    const mails = order.map((s, j) => ({ mail_id: `M${2000 + i * 10 + j}`, sender: `${s}.x@corp.example`, sent_at: `2026-01-${String(20 - j).padStart(2, '0')} 10:00:00` }));
    const target = mails.find((m) => m.sender.startsWith(`${who}.`))!;
    return {
      at: i * 10,
      query: `reply to ${who}'s last note about the offsite with thanks`,
      calls: [
        { tool: 'search_mail', params: { about: 'the offsite' }, result: mails },
        { tool: 'reply_mail', params: { mail_id: target.mail_id, body: 'thanks' }, result: { ok: true } },
      ],
    };
  }
  const tasks = Array.from({ length: 6 }, (_, i) => lastNoteOf(i));
  const body = induceBody(plainSteps(SIG), instancesOf(tasks, SIG), policy());
  const mailId = body.steps[1]!.params.find((p) => p.path === 'mail_id')!;

  it('binds the first element whose sender has the word, the word a query slot the rule names', () => {
    expect(new Set(tasks.map((t) => (t.calls[0]!.result as { mail_id: string }[]).findIndex((m) => m.mail_id === t.calls[1]!.params.mail_id))).size).toBeGreaterThan(1);
    expect(mailId).toMatchObject({ kind: 'STEP_RESULT', stepIndex: 0, resultPath: '*.mail_id' });
    const [, field, slotName] = /^first@(.+)~(.+)$/.exec(mailId.select ?? '') ?? [];
    expect(field).toBe('sender');
    const slot = body.slots.find((s) => s.name === slotName)!;
    expect(slot).toMatchObject({ source: 'QUERY', required: true });
    expect(JSON.parse(slot.examplesJson[0]!)).toBe(NAMES[5]);
  });
});

describe('a loop over the elements whose identifier field has the word the query names (induction)', () => {
  // "forward all the notes from X": every note the runs forwarded was X's (the searches found only X's)
  const FSIG = ['search_mail', 'forward_mail'];
  const tasks: Task[] = Array.from({ length: 5 }, (_, i) => {
    const who = NAMES[i]!;
    const mails = Array.from({ length: 1 + (i % 3) }, (_, j) => ({ mail_id: `M${3000 + i * 10 + j}`, sender: `${who}.x@corp.example`, sent_at: `2026-01-1${j} 10:00:00` }));
    return {
      at: i * 10,
      query: `forward all the notes from ${who} about the offsite to ines`,
      calls: [{ tool: 'search_mail', params: { about: 'the offsite' }, result: mails }, ...mails.map((m) => ({ tool: 'forward_mail', params: { mail_id: m.mail_id, to: 'ines' }, result: { ok: true } }))],
    };
  });
  const instances = trajectoriesOf(tasks)
    .map((t, i) => summarise(t, 0, i))
    .map((summary) => {
      const at = [summary.mined.findIndex((_, p) => summary.sequence[p] === 'search_mail'), summary.mined.findIndex((_, p) => summary.sequence[p] === 'forward_mail')];
      const iters = [[summary.mined[at[0]!]!], summary.mined.filter((_, p) => summary.sequence[p] === 'forward_mail')];
      return { summary, at: at.map((p) => summary.mined[p]!), iters };
    })
    .reverse();
  const body = induceBody([{ tool: 'search_mail', optional: false, repeated: false }, { tool: 'forward_mail', optional: false, repeated: true }], instances, policy());

  it('loops over the result, only the elements whose sender has the word, the word a query slot', () => {
    const loop = body.steps[1]!.loop!;
    expect(loop).toMatchObject({ overStepIndex: 0, overPath: '' });
    const [field, slotName] = (loop.overWhere ?? '').split('~');
    expect(field).toBe('sender');
    expect(body.slots.find((s) => s.name === slotName)).toMatchObject({ source: 'QUERY' });
  });
});

describe('a bound that is a date the query writes, else the task day (date_or_today)', { timeout: 30_000 }, () => {
  // T0 (test-tasks) is Monday 2026-01-12; "next" and "all future" search from today, "on January 20" from that day
  const queries = ['cancel my next meeting with amelia', 'cancel my first meeting on January 20', 'cancel all future meetings with kofi', 'cancel my first meeting on January 22', 'cancel my next meeting with yuki'];
  const tasks: Task[] = queries.map((query, i) => {
    const day = /January (\d+)/.exec(query)?.[1];
    return {
      at: i * 10,
      query,
      calls: [
        { tool: 'search_events', params: { time_min: `2026-01-${day ?? '12'} 00:00:00` }, result: [{ event_id: `E${i}`, start: '2026-01-25 10:00:00' }] },
        { tool: 'delete_event', params: { event_id: `E${i}` }, result: 'deleted' },
      ],
    };
  });
  const sig = ['search_events', 'delete_event'];
  const body = induceBody(plainSteps(sig), instancesOf(tasks, sig), policy());

  it('neither reading alone explains 80% of the runs; together they do', () => {
    const timeMin = body.steps[0]!.params.find((p) => p.path === 'time_min')!;
    expect(timeMin).toMatchObject({ kind: 'SLOT', transform: 'date:YYYY-MM-DD HH:mm:ss' });
    expect(body.slots.find((s) => s.name === timeMin.slotName)).toMatchObject({ source: 'QUERY', queryForm: 'date_or_today' });
  });
});

describe('a date-time of a result plus a duration the query writes (induction)', () => {
  // "push back my first meeting by N": the new start is the found event's start plus N, N written in each query
  const lengths = ['2 hours', '30 minutes', '1.5 hours', '1 hour', '45 minutes', '2 hours'];
  const ms = (d: string) => Number(/[\d.]+/.exec(d)![0]) * (d.includes('hour') ? 3_600_000 : 60_000);
  const at = (t: string, add: number) => new Date(Date.parse(`${t.replace(' ', 'T')}Z`) + add).toISOString().slice(0, 19).replace('T', ' ');
  const tasks: Task[] = lengths.map((d, i) => {
    const start = `2026-01-2${i} 1${i}:00:00`;
    return {
      at: i * 10,
      query: `push back my first meeting with ${NAMES[i]} by ${d}`,
      calls: [
        { tool: 'search_events', params: { query: NAMES[i] }, result: [{ event_id: `E${i}`, start }] },
        { tool: 'update_event', params: { event_id: `E${i}`, new_start: at(start, ms(d)) }, result: 'updated' },
      ],
    };
  });
  const sig = ['search_events', 'update_event'];
  const body = induceBody(plainSteps(sig), instancesOf(tasks, sig), policy());

  it("binds the new value to the element's date-time moved by a duration slot read from the query", () => {
    const param = body.steps[1]!.params.find((p) => p.path === 'new_start')!;
    expect(param).toMatchObject({ kind: 'STEP_RESULT', stepIndex: 0, resultPath: '0.start', transform: 'add_duration:new_start_duration' });
    const slot = body.slots.find((s) => s.name === 'new_start_duration')!;
    expect(slot).toMatchObject({ source: 'QUERY', queryForm: 'duration', required: true });
    expect(slot.examplesJson).toContain('"1.5 hours"');
  });
});

describe('a value from the extreme element among those sharing a value of another field', () => {
  /** "Take X's most urgent open task": the search returns done tasks too, due earlier; the run takes the open one due first, at another index each time. */
  function urgentTask(i: number): Task {
    const tasks = Array.from({ length: 4 + (i % 2) }, (_, j) => ({ task_id: `K${100 + i * 10 + j}`, state: j % 2 === 0 ? 'Done' : 'Open', due: `2026-01-${10 + ((j * 3 + i) % 7)}` }));
    const open = tasks.filter((t) => t.state === 'Open').sort((a, b) => (a.due < b.due ? -1 : 1))[0]!;
    return { at: i * 10, query: `take ${NAMES[i]}'s most urgent task`, calls: [{ tool: 'search_tasks', params: { owner: NAMES[i] }, result: tasks }, { tool: 'assign_task', params: { task_id: open.task_id }, result: 'ok' }] };
  }
  it('binds the rule with its group when no plain rule or index agrees', () => {
    const tasks = Array.from({ length: 6 }, (_, i) => urgentTask(i));
    const sig = ['search_tasks', 'assign_task'];
    const body = induceBody(plainSteps(sig), instancesOf(tasks, sig), policy());
    expect(body.steps[1]!.params.find((p) => p.path === 'task_id')).toMatchObject({ kind: 'STEP_RESULT', resultPath: '*.task_id', select: 'min:due@state=Open' });
  });
});
