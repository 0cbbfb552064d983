// Scoring what was served (the answer key is read here, through scoring.ts, after playing),
// and the figures of docs/real-traffic.md: per task, Praxis-served vs each agent's own outcome
// on the same tasks, reuse precision, plan rate on held-out templates, hint coverage.
import { errorFingerprint } from '@praxis/core';
import type { AgentRun, WorkBench } from './dataset.js';
import { MODEL_NAMES } from './dataset.js';
import { importedRun } from './learn.js';
import { servedFingerprints, type ServedTask } from './serve.js';
import { agentOutcome, answerLength, isCorrectState } from './scoring.js';

export type Outcome = 'correct' | 'wrong state' | 'tool error' | 'unbound slots' | 'not served';

/** One held-out task, scored. */
export interface TaskRow {
  taskId: string;
  template: string;
  query: string;
  /** The task's template was held out whole (its queries must get plan). */
  unseenTemplate: boolean;
  tier: string;
  similarity: number;
  templateId: string | null;
  tools: string[];
  outcome: Outcome;
  /** The executor's error, or the unbound slots. */
  detail: string | null;
  /** Each agent file's own outcome on this task. */
  agents: Record<string, boolean>;
  /** Failing calls in the agents' runs of this task, and how many of them the answer served a hint for. */
  failingCalls: number;
  coveredCalls: number;
  /** Each failing call: its fingerprint, and whether the answer served a hint for it. */
  failures: { fingerprint: string; tool: string; message: string; covered: boolean }[];
  groundTruthCalls: number;
}

/** The failing calls of a run as the importer reads them, fingerprinted as the executor would. */
export function failingCalls(run: AgentRun, index = 0): { fingerprint: string; tool: string; message: string }[] {
  const imported = importedRun(run, index);
  return (imported?.calls ?? []).filter((c) => c.error).map((c) => ({ fingerprint: errorFingerprint(c.name, c.error!.type, c.error!.message), tool: c.name, message: c.error!.message.slice(0, 120) }));
}

/** The fingerprints of a run's failing calls. */
export const failingFingerprints = (run: AgentRun, index = 0): string[] => failingCalls(run, index).map((c) => c.fingerprint);

/** Scores one served task against the answer key and the agents' own runs of it. */
export function scoreTask(wb: WorkBench, served: ServedTask, runs: readonly AgentRun[], unseenTemplate: boolean): TaskRow {
  const { task, answer, run } = served;
  let outcome: Outcome;
  let detail: string | null = null;
  if (!run) outcome = 'not served';
  else if (served.unbound.length > 0) {
    outcome = 'unbound slots';
    detail = `no model configured: ${served.unbound.join(', ')} unbound`;
  } else if (run.outcome !== 'succeeded') {
    outcome = 'tool error';
    detail = run.error ? `step ${run.failedStep}: ${run.error.message}` : run.outcome;
  } else outcome = isCorrectState(wb, task.taskId, served.sandbox) ? 'correct' : 'wrong state';
  const hints = servedFingerprints(answer);
  const failures = runs.flatMap((r, i) => failingCalls(r, i)).map((c) => ({ ...c, covered: hints.has(c.fingerprint) }));
  return {
    taskId: task.taskId,
    template: task.template,
    query: task.query,
    unseenTemplate,
    tier: answer.tier,
    similarity: Math.round(answer.similarity * 1000) / 1000,
    templateId: answer.templateId,
    tools: served.tools,
    outcome,
    detail,
    agents: Object.fromEntries(runs.map((r) => [r.source.id, agentOutcome(wb, r)])),
    failingCalls: failures.length,
    coveredCalls: failures.filter((f) => f.covered).length,
    failures,
    groundTruthCalls: answerLength(wb, task.taskId),
  };
}

const pct = (n: number, d: number) => (d === 0 ? Number.NaN : (100 * n) / d);

export interface RealTrafficFigures {
  dataset: 'full' | 'subset';
  heldOutTasks: number;
  unseenTasks: number;
  templatesLearned: number;
  activeTemplates: number;
  learningRuns: number;
  learningSteps: number;
  praxisCorrect: number;
  agentCorrect: Record<string, number>;
  tiers: Record<string, number>;
  executed: number;
  outcomes: Record<Outcome, number>;
  reuseExecuted: number;
  reuseCorrect: number;
  reusePrecision: number;
  rewriteExecuted: number;
  rewriteCorrect: number;
  planRateUnseen: number;
  failingCalls: number;
  coveredCalls: number;
  hintCoverage: number;
  /** Failing-call fingerprints of held-out runs that also occur in the learning runs. */
  failingSeenInLearning: number;
  /** The most frequent failures of the held-out runs, and how often a served hint covered them. */
  topFailures: { tool: string; message: string; calls: number; covered: number; inLearning: boolean }[];
}

