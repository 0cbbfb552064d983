// The fleet's traffic: every agent's sessions running their tasks, interleaved in time, then
// delivered as an SDK would deliver them: mostly in order, some late (within the allowed
// lateness), a few far too late, some twice.
import { stableHash, type JsonPrimitive } from '@praxis/core';
import type { AgentStepInput } from '@praxis/schemas';
import { AGENTS } from './fleet.js';
import type { AgentDef, WorkflowDef } from './model.js';
import { Rng } from './random.js';
import { drawValues, runTask, type Behaviour, type SessionCursor, type TaskPlan, type TaskRecord } from './simulate.js';
import { newWorld, type ErrorKind } from './tools.js';

export interface TrafficOptions {
  /** Event time of the first session, ms since the epoch. */
  startMs: number;
  /** Successful-path tasks per planted workflow and agent. */
  instancesPerWorkflow: number;
  /** Concurrent sessions (users) per agent. */
  sessionsPerAgent: number;
  /** Extra failing tasks, as a fraction of instancesPerWorkflow (workflows with an id slot only). */
  failureRate: number;
  /** Extra tasks that follow no workflow, as a fraction of an agent's tasks. */
  adhocRate: number;
  /** Tasks whose TASK_END is never sent. */
  abandonRate: number;
  /** Chance of a long pause (beyond the learning window) between two tasks of a session. */
  longPauseRate: number;
  behaviour: Behaviour;
  /** Events delivered late but within lateMaxMs (below the segmenter's allowed lateness). */
  lateRate: number;
  lateMaxMs: number;
  /** Events delivered after tooLateMinMs (beyond the allowed lateness: the segmenter dead-letters them). */
  tooLateRate: number;
  tooLateMinMs: number;
  /** Events delivered twice (same eventId). */
  duplicateRate: number;
  /** Restrict to these agents (tenant/agent); all by default. */
  agents?: string[];
  /** Planted workflows (ids) that never run: held out of training (closed-loop benchmark). */
  excludeWorkflows?: string[];
  /** Workflow id to the indexes of the query phrasings its tasks use; all phrasings for workflows not named. */
  phrasings?: Record<string, number[]>;
}

export const DEFAULT_TRAFFIC: TrafficOptions = {
  startMs: Date.UTC(2026, 0, 12, 9, 0, 0),
  instancesPerWorkflow: 16,
  sessionsPerAgent: 5,
  failureRate: 0.1,
  adhocRate: 0.1,
  abandonRate: 0.04,
  longPauseRate: 0.25,
  behaviour: { explorationRate: 0.1, mistakeRate: 0.25, reflectRate: 0.35 },
  lateRate: 0.03,
  lateMaxMs: 30_000,
  tooLateRate: 0.002,
  tooLateMinMs: 180_000,
  duplicateRate: 0.02,
};

/** The traffic of the fleet for a seed: events in delivery order, and what each task was. */
export interface FleetTraffic {
  seed: string;
  options: TrafficOptions;
  /** In delivery order (what a producer should send, in this order). */
  events: AgentStepInput[];
  tasks: TaskRecord[];
  report: {
    events: number;
    tasks: number;
    byKind: Record<TaskPlan['kind'], number>;
    abandoned: number;
    late: number;
    /** eventIds of the events delivered beyond the allowed lateness. */
    tooLate: string[];
    duplicates: number;
    /** Error kinds met (and fixed) during the tasks, with counts. */
    errors: Record<ErrorKind, number>;
  };
}

/** Whether `signature` is a subsequence of `tools`. */
function contains(tools: readonly string[], signature: readonly string[]): boolean {
  let i = 0;
  for (const t of tools) if (t === signature[i]) i++;
  return i === signature.length;
}

/** The workflow with only the chosen query phrasings (all when none are chosen). */
function phrasedAs(wf: WorkflowDef, indexes: number[] | undefined): WorkflowDef {
  if (!indexes) return wf;
  const queries = indexes.map((i) => wf.queries[i]).filter((q): q is string => q !== undefined);
  if (queries.length === 0) throw new Error(`${wf.id}: no phrasing among indexes ${indexes.join(', ')}`);
  return { ...wf, queries };
}

