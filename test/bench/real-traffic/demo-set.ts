// The WorkBench subset as the demo's "real agents" section takes it (services/cli/src/demo/
// real-agents.ts loads this module by path: the data set, its sandbox port and its scorer stay
// in the benchmark harness, out of product code). Always the committed subset (MIT, with its
// licence), split as the benchmark splits it.
import type { RealAgentsSet } from '@praxis/cli/demo';
import { loadWorkBench, MODEL_NAMES, SUBSET_FIXTURE, TASK_TIME_MS, type AgentRun } from './dataset.js';
import { AGENT, learningSteps, TENANT } from './learn.js';
import { Sandbox, TOOL_SCHEMAS } from './sandbox.js';
import { agentOutcome, isCorrectState } from './scoring.js';
import { splitTasks } from './split.js';
import { REAL_TRAFFIC_ENV } from '../suites/real-traffic.js';

/** The demo's set: learning runs of half of each seen template's tasks; held-out tasks, two per seen template first. */
export async function realAgentsSet(): Promise<RealAgentsSet> {
  const wb = loadWorkBench(SUBSET_FIXTURE, 'subset');
  const split = splitTasks(wb, { seed: 'real-traffic-1', heldOutTemplates: 2 });
  // into a live deployment: event times from now on, so no step is behind a partition's
  // watermark; each query carries the data set's own time, which the lookups send too
  const { steps } = learningSteps(wb, split.learningRuns, { startMs: Date.now(), gapMs: 20, referenceTimeMs: TASK_TIME_MS });
  const runsOf = new Map<string, AgentRun[]>();
  for (const r of wb.runs) runsOf.set(r.taskId, [...(runsOf.get(r.taskId) ?? []), r]);
  // the best of each model's runs (with all tools or with the task's domain tools)
  const agentOutcomes = (taskId: string) => {
    const out: Record<string, boolean> = {};
    for (const r of runsOf.get(taskId) ?? []) {
      const name = MODEL_NAMES[r.source.model] ?? r.source.model;
      out[name] = (out[name] ?? false) || agentOutcome(wb, r);
    }
    return out;
  };
  const perTemplate = new Map<string, number>();
  const first = split.heldOut.filter((t) => {
    const n = perTemplate.get(t.template) ?? 0;
    perTemplate.set(t.template, n + 1);
    return n < 2;
  });
  const heldOut = [...first, ...split.heldOut.filter((t) => !first.includes(t)), ...split.unseen].map((t) => ({
    taskId: t.taskId,
    query: t.query,
    note: split.unseen.includes(t) ? 'a task template never seen in learning' : 'a task of a template seen in learning',
  }));
  return {
    title: `WorkBench (Styles et al. 2024): 5 LLM agents (GPT-4, Claude-2, GPT-3.5, Llama2-70B, Mixtral-8x7B) on office tasks with 27 tools; the committed subset, ${wb.tasks.length} tasks of ${new Set(wb.tasks.map((t) => t.template)).size} task templates`,
    provenance: 'test/fixtures/workbench-subset/ (MIT licence beside it; source olly-styles/WorkBench); the sandbox is the benchmark harness\'s TypeScript port (test/bench/real-traffic/)',
    tenantId: TENANT,
    agentId: AGENT,
    steps,
    summary: `${split.learningRuns.length} LangChain runs of ${split.learn.length} tasks (every agent's run; outcomes labelled by WorkBench's outcome rule)`,
    heldOut,
    agentOutcomes,
    taskTime: { referenceTimeMs: TASK_TIME_MS, timeZone: 'UTC' },
    inducerPolicy: (JSON.parse(REAL_TRAFFIC_ENV.INDUCER_OVERRIDES) as Record<string, Record<string, unknown>>)[TENANT],
    sandbox: (taskId) => {
      const sandbox = new Sandbox(wb.tables);
      return { tools: sandbox.tools(), toolSchemas: TOOL_SCHEMAS, correct: () => isCorrectState(wb, taskId, sandbox) };
    },
  };
}