/** The figures over the scored rows. */
export function summarise(dataset: 'full' | 'subset', rows: TaskRow[], learned: { templates: number; active: number; runs: number; steps: number }, learningFingerprints: Set<string>, heldOutRuns: readonly AgentRun[]): RealTrafficFigures {
  const seen = rows.filter((r) => !r.unseenTemplate);
  const unseen = rows.filter((r) => r.unseenTemplate);
  const sources = [...new Set(seen.flatMap((r) => Object.keys(r.agents)))].sort();
  const reuse = seen.filter((r) => r.tier === 'reuse' && r.outcome !== 'not served');
  const rewrite = seen.filter((r) => r.tier === 'rewrite');
  const outcomes = { correct: 0, 'wrong state': 0, 'tool error': 0, 'unbound slots': 0, 'not served': 0 } as Record<Outcome, number>;
  for (const r of seen) outcomes[r.outcome]++;
  const failing = heldOutRuns.flatMap((r, i) => failingFingerprints(r, i));
  const byFailure = new Map<string, { tool: string; message: string; calls: number; covered: number; inLearning: boolean }>();
  for (const row of rows) {
    for (const c of row.failures) {
      const f = byFailure.get(c.fingerprint) ?? { tool: c.tool, message: c.message, calls: 0, covered: 0, inLearning: learningFingerprints.has(c.fingerprint) };
      f.calls++;
      if (c.covered) f.covered++;
      byFailure.set(c.fingerprint, f);
    }
  }
  return {
    dataset,
    heldOutTasks: seen.length,
    unseenTasks: unseen.length,
    templatesLearned: learned.templates,
    activeTemplates: learned.active,
    learningRuns: learned.runs,
    learningSteps: learned.steps,
    praxisCorrect: pct(outcomes.correct, seen.length),
    agentCorrect: Object.fromEntries(sources.map((s) => [s, pct(seen.filter((r) => r.agents[s]).length, seen.length)])),
    tiers: Object.fromEntries(['reuse', 'rewrite', 'plan'].map((t) => [t, seen.filter((r) => r.tier === t).length])),
    executed: seen.filter((r) => r.outcome !== 'not served').length,
    outcomes,
    reuseExecuted: reuse.length,
    reuseCorrect: reuse.filter((r) => r.outcome === 'correct').length,
    reusePrecision: pct(reuse.filter((r) => r.outcome === 'correct').length, reuse.length),
    rewriteExecuted: rewrite.length,
    rewriteCorrect: rewrite.filter((r) => r.outcome === 'correct').length,
    planRateUnseen: pct(unseen.filter((r) => r.tier === 'plan').length, unseen.length),
    failingCalls: rows.reduce((n, r) => n + r.failingCalls, 0),
    coveredCalls: rows.reduce((n, r) => n + r.coveredCalls, 0),
    hintCoverage: pct(rows.reduce((n, r) => n + r.coveredCalls, 0), rows.reduce((n, r) => n + r.failingCalls, 0)),
    failingSeenInLearning: failing.filter((f) => learningFingerprints.has(f)).length,
    topFailures: [...byFailure.values()].sort((a, b) => b.calls - a.calls).slice(0, 12),
  };
}

/** An agent file's name in the table: "GPT-4 (all tools)". */
export const agentLabel = (sourceId: string) => {
  const [model, tools] = sourceId.split('/');
  return `${MODEL_NAMES[model!] ?? model} (${tools === 'all' ? 'all tools' : 'domain tools'})`;
};

/** The table "Praxis-served vs GPT-4 / Claude-2 / GPT-3.5 / Llama2 / Mixtral on the same tasks", as markdown. */
export function comparisonTable(f: RealTrafficFigures): string[] {
  const fmt = (n: number) => (Number.isNaN(n) ? '-' : `${n.toFixed(1)}%`);
  const lines = ['| on the same held-out tasks | correct outcome |', '|---|---|', `| **Praxis-served** (no model; reuse/rewrite executed in the sandbox) | **${fmt(f.praxisCorrect)}** |`];
  for (const [s, v] of Object.entries(f.agentCorrect)) lines.push(`| ${agentLabel(s)}, its own run | ${fmt(v)} |`);
  return lines;
}
