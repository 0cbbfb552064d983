// Learning, offline, with the services' own processors: the seed's fleet traffic is
// segmented and induced, and the templates are loaded into a real RouterCore.
import { generateTraffic, type TrafficOptions } from '@praxis/fleet';
import { DEFAULT_INDUCER_POLICY, induceTemplates } from '@praxis/inducer';
import { calibrationFor, HashingEmbedder, Policies, RouterCore, type Embedder, type RouterSink } from '@praxis/router';
import { AgentStepSchema, type Template } from '@praxis/schemas';
import { DEFAULT_POLICY, segmentSteps } from '@praxis/segmenter';

/** Where the router writes: nowhere (the lookups' telemetry is not what is measured here). */
const discard: RouterSink = { writeTemplates: async () => undefined, writeFeedback: async () => undefined };

export interface Learned {
  core: RouterCore;
  templates: Template[];
  trajectories: number;
  steps: number;
  /** The similarity thresholds the router decides with (the bands are read against them). */
  thresholds: { reuse: number; rewrite: number };
}

/**
 * Generates the traffic, segments and induces it, and serves the templates from an in-process
 * router: the hashing embedder with the default policies, or the given embedder with the
 * thresholds calibrated for it, as the router runs it (services/router/src/calibration.json).
 */
export async function learn(seed: string, traffic: Partial<TrafficOptions>, embedder?: Embedder): Promise<Learned> {
  const { events } = generateTraffic(seed, traffic);
  const { trajectories } = segmentSteps(
    events.map((e) => AgentStepSchema.parse(e)),
    { policyFor: () => DEFAULT_POLICY, idleMs: Number.MAX_SAFE_INTEGER, maxPendingPerSession: 10_000 },
  );
  const templates = induceTemplates(trajectories, () => DEFAULT_INDUCER_POLICY);
  const policies = embedder ? new Policies({}, calibrationFor(embedder.id)) : new Policies();
  const core = new RouterCore({ embedder: embedder ?? new HashingEmbedder(256), policies, sink: discard });
  await core.applyRecords(templates.map((value, i) => ({ key: value.templateId, value, partition: 0, offset: String(i) })));
  const p = policies.of('*');
  return { core, templates, trajectories: trajectories.length, steps: events.length, thresholds: { reuse: p.reuseSimilarity, rewrite: p.rewriteSimilarity } };
}
