// The in-process setup the iteration loop (offline-loop.ts) and the diagnosis scripts share
// (not the benchmark, which goes through the topics): the suite's split and learning runs,
// segmented by the segmenter's own processor, the tenant's inducer policy, and a RouterCore
// with the router's default embedder and calibrated policies fed the induced templates.
import { inducerPolicyFrom, InducerEnv, type InducerPolicy } from '@praxis/inducer';
import { calibrationFor, Policies, RouterConfigSchema, RouterCore, type Embedder, type RouterSink } from '@praxis/router';
import { AgentStepSchema, type AgentStepInput, type Template, type Trajectory } from '@praxis/schemas';
import { segmentSteps, segmenterPolicyFrom, SegmenterEnv } from '@praxis/segmenter';
import { DEFAULT_RANKING, embedderFor, type RankingOptions } from '../../../services/router/src/service.js';
import { REAL_TRAFFIC_ENV, splitFor } from '../suites/real-traffic.js';
import { loadAvailable, type AgentRun, type WorkBench } from './dataset.js';
import { learningSteps, TENANT } from './learn.js';
import { splitTasks, type Split, type SplitOptions } from './split.js';

/** The services' env without servers: the tenant's policy of the suite, then the caller's env. */
export const OFFLINE_ENV: Record<string, string | undefined> = { KAFKA_BROKERS: 'unused:1', SCHEMA_REGISTRY_URL: 'http://unused', ROUTER_API_KEYS: '{}', ...REAL_TRAFFIC_ENV, ...process.env };

export interface OfflineLearning {
  wb: WorkBench;
  split: Split;
  steps: AgentStepInput[];
  trajectories: Trajectory[];
  /** The WorkBench tenant's inducer policy (defaults, then INDUCER_OVERRIDES). */
  policy: InducerPolicy;
}

/** The suite's split (quick or full, with overrides) of `wb`, its learning runs as steps, and the segmenter's trajectories of them. */
export function offlineLearning(options: { quick: boolean; split?: Partial<SplitOptions>; wb?: WorkBench }): OfflineLearning {
  const wb = options.wb ?? loadAvailable();
  const split = splitTasks(wb, { ...splitFor(wb, options.quick), ...options.split });
  const { steps } = learningSteps(wb, split.learningRuns);
  const segmenterPolicy = segmenterPolicyFrom(SegmenterEnv.parse(OFFLINE_ENV));
  const { trajectories } = segmentSteps(
    steps.map((s) => AgentStepSchema.parse(s)),
    { policyFor: () => segmenterPolicy, idleMs: Number.MAX_SAFE_INTEGER, maxPendingPerSession: 100_000 },
  );
  const inducerEnv = InducerEnv.parse(OFFLINE_ENV);
  return { wb, split, steps, trajectories, policy: { ...inducerPolicyFrom(inducerEnv), ...inducerEnv.INDUCER_OVERRIDES[TENANT] } };
}

const discard: RouterSink = { writeTemplates: async () => undefined, writeFeedback: async () => undefined };

/** A router core with the router's default embedder and calibrated policies, fed `templates`. */
export async function offlineRouter(templates: readonly Template[], ranking?: Partial<RankingOptions>): Promise<{ core: RouterCore; embedder: Embedder }> {
  const config = RouterConfigSchema.parse(OFFLINE_ENV);
  const embedder = embedderFor(config);
  const core = new RouterCore({ embedder, policies: new Policies(config.ROUTER_TENANT_POLICIES, calibrationFor(embedder.id)), sink: discard, ...(ranking ? { ranking: { ...DEFAULT_RANKING, ...ranking } } : {}) });
  await core.applyRecords(templates.map((value, i) => ({ key: value.templateId, value, partition: 0, offset: String(i) })));
  return { core, embedder };
}

/** Every agent run of the data set, by task id. */
export function runsByTask(wb: WorkBench): Map<string, AgentRun[]> {
  const out = new Map<string, AgentRun[]>();
  for (const r of wb.runs) out.set(r.taskId, [...(out.get(r.taskId) ?? []), r]);
  return out;
}
