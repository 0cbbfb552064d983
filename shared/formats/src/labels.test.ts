import { describe, expect, it } from 'vitest';
import { applyLabels, applyVerifier, readLabels } from './labels.js';
import { makeRun, taskIdForQuery } from './run.js';

const runs = [
  makeRun({ runId: 'f.csv:2', line: 2, query: 'Delete my last email', agentId: 'gpt' }),
  makeRun({ runId: 'f.csv:3', line: 3, query: 'Delete my last email', agentId: 'claude' }),
  makeRun({ runId: 'f.csv:4', line: 4, query: 'Send the report', agentId: 'gpt', outcome: 'FAILED' }),
  makeRun({ runId: 'f.csv:5', line: 5, taskId: 'task-9', query: 'x', agentId: 'gpt' }),
];

describe('labels', () => {
  it('reads label lines and names the bad ones', () => {
    const { labels, errors } = readLabels(['{"taskId": "task-9", "success": true}', '', '{"query": "delete my  LAST email", "agentId": "claude", "success": false}', '{"runId": "f.csv:2", "outcome": "ABANDONED"}', '{"success": true}', '{"taskId": "t"}', 'nope'].join('\n'));
    expect(labels.map((l) => [l.runId, l.taskId, l.agentId, l.outcome, l.line])).toEqual([
      [null, 'task-9', null, 'SUCCEEDED', 1],
      [null, taskIdForQuery('Delete my last email', ''), 'claude', 'FAILED', 3],
      ['f.csv:2', null, null, 'ABANDONED', 4],
    ]);
    expect(errors).toEqual([
      { line: 5, reason: 'invalid label: label needs runId, taskId or query' },
      { line: 6, reason: 'invalid label: label needs success (boolean) or outcome' },
      { line: 7, reason: expect.stringMatching(/^not JSON/) },
    ]);
  });

  it('joins by run, then task and agent, then task; a label overrides what the log said', () => {
    const { labels } = readLabels(['{"query": "Delete my last email", "success": true}', '{"query": "Delete my last email", "agentId": "claude", "success": false}', '{"runId": "f.csv:4", "success": true}'].join('\n'));
    const { runs: out, labelled } = applyLabels(runs, labels);
    expect(out.map((r) => r.outcome)).toEqual(['SUCCEEDED', 'FAILED', 'SUCCEEDED', null]);
    expect(labelled).toBe(3);
  });

  it('asks the verifier only about runs with no outcome, and keeps its "cannot tell"', async () => {
    const asked: string[] = [];
    const { runs: out, verified } = await applyVerifier(runs, (run) => {
      asked.push(run.runId);
      return run.agentId === 'claude' ? undefined : run.query === 'x';
    });
    expect(asked).toEqual(['f.csv:2', 'f.csv:3', 'f.csv:5']);
    expect(out.map((r) => r.outcome)).toEqual(['FAILED', null, 'FAILED', 'SUCCEEDED']);
    expect(verified).toBe(2);
  });
});
