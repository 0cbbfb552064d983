// Playing, never scoring: each held-out query is looked up once, and a reuse or rewrite
// answer is executed by the SDK executor in a fresh sandbox with no model. A slot the router
// left to generate stays unbound (and the task fails). Nothing here reads the answer key.
import { LookupRequestSchema, type LookupResponse } from '@praxis/contracts';
import type { RouterCore } from '@praxis/router';
import { executeWorkflow, type ExecutionResult } from '@praxis/sdk';
import { TASK_TIME_MS, type WorkBench, type WorkBenchTask } from './dataset.js';
import { AGENT, TENANT } from './learn.js';
import { Sandbox, TOOL_SCHEMAS } from './sandbox.js';

/** What Praxis did with one held-out task, before scoring. */
export interface ServedTask {
  task: WorkBenchTask;
  answer: LookupResponse;
  /** Null for a plan answer (nothing executed). */
  run: ExecutionResult | null;
  /** Slots the router could not bind, left unbound (no model configured). */
  unbound: string[];
  sandbox: Sandbox;
  /** The tools of the answer's workflow, in order. */
  tools: string[];
}

/**
 * The task's own time for the lookup (relative dates in the query), where the router's
 * contract has it: the field arrives with the value-binding work (issue 9), and a router
 * without it refuses unknown fields.
 */
const TASK_TIME: Record<string, unknown> = 'referenceTimeMs' in LookupRequestSchema.shape ? { referenceTimeMs: TASK_TIME_MS, timeZone: 'UTC' } : {};

/** Every fingerprint an answer serves as a hint: its own hints and its workflow's. */
export function servedFingerprints(answer: LookupResponse): Set<string> {
  return new Set([...answer.avoidanceHints, ...(answer.workflow?.avoidanceHints ?? [])].map((h) => h.fingerprint));
}

/** Looks the task up and executes the answer in a fresh sandbox. */
export async function serveTask(wb: WorkBench, core: RouterCore, task: WorkBenchTask): Promise<ServedTask> {
  const answer = await core.lookup(TENANT, { query: task.query, agentId: AGENT, ...TASK_TIME });
  const sandbox = new Sandbox(wb.tables);
  if (answer.tier === 'plan' || !answer.workflow) return { task, answer, run: null, unbound: [], sandbox, tools: [] };
  const unbound = answer.toGenerate.map((s) => s.name);
  const run = await executeWorkflow({
    workflow: answer.workflow,
    tools: sandbox.tools(),
    toolSchemas: TOOL_SCHEMAS,
    agentId: AGENT,
    lookup: { lookupId: answer.lookupId, tier: answer.tier },
    sleep: async () => undefined,
  });
  return { task, answer, run, unbound, sandbox, tools: answer.workflow.steps.map((s) => s.toolName) };
}
