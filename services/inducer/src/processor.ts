// The inducer's processor: trajectories and feedback in, template versions out. No I/O;
// what it publishes is a function of the trajectories in each agent's horizon and of the
// feedback applied, never of the order they arrived in. See docs/learning.md.
import { stableHash } from '@praxis/core';
import type { Feedback, Template, Trajectory } from '@praxis/schemas';
import { AgentHorizon } from './agent.js';
import { namedValuesByParam } from './named-values.js';
import { buildCandidate, evidenceGate, learnedTemplateId, segmentTemplateId, type Candidate, type CandidateShape, type TemplateContent } from './candidate.js';
import { conflictingEvidence } from './conflicts.js';
import { applyFeedbackTo, newControl, type TemplateControl } from './control.js';
import { errorKnowledge } from './errors.js';
import type { Instance } from './induce.js';
import { learnKinds, learnSegments, runContainsStructure, runHasStructure } from './learn.js';
import { subKindTemplateId } from './partition.js';
import { decideStatuses } from './lifecycle.js';
import type { InducerPolicy } from './policy.js';
import { segmentAt } from './segments.js';
import { currentShapes } from './shapes.js';
import { summarise } from './summary.js';

/** The last version of a template on the templates topic, as far as this process knows. */
export interface Published {
  templateId: string;
  agentKey: string;
  version: number;
  hash: string;
  /** Tombstoned (retired, unlearned or gone). */
  deleted: boolean;
  template: Template | null;
}

/** A record for the templates topic: a template version, or a tombstone (null). */
export interface TemplateOutput {
  key: string;
  value: Template | null;
}

/** One agent's template changes: the records to send, and the published entries they make true. */
export interface PublishPlan {
  agentKey: string;
  outputs: TemplateOutput[];
  published: Published[];
}

/** The content hash that decides whether a new version is a real change. */
export function contentHash(t: TemplateContent | Template): string {
  const { version: _v, createdAtMs: _c, updatedAtMs: _u, ...content } = t as Template;
  return stableHash(content, 24);
}

/** What the inducer did not apply as sent, by reason (counted by the service). */
export type Refusal = 'tenant_mismatch' | 'clock_clamped';

export interface InducerOptions {
  /**
   * How far a record's event time (trajectory end, execution time) may run ahead of the
   * record's broker timestamp before it stops counting for the agent's clock: a client
   * clock in 2099 must not evict a horizon. Broker timestamps are in the log, so a replay
   * clamps the same way.
   */
  maxClockSkewMs?: number;
  /** Secret that keys learned template ids so that no tenant can derive another's (unset: plain hash). */
  templateIdKey?: string;
  /** Called for every refusal (metrics). */
  onRefusal?: (reason: Refusal) => void;
}

export const DEFAULT_MAX_CLOCK_SKEW_MS = 5 * 60_000;

/** The tenant part of an agent key ("tenant/agent"). */
const tenantOf = (agentKey: string) => agentKey.slice(0, agentKey.indexOf('/'));

/** The inducer's state (horizons, controls, what was published) and the rules that change it. */
export class Inducer {
  readonly agents = new Map<string, AgentHorizon>();
  readonly controls = new Map<string, TemplateControl>();
  readonly published = new Map<string, Published>();
  /** Latest execution time per agent key, from the controls (part of the agent's clock). */
  private readonly feedbackClock = new Map<string, number>();

  private readonly maxSkewMs: number;

  constructor(
    private readonly policyFor: (tenantId: string, agentId: string) => InducerPolicy,
    private readonly options: InducerOptions = {},
  ) {
    this.maxSkewMs = options.maxClockSkewMs ?? DEFAULT_MAX_CLOCK_SKEW_MS;
  }

  /** The latest event time a record with this broker timestamp may bring to a clock. */
  private clockCap(recordTimestampMs: number | undefined): number {
    return recordTimestampMs === undefined ? Number.POSITIVE_INFINITY : recordTimestampMs + this.maxSkewMs;
  }

