import { ToolError } from '@praxis/core';
import { AgentStepSchema, TemplateSchema } from '@praxis/schemas';
import { makeTemplate } from '@praxis/schemas/factories';
import { describe, expect, it } from 'vitest';
import { evaluateTemplates } from './evaluate.js';
import { AGENTS, plantedWorkflows, toolRegistry, toolSchemas } from './fleet.js';
import { freshTasks } from './tasks.js';
import { isRateLimited, newWorld } from './tools.js';
import { generateTraffic } from './traffic.js';

const traffic = generateTraffic('fleet-test', { instancesPerWorkflow: 6 });

describe('traffic', () => {
  it('is deterministic for a seed and differs between seeds', () => {
    expect(JSON.stringify(generateTraffic('fleet-test', { instancesPerWorkflow: 6 }).events)).toBe(JSON.stringify(traffic.events));
    expect(JSON.stringify(generateTraffic('other', { instancesPerWorkflow: 6 }).events)).not.toBe(JSON.stringify(traffic.events));
  });

  it('is made of valid AgentStep events from every agent, with per-session sequence numbers', () => {
    for (const e of traffic.events) expect(AgentStepSchema.safeParse(e).success).toBe(true);
    expect(new Set(traffic.events.map((e) => `${e.tenantId}/${e.agentId}`)).size).toBe(AGENTS.length);
    for (const t of traffic.tasks) {
      const seqs = t.events.map((e) => e.seq);
      expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    }
  });

  it('has noise: failures, ad-hoc tasks, abandoned tasks, exploration, retries, LLM calls with tokens', () => {
    const r = traffic.report;
    expect(r.byKind.failing).toBeGreaterThan(0);
    expect(r.byKind.adhoc).toBeGreaterThan(0);
    expect(traffic.tasks.some((t) => t.outcome === 'FAILED')).toBe(true);
    expect(traffic.events.some((e) => e.kind === 'LLM_CALL' && (e.promptTokens ?? 0) > 0)).toBe(true);
    expect(traffic.events.some((e) => e.toolName === 'search_docs' || e.toolName === 'search_kb')).toBe(true);
    expect(Object.values(r.errors).every((n) => n > 0)).toBe(true);
  });

  it('delivers some steps late, some far too late, and some twice', () => {
    const ids = traffic.events.map((e) => e.eventId);
    expect(ids.length - new Set(ids).size).toBe(traffic.report.duplicates);
    expect(traffic.report.late).toBeGreaterThan(0);
    expect(traffic.report.tooLate.length).toBeGreaterThan(0);
    const order = traffic.events.map((e) => e.timestampMs);
    expect(order.some((t, i) => i > 0 && t < order[i - 1]!)).toBe(true);
  });

  it('interleaves sessions', () => {
    const first = traffic.events.slice(0, 200).map((e) => e.sessionId);
    expect(new Set(first).size).toBeGreaterThan(5);
  });
});

describe('tools', () => {
  const trip = toolRegistry('acme-travel', 'trip-planner');

  it('have JSON Schemas of their parameters', () => {
    expect(toolSchemas('acme-travel', 'trip-planner').search_flights).toMatchObject({ type: 'object', required: ['origin', 'destination', 'date', 'cabin'] });
  });

  it('refuse a date that is not ISO, and a wrong-case enum, with ValidationError', async () => {
    await expect(trip.search_flights!({ origin: 'LIS', destination: 'BER', date: '03/05/2026', cabin: 'economy' })).rejects.toMatchObject({ type: 'ValidationError', message: expect.stringMatching(/expected YYYY-MM-DD/) });
    await expect(trip.book_flight!({ flightId: 'FL-1234', passenger: { email: 'a@b.co' }, cabin: 'Economy' })).rejects.toBeInstanceOf(ToolError);
    await expect(trip.search_flights!({ origin: 'LIS', destination: 'BER', date: '2026-03-05', cabin: 'economy' })).resolves.toMatchObject({ flights: expect.any(Array) });
  });

  it('rate-limit some calls the first time only (transient)', async () => {
    const support = toolRegistry('globex-retail', 'support-bot');
    const limited = Array.from({ length: 40 }, (_, i) => ({ orderId: `ORD-${10_000 + i}` })).find((p) => isRateLimited('get_order', p))!;
    await expect(support.get_order!(limited)).rejects.toMatchObject({ type: 'RateLimited', transient: true });
    await expect(support.get_order!(limited)).resolves.toMatchObject({ order: { id: limited.orderId } });
  });

  it('need build_image before deploying a version that was not pre-built', async () => {
    const world = newWorld();
    const deploy = toolRegistry('initech-ops', 'deploy-bot', world);
    const attempts = Array.from({ length: 40 }, (_, i) => ({ service: 'checkout', version: `v1.${i}.0`, environment: 'staging' }));
    let missing: (typeof attempts)[number] | undefined;
    for (const a of attempts) {
      try {
        await deploy.deploy_service!(a);
      } catch (error) {
        expect(error).toMatchObject({ type: 'PreconditionFailed' });
        missing = a;
        break;
      }
    }
    expect(missing).toBeDefined();
    await deploy.build_image!({ service: missing!.service, version: missing!.version });
    await expect(deploy.deploy_service!(missing!)).resolves.toMatchObject({ deployment: { status: 'rolled_out' } });
  });
});

