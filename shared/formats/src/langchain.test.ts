import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readRuns } from './read.js';

// Real runs of five LLM agents from WorkBench (MIT): test/fixtures/workbench/README.md.
const fixture = readFileSync(new URL('../../../test/fixtures/workbench/langchain-runs.csv', import.meta.url), 'utf8');

describe('LangChain reader on real WorkBench runs (CSV container, Python repr)', () => {
  const { runs, errors } = readRuns(fixture, { format: 'langchain', source: 'langchain-runs.csv' });
  const byLine = new Map(runs.map((r) => [r.line, r]));

  it('reads every row, with the line it starts on', () => {
    expect(errors).toEqual([]);
    expect(runs.map((r) => r.line)).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10, 40]);
    expect(runs.every((r) => r.runId === `langchain-runs.csv:${r.line}`)).toBe(true);
  });

  it('reads the calls, their arguments and JSON results; text results stay text', () => {
    const run = byLine.get(2)!;
    expect(run.query).toBe('Create a bar chart of total visits since September 2');
    expect(run.calls.map((c) => c.name)).toEqual(['analytics.total_visits_count', 'analytics.create_plot']);
    expect(run.calls[1]!.arguments).toEqual({ time_min: '2023-09-02', time_max: '2023-11-30', value_to_plot: 'total_visits', plot_type: 'bar' });
    expect((run.calls[0]!.result as Record<string, number>)['2023-09-02']).toBe(9);
    expect(run.calls[1]!.result).toBe('plots/2023-09-02_2023-11-30_total_visits_bar.png');
    expect(run.calls.every((c) => c.error === null)).toBe(true);
    expect(run.outcome).toBeNull();
  });

  it('turns numpy arrays, pandas Timestamps and nan into JSON', () => {
    expect(byLine.get(3)!.calls.at(-1)!.result).toEqual(['nia.johnson@atlas.com']);
    const emails = byLine.get(4)!.calls.at(-1)!.result as Record<string, unknown>[];
    expect(emails[0]!.sent_datetime).toBe('2023-11-30 00:00:00');
    const customers = byLine.get(5)!.calls[0]!.result as Record<string, unknown>[];
    expect(customers[0]).toHaveProperty('customer_phone', null);
  });

  it('keeps a string tool_input under "input"', () => {
    const code = byLine.get(6)!.calls.find((c) => c.name === 'code.execute_python')!;
    expect(code.arguments).toEqual({ input: expect.stringContaining('prev_friday = 3') });
  });

  it("marks LangChain's invalid-tool observation and error texts as tool errors", () => {
    const invalid = byLine.get(7)!.calls[0]!;
    expect(invalid.error).toEqual({ type: 'InvalidTool', message: expect.stringMatching(/^calendar\.get_current_date is not a valid tool/) });
    expect(byLine.get(8)!.calls.at(-1)!.error).toEqual({ type: null, message: 'Visitor not found.' });
    expect(byLine.get(7)!.calls.filter((c) => c.error).length).toBe(2);
  });

  it('takes the outcome the log reports: error column, early stop, crash with no output', () => {
    expect(byLine.get(6)!).toMatchObject({ outcome: 'FAILED', error: "'str' object has no attribute 'items'" });
    expect(byLine.get(9)!).toMatchObject({ outcome: 'ABANDONED', error: 'Agent stopped due to iteration limit or time limit.' });
    expect(byLine.get(9)!.calls).toHaveLength(13);
    const crash = byLine.get(10)!;
    expect(crash).toMatchObject({ outcome: 'FAILED', calls: [] });
    expect(crash.error).toMatch(/^An output parsing error occurred/);
    expect(byLine.get(40)!).toMatchObject({ outcome: null, calls: [] });
  });

  it('groups runs of the same query under one task id', () => {
    const again = readRuns(fixture, { format: 'langchain', source: 'other.csv' });
    expect(again.runs.map((r) => r.taskId)).toEqual(runs.map((r) => r.taskId));
    expect(new Set(runs.map((r) => r.taskId)).size).toBe(runs.length);
  });
});

describe('LangChain reader: lines and bad input', () => {
  it('reads JSON lines, serialized actions included, and names bad lines', () => {
    const text = [
      JSON.stringify({ input: 'q1', output: 'done', intermediate_steps: [[{ tool: 'search', tool_input: { q: 'x' }, log: '' }, '[1, 2]']] }),
      '',
      JSON.stringify({ input: 'q2', intermediate_steps: [[{ lc: 1, type: 'constructor', id: ['langchain', 'schema', 'agent', 'AgentAction'], kwargs: { tool: 'get', tool_input: '{"id": 3}', log: '' } }, 'Error: no such id']], task_id: 't-9' }),
      "{'input': 'q3', 'intermediate_steps': [(AgentAction(tool='a', tool_input={}, log=''), None), AgentStep(action=ToolAgentAction('b', {'k': object}, ''), observation=array([1], dtype=object))]}",
      '{"input": "q4"}',
      "{'input': 'q5', 'intermediate_steps': [('not an action', 1)]}",
      '{oops',
    ].join('\n');
    const { runs, errors } = readRuns(text, { format: 'langchain', source: 'f.jsonl' });
    expect(runs.map((r) => r.query)).toEqual(['q1', 'q2', 'q3']);
    expect(runs[0]!.calls[0]!.result).toEqual([1, 2]);
    expect(runs[2]!.calls).toMatchObject([{ name: 'a', arguments: {}, result: null }, { name: 'b', arguments: { k: 'object' }, result: [1] }]);
    expect(runs[1]!).toMatchObject({ taskId: 't-9', calls: [{ name: 'get', arguments: { id: 3 }, error: { message: 'Error: no such id' } }] });
    expect(errors).toEqual([
      { line: 5, reason: 'not a LangChain agent output (no intermediate_steps list)' },
      { line: 6, reason: 'intermediate_steps[0] is not an (AgentAction, observation) pair' },
      { line: 7, reason: expect.stringMatching(/^neither JSON nor a Python literal/) },
    ]);
  });

  it('reads a JSON document holding a list of outputs', () => {
    const doc = JSON.stringify([{ input: 'a', intermediate_steps: [[{ tool: 't', tool_input: {} }, 'ok']] }, { input: 'b' }], null, 2);
    const { runs, errors } = readRuns(doc, { format: 'auto', source: 'runs.json' });
    expect(runs.map((r) => [r.runId, r.query, r.calls.length])).toEqual([['runs.json#0', 'a', 1]]);
    expect(errors).toEqual([{ line: 1, reason: 'output 1: not a LangChain agent output (no intermediate_steps list)' }]);
  });

  it('says which column it looked for when a CSV has none', () => {
    expect(readRuns('a,b\n1,2\n', { format: 'langchain' }).errors).toEqual([{ line: 1, reason: 'no column holds LangChain runs (a value with intermediate_steps); columns: a, b' }]);
  });
});
