// The demo's section on real agents' logs. Praxis learns from the runs of real LLM agents of
// a public benchmark through the running services, answers the queries of tasks it has not
// seen, executes each answer in that benchmark's sandbox with no model, and shows the
// outcome beside the agents' own outcomes on the same tasks.
//
// The data set, its sandbox and its scorer are not product code: they come from a module
// outside the product (by default the benchmark harness's `test/bench/real-traffic/demo-set.ts`,
// loaded from a path at run time; the product only knows the shape below).
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { LookupResponse } from '@praxis/contracts';
import type { ToolRegistry } from '@praxis/core';
import type { AgentStepInput } from '@praxis/schemas';
import { executeWorkflow, type RouterClient, type StepSink } from '@praxis/sdk';
import type { CommandIO } from '../command.js';
import type { PraxisServices } from '../launch.js';
import { waitUntilLearned } from './drive.js';
import { describeLookup, describeTemplate } from './show.js';

/** One fresh sandbox of the set for one task: its tools, their schemas, and the set's own scorer. */
export interface SetSandbox {
  tools: ToolRegistry;
  toolSchemas: Record<string, object>;
  /** Whether the sandbox's final state is the task's correct outcome (the set's scorer, after the run). */
  correct(): boolean;
}

/** What a set of real agents' logs gives the demo. */
export interface RealAgentsSet {
  title: string;
  /** Where it comes from and under which licence. */
  provenance: string;
  tenantId: string;
  agentId: string;
  /** The learning runs as step events, each run's outcome labelled by the set's verifier. */
  steps: AgentStepInput[];
  /** How many runs, tasks and agents the steps are. */
  summary: string;
  /** Tasks not learned from, in the order to show. */
  heldOut: { taskId: string; query: string; note: string }[];
  /** Each agent's own outcome on a task (its logged run, scored by the set). */
  agentOutcomes(taskId: string): Record<string, boolean>;
  sandbox(taskId: string): SetSandbox;
  /**
   * The tasks' own time (a logged data set's day): the learning steps carry it on their
   * queries and every lookup sends it, so "today" and "since Sunday" read as the agents read
   * them, not against the day the demo runs. Absent: the demo's clock.
   */
  taskTime?: { referenceTimeMs: number; timeZone?: string };
  /** The learning policy an operator sets for the set's tenant (its INDUCER_OVERRIDES entry), as the set's benchmark runs it. */
  inducerPolicy?: Record<string, unknown>;
}

/** Where the demo finds the set by default: the benchmark harness's WorkBench subset. */
export const DEFAULT_REAL_AGENTS_MODULE = fileURLToPath(new URL('../../../../test/bench/real-traffic/demo-set.ts', import.meta.url));

/** Loads a set module (it exports `realAgentsSet(): Promise<RealAgentsSet>`); null when there is none. */
export async function loadRealAgentsSet(path: string): Promise<RealAgentsSet | null> {
  if (!existsSync(path)) return null;
  const mod = (await import(pathToFileURL(path).href)) as { realAgentsSet?: () => Promise<RealAgentsSet> };
  if (typeof mod.realAgentsSet !== 'function') throw new Error(`${path} does not export realAgentsSet()`);
  return mod.realAgentsSet();
}

/** One held-out task: what the router answered and what executing it did. */
export interface RealAgentsRow {
  taskId: string;
  query: string;
  note: string;
  answer: LookupResponse;
  outcome: 'correct' | 'wrong outcome' | 'stopped' | 'unbound slots' | 'planned';
  agents: Record<string, boolean>;
}

const mark = (ok: boolean) => (ok ? 'ok' : '--');

/** Runs the section: send, learn, look up, execute, compare. */
export async function realAgentsSection(set: RealAgentsSet, deps: { io: CommandIO; services: PraxisServices; sink: StepSink; client: RouterClient; shown: number }): Promise<RealAgentsRow[]> {
  const { io, services } = deps;
  io.out(`  ${set.title}`);
  io.out(`  ${set.provenance}`);
  io.out(`  learning from ${set.summary}: ${set.steps.length.toLocaleString('en-US')} step events into the running services (tenant ${set.tenantId})`);
  const appliedBefore = services.segmenter.applied();
  await deps.sink.send(set.steps);
  // the segmenter must have the steps before "nothing open, inducer caught up" means learned
  for (let waited = 0; waited < 60_000 && services.segmenter.applied() < appliedBefore + set.steps.length; waited += 250) await new Promise((r) => setTimeout(r, 250));
  const learned = await waitUntilLearned(services, { timeoutMs: 120_000, stableMs: 5_000 });
  const tenantTemplates = () => [...services.router.core.catalog.tenant(set.tenantId).templates.values()];
  for (let waited = 0; waited < 10_000 && tenantTemplates().length === 0; waited += 500) await new Promise((r) => setTimeout(r, 500));
  const templates = tenantTemplates();
  io.out(`  learned ${templates.length} template(s) (${templates.filter((t) => t.status === 'ACTIVE').length} active)${learned ? '' : ' (still settling)'}`);
  for (const t of templates.slice(0, 2)) for (const line of describeTemplate(t)) io.out(line);
  const rows: RealAgentsRow[] = [];
  for (const task of set.heldOut) {
    const answer = await deps.client.lookup({ query: task.query, agentId: set.agentId, ...(set.taskTime ?? {}) });
    const agents = set.agentOutcomes(task.taskId);
    let outcome: RealAgentsRow['outcome'] = 'planned';
    if (answer.tier !== 'plan' && answer.workflow) {
      if (answer.toGenerate.length > 0) outcome = 'unbound slots';
      else {
        const sandbox = set.sandbox(task.taskId);
        const run = await executeWorkflow({ workflow: answer.workflow, tools: sandbox.tools, toolSchemas: sandbox.toolSchemas, agentId: set.agentId, sleep: async () => undefined });
        outcome = run.outcome !== 'succeeded' ? 'stopped' : sandbox.correct() ? 'correct' : 'wrong outcome';
      }
    }
    rows.push({ taskId: task.taskId, query: task.query, note: task.note, answer, outcome, agents });
  }
  // what was served first (then the rest in the set's order)
  for (const row of [...rows.filter((r) => r.answer.tier !== 'plan'), ...rows.filter((r) => r.answer.tier === 'plan')].slice(0, deps.shown)) {
    io.out('');
    for (const line of describeLookup(row.query, row.answer)) io.out(line);
    const unbound = row.answer.toGenerate.map((s) => s.name).join(', ');
    const how = row.outcome === 'planned' ? 'not run (plan: left to the agent\'s own model)' : row.outcome === 'unbound slots' ? `not run: ${unbound} unbound (no model configured)` : `executed: ${row.outcome}`;
    io.out(`    in the sandbox: ${how} · ${row.note}`);
    io.out(`    the agents' own runs: ${Object.entries(row.agents).map(([a, ok]) => `${a} ${mark(ok)}`).join(' · ')}`);
  }
  const agentNames = [...new Set(rows.flatMap((r) => Object.keys(r.agents)))];
  const rate = (n: number) => `${n}/${rows.length}`;
  io.out('');
  io.out(`  On the ${rows.length} held-out tasks, correct outcome: Praxis-served ${rate(rows.filter((r) => r.outcome === 'correct').length)} (${['reuse', 'rewrite', 'plan'].map((t) => `${t} ${rows.filter((r) => r.answer.tier === t).length}`).join(', ')}; plan = left to the agent's own model)`);
  io.out(`  the agents on the same tasks: ${agentNames.map((a) => `${a} ${rate(rows.filter((r) => r.agents[a]).length)}`).join(' · ')}`);
  return rows;
}
