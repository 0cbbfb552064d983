import { describe, expect, it } from 'vitest';
import { HashingEmbedder } from './embedding/hashing.js';
import { Policies } from './policy.js';
import type { SlotGenerator } from './rewriter.js';
import { RouterCore } from './router-core.js';
import { cancelTemplate, MemorySink, template } from './test-support/fixtures.js';

const NOW = Date.UTC(2026, 11, 1);

function core(options: { generator?: SlotGenerator; policies?: Policies } = {}) {
  const sink = new MemorySink();
  const c = new RouterCore({ embedder: new HashingEmbedder(), policies: options.policies ?? new Policies(), sink, clock: () => NOW, generator: options.generator });
  return { core: c, sink };
}

const track = template({ templateId: 'tpl-track', triggerExamples: ['where is my order A-1001?', 'track order A-7'] });

async function loaded(templates = [track, cancelTemplate()], options: Parameters<typeof core>[0] = {}) {
  const made = core(options);
  await made.core.applyRecords(templates.map((t, i) => ({ key: t.templateId, value: t, partition: 0, offset: String(i) })));
  return made;
}

describe('tiers', () => {
  it('reuses on an exact repeat, with every slot bound', async () => {
    const { core: c } = await loaded();
    const r = await c.lookup('acme', { query: 'where is my order A-1001?', agentId: 'support-bot' });
    expect(r.tier).toBe('reuse');
    expect(r.templateId).toBe('tpl-track');
    expect(r.similarity).toBeCloseTo(1, 5);
    expect(r.workflow?.bindings).toEqual({ orderId: 'A-1001' });
    expect(r.workflow?.missingSlots).toEqual([]);
    expect(r.toGenerate).toEqual([]);
    expect(r.reason).toMatch(/similarity 1.00 >= 0.85/);
    expect(r.estimatedTokensSaved).toBeNull(); // the factory template has no token figures
  });

  it('lowers the similarity of a template whose query slots the query does not fill, and says so', async () => {
    const { core: c } = await loaded();
    const full = await c.lookup('acme', { query: 'where is my order A-1001?', agentId: 'support-bot' });
    const r = await c.lookup('acme', { query: 'where is my order?', agentId: 'support-bot' });
    expect(full.reason).not.toMatch(/lowered/);
    const cosine = Number(/the cosine (\d\.\d\d) lowered for 1 of 1 query slot\(s\) the query does not fill \(orderId\)/.exec(r.reason)?.[1]);
    expect(cosine).toBeGreaterThan(0);
    expect(r.similarity).toBeCloseTo(cosine - 0.2, 2);
    expect(r.similarity).toBeLessThan(full.similarity - 0.2);
  });

  it('binds the new ids of a paraphrase', async () => {
    const { core: c } = await loaded();
    const r = await c.lookup('acme', { query: 'please cancel order Z-9', agentId: 'support-bot' });
    expect(['reuse', 'rewrite']).toContain(r.tier);
    expect(r.templateId).toBe('tpl-cancel');
    expect(r.workflow?.bindings).toEqual({ orderId: 'Z-9' });
    expect(r.estimatedTokensSaved).toBe(r.tier === 'reuse' ? 1200 : expect.any(Number));
  });

  it('plans for an unrelated query', async () => {
    const { core: c } = await loaded();
    const r = await c.lookup('acme', { query: 'what will the weather be in Paris tomorrow', agentId: 'support-bot' });
    expect(r).toMatchObject({ tier: 'plan', templateId: null, workflow: null, estimatedTokensSaved: 0 });
    expect(r.reason).toMatch(/no template close enough/);
  });

  it('rewrites when a required slot is missing, listing exactly the variable nodes', async () => {
    const { core: c } = await loaded();
    const r = await c.lookup('acme', { query: 'cancel my order', agentId: 'support-bot' });
    expect(r.tier).toBe('rewrite');
    expect(r.toGenerate.map((s) => s.name)).toEqual(['orderId']);
    expect(r.toGenerate[0]!.usedBy).toEqual([{ stepIndex: 0, toolName: 'get_order', path: 'orderId' }]);
    expect(r.conflicts).toEqual([{ kind: 'entity', detail: 'the query has no orderId (a value matching ^[A-Z]-\\d+$)' }]);
    expect(r.reason).toMatch(/slots to generate: orderId/);
  });

  it('never reuses an opposite request: negation and conflicting verbs', async () => {
    const { core: c } = await loaded();
    const negated = await c.lookup('acme', { query: 'do not cancel my order A-1001, change the address', agentId: 'support-bot' });
    expect(negated.tier).not.toBe('reuse');
    expect(negated.templateId).not.toBe('tpl-cancel');
    expect(negated.alternatives.find((a) => a.templateId === 'tpl-cancel')?.rejected).toMatch(/not to cancel/);
    const kept = await c.lookup('acme', { query: 'keep my order A-1001', agentId: 'support-bot' });
    expect(kept.templateId).not.toBe('tpl-cancel');
    expect(c.stats('acme').structuralRejections).toBeGreaterThanOrEqual(1);
  });

  it('offers DRAFT and below-threshold templates for rewrite only', async () => {
    const { core: c } = await loaded([template({ templateId: 'tpl-d', status: 'DRAFT' }), template({ templateId: 'tpl-b', belowThreshold: true, triggerExamples: ['show invoice INV-1'], signature: ['get_invoice'], steps: [{ index: 0, toolName: 'get_invoice', params: [] }], slots: [] })]);
    expect((await c.lookup('acme', { query: 'where is my order A-1001?', agentId: 'support-bot' })).reason).toMatch(/template is DRAFT/);
    const b = await c.lookup('acme', { query: 'show invoice INV-9', agentId: 'support-bot' });
    expect(b).toMatchObject({ tier: 'rewrite', templateId: 'tpl-b' });
    expect(b.reason).toMatch(/below its confidence threshold/);
  });

  it('serves a template with conflicting evidence only to a query as close as reuse needs', async () => {
    const conflicting = template({ templateId: 'tpl-c', status: 'DRAFT', conflictingTasks: 2, triggerExamples: ['where is my order A-1001?'] });
    const { core: c } = await loaded([conflicting]);
    const near = await c.lookup('acme', { query: 'where is my order A-1001?', agentId: 'support-bot' });
    expect(near).toMatchObject({ tier: 'rewrite', templateId: 'tpl-c' });
    const similar = await c.lookup('acme', { query: 'can you tell me where my order A-77 is right now', agentId: 'support-bot' });
    expect(similar.similarity).toBeGreaterThanOrEqual(0.56);
    expect(similar.similarity).toBeLessThan(0.85);
    expect(similar.tier).toBe('plan');
    expect(similar.reason).toMatch(/has conflicting evidence: 2 task\(s\) like its own were done right with other calls/);
    // without conflicting evidence the same query is a rewrite
    const { core: plain } = await loaded([{ ...conflicting, conflictingTasks: 0 }]);
    expect((await plain.lookup('acme', { query: 'can you tell me where my order A-77 is right now', agentId: 'support-bot' })).tier).toBe('rewrite');
  });

  it('plans rather than give a query to a farther template when its closest one is held back for conflicting evidence', async () => {
    const conflicting = template({ templateId: 'tpl-c', status: 'DRAFT', conflictingTasks: 2, triggerExamples: ['where is my order A-1001?'] });
    const farther = template({ templateId: 'tpl-f', status: 'DRAFT', triggerExamples: ['where is my parcel right now'] });
    const query = 'can you tell me where my order A-77 is right now';
    const { core: alone } = await loaded([farther]);
    const served = await alone.lookup('acme', { query, agentId: 'support-bot' });
    expect(served).toMatchObject({ tier: 'rewrite', templateId: 'tpl-f' });
    const { core: c } = await loaded([conflicting, farther]);
    const answer = await c.lookup('acme', { query, agentId: 'support-bot' });
    expect(answer.similarity).toBeGreaterThan(served.similarity);
    expect(answer.tier).toBe('plan');
    expect(answer.reason).toMatch(/closest template .* has conflicting evidence/);
  });

  it('refuses reuse below the tenant confidence threshold (configurable per tenant)', async () => {
    const strict = new Policies({ acme: { minReuseConfidence: 0.9 } });
    const { core: c } = await loaded(undefined, { policies: strict });
    const r = await c.lookup('acme', { query: 'where is my order A-1001?', agentId: 'support-bot' });
    expect(r.tier).toBe('rewrite');
    expect(r.reason).toMatch(/confidence 0.83 < 0.90/);
  });

  it('serves a template only to its agent (or every agent when it has none)', async () => {
    const { core: c } = await loaded();
    expect((await c.lookup('acme', { query: 'where is my order A-1001?', agentId: 'other-bot' })).tier).toBe('plan');
  });

  it('never serves another tenant\'s templates', async () => {
    const { core: c } = await loaded();
    const r = await c.lookup('globex', { query: 'where is my order A-1001?', agentId: 'support-bot' });
    expect(r.tier).toBe('plan');
    expect(r.alternatives).toEqual([]);
  });

  it('fills missing slots with the generator on rewrite, and says so', async () => {
    const seen: string[] = [];
    const generator: SlotGenerator = {
      async generate(request) {
        seen.push(request.query, ...request.slots.map((s) => s.name));
        return { values: { orderId: 'Q-1' }, attempts: 1, errors: [] };
      },
    };
    const { core: c } = await loaded(undefined, { generator });
    const r = await c.lookup('acme', { query: 'cancel my order please', agentId: 'support-bot' });
    expect(r.tier).toBe('rewrite');
    expect(r.generatedSlots).toEqual(['orderId']);
    expect(r.workflow?.bindings).toEqual({ orderId: 'Q-1' });
    expect(r.toGenerate).toEqual([]);
    expect(seen).toEqual(['cancel my order please', 'orderId']);
  });

  it('lets a user workflow outrank a learned template at equal similarity', async () => {
    const { core: c } = await loaded([template({ templateId: 'tpl-learned', agentId: null }), template({ templateId: 'tpl-user', source: 'USER', agentId: null })]);
    const r = await c.lookup('acme', { query: 'where is my order A-5?', agentId: 'support-bot' });
    expect(r.templateId).toBe('tpl-user');
    expect(r.alternatives[0]).toMatchObject({ templateId: 'tpl-learned', similarity: r.similarity });
  });

  it('lets a user workflow outrank a more similar learned one within the precedence margin', async () => {
    const templates = [template({ templateId: 'tpl-learned', agentId: null }), template({ templateId: 'tpl-user', source: 'USER', agentId: null, triggerExamples: ['where is my order A-1001 today?'] })];
    const { core: strict } = await loaded(templates, { policies: new Policies({ '*': { userPrecedenceMargin: 0 } }) });
    expect((await strict.lookup('acme', { query: 'where is my order A-5?', agentId: 'support-bot' })).templateId).toBe('tpl-learned');
    const { core: c } = await loaded(templates, { policies: new Policies({ '*': { userPrecedenceMargin: 0.2 } }) });
    const r = await c.lookup('acme', { query: 'where is my order A-5?', agentId: 'support-bot' });
    expect(r.templateId).toBe('tpl-user');
    expect(r.alternatives[0]!.similarity).toBeGreaterThan(r.similarity);
  });

  it('writes one LOOKUP record per lookup', async () => {
    const { core: c, sink } = await loaded();
    const r = await c.lookup('acme', { query: 'where is my order A-1001?', agentId: 'support-bot', sessionId: 's-1' });
    expect(sink.feedback).toHaveLength(0); // batched, not written on the request's path
    await c.flushLookups();
    expect(sink.feedback).toHaveLength(1);
    expect(sink.feedback[0]).toMatchObject({ kind: 'LOOKUP', feedbackId: r.lookupId, tenantId: 'acme', templateId: 'tpl-track', sessionId: 's-1', lookup: { tier: 'REUSE', boundSlots: 1, missingSlots: 0 } });
  });
});