function plansFor(agent: AgentDef, rng: Rng, o: TrafficOptions): TaskPlan[] {
  const plans: TaskPlan[] = [];
  const abandon = () => rng.chance(o.abandonRate);
  for (const def of agent.workflows) {
    if (o.excludeWorkflows?.includes(def.id)) continue;
    const wf = phrasedAs(def, o.phrasings?.[def.id]);
    for (let i = 0; i < o.instancesPerWorkflow; i++) plans.push({ kind: 'workflow', workflow: wf, values: drawValues(rng, wf), abandon: abandon() });
    if (wf.failVia) {
      const failing = Math.round(o.instancesPerWorkflow * o.failureRate);
      for (let i = 0; i < failing; i++) plans.push({ kind: 'failing', workflow: wf, values: drawValues(rng, wf, true), abandon: abandon() });
    }
  }
  const adhoc = Math.round(plans.length * o.adhocRate);
  const callable = agent.tools.filter((t) => !t.exploration).map((t) => t.name);
  const planted = agent.workflows.map((wf) => wf.steps.map((s) => s.tool));
  for (let i = 0; i < adhoc; i++) {
    let tools: string[];
    // Ad-hoc tasks follow no workflow: redraw any that contains a planted path.
    do {
      const pool = [...callable];
      tools = Array.from({ length: rng.int(2, 4) }, () => pool.splice(rng.int(0, pool.length - 1), 1)[0]!);
    } while (planted.some((sig) => contains(tools, sig)));
    plans.push({ kind: 'adhoc', tools, abandon: abandon() });
  }
  // Deterministic shuffle (Fisher-Yates on the seeded stream).
  for (let i = plans.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [plans[i], plans[j]] = [plans[j]!, plans[i]!];
  }
  return plans;
}

/** Generates the fleet's traffic. The same seed and options always give the same events in the same order. */
export function generateTraffic(seed: string, overrides: Partial<TrafficOptions> = {}): FleetTraffic {
  const o: TrafficOptions = { ...DEFAULT_TRAFFIC, ...overrides, behaviour: { ...DEFAULT_TRAFFIC.behaviour, ...overrides.behaviour } };
  const root = new Rng(`fleet:${seed}`);
  const agents = AGENTS.filter((a) => !o.agents || o.agents.includes(`${a.tenantId}/${a.agentId}`));
  const tasks: TaskRecord[] = [];
  for (const agent of agents) {
    const rng = root.fork(`${agent.tenantId}/${agent.agentId}`);
    const world = newWorld();
    const plans = plansFor(agent, rng, o);
    const sessions: SessionCursor[] = Array.from({ length: o.sessionsPerAgent }, (_, n) => ({
      agent,
      sessionId: `s-${stableHash([seed, agent.tenantId, agent.agentId, n], 10)}`,
      world,
      rng: rng.fork(`session-${n}`),
      context: Object.fromEntries(agent.context.map((c): [string, JsonPrimitive] => [c.name, c.gen(rng)])),
      clock: o.startMs + rng.int(0, 15 * 60_000),
      seq: 0,
      tasks: 0,
    }));
    // Tasks go to the session that is free first, as users of one agent work side by side.
    for (const plan of plans) {
      const cursor = sessions.reduce((a, b) => (b.clock < a.clock ? b : a));
      tasks.push(runTask(cursor, plan, o.behaviour));
      cursor.clock += cursor.rng.chance(o.longPauseRate) ? cursor.rng.int(6 * 60_000, 20 * 60_000) : cursor.rng.int(5_000, 90_000);
    }
  }

  const delivery = root.fork('delivery');
  const sent: { at: number; order: number; event: AgentStepInput }[] = [];
  let late = 0;
  let duplicates = 0;
  const tooLate: string[] = [];
  let order = 0;
  for (const event of tasks.flatMap((t) => t.events)) {
    let at = event.timestampMs + delivery.int(20, 400);
    if (delivery.chance(o.tooLateRate)) {
      at += o.tooLateMinMs + delivery.int(0, 60_000);
      tooLate.push(event.eventId);
    } else if (delivery.chance(o.lateRate)) {
      at += delivery.int(3_000, o.lateMaxMs);
      late++;
    }
    sent.push({ at, order: order++, event });
    if (delivery.chance(o.duplicateRate)) {
      duplicates++;
      sent.push({ at: at + delivery.int(100, 3_000), order: order++, event: { ...event } });
    }
  }
  sent.sort((a, b) => a.at - b.at || a.order - b.order);

  const byKind = { workflow: 0, failing: 0, adhoc: 0 };
  const errors: Record<ErrorKind, number> = { DATE_FORMAT: 0, ENUM_CASE: 0, PREREQUISITE: 0, RATE_LIMIT: 0 };
  for (const t of tasks) {
    byKind[t.kind]++;
    for (const e of t.errors) errors[e]++;
  }
  return {
    seed,
    options: o,
    events: sent.map((s) => s.event),
    tasks,
    report: { events: sent.length, tasks: tasks.length, byKind, abandoned: tasks.filter((t) => t.abandoned).length, late, tooLate, duplicates, errors },
  };
}
