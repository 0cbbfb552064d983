// The WorkBench port against WorkBench itself: every task's ground-truth calls replay to a
// correct outcome, the agents' own outcomes are WorkBench's, and the semantics that decide
// state equality (ids, row labels, lower-casing, regex filters) are pinned one by one.
import { ToolError } from '@praxis/core';
import { executeWorkflow } from '@praxis/sdk';
import { describe, expect, it } from 'vitest';
import { loadAvailable, loadWorkBench, SUBSET_FIXTURE } from './dataset.js';
import { parseCall, parseStringList, PythonSyntaxError } from './python-call.js';
import { Sandbox, TOOL_SCHEMAS, TOOL_SPECS } from './sandbox.js';
import { agentOutcome, groundTruthState, isCorrectState } from './scoring.js';
import { PYTHON_EXCEPTION, WORKBENCH_ERROR } from './tool-kit.js';

const wb = loadAvailable();
const subset = wb.kind === 'subset' ? wb : loadWorkBench(SUBSET_FIXTURE, 'subset');
const fresh = () => new Sandbox(wb.tables);

describe('WorkBench port: the data set', () => {
  it(`replaying each task's ground-truth calls gives a correct outcome (${wb.kind}: ${wb.tasks.length} tasks)`, () => {
    expect(wb.tasks.length).toBe(wb.kind === 'full' ? 690 : 60);
    const wrong: string[] = [];
    for (const task of wb.tasks) {
      const sandbox = fresh().replay(wb.answers.callsOf(task.taskId));
      if (!isCorrectState(wb, task.taskId, sandbox) || sandbox.calls.some((c) => !c.ok)) wrong.push(task.taskId);
    }
    expect(wrong).toEqual([]);
  });

  it('the agents\' own outcomes are WorkBench\'s (GPT-4 with all tools: 42.6% on the full set)', () => {
    const gpt4 = wb.runs.filter((r) => r.source.id === 'gpt-4/all');
    const correct = gpt4.filter((r) => agentOutcome(wb, r)).length;
    if (wb.kind === 'full') expect([correct, gpt4.length]).toEqual([294, 690]);
    const subsetGpt4 = subset.runs.filter((r) => r.source.id === 'gpt-4/all');
    expect([subsetGpt4.filter((r) => agentOutcome(subset, r)).length, subsetGpt4.length]).toEqual([15, 60]);
  });

  it('a run that does nothing is correct exactly when the answer is to do nothing', () => {
    // a task whose answer changes nothing: no calls (the full set has such tasks; the committed subset may not)
    const none = wb.tasks.find((t) => wb.answers.callsOf(t.taskId).length === 0);
    const some = wb.tasks.find((t) => wb.answers.callsOf(t.taskId).length > 0)!;
    if (wb.kind !== 'subset') expect(none).toBeDefined();
    if (none) expect(isCorrectState(wb, none.taskId, fresh())).toBe(true);
    expect(isCorrectState(wb, some.taskId, fresh())).toBe(false);
    expect(groundTruthState(wb, some.taskId)).not.toEqual(fresh().comparableState());
  });
});