  /** The agent's event-time clock: its latest trajectory or execution. */
  clockOf(agentKey: string): number {
    return Math.max(this.agents.get(agentKey)?.maxEndedAtMs ?? Number.NEGATIVE_INFINITY, this.feedbackClock.get(agentKey) ?? Number.NEGATIVE_INFINITY);
  }

  /** Adds a trajectory read at partition/offset (broker timestamp `recordTimestampMs`); returns the agent key when its horizon changed. */
  applyTrajectory(t: Trajectory, partition: number, offset: number, recordTimestampMs?: number): string | null {
    const key = `${t.tenantId}/${t.agentId}`;
    let agent = this.agents.get(key);
    if (!agent) {
      agent = new AgentHorizon(t.tenantId, t.agentId, partition);
      this.agents.set(key, agent);
    }
    if (agent.has(t.trajectoryId)) return null;
    const cap = this.clockCap(recordTimestampMs);
    if (t.endedAtMs > cap) this.options.onRefusal?.('clock_clamped');
    return agent.add(summarise(t, partition, offset), this.clockOf(key), this.policyFor(t.tenantId, t.agentId), cap) ? key : null;
  }

  /**
   * Applies feedback read at partition/offset (broker timestamp `recordTimestampMs`); returns
   * the new control (for the changelog) and the agent to re-induce. Feedback from a tenant
   * that does not own the template is ignored (the router refuses it; this is the second
   * line), and an execution time ahead of the broker's by more than the skew is clamped.
   */
  applyFeedback(f: Feedback, partition: number, offset: number, recordTimestampMs?: number): { control: TemplateControl; agentKey: string } | null {
    if (f.kind === 'LOOKUP' || f.templateId === null) return null;
    const owner = this.published.get(f.templateId)?.agentKey;
    const ownerTenant = owner !== undefined ? tenantOf(owner) : this.controls.get(f.templateId)?.tenantId;
    if (ownerTenant !== undefined && ownerTenant !== f.tenantId) {
      this.options.onRefusal?.('tenant_mismatch');
      return null;
    }
    const cap = this.clockCap(recordTimestampMs);
    if (f.timestampMs > cap) this.options.onRefusal?.('clock_clamped');
    const clamped = f.timestampMs > cap ? { ...f, timestampMs: cap } : f;
    const [tenantId, agentId] = owner ? (owner.split('/') as [string, string]) : [f.tenantId, f.agentId];
    // A control another tenant filed under this id before its owner's template existed is replaced, never built on.
    const held = this.controls.get(f.templateId);
    const before = held && held.tenantId === tenantId ? held : newControl(f.templateId, tenantId, agentId);
    const after = applyFeedbackTo(before, clamped, partition, offset, this.policyFor(before.tenantId, before.agentId).confidence);
    if (!after) return null;
    this.setControl(after);
    return { control: after, agentKey: `${after.tenantId}/${after.agentId}` };
  }

  /** Restores a control from the changelog. */
  restoreControl(c: TemplateControl): void {
    this.setControl(c);
  }

  private setControl(c: TemplateControl): void {
    this.controls.set(c.templateId, c);
    const key = `${c.tenantId}/${c.agentId}`;
    if (c.lastExecutionMs > 0) this.feedbackClock.set(key, Math.max(this.feedbackClock.get(key) ?? 0, c.lastExecutionMs));
  }

  /** Forgets every agent, control and published template of the tenants `drop` names (their task moved to another member). */
  forgetTenants(drop: (tenantId: string) => boolean): void {
    for (const [key, a] of this.agents) if (drop(a.tenantId)) this.agents.delete(key);
    for (const [id, c] of this.controls) if (drop(c.tenantId)) this.controls.delete(id);
    for (const [id, p] of this.published) if (drop(tenantOf(p.agentKey))) this.published.delete(id);
    for (const key of [...this.feedbackClock.keys()]) if (drop(tenantOf(key))) this.feedbackClock.delete(key);
  }

