// What counts as done, precisely: the calls that succeeded against the fleet's tools must be
// the calls of a correct run of the task (docs/closed-loop.md, "Success"). Also the
// similarity bands, with the router's own thresholds.
import { isDeepStrictEqual } from 'node:util';
import { getPath, setPath, ToolError, type JsonPrimitive, type ToolRegistry } from '@praxis/core';
import { AGENTS, newWorld, toolRegistry, type AgentDef, type FreshTask, type WorkflowDef } from '@praxis/fleet';
import { Policies } from '@praxis/router';

/** One tool call as it happened in the task's world. */
export interface CallRecord {
  tool: string;
  params: Record<string, unknown>;
  ok: boolean;
  result?: unknown;
  error?: { type: string; message: string; transient: boolean };
}

/**
 * Tools whose successful calls are remedies, not work: building an image is what the fleet's
 * PREREQUISITE rule asks for before a deploy (its own ground truth makes the same call).
 */
export const REMEDY_TOOLS: ReadonlySet<string> = new Set(['build_image']);

/** The fleet's tools for a task over a fresh world, recording every call (the executor's and the planner's alike). */
export function recordingTools(tenantId: string, agentId: string): { tools: ToolRegistry; calls: CallRecord[] } {
  const real = toolRegistry(tenantId, agentId, newWorld());
  const calls: CallRecord[] = [];
  const tools: ToolRegistry = Object.fromEntries(
    Object.entries(real).map(([name, fn]) => [
      name,
      async (params: Record<string, unknown>) => {
        const record: CallRecord = { tool: name, params: structuredClone(params), ok: false };
        calls.push(record);
        try {
          record.result = await fn(params);
          record.ok = true;
          return record.result;
        } catch (error) {
          if (error instanceof ToolError) record.error = { type: error.type, message: error.message, transient: error.transient };
          throw error;
        }
      },
    ]),
  );
  return { tools, calls };
}

/** The agent and the planted workflow (ground truth) of a task. */
export function groundTruth(task: FreshTask): { agent: AgentDef; workflow: WorkflowDef } {
  const agent = AGENTS.find((a) => a.tenantId === task.tenantId && a.agentId === task.agentId);
  const workflow = agent?.workflows.find((w) => w.id === task.workflowId);
  if (!agent || !workflow) throw new Error(`no planted workflow ${task.workflowId}`);
  return { agent, workflow };
}

/** The arguments step `index` of a correct run takes, given the results of the earlier steps; and which of them are free text. */
export function expectedParams(task: FreshTask, workflow: WorkflowDef, index: number, results: readonly unknown[]): { params: Record<string, unknown>; generated: string[] } {
  const params: Record<string, unknown> = {};
  const generated: string[] = [];
  for (const [path, source] of Object.entries(workflow.steps[index]!.params)) {
    let value: unknown;
    switch (source.kind) {
      case 'constant':
        value = source.value;
        break;
      case 'query':
        value = task.values[source.slot];
        break;
      case 'context':
        value = task.context[source.slot];
        break;
      case 'generated':
        // free text a model makes up for each run: the ground truth's sample stands for it
        value = getPath(task.expectedCalls[index]!.params, path);
        generated.push(path);
        break;
      case 'step':
        value = getPath(results[source.step], source.path);
        break;
    }
    setPath(params, path, value);
  }
  return { params, generated };
}

/** Whether an actual call makes the expected one: same arguments, free-text ones checked by type only. */
export function callMatches(actual: Record<string, unknown>, expected: Record<string, unknown>, generated: readonly string[]): boolean {
  const a = structuredClone(actual);
  const e = structuredClone(expected);
  for (const path of generated) {
    const got = getPath(a, path);
    if (got === undefined || typeof got !== typeof getPath(e, path)) return false;
    setPath(a, path, '<generated>');
    setPath(e, path, '<generated>');
  }
  return isDeepStrictEqual(a, e);
}

/** The work done: successful calls, remedies left out. */
export function workCalls(calls: readonly CallRecord[]): CallRecord[] {
  return calls.filter((c) => c.ok && !REMEDY_TOOLS.has(c.tool));
}

/**
 * The steps of the correct run that the successful calls have done, in order (a call that
 * is not the next step is skipped over), with their results: where a planner taking over
 * continues.
 */
export function stepsDone(task: FreshTask, calls: readonly CallRecord[]): { done: number; results: unknown[]; matched: number[] } {
  const { workflow } = groundTruth(task);
  const results: unknown[] = [];
  const matched: number[] = [];
  const work = workCalls(calls);
  let from = 0;
  while (results.length < workflow.steps.length) {
    const index = results.length;
    const { params, generated } = expectedParams(task, workflow, index, results);
    const at = work.findIndex((c, i) => i >= from && c.tool === workflow.steps[index]!.tool && callMatches(c.params, params, generated));
    if (at < 0) break;
    results.push(work[at]!.result);
    matched.push(at);
    from = at + 1;
  }
  return { done: results.length, results, matched };
}

/**
 * Success: the successful calls of the task, remedies left out, are exactly the calls of a
 * correct run: the workflow's tools in order, each with the right arguments (free text by
 * type), and nothing else. A wrong binding that still runs is a failure (a false hit), and so
 * is any extra successful call.
 */
export function scoreTask(task: FreshTask, calls: readonly CallRecord[]): { success: boolean; reason: string | null } {
  const { workflow } = groundTruth(task);
  const work = workCalls(calls);
  const { done, matched } = stepsDone(task, calls);
  const extra = work.findIndex((_, i) => !matched.includes(i));
  if (extra >= 0) {
    const wrong = work[extra]!;
    return { success: false, reason: `${wrong.tool}(${JSON.stringify(wrong.params)}) is not a call of a correct run` };
  }
  if (done < workflow.steps.length) return { success: false, reason: `${done} of ${workflow.steps.length} steps done` };
  return { success: true, reason: null };
}

export type Band = 'high' | 'medium' | 'low';
export const BANDS: readonly Band[] = ['high', 'medium', 'low'];

/** The router's default thresholds: reuse from 0.85, rewrite from 0.55. */
export const ROUTER_THRESHOLDS = (() => {
  const p = new Policies().of('*');
  return { reuse: p.reuseSimilarity, rewrite: p.rewriteSimilarity };
})();

/** The band of a task, from the similarity the router reported for it: high >= reuse threshold, medium >= rewrite threshold, low below. */
export function bandOf(similarity: number, thresholds = ROUTER_THRESHOLDS): Band {
  if (similarity >= thresholds.reuse) return 'high';
  if (similarity >= thresholds.rewrite) return 'medium';
  return 'low';
}

/** A value as a careless model writes it: the US form of an ISO date, a capitalised enum value (the fleet's planted mistakes). */
export function mistakenValue(kind: 'DATE_FORMAT' | 'ENUM_CASE', value: JsonPrimitive): JsonPrimitive {
  const s = String(value);
  if (kind === 'DATE_FORMAT') return /^\d{4}-\d{2}-\d{2}$/.test(s) ? `${s.slice(5, 7)}/${s.slice(8, 10)}/${s.slice(0, 4)}` : value;
  return s.charAt(0).toUpperCase() + s.slice(1);
}
