// The closed loop: an agent asks the router through the SDK, replays the workflow with its
// own tool functions, and the outcome reaches praxis.feedback.v1 and moves the confidence
// the router serves for that template.
import { freePort } from '../support/dedicated-kafka.js';
import { ToolError, wilsonLowerBound, type ToolRegistry } from '@praxis/core';
import type { Feedback } from '@praxis/schemas';
import { makeTemplate } from '@praxis/schemas/factories';
import { executeWorkflow, routerFeedback, RouterClient } from '@praxis/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, testKafka } from '../support/stack.js';
import { KEYS, readUntil, startTestRouter, type TestRouter } from './support.js';

const NOW = Date.now() - 60_000;
const template = makeTemplate({ templateId: 'tpl-loop', triggerExamples: ['where is my order A-1001?'], stats: { support: 20, successes: 18 }, confidence: wilsonLowerBound(18, 20), updatedAtMs: NOW, createdAtMs: NOW });

describe('executor and feedback, closed loop', () => {
  let t: TestRouter;
  let client: RouterClient;
  let trackingFails = false;
  let transientFailures = 0;
  const tools: ToolRegistry = {
    lookup_order: async (p) => {
      if (transientFailures > 0) {
        transientFailures--;
        throw new ToolError('upstream timeout after 3000ms', 'Timeout', true);
      }
      return { order: { id: p.orderId, carrierRef: `ZX-${String(p.orderId)}` } };
    },
    get_tracking: async (p) => {
      if (trackingFails) throw new ToolError(`carrier ref ${String(p.ref)} not found`, 'NotFound');
      return { status: 'in transit' };
    },
  };
  const served = async () => (await t.call('GET', '/v1/templates/tpl-loop')).body.servedConfidence as number;
  const run = async (query: string) => {
    const answer = await client.lookup({ query, agentId: 'support-bot' });
    expect(answer.tier).toBe('reuse');
    return executeWorkflow({ workflow: answer.workflow!, tools, agentId: 'support-bot', lookup: { lookupId: answer.lookupId, tier: answer.tier }, feedback: routerFeedback(client), retry: { initialMs: 5 } });
  };

  beforeAll(async () => {
    t = await startTestRouter('loop');
    await t.runtime.producer.send([{ spec: t.runtime.topics.templates, value: template }]);
    await eventually(async () => (await t.call('GET', '/v1/templates/tpl-loop')).status === 200, 10_000, 20);
    client = new RouterClient({ baseUrl: t.router.url, apiKey: KEYS.acme, timeoutMs: 5_000 });
  });

  afterAll(async () => {
    await t?.stop();
  });

  it('succeeds, reports it, and the served confidence rises', async () => {
    const before = await served();
    const r = await run('where is my order B-42?');
    expect(r).toMatchObject({ outcome: 'succeeded', stepsCompleted: 2, feedback: { sent: true }, results: [{ order: { id: 'B-42', carrierRef: 'ZX-B-42' } }, { status: 'in transit' }] });
    expect(await served()).toBeGreaterThan(before);
  });

  it('retries a transient error, then succeeds', async () => {
    transientFailures = 1;
    const r = await run('where is my order C-7?');
    expect(r).toMatchObject({ outcome: 'succeeded', retries: 1 });
  });

  it('stops mid-way with the partial result; the failure lowers the confidence and counts as a false hit', async () => {
    const before = await served();
    trackingFails = true;
    const r = await run('where is my order D-9?');
    trackingFails = false;
    expect(r).toMatchObject({ outcome: 'failed', failedStep: 1, stepsCompleted: 1, results: [{ order: { id: 'D-9' } }], error: { type: 'NotFound', message: 'carrier ref ZX-D-9 not found' } });
    expect(await served()).toBeLessThan(before);
    expect((await t.call('GET', '/v1/stats')).body).toMatchObject({ falseHits: 1, executions: { succeeded: 2, failed: 1 }, lookups: { reuse: 3 } });
  });

  it('writes every outcome to praxis.feedback.v1', async () => {
    const records = await readUntil(testKafka(), t.runtime, t.runtime.topics.feedback, (rs) => rs.filter((r) => r.value?.kind === 'EXECUTION').length >= 3 && rs.filter((r) => r.value?.kind === 'LOOKUP').length >= 3);
    const executions = records.map((r) => r.value!).filter((f): f is Feedback => f.kind === 'EXECUTION');
    expect(executions.map((f) => [f.execution!.outcome, f.execution!.tier, f.execution!.retries, f.execution!.failedStep])).toEqual([
      ['SUCCEEDED', 'REUSE', 0, null],
      ['SUCCEEDED', 'REUSE', 1, null],
      ['FAILED', 'REUSE', 0, 1],
    ]);
    expect(executions[2]).toMatchObject({ tenantId: 'acme', templateId: 'tpl-loop', templateVersion: 1, execution: { errorMessage: 'carrier ref <id> not found', stepsCompleted: 1 } });
    expect(records.filter((r) => r.value?.kind === 'LOOKUP').length).toBeGreaterThanOrEqual(3);
  });

  it('plans by itself when the router is down', async () => {
    const down = new RouterClient({ baseUrl: `http://127.0.0.1:${await freePort()}`, apiKey: KEYS.acme, timeoutMs: 1_000 });
    const answer = await down.lookup({ query: 'where is my order B-42?', agentId: 'support-bot' });
    expect(answer).toMatchObject({ tier: 'plan', fallback: true });
  });
});
