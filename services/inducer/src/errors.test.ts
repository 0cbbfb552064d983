import { describe, expect, it } from 'vitest';
import { errorKnowledge } from './errors.js';
import { summarise } from './summary.js';
import { trajectoriesOf, type Task } from './test-tasks.js';

const knowledgeOf = (tasks: Task[]) => errorKnowledge(trajectoriesOf(tasks).map((t, i) => summarise(t, 0, i)), 8);

describe('error knowledge', () => {
  const dateFix = (i: number): Task => ({
    at: i * 10,
    calls: [
      { tool: 'search', params: { date: `03/0${i + 1}/2026`, city: 'Oslo' }, error: { type: 'ValidationError', message: `Invalid date "03/0${i + 1}/2026" for field "date": expected YYYY-MM-DD` } },
      { tool: 'search', params: { date: `2026-03-0${i + 1}`, city: 'Oslo' } },
    ],
  });

  it('counts fingerprints per tool with a normalised sample', () => {
    const k = knowledgeOf([dateFix(0), dateFix(1), dateFix(2)]);
    const [e] = k.knownErrors.get('search')!;
    expect(e).toMatchObject({ occurrences: 3, sampleMessage: 'Invalid date <str> for field <str>: expected YYYY-MM-DD' });
  });

  it('learns a PARAM_CHANGE with the format that worked', () => {
    const [h] = knowledgeOf([dateFix(0), dateFix(1), dateFix(2)]).hints.get('search')!;
    expect(h).toMatchObject({ kind: 'PARAM_CHANGE', occurrences: 3, extraToolName: null });
    expect(JSON.parse(h!.paramChangesJson!)).toEqual({ date: { type: 'string', format: 'date' } });
    expect(h!.description).toMatch(/it worked after changing date from "03\/03\/2026" to "2026-03-03"/);
  });

  it('learns an EXTRA_STEP, with how its arguments map from the failed call', () => {
    const [h] = knowledgeOf([
      {
        at: 0,
        calls: [
          { tool: 'deploy', params: { service: 'api', version: 'v1.0.1' }, error: { type: 'PreconditionFailed', message: 'No image for "api"' } },
          { tool: 'build', params: { service: 'api', version: 'v1.0.1' } },
          { tool: 'deploy', params: { service: 'api', version: 'v1.0.1' } },
        ],
      },
    ]).hints.get('deploy')!;
    expect(h).toMatchObject({ kind: 'EXTRA_STEP', extraToolName: 'build' });
    expect(JSON.parse(h!.paramChangesJson!)).toEqual({ service: { fromParam: 'service' }, version: { fromParam: 'version' } });
  });

  it('learns a RETRY when the same call simply worked again', () => {
    const [h] = knowledgeOf([
      { at: 0, calls: [{ tool: 'get', params: { id: 'A-11' }, error: { type: 'RateLimited', message: 'Rate limit, retry after 2s' } }, { tool: 'get', params: { id: 'A-11' } }] },
    ]).hints.get('get')!;
    expect(h).toMatchObject({ kind: 'RETRY', paramChangesJson: null });
  });

  it('learns nothing from a failure nobody fixed', () => {
    const k = knowledgeOf([{ at: 0, calls: [{ tool: 'get', params: { id: 'A-11' }, error: { type: 'NotFound', message: 'no such order' } }], outcome: 'FAILED' }]);
    expect(k.knownErrors.get('get')).toHaveLength(1);
    expect(k.hints.get('get')).toBeUndefined();
  });

  describe('from runs that failed and never retried (real traffic)', () => {
    const good = (i: number): Task => ({ at: i * 10, query: `update ${i}`, calls: [{ tool: 'update_customer', params: { id: `C-${1000 + i}`, status: ['Qualified', 'Lead', 'Won'][i % 3], since: `2023-11-${10 + i}` } }] });
    const bad: Task = {
      at: 100,
      query: 'update 9',
      calls: [{ tool: 'update_customer', params: { id: 'C-1009', status: 'qualified', since: 'November 19' }, error: { type: 'ValueError', message: 'Invalid status "qualified"' } }],
      outcome: 'FAILED',
    };

    it('teaches the form successful runs of the same tool use', () => {
      const k = knowledgeOf([...Array.from({ length: 6 }, (_, i) => good(i)), bad]);
      const [h] = k.hints.get('update_customer')!;
      expect(h).toMatchObject({ kind: 'PARAM_CHANGE', occurrences: 1 });
      expect(JSON.parse(h!.paramChangesJson!)).toEqual({ since: { type: 'string', format: 'date' }, status: { type: 'string', enum: ['Lead', 'Qualified', 'Won'] } });
      expect(h!.description).toMatch(/in runs that did not recover; successful runs pass since as a date \(not "November 19"\)/);
    });

    it('blames no parameter whose value has the usual form (an unseen customer is not a wrong one)', () => {
      const unseen: Task = { ...bad, calls: [{ tool: 'update_customer', params: { id: 'C-7777', status: 'Prospect', since: '2023-11-30' }, error: { type: 'NotFound', message: 'no customer' } }] };
      const k = knowledgeOf([...Array.from({ length: 6 }, (_, i) => good(i)), unseen]);
      expect(k.hints.get('update_customer')).toBeUndefined();
      expect(k.knownErrors.get('update_customer')).toHaveLength(1);
    });

    it('needs successful calls to learn from', () => {
      expect(knowledgeOf([good(0), bad]).hints.get('update_customer')).toBeUndefined();
    });
  });
});
