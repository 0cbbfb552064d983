// The split of docs/real-traffic.md, fixed before measuring: whole task templates held out,
// and for every other template half its tasks learned from (all agents' runs of them) and
// the other half looked up. Seeded and deterministic; no answer is read to make it.
import { stableHash } from '@praxis/core';
import type { AgentRun, WorkBench, WorkBenchTask } from './dataset.js';

export interface SplitOptions {
  seed: string;
  /** Task templates held out whole. */
  heldOutTemplates: number;
  /** Seen templates kept (all when undefined): the quick run samples. */
  seenTemplates?: number;
  /** Share of each seen template's tasks learned from (the protocol: half, rounded down). */
  learnShare?: number;
}

export const FULL_SPLIT: SplitOptions = { seed: 'real-traffic-1', heldOutTemplates: 10 };
export const QUICK_SPLIT: SplitOptions = { seed: 'real-traffic-1', heldOutTemplates: 4, seenTemplates: 12 };

export interface Split {
  /** Tasks whose runs are learned from. */
  learn: WorkBenchTask[];
  /** Held-out tasks of templates seen in learning. */
  heldOut: WorkBenchTask[];
  /** Every task of the held-out templates (must get `plan`). */
  unseen: WorkBenchTask[];
  /** The runs learned from: every agent's run of a learning task. */
  learningRuns: AgentRun[];
}

const order = <T>(items: T[], key: (t: T) => string, seed: string) => [...items].sort((a, b) => (stableHash([seed, key(a)], 16) < stableHash([seed, key(b)], 16) ? -1 : 1));

/** Splits the data set by task, per template (docs/real-traffic.md, "Split"). */
export function splitTasks(wb: WorkBench, options: SplitOptions): Split {
  const templates = order([...new Set(wb.tasks.map((t) => t.template))], (t) => t, options.seed);
  const unseenTemplates = new Set(templates.slice(0, options.heldOutTemplates));
  const seen = templates.slice(options.heldOutTemplates, options.seenTemplates === undefined ? undefined : options.heldOutTemplates + options.seenTemplates);
  const learn: WorkBenchTask[] = [];
  const heldOut: WorkBenchTask[] = [];
  for (const template of seen) {
    const tasks = order(wb.tasks.filter((t) => t.template === template), (t) => t.query, options.seed);
    const half = Math.floor(tasks.length * (options.learnShare ?? 0.5));
    learn.push(...tasks.slice(0, half));
    heldOut.push(...tasks.slice(half));
  }
  const learning = new Set(learn.map((t) => t.taskId));
  return {
    learn,
    heldOut,
    unseen: wb.tasks.filter((t) => unseenTemplates.has(t.template)),
    learningRuns: wb.runs.filter((r) => learning.has(r.taskId)),
  };
}