describe('feedback', () => {
  const outcome = (extra: Record<string, unknown>) => ({ executionId: `ex-${Math.random().toString(36).slice(2)}`, templateId: 'tpl-track', agentId: 'support-bot', stepsTotal: 2, stepsCompleted: 2, durationMs: 40, ...extra });

  it('moves the served confidence with outcomes and counts false hits of reuse', async () => {
    const { core: c, sink } = await loaded();
    const lookup = await c.lookup('acme', { query: 'where is my order A-1001?', agentId: 'support-bot' });
    const before = c.getTemplate('acme', 'tpl-track').servedConfidence;
    const failed = await c.feedback('acme', outcome({ outcome: 'failed', failedStep: 1, stepsCompleted: 1, lookupId: lookup.lookupId, timestampMs: NOW }));
    expect(failed.falseHit).toBe(true);
    expect(failed.servedConfidence!).toBeLessThan(before);
    const ok = await c.feedback('acme', outcome({ outcome: 'succeeded', timestampMs: NOW }));
    expect(ok.falseHit).toBe(false);
    expect(ok.servedConfidence!).toBeGreaterThan(failed.servedConfidence!);
    expect(c.stats('acme')).toMatchObject({ falseHits: 1, executions: { failed: 1, succeeded: 1 }, falseHitRate: 1 });
    expect(sink.feedback.filter((f) => f.kind === 'EXECUTION').map((f) => f.execution?.tier)).toEqual(['REUSE', null]);
  });

  it('counts a retried POST once', async () => {
    const { core: c, sink } = await loaded();
    const body = outcome({ outcome: 'succeeded', executionId: 'ex-same', timestampMs: NOW });
    const a = await c.feedback('acme', body);
    const b = await c.feedback('acme', body);
    expect(b).toEqual(a);
    expect(sink.feedback.filter((f) => f.kind === 'EXECUTION')).toHaveLength(1);
  });

  it('resets the delta when a new version arrives', async () => {
    const { core: c } = await loaded();
    await c.feedback('acme', outcome({ outcome: 'failed', failedStep: 0, stepsCompleted: 0, timestampMs: NOW }));
    expect(c.getTemplate('acme', 'tpl-track').servedConfidence).not.toBe(0.83);
    const v2 = template({ ...track, version: 2, confidence: 0.7, stats: { support: 13, successes: 11 } });
    await c.applyRecords([{ key: v2.templateId, value: v2, partition: 0, offset: '9' }]);
    expect(c.getTemplate('acme', 'tpl-track').servedConfidence).toBe(0.7);
  });
});
