// The fleet: tenants, agents, their tool registries and the planted workflows (ground truth).
import { deterministicId, type JsonPrimitive, type ToolRegistry } from '@praxis/core';
import { deployBot, oncallBot } from './agents/ops.js';
import { catalogBot, supportBot } from './agents/retail.js';
import { expenseBot, tripPlanner } from './agents/travel.js';
import type { AgentDef, WorkflowDef } from './model.js';
import { Rng } from './random.js';
import { newWorld, toRegistry, type ErrorKind, type JsonSchema, type World } from './tools.js';

/** Every agent of the fleet: 3 tenants with 2 agents each. */
export const AGENTS: readonly AgentDef[] = [tripPlanner, expenseBot, supportBot, catalogBot, deployBot, oncallBot];

/** Tenants and their agents. */
export function tenants(): { tenantId: string; agents: string[] }[] {
  const byTenant = new Map<string, string[]>();
  for (const a of AGENTS) byTenant.set(a.tenantId, [...(byTenant.get(a.tenantId) ?? []), a.agentId]);
  return [...byTenant].map(([tenantId, agents]) => ({ tenantId, agents }));
}

/** The agent with this tenant and id; throws for unknown ones. */
export function agentOf(tenantId: string, agentId: string): AgentDef {
  const agent = AGENTS.find((a) => a.tenantId === tenantId && a.agentId === agentId);
  if (!agent) throw new Error(`no fleet agent ${tenantId}/${agentId}`);
  return agent;
}

/** The simulated tools of an agent as a @praxis/core ToolRegistry, over a fresh world (or a given one). */
export function toolRegistry(tenantId: string, agentId: string, world: World = newWorld()): ToolRegistry {
  return toRegistry(agentOf(tenantId, agentId).tools, world);
}

/** Tool name to the JSON Schema of its parameters. */
export function toolSchemas(tenantId: string, agentId: string): Record<string, JsonSchema> {
  return Object.fromEntries(agentOf(tenantId, agentId).tools.map((t) => [t.name, t.parameters]));
}

/** How a parameter of a planted workflow is expected to be learned. */
export interface PlantedParam {
  path: string;
  kind: 'CONSTANT' | 'SLOT' | 'STEP_RESULT';
  /** CONSTANT */
  value?: JsonPrimitive;
  /** SLOT: where its value comes from, the slot name in the ground truth, the expected schema and fresh sample values. */
  source?: 'QUERY' | 'CONTEXT' | 'GENERATED';
  slot?: string;
  schema?: JsonSchema;
  samples?: JsonPrimitive[];
  /** STEP_RESULT */
  stepIndex?: number;
  resultPath?: string;
}

/** A workflow planted in the traffic: what the learner should recover. */
export interface PlantedWorkflow {
  id: string;
  tenantId: string;
  agentId: string;
  description: string;
  signature: string[];
  steps: { tool: string; params: PlantedParam[] }[];
  queries: string[];
  /** Error kinds that can occur on its steps (tool rules and planted agent mistakes). */
  errorKinds: ErrorKind[];
  /** The id the inducer gives a learned template of this signature. */
  templateId: string;
}

/** The learned template id for a signature (the same rule the inducer uses). */
export function learnedTemplateId(tenantId: string, agentId: string, signature: readonly string[]): string {
  return deterministicId('tpl', tenantId, agentId, signature.join('>'));
}

function planted(agent: AgentDef, wf: WorkflowDef): PlantedWorkflow {
  const sampleRng = new Rng(`samples:${wf.id}`);
  const slotDef = (name: string) => [...wf.slots, ...agent.context].find((s) => s.name === name);
  const steps = wf.steps.map((step) => ({
    tool: step.tool,
    params: Object.entries(step.params).map(([path, source]): PlantedParam => {
      switch (source.kind) {
        case 'constant':
          return { path, kind: 'CONSTANT', value: source.value };
        case 'step':
          return { path, kind: 'STEP_RESULT', stepIndex: source.step, resultPath: source.path };
        case 'generated':
          return { path, kind: 'SLOT', source: 'GENERATED', slot: source.slot, schema: { type: 'string' } };
        case 'query':
        case 'context': {
          const def = slotDef(source.slot);
          if (!def) throw new Error(`${wf.id}: unknown slot ${source.slot}`);
          return {
            path,
            kind: 'SLOT',
            source: source.kind === 'query' ? 'QUERY' : 'CONTEXT',
            slot: source.slot,
            schema: def.expected,
            samples: Array.from({ length: 40 }, () => def.gen(sampleRng)),
          };
        }
      }
    }),
  }));
  const kinds = new Set<ErrorKind>(wf.mistakes?.map((m) => m.kind) ?? []);
  for (const step of wf.steps) for (const k of agent.tools.find((t) => t.name === step.tool)?.errors ?? []) if (k === 'RATE_LIMIT' || k === 'PREREQUISITE') kinds.add(k);
  const signature = wf.steps.map((s) => s.tool);
  return {
    id: wf.id,
    tenantId: agent.tenantId,
    agentId: agent.agentId,
    description: wf.description,
    signature,
    steps,
    queries: wf.queries,
    errorKinds: [...kinds].sort(),
    templateId: learnedTemplateId(agent.tenantId, agent.agentId, signature),
  };
}

/** The ground truth: every planted workflow of the fleet (optionally of some agents only). */
export function plantedWorkflows(agents: readonly AgentDef[] = AGENTS): PlantedWorkflow[] {
  return agents.flatMap((a) => a.workflows.map((wf) => planted(a, wf)));
}
