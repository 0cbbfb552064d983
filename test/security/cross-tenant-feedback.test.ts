// Finding 1: feedback crossed tenants. With tenant B's key, 30 failures took tenant A's
// template from 0.83 to 0.27, then retired it. Now the router refuses feedback and unlearn
// for a template the caller does not own (404, nothing written), and the inducer ignores
// (and counts) any such record that reaches the topic another way.
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
const owned = TemplateSchema.parse(makeTemplate({ templateId: 'tpl-acme', tenantId: 'acme', agentId: 'support-bot', confidence: 0.83, createdAtMs: NOW, updatedAtMs: NOW }));
const failure = (i: number) => ({ executionId: `evil-${i}`, templateId: owned.templateId, agentId: 'evil-bot', outcome: 'failed', failedStep: 0, stepsTotal: 2, stepsCompleted: 0, durationMs: 5 });

describe('feedback across tenants', () => {
  let t: TestRouter;
  let inducer: InducerHandle;
  const endOffset = (topic: string) => endOffsets(t.runtime, topic);

  beforeAll(async () => {
    ({ t, inducer } = await startWithTemplate('sec-xtenant', owned));
  });

  afterAll(async () => {
    await inducer?.stop();
    await t?.stop();
  });

  it('refuses 30 failures and an unlearn sent with another tenant\'s key, writes nothing, and leaves the owner\'s template as it was', async () => {
    const before = await t.call('GET', `/v1/templates/${owned.templateId}`);
    expect(before.status).toBe(200);
    for (let i = 0; i < 30; i++) {
      const r = await t.call('POST', '/v1/feedback', failure(i), KEYS.globex);
      expect([r.status, r.body.error]).toEqual([404, 'not_found']);
    }
    const unlearn = await t.call('DELETE', `/v1/templates/${owned.templateId}?reason=mine`, undefined, KEYS.globex);
    expect(unlearn.status).toBe(404);
    expect(await endOffset(t.runtime.topics.feedback.name)).toBe(0);
    expect(await endOffset(t.runtime.topics.templates.name)).toBe(1);
    const after = await t.call('GET', `/v1/templates/${owned.templateId}`);
    expect(after.body).toEqual(before.body);
  });

  it('has the inducer ignore and count feedback written straight to the topic by a tenant that does not own the template', async () => {
    const base = await metricValue(refusalsTotal, { reason: 'tenant_mismatch' });
    const forged = Array.from({ length: 30 }, (_, i) =>
      FeedbackSchema.parse(makeFeedback({ tenantId: 'globex', agentId: 'evil-bot', templateId: owned.templateId, timestampMs: NOW, execution: { executionId: `forged-${i}`, outcome: 'FAILED', stepsTotal: 2, stepsCompleted: 0, failedStep: 0, durationMs: 5 } })),
    );
    forged.push(FeedbackSchema.parse(makeFeedback({ kind: 'UNLEARN', tenantId: 'globex', agentId: 'router', templateId: owned.templateId, timestampMs: NOW, execution: null, reason: 'forged' })));
    await t.runtime.producer.send(forged.map((value) => ({ spec: t.runtime.topics.feedback, value })));
    await eventually(async () => (await metricValue(refusalsTotal, { reason: 'tenant_mismatch' })) - base >= 31, 20_000);
    expect((await metricValue(refusalsTotal, { reason: 'tenant_mismatch' })) - base).toBe(31);
    expect(inducer.inducer.controls.has(owned.templateId)).toBe(false);
    expect(await endOffset(t.runtime.topics.templates.name)).toBe(1);
  });

  it('still takes the owner\'s own feedback, in the router and in the inducer', async () => {
    const r = await t.call('POST', '/v1/feedback', { ...failure(99), executionId: 'own-1', agentId: 'support-bot', outcome: 'succeeded', failedStep: undefined, stepsCompleted: 2 }, KEYS.acme);
    expect(r.status).toBe(202);
    await eventually(() => inducer.inducer.controls.get(owned.templateId)?.executions === 1, 20_000);
    expect(inducer.inducer.controls.get(owned.templateId)).toMatchObject({ tenantId: 'acme', agentId: 'support-bot', executions: 1, executionSuccessCount: 1 });
  });
});
