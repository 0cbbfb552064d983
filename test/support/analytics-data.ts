// A seeded generator of realistic Praxis traffic for the analytics tests: sessions of agent
// steps (with failures whose messages vary only in ids), the trajectories the segmenter would
// cut from them, template versions with a tombstone, router lookups, executions and unlearn
// orders. Same seed, same records. Every record passes its topic's validator.
import { errorFingerprint } from '@praxis/core';
import {
  AgentStepSchema,
  FeedbackSchema,
  TemplateSchema,
  TrajectorySchema,
  type AgentStep,
  type Feedback,
  type Template,
  type Trajectory,
  type TrajectoryInput,
} from '@praxis/schemas';
import { makeTemplate } from '@praxis/schemas/factories';

type TrajectoryStepInput = TrajectoryInput['steps'][number];

/** A template version, or the tombstone that deletes the template. */
export type TemplateEvent = { kind: 'version'; template: Template } | { kind: 'tombstone'; templateId: string; tenantId: string; timestampMs: number };

export interface AnalyticsDataset {
  steps: AgentStep[];
  trajectories: Trajectory[];
  templates: TemplateEvent[];
  feedback: Feedback[];
}

export interface DatasetOptions {
  seed?: number;
  /** Prefix of every id, so datasets of different tests never share ids. */
  prefix?: string;
  days?: number;
  sessionsPerDay?: number;
  /** First day, ms at 00:00 UTC. */
  startMs?: number;
}

/** mulberry32: a tiny seeded PRNG, good enough for test data. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const DAY_MS = 86_400_000;
export const DATASET_START = Date.UTC(2026, 10, 1);

const TENANTS = ['acme', 'globex'];
const AGENTS = ['support-bot', 'sales-bot'];
/** Workflows the agents follow; the first three become templates. */
const WORKFLOWS = [
  ['lookup_order', 'get_tracking'],
  ['lookup_order', 'create_refund', 'send_email'],
  ['search_kb', 'send_email'],
  ['search_kb', 'lookup_order', 'get_tracking', 'send_email'],
];
const ERRORS: Record<string, { type: string; message: (n: number) => string }> = {
  lookup_order: { type: 'NotFound', message: (n) => `Order A-${1000 + n} not found` },
  get_tracking: { type: 'Timeout', message: (n) => `carrier API timed out after ${n * 100}ms` },
  create_refund: { type: 'Rejected', message: (n) => `refund of ${n}.50 EUR exceeds the limit for "cust-${n}"` },
  send_email: { type: 'RateLimited', message: () => 'too many requests' },
  search_kb: { type: '500', message: (n) => `internal error id=${(n * 7919).toString(16)}abcdef01` },
};

const pick = <T>(rand: () => number, items: readonly T[]): T => items[Math.floor(rand() * items.length)]!;

