// Finding 2: one feedback dated 2100 became the agent's clock and evicted its whole horizon.
// Now the router refuses execution times beyond its clock plus the skew (400, nothing
// written), and the inducer clamps any that reach the topic to broker time plus the skew,
// so the agent's clock stays near now and its templates stay.
import { refusalsTotal, type InducerHandle } from '@praxis/inducer';
import { metricValue } from '@praxis/kafka';
import { FeedbackSchema, TemplateSchema } from '@praxis/schemas';
import { makeFeedback, makeTemplate } from '@praxis/schemas/factories';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KEYS, type TestRouter } from '../router/support.js';
import { eventually } from '../support/stack.js';
import { endOffsets } from '../learning/support.js';
import { startWithTemplate } from './support.js';

const NOW = Date.now();
const Y2099 = Date.UTC(2099, 0, 1);
const SKEW = 5 * 60_000;
const owned = TemplateSchema.parse(makeTemplate({ templateId: 'tpl-clock', tenantId: 'acme', agentId: 'support-bot', createdAtMs: NOW, updatedAtMs: NOW }));

describe('client clocks in feedback', () => {
  let t: TestRouter;
  let inducer: InducerHandle;
  const endOffset = (topic: string) => endOffsets(t.runtime, topic);

  beforeAll(async () => {
    ({ t, inducer } = await startWithTemplate('sec-future', owned));
  });

  afterAll(async () => {
    await inducer?.stop();
    await t?.stop();
  });

  it('refuses a 2099 execution time at the router with the reason, and writes nothing', async () => {
    const r = await t.call('POST', '/v1/feedback', { executionId: 'e-2099', templateId: owned.templateId, agentId: 'support-bot', outcome: 'succeeded', stepsTotal: 2, stepsCompleted: 2, durationMs: 5, timestampMs: Y2099 }, KEYS.acme);
    expect(r.status).toBe(400);
    expect(r.body.message).toMatch(/timestampMs: 2099-01-01T00:00:00.000Z is more than 300000 ms ahead of the router's clock/);
    expect(await endOffset(t.runtime.topics.feedback.name)).toBe(0);
  });

  it('clamps a 2099 execution time that reaches the topic another way: the agent clock stays near now, nothing is retired', async () => {
    const base = await metricValue(refusalsTotal, { reason: 'clock_clamped' });
    const forged = FeedbackSchema.parse(makeFeedback({ tenantId: 'acme', agentId: 'support-bot', templateId: owned.templateId, timestampMs: Y2099, execution: { executionId: 'forged-2099', outcome: 'FAILED', stepsTotal: 2, stepsCompleted: 0, failedStep: 0, durationMs: 5 } }));
    await t.runtime.producer.send([{ spec: t.runtime.topics.feedback, value: forged }]);
    await eventually(() => inducer.inducer.controls.get(owned.templateId)?.executions === 1, 20_000);
    const control = inducer.inducer.controls.get(owned.templateId)!;
    expect(control.lastExecutionMs).toBeGreaterThanOrEqual(NOW);
    expect(control.lastExecutionMs).toBeLessThanOrEqual(Date.now() + SKEW);
    expect(inducer.inducer.clockOf('acme/support-bot')).toBe(control.lastExecutionMs);
    expect((await metricValue(refusalsTotal, { reason: 'clock_clamped' })) - base).toBe(1);
    expect(await endOffset(t.runtime.topics.templates.name)).toBe(1);
    expect((await t.call('GET', `/v1/templates/${owned.templateId}`)).status).toBe(200);
  });
});
