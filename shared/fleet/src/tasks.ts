// Fresh tasks: queries the fleet never sent, each with the workflow that answers it and the
// values its slots should take. For router tests and the closed-loop benchmark.
import { stableHash, ToolError, type JsonPrimitive } from '@praxis/core';
import { AGENTS, learnedTemplateId } from './fleet.js';
import { Rng } from './random.js';
import { drawValues, fillQuery, resolveParams } from './simulate.js';
import { newWorld } from './tools.js';

export interface FreshTask {
  taskKey: string;
  tenantId: string;
  agentId: string;
  workflowId: string;
  query: string;
  /** Query slot name (ground truth) to the value written in the query. */
  values: Record<string, JsonPrimitive>;
  /** Per-session values the caller would pass as context. */
  context: Record<string, JsonPrimitive>;
  signature: string[];
  templateId: string;
  /** The calls a correct run makes, in order, with their final arguments (errors fixed). */
  expectedCalls: { tool: string; params: Record<string, unknown> }[];
}

/** The scorer's check, the one reader of a task's ground truth: whether `calls` (the run's successful calls, in order) are exactly those a correct run makes. */
export function madeExpectedCalls(task: Pick<FreshTask, 'expectedCalls'>, calls: { tool: string; params: Record<string, unknown> }[]): boolean {
  return JSON.stringify(calls) === JSON.stringify(task.expectedCalls);
}

/** `count` fresh tasks across the fleet's planted workflows (round-robin, seeded values). */
export function freshTasks(seed: string, count: number, options: { agents?: string[]; workflows?: string[] } = {}): FreshTask[] {
  const rng = new Rng(`fresh:${seed}`);
  const choices = AGENTS.filter((a) => !options.agents || options.agents.includes(`${a.tenantId}/${a.agentId}`))
    .flatMap((agent) => agent.workflows.map((workflow) => ({ agent, workflow })))
    .filter(({ workflow }) => !options.workflows || options.workflows.includes(workflow.id));
  if (choices.length === 0) throw new Error('freshTasks: no workflow matches the options');
  return Array.from({ length: count }, (_, i) => {
    const { agent, workflow } = choices[i % choices.length]!;
    const values = drawValues(rng, workflow);
    const context = Object.fromEntries(agent.context.map((c): [string, JsonPrimitive] => [c.name, c.gen(rng)]));
    const world = newWorld();
    const results: unknown[] = [];
    const expectedCalls = workflow.steps.map((step, s) => {
      const params = resolveParams(step, values, context, results, rng.fork(`gen-${i}-${s}`));
      const tool = agent.tools.find((t) => t.name === step.tool)!;
      for (let attempt = 0; ; attempt++) {
        try {
          results[s] = tool.run(structuredClone(params), world);
          break;
        } catch (error) {
          if (!(error instanceof ToolError) || attempt > 2) throw error;
          if (error.type === 'PreconditionFailed') agent.tools.find((t) => t.name === 'build_image')?.run({ service: params.service, version: params.version }, world);
        }
      }
      return { tool: step.tool, params };
    });
    const signature = workflow.steps.map((s) => s.tool);
    return {
      taskKey: `fresh-${stableHash([seed, i], 10)}`,
      tenantId: agent.tenantId,
      agentId: agent.agentId,
      workflowId: workflow.id,
      query: fillQuery(rng.pick(workflow.queries), values),
      values,
      context,
      signature,
      templateId: learnedTemplateId(agent.tenantId, agent.agentId, signature),
      expectedCalls,
    };
  });
}