/** Generates the dataset; sizes grow with days × sessionsPerDay × tenants × agents. */
export function generateDataset(options: DatasetOptions = {}): AnalyticsDataset {
  const rand = seededRandom(options.seed ?? 7);
  const p = options.prefix ?? 'd';
  const days = options.days ?? 3;
  const perDay = options.sessionsPerDay ?? 6;
  const start = options.startMs ?? DATASET_START;
  const data: AnalyticsDataset = { steps: [], trajectories: [], templates: [], feedback: [] };
  const templateId = (tenant: string, w: number) => `${p}-tpl-${tenant}-w${w}`;

  // Template versions: DRAFT on day 0, ACTIVE from day 1 with growing confidence; the
  // second workflow's template of the first tenant is tombstoned on the last day.
  for (const tenant of TENANTS) {
    for (let w = 0; w < 3; w++) {
      const signature = WORKFLOWS[w]!;
      for (let d = 0; d < days; d++) {
        const updatedAtMs = start + d * DAY_MS + 6 * 3_600_000 + w * 60_000;
        const base = makeTemplate({
          templateId: templateId(tenant, w),
          tenantId: tenant,
          agentId: w === 2 ? null : 'support-bot',
          version: d + 1,
          source: w === 2 ? 'USER' : 'LEARNED',
          status: d === 0 ? 'DRAFT' : 'ACTIVE',
          name: signature.join(' > '),
          signature,
          steps: signature.map((toolName, index) => ({ index, toolName, params: [] })),
          slots: [],
          stats: { support: 5 + d * 4 + w, successes: 4 + d * 3 },
          confidence: Math.round((0.5 + 0.12 * d + 0.03 * w + rand() * 0.01) * 1000) / 1000,
          createdAtMs: start,
          updatedAtMs,
          knownErrors: d > 0 ? [{ toolName: signature[0]!, fingerprint: 'fp-known', sampleMessage: 'x', occurrences: d, lastSeenMs: updatedAtMs }] : [],
        });
        data.templates.push({ kind: 'version', template: TemplateSchema.parse(base) });
      }
    }
  }
  data.templates.push({ kind: 'tombstone', templateId: templateId('acme', 1), tenantId: 'acme', timestampMs: start + (days - 1) * DAY_MS + 20 * 3_600_000 });

  let session = 0;
  for (let d = 0; d < days; d++) {
    for (const tenant of TENANTS) {
      for (const agent of AGENTS) {
        for (let s = 0; s < perDay; s++) {
          session++;
          const sessionId = `${p}-s${session}`;
          const w = Math.floor(rand() * WORKFLOWS.length);
          const tools = WORKFLOWS[w]!;
          let t = start + d * DAY_MS + Math.floor(((s + rand()) / perDay) * (DAY_MS - 3_600_000));
          const startedAtMs = t;
          let seq = 0;
          const ev = (kind: string) => `${p}-e${session}-${seq}-${kind}`;
          const query = `please handle order A-${1000 + session} for ${tenant}`;
          const served = w < 3 && rand() < 0.6 ? templateId(tenant, w) : null;
          data.steps.push(AgentStepSchema.parse({ eventId: ev('q'), tenantId: tenant, agentId: agent, sessionId, seq: seq++, kind: 'QUERY', timestampMs: t, query, attributes: { sdk: '1.0', env: s % 2 ? 'prod' : 'staging' } }));
          const trajSteps: TrajectoryStepInput[] = [];
          let failed = false;
          for (const [index, toolName] of tools.entries()) {
            t += 50 + Math.floor(rand() * 400);
            const error = rand() < 0.15;
            failed ||= error;
            const n = Math.floor(rand() * 50);
            const duration = rand() < 0.05 ? null : 20 + Math.floor(rand() * 900);
            const err = ERRORS[toolName]!;
            const step = AgentStepSchema.parse({
              eventId: ev('t'),
              tenantId: tenant,
              agentId: agent,
              sessionId,
              seq: seq++,
              kind: 'TOOL_CALL',
              timestampMs: t,
              toolName,
              parametersJson: JSON.stringify({ orderId: `A-${1000 + n}` }),
              resultJson: error ? null : JSON.stringify({ ok: true, id: n }),
              status: error ? 'ERROR' : 'OK',
              errorType: error ? err.type : null,
              errorMessage: error ? err.message(n) : null,
              durationMs: duration,
              templateId: served,
            });
            data.steps.push(step);
            trajSteps.push({
              index,
              eventId: step.eventId,
              seq: step.seq,
              timestampMs: t,
              toolName,
              parametersJson: step.parametersJson!,
              status: step.status,
              errorType: step.errorType,
              errorMessage: step.errorMessage,
              errorFingerprint: error ? errorFingerprint(toolName, err.type, err.message(n)) : null,
              durationMs: duration,
              paramShapeHash: 'p-order',
            });
          }
          t += 100;
          const prompt = 100 + Math.floor(rand() * 900);
          const completion = 20 + Math.floor(rand() * 200);
          data.steps.push(AgentStepSchema.parse({ eventId: ev('l'), tenantId: tenant, agentId: agent, sessionId, seq: seq++, kind: 'LLM_CALL', timestampMs: t, model: 'gpt-test', promptTokens: prompt, completionTokens: completion, durationMs: 300 }));
          t += 100;
          const outcome = failed ? (rand() < 0.7 ? 'FAILED' : 'ABANDONED') : 'SUCCEEDED';
          data.steps.push(AgentStepSchema.parse({ eventId: ev('e'), tenantId: tenant, agentId: agent, sessionId, seq: seq++, kind: 'TASK_END', timestampMs: t, taskOutcome: outcome }));
          data.trajectories.push(
            TrajectorySchema.parse({
              trajectoryId: `${p}-traj-${session}`,
              tenantId: tenant,
              agentId: agent,
              sessionId,
              query,
              startedAtMs,
              endedAtMs: t,
              closeReason: 'TASK_END',
              outcome,
              signature: tools,
              steps: trajSteps,
              llmCalls: 1,
              promptTokens: prompt,
              completionTokens: completion,
              templateId: served,
            }),
          );

          // The router was asked before the task; a served template was then executed.
          const lookupId = `${p}-lk-${session}`;
          const similarity = Math.round(rand() * 1000) / 1000;
          const tier = served ? (similarity > 0.5 ? 'REUSE' : 'REWRITE') : 'PLAN';
          data.feedback.push(
            FeedbackSchema.parse({
              feedbackId: `${p}-fb-l${session}`,
              tenantId: tenant,
              agentId: agent,
              kind: 'LOOKUP',
              timestampMs: startedAtMs - 5,
              templateId: served,
              templateVersion: served ? d + 1 : null,
              lookupId,
              sessionId,
              lookup: {
                query,
                tier,
                similarity,
                confidence: served ? 0.7 : null,
                reason: `${tier.toLowerCase()} by similarity`,
                alternatives: served ? [templateId(tenant, (w + 1) % 3)] : [],
                latencyMs: Math.round(rand() * 4000) / 100,
                estimatedTokensSaved: tier === 'PLAN' ? null : tier === 'REUSE' ? 800 + Math.floor(rand() * 400) : 300 + Math.floor(rand() * 200),
              },
            }),
          );
          if (served) {
            const r = rand();
            // One template breaks on the last day (a tool changed under it): every run fails.
            const broken = tenant === 'globex' && w === 1 && d === days - 1;
            const execOutcome = failed || broken ? 'FAILED' : r < 0.08 ? 'IGNORED' : r < 0.14 ? 'DEVIATED' : 'SUCCEEDED';
            data.feedback.push(
              FeedbackSchema.parse({
                feedbackId: `${p}-fb-x${session}`,
                tenantId: tenant,
                agentId: agent,
                kind: 'EXECUTION',
                timestampMs: t,
                templateId: served,
                templateVersion: d + 1,
                lookupId,
                sessionId,
                execution: {
                  executionId: `${p}-x${session}`,
                  outcome: execOutcome,
                  tier,
                  stepsTotal: tools.length,
                  stepsCompleted: execOutcome === 'FAILED' ? tools.length - 1 : tools.length,
                  failedStep: execOutcome === 'FAILED' ? tools.length - 1 : null,
                  errorFingerprint: execOutcome === 'FAILED' ? 'fp-exec' : null,
                  durationMs: t - startedAtMs,
                  retries: execOutcome === 'FAILED' ? 1 : 0,
                },
              }),
            );
          }
        }
      }
    }
    const tenant = pick(rand, TENANTS);
    data.feedback.push(
      FeedbackSchema.parse({
        feedbackId: `${p}-fb-u${d}`,
        tenantId: tenant,
        agentId: 'support-bot',
        kind: 'UNLEARN',
        timestampMs: start + d * DAY_MS + 23 * 3_600_000,
        templateId: templateId(tenant, 0),
        templateVersion: d + 1,
        reason: 'user removed it',
      }),
    );
  }
  return data;
}

/** How many rows each raw table must hold for a dataset (one per record). */
export function expectedRowCounts(data: AnalyticsDataset): Record<string, number> {
  return {
    steps: data.steps.length,
    trajectories: data.trajectories.length,
    template_versions: data.templates.length,
    executions: data.feedback.filter((f) => f.kind === 'EXECUTION').length,
    router_lookups: data.feedback.filter((f) => f.kind === 'LOOKUP').length,
    unlearns: data.feedback.filter((f) => f.kind === 'UNLEARN').length,
  };
}