describe('WorkBench port: tool semantics', () => {
  it('has the 27 tools, each with a schema of string parameters and nothing else', () => {
    expect(TOOL_SPECS.size).toBe(27);
    expect(TOOL_SCHEMAS['calendar.create_event']).toEqual({
      type: 'object',
      properties: { event_name: { type: 'string' }, participant_email: { type: 'string' }, event_start: { type: 'string' }, duration: { type: 'string' } },
      additionalProperties: false,
    });
  });

  it('create_event: the next id is the zero-padded maximum + 1, the e-mail lower-cased, the row appended with label 0', () => {
    const s = fresh();
    const id = s.call('calendar.create_event', { event_name: 'Sync', participant_email: 'Ana@Atlas.com', event_start: '2023-12-01 10:00:00', duration: '30' });
    expect(id).toBe('00000300');
    const last = s.state.calendar.rows.at(-1)!;
    expect(last).toEqual({ label: 0, v: { event_id: '00000300', event_name: 'Sync', participant_email: 'ana@atlas.com', event_start: '2023-12-01 10:00:00', duration: '30' } });
  });

  it('send_email after a deletion overwrites the row labelled len(EMAILS), as pandas loc does', () => {
    const s = fresh();
    const before = s.state.emails.rows.length;
    const lastLabelled = s.state.emails.rows.find((r) => r.label === before - 1)!.v.email_id;
    s.call('email.delete_email', { email_id: s.state.emails.rows[0]!.v.email_id as string });
    s.call('email.send_email', { recipient: 'A@b.com', subject: 'Hi', body: 'x' });
    expect(s.state.emails.rows.length).toBe(before - 1);
    expect(s.state.emails.rows.some((r) => r.v.email_id === lastLabelled)).toBe(false);
    expect(s.state.emails.rows.find((r) => r.label === before - 1)!.v).toMatchObject({ 'inbox/outbox': 'outbox', 'sender/recipient': 'a@b.com', sent_datetime: '2023-11-30 00:00:00' });
  });

  it('a failure message is a ToolError without a type and changes nothing; a Python exception is typed', () => {
    const s = fresh();
    expect(() => s.call('customer_relationship_manager.update_customer', { customer_id: '00000189', field: 'status', new_value: 'won' })).toThrowError(
      new ToolError("Status not valid. Please choose from: 'Qualified', 'Won', 'Lost', 'Lead', 'Proposal'", WORKBENCH_ERROR),
    );
    expect(s.comparableState()).toEqual(fresh().comparableState());
    try {
      s.call('calendar.delete_event', { id: '1' });
      expect.unreachable();
    } catch (error) {
      expect((error as ToolError).type).toBe(PYTHON_EXCEPTION);
      expect((error as ToolError).message).toContain("unexpected keyword argument 'id'");
    }
  });

  it('searches: regular-expression contains, at most 5 events, e-mails newest first, the directory by lower-cased name', () => {
    const s = fresh();
    const events = s.call('calendar.search_events', { query: 'SYNC|review' }) as { event_name: string; participant_email: string }[];
    expect(events).toHaveLength(5);
    expect(events.every((e) => /sync|review/i.test(`${e.event_name} ${e.participant_email}`))).toBe(true);
    const mails = s.call('email.search_emails', { query: 'Update' }) as { sent_datetime: string }[];
    expect(mails.map((m) => m.sent_datetime)).toEqual([...mails.map((m) => m.sent_datetime)].sort().reverse());
    expect(s.call('company_directory.find_email_address', { name: 'Carlos' })).toEqual(['carlos.rodriguez@atlas.com']);
    expect(s.call('calendar.search_events', { query: 'no such meeting anywhere' })).toBe('No events found.');
    expect(() => s.call('calendar.search_events', { query: '(' })).toThrow(ToolError);
  });

  it('analytics counts are per date, sorted, and a plot is recorded in the state', () => {
    const s = fresh();
    const counts = s.call('analytics.total_visits_count', { time_min: '2023-11-01', time_max: '2023-11-03' }) as Record<string, number>;
    expect(Object.keys(counts)).toEqual(['2023-11-01', '2023-11-02', '2023-11-03']);
    expect(s.call('analytics.create_plot', { time_min: '2023-11-01', time_max: '2023-11-03', value_to_plot: 'total_visits', plot_type: 'bar' })).toBe('plots/2023-11-01_2023-11-03_total_visits_bar.png');
    expect(s.state.plots.rows).toEqual([{ label: 0, v: { file_path: 'plots/2023-11-01_2023-11-03_total_visits_bar.png' } }]);
  });

  it('the outcome rule compares case-insensitively except status, list_name and board', () => {
    const a = fresh();
    const b = fresh();
    a.call('project_management.create_task', { task_name: 'Write Docs', assigned_to_email: 'carlos.rodriguez@atlas.com', list_name: 'Backlog', due_date: '2023-12-01', board: 'Design' });
    b.call('project_management.create_task', { task_name: 'write docs', assigned_to_email: 'CARLOS.RODRIGUEZ@atlas.com', list_name: 'Backlog', due_date: '2023-12-01', board: 'Design' });
    expect(a.comparableState()).toEqual(b.comparableState());
    expect(() => b.call('project_management.update_task', { task_id: '00000001', field: 'board', new_value: 'design' })).toThrow(ToolError);
  });

  it('the SDK executor runs the tools: results flow, a failure stops the run with its fingerprint', async () => {
    const s = fresh();
    const run = await executeWorkflow({
      workflow: {
        templateId: 't',
        version: 1,
        slots: [],
        steps: [
          { index: 0, toolName: 'company_directory.find_email_address', params: [{ path: 'name', kind: 'CONSTANT', valueJson: '"carlos"' }] },
          { index: 1, toolName: 'calendar.delete_event', params: [{ path: 'event_id', kind: 'CONSTANT', valueJson: '"99999999"' }] },
        ] as never,
      },
      tools: s.tools(),
      toolSchemas: TOOL_SCHEMAS,
    });
    expect(run.results[0]).toEqual(['carlos.rodriguez@atlas.com']);
    expect(run.outcome).toBe('failed');
    expect(run.error).toMatchObject({ message: 'Event not found.', type: '' });
  });
});

describe('Python calls as WorkBench writes them', () => {
  it('reads string lists and keyword calls with escapes, newlines and implicit concatenation', () => {
    expect(parseStringList(`['a.b.func(x="1")', "c.d.func(y='it''s')"]`)).toEqual(['a.b.func(x="1")', "c.d.func(y='it''s')"]);
    expect(parseCall('email.send_email.func(recipient="a@b.com", subject="Hi", body="line\\nnext \\u00e9")')).toEqual({ tool: 'email.send_email', args: { recipient: 'a@b.com', subject: 'Hi', body: 'line\nnext é' } });
    expect(parseCall('x.y.func(body="raw\nnewline" "joined")').args.body).toBe('raw\nnewlinejoined');
  });

  it('refuses what eval would not parse (a quote inside a value), and a replay skips it', () => {
    expect(() => parseCall('email.send_email.func(recipient="a@b.com", body="say "hi"")')).toThrow(PythonSyntaxError);
    const s = fresh().replay(['email.send_email.func(recipient="a@b.com", subject="s", body="say "hi"")', 'not python']);
    expect(s.calls).toEqual([]);
  });
});