  /** Restores what the templates topic holds for a learned template (null value: tombstone). */
  restorePublished(key: string, value: Template | null): void {
    const prev = this.published.get(key);
    if (value === null) {
      if (prev) this.published.set(key, { ...prev, deleted: true, template: null });
      return;
    }
    if (value.source !== 'LEARNED' || value.agentId === null) return;
    this.published.set(key, { templateId: key, agentKey: `${value.tenantId}/${value.agentId}`, version: value.version, hash: contentHash(value), deleted: value.status === 'RETIRED', template: value });
  }

  /** The offset a replay of this trajectories partition must start from to rebuild every agent's horizon. */
  hold(partition: number, nextOffset: number): number {
    let h = nextOffset;
    for (const a of this.agents.values()) {
      if (a.partition !== partition) continue;
      const min = a.minOffset();
      if (min !== null && min < h) h = min;
    }
    return h;
  }

  /** The templates the agent's current state induces (content only). */
  induce(agentKey: string): Candidate[] {
    const agent = this.agents.get(agentKey);
    if (!agent) return [];
    const policy = this.policyFor(agent.tenantId, agent.agentId);
    const now = this.clockOf(agentKey);
    agent.evict(now, policy);
    const ring = agent.ring;
    const knowledge = errorKnowledge(ring, policy.maxEnumValues);
    const knownValues = namedValuesByParam(ring);
    const shapes = currentShapes(ring);
    const controlOf = (id: string) => {
      const found = this.controls.get(id);
      // Only the owner's control counts: a control another tenant created under this id is not evidence.
      return found?.tenantId === agent.tenantId ? found : undefined;
    };
    // runs up to an unlearn order never count for that template again
    const counted = (id: string, instances: readonly Instance[]) => {
      const control = controlOf(id);
      return instances.filter((i) => !(control?.unlearnedAtMs != null && i.summary.endedAtMs <= control.unlearnedAtMs));
    };
    // a sub-kind (partition.ts) is its own template: the values that define it are part of its id
    const kinds = learnKinds(ring, policy).map((kind) => {
      const signature = kind.structure.map((s) => s.tool);
      const id = kind.variant === null ? learnedTemplateId(agent.tenantId, agent.agentId, signature, this.options.templateIdKey) : subKindTemplateId(agent.tenantId, agent.agentId, signature, kind.variant, this.options.templateIdKey);
      return { ...kind, id };
    });
    const contradicts = conflictingEvidence(ring, kinds, (kind, strict) => evidenceGate(counted(kind.id, kind.instances), policy, strict).passes, policy);
    const build = (id: string, shape: CandidateShape, instances: readonly Instance[]) =>
      buildCandidate(shape, counted(id, instances), { tenantId: agent.tenantId, agentId: agent.agentId, templateId: id, now, policy, knowledge, knownValues, control: controlOf(id), currentShapes: shapes, contradicts: (task) => contradicts(id, task) });

    const candidates: Candidate[] = [];
    const explained = new Set<string>();
    const seen = new Set<string>();
    for (const kind of kinds) {
      const id = kind.id;
      if (seen.has(id)) continue;
      seen.add(id);
      const c = build(id, { structure: kind.structure, accepts: (i, steps) => runHasStructure(i.summary, steps, policy) }, kind.instances);
      if (!c) continue;
      candidates.push(c);
      for (const i of kind.instances) explained.add(i.summary.trajectoryId);
    }
    // sub-workflows: learned once; examples only from runs no whole template explains (there, the answer is partial)
    const wholes = [...candidates];
    // sub-kinds of one kind (partition.ts) make the same calls: one workflow to segments.ts, not several that share them
    const wholeSteps = [...new Map(wholes.map((c) => c.content.steps.map((s) => (s.optional ? null : s.toolName))).map((steps) => [JSON.stringify(steps), steps])).values()];
    for (const segment of learnSegments(ring, policy, wholeSteps, explained)) {
      const tools = segment.structure.map((s) => s.tool);
      const same = wholes.find((c) => c.content.signature.join('>') === tools.join('>') && c.content.steps.every((s) => !s.optional));
      const id = segment.variant === null ? segmentTemplateId(agent.tenantId, agent.agentId, tools, this.options.templateIdKey) : subKindTemplateId(agent.tenantId, agent.agentId, ['segment', ...tools], segment.variant, this.options.templateIdKey);
      const c = same ?? build(id, { structure: segment.structure, segment: { triggerFrom: new Set(segment.instances.map((i) => i.summary.trajectoryId).filter((t) => !explained.has(t))) }, accepts: (i, steps) => runContainsStructure(i.summary, steps, policy) }, segment.instances);
      if (!c) continue;
      if (!same) candidates.push(c);
      for (const whole of wholes) {
        if (whole === c) continue;
        const at = segmentAt(whole.content.signature, tools);
        if (at < 0 || whole.content.steps.slice(at, at + tools.length).some((s) => s.optional || s.segmentId !== null)) continue;
        for (let k = at; k < at + tools.length; k++) whole.content.steps[k]!.segmentId = c.content.templateId;
      }
    }
    const kept = candidates
      .sort((a, b) => b.content.stats.support - a.content.stats.support || (a.content.templateId < b.content.templateId ? -1 : 1))
      .slice(0, policy.maxWorkflowsPerAgent);
    decideStatuses(kept, policy);
    return kept;
  }

