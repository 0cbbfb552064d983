// The simulated agent: runs one task against the tools, as an LLM agent would, and records
// every step it takes: the query, planning calls, tool calls (with their real results or
// errors), mistakes and their fixes, retries, detours, and the task end.
import { getPath, setPath, ToolError, type JsonPrimitive } from '@praxis/core';
import type { AgentStepInput } from '@praxis/schemas';
import type { AgentDef, ParamSource, WorkflowDef } from './model.js';
import type { Rng } from './random.js';
import type { ErrorKind, ToolDef, World } from './tools.js';
import { fromSchema, phrase, usDate } from './values.js';

/** What the simulation may do besides the plan. */
export interface Behaviour {
  explorationRate: number;
  mistakeRate: number;
  /** Chance of an LLM call after a tool step. */
  reflectRate: number;
}

/** One session of one agent: its clock and sequence numbers advance as steps are recorded. */
export interface SessionCursor {
  agent: AgentDef;
  sessionId: string;
  world: World;
  rng: Rng;
  context: Record<string, JsonPrimitive>;
  clock: number;
  seq: number;
  tasks: number;
}

export type TaskPlan =
  | { kind: 'workflow'; workflow: WorkflowDef; values: Record<string, JsonPrimitive>; abandon: boolean }
  | { kind: 'failing'; workflow: WorkflowDef; values: Record<string, JsonPrimitive>; abandon: boolean }
  /** Calls outside any workflow: distinct tools with arguments made from their schemas. */
  | { kind: 'adhoc'; tools: string[]; abandon: boolean };

/** What happened in a task, for reports and tests. */
export interface TaskRecord {
  tenantId: string;
  agentId: string;
  sessionId: string;
  taskId: string | null;
  kind: TaskPlan['kind'];
  workflowId: string | null;
  query: string;
  outcome: 'SUCCEEDED' | 'FAILED';
  abandoned: boolean;
  startedAtMs: number;
  endedAtMs: number;
  events: AgentStepInput[];
  /** Error kinds met and fixed in this task. */
  errors: ErrorKind[];
}

/** Fills a query phrasing with slot values. */
export function fillQuery(template: string, values: Record<string, JsonPrimitive>): string {
  return template.replace(/\{(\w+)\}/g, (_, name: string) => {
    if (!(name in values)) throw new Error(`query template names unknown slot ${name}`);
    return String(values[name]);
  });
}

/** Draws fresh values for the workflow's query slots (and generated params). */
export function drawValues(rng: Rng, wf: WorkflowDef, missing = false): Record<string, JsonPrimitive> {
  const values: Record<string, JsonPrimitive> = {};
  for (const s of wf.slots) values[s.name] = missing && wf.failVia === s.name && s.missing ? s.missing(rng) : s.gen(rng);
  return values;
}

