// WorkBench's tasks as a paraphrase benchmark for the router (dataset-specific: test/bench
// only). Each task template (`base_template`) has several phrasings (`chosen_template`), each
// phrasing several queries with other values. The split is by phrasing: templates are learned
// from some phrasings of a task and looked up with queries written in the others; whole task
// templates held out are the unseen requests.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';

export interface WorkbenchTask {
  query: string;
  /** The task template: the ground truth of which learned template a query should match. */
  task: string;
  /** The phrasing of the task template this query is written in. */
  phrasing: string;
  domain: string;
}

/** Every task of the processed WorkBench query files. */
export function loadWorkbenchTasks(root: string): WorkbenchTask[] {
  const dir = join(root, 'data', 'processed', 'queries_and_answers');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.csv'))
    .sort()
    .flatMap((file) => {
      const rows = parse(readFileSync(join(dir, file), 'utf8'), { columns: true, skip_empty_lines: true }) as Record<string, string>[];
      return rows.map((r) => ({ query: r.query!, task: r.base_template!, phrasing: r.chosen_template!, domain: file.replace('_queries_and_answers.csv', '') }));
    });
}

export interface ParaphraseSplit {
  /** Task template -> the queries its learned template is built from (trigger examples). */
  learn: Map<string, string[]>;
  /** Queries in phrasings not learned from, with the task they belong to. */
  paraphrases: WorkbenchTask[];
  /** Queries of task templates held out entirely (should get `plan`). */
  unseen: WorkbenchTask[];
}

/**
 * Deterministic split: every `unseenEvery`-th task template (in sorted order) is held out; of
 * the others, tasks with two or more phrasings learn from the first half of their phrasings
 * (at least one) and are queried with the rest. Tasks with one phrasing are learned but not
 * queried (there is no paraphrase to ask), so they still compete as distractors.
 */
export function paraphraseSplit(tasks: WorkbenchTask[], unseenEvery = 6, examplesPerTemplate = 6): ParaphraseSplit {
  const byTask = new Map<string, Map<string, WorkbenchTask[]>>();
  for (const t of tasks) {
    let phrasings = byTask.get(t.task);
    if (!phrasings) byTask.set(t.task, (phrasings = new Map()));
    (phrasings.get(t.phrasing) ?? phrasings.set(t.phrasing, []).get(t.phrasing)!).push(t);
  }
  const learn = new Map<string, string[]>();
  const paraphrases: WorkbenchTask[] = [];
  const unseen: WorkbenchTask[] = [];
  [...byTask.keys()].sort().forEach((task, i) => {
    const phrasings = [...byTask.get(task)!.entries()].sort(([a], [b]) => a.localeCompare(b));
    if (i % unseenEvery === unseenEvery - 1) {
      unseen.push(...phrasings.flatMap(([, qs]) => qs));
      return;
    }
    const cut = Math.max(1, Math.floor(phrasings.length / 2));
    const learned = phrasings.slice(0, cut).flatMap(([, qs]) => qs);
    learn.set(task, learned.slice(0, examplesPerTemplate).map((t) => t.query));
    paraphrases.push(...phrasings.slice(cut).flatMap(([, qs]) => qs));
  });
  return { learn, paraphrases, unseen };
}

/** Where WorkBench is: PRAXIS_WORKBENCH_DIR, else the shared/ folder beside the clone (or beside its parent, for worktrees). */
export function findWorkbench(env: NodeJS.ProcessEnv, repoRoot: string): string | null {
  const candidates = [env.PRAXIS_WORKBENCH_DIR, join(repoRoot, '..', 'shared', 'datasets', 'workbench'), join(repoRoot, '..', '..', 'shared', 'datasets', 'workbench')];
  return candidates.find((c): c is string => c !== undefined && existsSync(join(c, 'data', 'processed', 'queries_and_answers'))) ?? null;
}
