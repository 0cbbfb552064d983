// Values as people write them, learned and served: runs whose calls take transformed
// values from their queries (a date in words, the end of that day, a full name split, a zip
// read as a number) go through the real segmenter and inducer; the router binds a new
// query's values by the learned query forms against the task's own time; the SDK executor
// gives each tool its form. In process: the Kafka path of the same code is pipeline.test.ts.
import { induceTemplates, DEFAULT_INDUCER_POLICY } from '@praxis/inducer';
import { AgentStepSchema, type AgentStep } from '@praxis/schemas';
import { executeWorkflow } from '@praxis/sdk';
import { DEFAULT_POLICY, segmentSteps } from '@praxis/segmenter';
import { describe, expect, it } from 'vitest';
import { HashingEmbedder } from '../../services/router/src/embedding/hashing.js';
import { Policies } from '../../services/router/src/policy.js';
import { RouterCore } from '../../services/router/src/router-core.js';
import { MemorySink } from '../../services/router/src/test-support/fixtures.js';

// The runs happened on Thursday 2023-11-30 (the data set's "today"), UTC.
const DAY0 = Date.UTC(2023, 10, 30, 9, 0, 0);
const PEOPLE: [string, string][] = [['Amelia', 'Wong'], ['Carlos', 'Rodriguez'], ['Nadia', 'Ivanova'], ['Kofi', 'Mensah'], ['Yuki', 'Tanaka'], ['Sofia', 'Santos'], ['Raj', 'Patel'], ['Lena', 'Schmidt'], ['Akira', 'Sato'], ['Dmitri', 'Volkov']];
const DATES = ['December 4', 'December 5', 'December 7', 'December 11', 'December 12', 'December 13', 'December 14', 'December 18', 'December 19', 'December 20'];

function runSteps(i: number): AgentStep[] {
  const [first, last] = PEOPLE[i]!;
  const day = `2023-12-${DATES[i]!.split(' ')[1]!.padStart(2, '0')}`;
  const zip = `0${2101 + i}`;
  const session = `run-${i}`;
  let t = DAY0 + i * 600_000;
  let seq = 0;
  const base = () => ({ eventId: `${session}-${seq}`, tenantId: 'acme', agentId: 'desk-bot', sessionId: session, seq: seq++, timestampMs: (t += 1_000) });
  const call = (toolName: string, params: object, result: object) => ({ ...base(), kind: 'TOOL_CALL', toolName, parametersJson: JSON.stringify(params), resultJson: JSON.stringify(result), durationMs: 50 });
  return [
    { ...base(), kind: 'QUERY', query: `Book the visit of ${first} ${last} on ${DATES[i]}, zip ${zip}` },
    call('search_slots', { time_min: `${day} 00:00:00`, time_max: `${day} 23:59:59` }, { slots: [{ id: `SL${7000 + i}` }] }),
    call('book_visit', { slot_id: `SL${7000 + i}`, first_name: first, last_name: last, zip: Number(zip) }, { ok: true }),
    { ...base(), kind: 'TASK_END', taskOutcome: 'SUCCEEDED' },
  ].map((s) => AgentStepSchema.parse(s));
}

describe('values as people write them: learned, bound, executed', () => {
  const steps = Array.from({ length: 10 }, (_, i) => runSteps(i)).flat();
  const { trajectories } = segmentSteps(steps, { policyFor: () => DEFAULT_POLICY, idleMs: Number.MAX_SAFE_INTEGER, maxPendingPerSession: 10_000 });
  const [template] = induceTemplates(trajectories, () => ({ ...DEFAULT_INDUCER_POLICY, minStepsToLearn: 2 }));

  it('learns the transforms', () => {
    expect(template).toBeDefined();
    const params = Object.fromEntries(template!.steps.flatMap((s) => s.params.map((p) => [`${s.toolName}.${p.path}`, p.transform ?? p.kind])));
    expect(params).toEqual({
      'search_slots.time_min': 'date:YYYY-MM-DD HH:mm:ss',
      'search_slots.time_max': 'date_end:YYYY-MM-DD HH:mm:ss',
      'book_visit.slot_id': 'STEP_RESULT',
      'book_visit.first_name': 'first_name',
      'book_visit.last_name': 'last_name',
      'book_visit.zip': 'to_number',
    });
    expect(template!.slots.map((s) => s.queryForm ?? null).sort()).toEqual(['date', 'name', 'token']);
  });

  it('binds a new query written differently, against the task time, and the tools get their forms', async () => {
    const router = new RouterCore({ embedder: new HashingEmbedder(), policies: new Policies(), sink: new MemorySink(), clock: () => Date.UTC(2026, 0, 1) });
    await router.applyRecords([{ key: template!.templateId, value: template!, partition: 0, offset: '0' }]);
    // the test embedder puts this paraphrase at rewrite similarity (0.56): a workflow, bound as far as the query allows
    const answer = await router.lookup('acme', { query: 'Book the visit of Maria Garcia for tomorrow, zip 02139', agentId: 'desk-bot', referenceTimeMs: DAY0, timeZone: 'UTC' });
    expect(answer.tier).toBe('rewrite');
    expect(answer.workflow?.missingSlots).toEqual([]);
    expect(Object.values(answer.workflow!.bindings).sort()).toEqual(['02139', '2023-12-01', 'Maria Garcia']);

    const calls: Record<string, unknown>[] = [];
    const result = await executeWorkflow({
      workflow: answer.workflow!,
      tools: { search_slots: async (p) => (calls.push(p), { slots: [{ id: 'SL1' }] }), book_visit: async (p) => (calls.push(p), { ok: true }) },
    });
    expect(result.outcome).toBe('succeeded');
    expect(calls).toEqual([
      { time_min: '2023-12-01 00:00:00', time_max: '2023-12-01 23:59:59' },
      { slot_id: 'SL1', first_name: 'Maria', last_name: 'Garcia', zip: 2139 },
    ]);
  });
});