  /**
   * Re-induces an agent and returns the template versions and tombstones that changed, with
   * what the templates topic will hold once they are acknowledged. Changes no state: the
   * plan takes effect only through `acknowledge`, so a send that fails leaves the published
   * map and the version counters as they were and the next plan produces the same records.
   */
  plan(agentKey: string): PublishPlan {
    const now = this.clockOf(agentKey);
    const out: TemplateOutput[] = [];
    const next = new Map<string, Published>();
    const desired = new Map(this.induce(agentKey).map((c) => [c.content.templateId, c.content]));
    const retire = (prev: Published, reason: string) => {
      if (prev.template) out.push({ key: prev.templateId, value: { ...prev.template, status: 'RETIRED', statusReason: reason, version: prev.version + 1, updatedAtMs: Math.max(now, prev.template.updatedAtMs) } });
      out.push({ key: prev.templateId, value: null });
      next.set(prev.templateId, { ...prev, version: prev.template ? prev.version + 1 : prev.version, deleted: true, template: null });
    };
    for (const [id, content] of desired) {
      const prev = this.published.get(id);
      if (content.status === 'RETIRED') {
        if (prev && !prev.deleted) retire(prev, content.statusReason ?? 'retired');
        continue;
      }
      const hash = contentHash(content);
      if (prev && !prev.deleted && prev.hash === hash) continue;
      const version = (prev?.version ?? 0) + 1;
      const template: Template = { ...content, version, createdAtMs: prev?.template?.createdAtMs ?? now, updatedAtMs: now };
      out.push({ key: id, value: template });
      next.set(id, { templateId: id, agentKey, version, hash, deleted: false, template });
    }
    for (const prev of [...this.published.values()].sort((a, b) => (a.templateId < b.templateId ? -1 : 1))) {
      if (prev.agentKey !== agentKey || prev.deleted || desired.has(prev.templateId)) continue;
      const control = this.controls.get(prev.templateId);
      retire(prev, control?.unlearnedAtMs != null ? `unlearned by the user${control.unlearnReason ? `: ${control.unlearnReason}` : ''}` : 'no longer recurring in the horizon');
    }
    return { agentKey, outputs: out, published: [...next.values()] };
  }

  /** Makes a plan's versions the published state: call once its records are acknowledged. */
  acknowledge(plan: PublishPlan): void {
    for (const p of plan.published) this.published.set(p.templateId, p);
  }

  /** Plans and acknowledges at once, where nothing can fail between (offline induction, tests). */
  publish(agentKey: string): TemplateOutput[] {
    const plan = this.plan(agentKey);
    this.acknowledge(plan);
    return plan.outputs;
  }
}
