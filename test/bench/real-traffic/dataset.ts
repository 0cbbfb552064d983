// WorkBench as the benchmark reads it: the tasks (query, template, phrasing), the agents'
// runs of them, the sandbox tables, and, kept apart, the answer key (the ground-truth calls),
// which only scoring.ts reads. Loaded from ../shared/datasets/workbench when it is there,
// else from the committed subset test/fixtures/workbench-subset (same layout).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import { parseStringList } from './python-call.js';
import { loadTables, type SandboxTables } from './tables.js';

/** Where the full data set may be: beside the repository (`../shared`), or beside the folder of a worktree. */
export const FULL_DATASET_PLACES = ['../../../../shared/datasets/workbench/', '../../../../../shared/datasets/workbench/'].map((p) => fileURLToPath(new URL(p, import.meta.url)));
export const SUBSET_FIXTURE = fileURLToPath(new URL('../../fixtures/workbench-subset/', import.meta.url));

/** The data set's current time (HARDCODED_CURRENT_TIME, 2023-11-30 00:00:00), the time of every task. */
export const TASK_TIME_MS = Date.UTC(2023, 10, 30);

export interface WorkBenchTask {
  /** `<domain>-<row>`: stable across runs. */
  taskId: string;
  domain: string;
  query: string;
  /** base_template: the task template (69 in all). */
  template: string;
  /** chosen_template: the phrasing. */
  phrasing: string;
}

/** One agent file: a model with the tools it was offered. */
export interface AgentSource {
  /** e.g. "gpt-4/all". */
  id: string;
  model: string;
  tools: 'all' | 'domains';
}

/** One agent's run of one task, as the results CSV has it. */
export interface AgentRun {
  source: AgentSource;
  taskId: string;
  /** The agent's calls as WorkBench wrote them (Python call strings). */
  functionCalls: string[];
  /** LangChain's output dict, Python repr (with intermediate_steps). */
  fullResponse: string;
  error: string;
}

/** The ground-truth calls of each task. Read by the scorer only. */
export class AnswerKey {
  constructor(private readonly answers: ReadonlyMap<string, readonly string[]>) {}
  /** The ground-truth calls of a task (scoring only). */
  callsOf(taskId: string): readonly string[] {
    const a = this.answers.get(taskId);
    if (!a) throw new Error(`no answer for ${taskId}`);
    return a;
  }
}

export interface WorkBench {
  dir: string;
  /** Whether this is the full data set or the committed subset. */
  kind: 'full' | 'subset';
  tasks: WorkBenchTask[];
  runs: AgentRun[];
  sources: AgentSource[];
  tables: SandboxTables;
  answers: AnswerKey;
}

/** The display name of a model, as the paper's tables write it. */
export const MODEL_NAMES: Record<string, string> = { 'gpt-4': 'GPT-4', 'claude-2': 'Claude-2', 'gpt-3.5': 'GPT-3.5', 'llama2-70b': 'Llama2-70B', 'mistral-8x7B': 'Mixtral-8x7B' };

const csv = (path: string) => parse(readFileSync(path, 'utf8'), { columns: true, bom: true, relax_quotes: false }) as Record<string, string>[];

/** Reads a WorkBench directory (data/processed, data/raw, data/results). */
export function loadWorkBench(dir: string, kind: WorkBench['kind']): WorkBench {
  const qa = join(dir, 'data/processed/queries_and_answers');
  const tasks: WorkBenchTask[] = [];
  const answers = new Map<string, string[]>();
  const byQuery = new Map<string, string>();
  for (const file of readdirSync(qa).filter((f) => f.endsWith('_queries_and_answers.csv')).sort()) {
    const domain = file.replace('_queries_and_answers.csv', '');
    csv(join(qa, file)).forEach((row, i) => {
      const taskId = `${domain}-${i}`;
      tasks.push({ taskId, domain, query: row.query!, template: row.base_template!, phrasing: row.chosen_template! });
      answers.set(taskId, parseStringList(row.answer!));
      byQuery.set(`${domain}\u0000${row.query}`, taskId);
    });
  }
  const runs: AgentRun[] = [];
  const sources = new Map<string, AgentSource>();
  const resultsDir = join(dir, 'data/results');
  for (const domain of readdirSync(resultsDir).sort()) {
    for (const file of readdirSync(join(resultsDir, domain)).filter((f) => f.endsWith('.csv')).sort()) {
      const m = /^(.+?)_(all|domains)_/.exec(basename(file));
      if (!m) continue;
      const source: AgentSource = sources.get(`${m[1]}/${m[2]}`) ?? { id: `${m[1]}/${m[2]}`, model: m[1]!, tools: m[2] as AgentSource['tools'] };
      sources.set(source.id, source);
      for (const row of csv(join(resultsDir, domain, file))) {
        const taskId = byQuery.get(`${domain}\u0000${row.query}`);
        if (!taskId) continue; // a run of a task outside this (sub)set
        let functionCalls: string[] = [];
        try {
          functionCalls = parseStringList(row.function_calls ?? '[]');
        } catch {
          functionCalls = [];
        }
        runs.push({ source, taskId, functionCalls, fullResponse: row.full_response ?? '', error: row.error ?? '' });
      }
    }
  }
  return { dir, kind, tasks, runs, sources: [...sources.values()].sort((a, b) => (a.id < b.id ? -1 : 1)), tables: loadTables(join(dir, 'data')), answers: new AnswerKey(answers) };
}

/** The full data set when it is beside the repository, else the committed subset. */
export function loadAvailable(): WorkBench {
  const full = FULL_DATASET_PLACES.find((dir) => existsSync(join(dir, 'data/processed/queries_and_answers')));
  if (full) return loadWorkBench(full, 'full');
  return loadWorkBench(SUBSET_FIXTURE, 'subset');
}