/** The arguments of a planted step, given slot values, context and earlier results. */
export function resolveParams(
  step: WorkflowDef['steps'][number],
  values: Record<string, JsonPrimitive>,
  context: Record<string, JsonPrimitive>,
  results: unknown[],
  rng: Rng,
): Record<string, unknown> {
  const params: Record<string, unknown> = {};
  for (const [path, source] of Object.entries(step.params) as [string, ParamSource][]) {
    let value: unknown;
    switch (source.kind) {
      case 'constant':
        value = source.value;
        break;
      case 'query':
        value = values[source.slot];
        break;
      case 'context':
        value = context[source.slot];
        break;
      case 'generated':
        value = source.make(rng, { ...context, ...values });
        break;
      case 'step':
        value = getPath(results[source.step], source.path);
        break;
    }
    if (value === undefined) throw new Error(`cannot resolve ${step.tool}.${path}`);
    setPath(params, path, value);
  }
  return params;
}

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** Records the steps of one task in the session, advancing its clock. */
export function runTask(cursor: SessionCursor, plan: TaskPlan, behaviour: Behaviour): TaskRecord {
  const { agent, rng } = cursor;
  const events: AgentStepInput[] = [];
  const errors: ErrorKind[] = [];
  cursor.tasks += 1;
  const taskId = agent.sendsTaskIds ? `${cursor.sessionId}-t${cursor.tasks}` : null;
  const startedAtMs = cursor.clock;
  const base = () => ({ eventId: `${cursor.sessionId}-${cursor.seq}`, tenantId: agent.tenantId, agentId: agent.agentId, sessionId: cursor.sessionId, taskId, seq: cursor.seq++, timestampMs: cursor.clock, attributes: { sdk: 'praxis-fleet/1' } });
  const pause = (min: number, max: number) => (cursor.clock += rng.int(min, max));

  const llm = (size: 'plan' | 'reflect' | 'summary') => {
    const durationMs = rng.int(400, size === 'plan' ? 2_600 : 1_400);
    const promptTokens = (size === 'plan' ? 900 : 500) + agent.tools.length * 60 + rng.int(0, 400);
    const completionTokens = (size === 'plan' ? 180 : 60) + rng.int(0, 120);
    events.push({ ...base(), kind: 'LLM_CALL', model: agent.model, promptTokens, completionTokens, durationMs });
    pause(durationMs, durationMs + 300);
  };
  const call = (tool: ToolDef, params: Record<string, unknown>): { ok: true; result: unknown } | { ok: false; error: ToolError } => {
    const durationMs = rng.int(40, 1_400);
    const head = { ...base(), kind: 'TOOL_CALL' as const, toolName: tool.name, parametersJson: JSON.stringify(params), durationMs };
    pause(durationMs, durationMs + 400);
    try {
      const result = tool.run(structuredClone(params), cursor.world);
      events.push({ ...head, resultJson: JSON.stringify(result) });
      return { ok: true, result };
    } catch (error) {
      if (!(error instanceof ToolError)) throw error;
      events.push({ ...head, status: 'ERROR', errorType: error.type, errorMessage: error.message });
      return { ok: false, error };
    }
  };
  const toolNamed = (name: string) => {
    const t = agent.tools.find((x) => x.name === name);
    if (!t) throw new Error(`${agent.agentId} has no tool ${name}`);
    return t;
  };
  const explorers = agent.tools.filter((t) => t.exploration);
  let explored = 0;
  const maybeExplore = () => {
    if (explored < 2 && explorers.length > 0 && rng.chance(behaviour.explorationRate)) {
      explored++;
      const t = rng.pick(explorers);
      call(t, 'q' in ((t.parameters.properties as object) ?? {}) ? { q: phrase(rng) } : {});
    }
  };

  /** Calls a planted step until it succeeds, fixing what the rules allow; false when the task fails. */
  const perform = (tool: ToolDef, params: Record<string, unknown>): { ok: true; result: unknown } | { ok: false } => {
    for (let attempt = 0; attempt < 4; attempt++) {
      const outcome = call(tool, params);
      if (outcome.ok) return outcome;
      const { error } = outcome;
      if (error.type === 'RateLimited') {
        errors.push('RATE_LIMIT');
        pause(1_000, 3_000);
        continue;
      }
      if (error.type === 'PreconditionFailed' && tool.name === 'deploy_service') {
        errors.push('PREREQUISITE');
        llm('reflect');
        call(toolNamed('build_image'), { service: params.service, version: params.version });
        continue;
      }
      return { ok: false };
    }
    return { ok: false };
  };

  const finish = (outcome: 'SUCCEEDED' | 'FAILED', abandon: boolean): TaskRecord => {
    if (outcome === 'SUCCEEDED' && rng.chance(0.7)) llm('summary');
    if (!abandon) events.push({ ...base(), kind: 'TASK_END', taskOutcome: outcome });
    const record: TaskRecord = {
      tenantId: agent.tenantId,
      agentId: agent.agentId,
      sessionId: cursor.sessionId,
      taskId,
      kind: plan.kind,
      workflowId: plan.kind === 'adhoc' ? null : plan.workflow.id,
      query,
      outcome,
      abandoned: abandon,
      startedAtMs,
      endedAtMs: cursor.clock,
      events,
      errors,
    };
    pause(200, 600);
    return record;
  };

  const query = plan.kind === 'adhoc' ? `Quick question: ${phrase(rng)}` : fillQuery(rng.pick(plan.workflow.queries), plan.values);
  events.push({ ...base(), kind: 'QUERY', query });
  pause(150, 700);
  llm('plan');

  if (plan.kind === 'adhoc') {
    for (const name of plan.tools) {
      maybeExplore();
      const tool = toolNamed(name);
      const done = perform(tool, fromSchema(tool.parameters, rng) as Record<string, unknown>);
      if (!done.ok) return finish('FAILED', plan.abandon);
      if (rng.chance(behaviour.reflectRate)) llm('reflect');
    }
    return finish('SUCCEEDED', plan.abandon);
  }

  const results: unknown[] = [];
  for (const [i, step] of plan.workflow.steps.entries()) {
    maybeExplore();
    const tool = toolNamed(step.tool);
    const params = resolveParams(step, plan.values, cursor.context, results, rng);
    const mistake = plan.workflow.mistakes?.find((m) => m.step === i);
    if (mistake && rng.chance(behaviour.mistakeRate)) {
      const wrong = structuredClone(params);
      const good = getPath(params, mistake.param);
      setPath(wrong, mistake.param, mistake.kind === 'DATE_FORMAT' ? usDate(String(good)) : capitalise(String(good)));
      const outcome = call(tool, wrong);
      if (!outcome.ok) {
        errors.push(mistake.kind);
        llm('reflect');
      } else results[i] = outcome.result;
    }
    const done = perform(tool, params);
    if (!done.ok) {
      llm('reflect');
      return finish('FAILED', plan.abandon);
    }
    results[i] = done.result;
    if (rng.chance(behaviour.reflectRate)) llm('reflect');
  }
  return finish('SUCCEEDED', plan.abandon);
}