describe('ground truth and fresh tasks', () => {
  it('plants 20 workflows of 3 or more steps, whose queries name every query slot', () => {
    const planted = plantedWorkflows();
    expect(planted).toHaveLength(20);
    for (const wf of planted) {
      expect(wf.signature.length).toBeGreaterThanOrEqual(3);
      const querySlots = new Set(wf.steps.flatMap((s) => s.params.filter((p) => p.source === 'QUERY').map((p) => p.slot!)));
      for (const q of wf.queries) for (const slot of querySlots) expect(q).toContain(`{${slot}}`);
    }
  });

  it('gives fresh queries with their workflow, slot values and the calls a correct run makes', async () => {
    const tasks = freshTasks('fresh-test', 20);
    expect(new Set(tasks.map((t) => t.workflowId)).size).toBe(20);
    for (const t of tasks) for (const v of Object.values(t.values)) expect(t.query).toContain(String(v));
    const first = tasks[0]!;
    const registry = toolRegistry(first.tenantId, first.agentId);
    for (const call of first.expectedCalls) await expect(registry[call.tool]!(call.params)).resolves.toBeDefined();
  });

  it('holds workflows and phrasings out of the traffic when asked (closed-loop benchmark)', () => {
    const held = generateTraffic('fleet-test', { instancesPerWorkflow: 4, excludeWorkflows: ['support.refund'], phrasings: { 'support.order_status': [1] } });
    const workflows = new Set(held.tasks.map((t) => t.workflowId));
    expect(workflows.has('support.refund')).toBe(false);
    expect(workflows.has('support.escalate')).toBe(true);
    const statusQueries = held.tasks.filter((t) => t.workflowId === 'support.order_status').map((t) => t.query);
    expect(statusQueries.length).toBeGreaterThan(0);
    for (const q of statusQueries) expect(q).toMatch(/^Can you tell me the status of order ORD-\d+$/);
    expect(() => generateTraffic('fleet-test', { instancesPerWorkflow: 1, phrasings: { 'support.order_status': [9] } })).toThrow(/no phrasing/);
  });

  it('gives fresh tasks of chosen workflows only', () => {
    const tasks = freshTasks('fresh-test', 6, { workflows: ['ops.deploy', 'oncall.ack'] });
    expect(tasks.map((t) => t.workflowId)).toEqual(['ops.deploy', 'oncall.ack', 'ops.deploy', 'oncall.ack', 'ops.deploy', 'oncall.ack']);
    expect(() => freshTasks('fresh-test', 1, { workflows: ['nope'] })).toThrow(/no workflow/);
  });

  it('scores templates: precision, recall, and what a template got wrong', () => {
    const wf = plantedWorkflows().find((w) => w.id === 'support.order_status')!;
    const wrong = TemplateSchema.parse(
      makeTemplate({
        templateId: wf.templateId,
        tenantId: wf.tenantId,
        agentId: wf.agentId,
        signature: wf.signature,
        steps: wf.signature.map((toolName, index) => ({ index, toolName, params: [] })),
        slots: [],
      }),
    );
    const e = evaluateTemplates([wrong], { agents: ['globex-retail/support-bot'] });
    expect(e.recall).toBe(0.25);
    expect(e.precision).toBe(1);
    expect(e.mismatches.length).toBeGreaterThan(0);
    expect(e.mismatches[0]!.problem).toBe('parameter missing from the template');
    expect(evaluateTemplates([]).recall).toBe(0);
  });
});
