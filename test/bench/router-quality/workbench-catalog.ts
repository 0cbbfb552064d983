// WorkBench as a router catalogue (dataset-specific: test/bench only). The split is the
// semantic benchmark's (test/bench/semantic/workbench.ts): templates are learned from some
// phrasings of each task and looked up with queries in the others. A learned template's steps
// are the tool calls of its learned queries' answers (WorkBench's answers list the calls that
// change state), so held-out answers are never read.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TemplateSchema, type Template } from '@praxis/schemas';
import { makeTemplate } from '@praxis/schemas/factories';
import { parse } from 'csv-parse/sync';
import { loadWorkbenchTasks, paraphraseSplit, type ParaphraseSplit, type WorkbenchTask } from '../semantic/workbench.js';

/** WorkBench: PRAXIS_WORKBENCH_DIR, else the nearest shared/datasets/workbench above the repository (../shared from a clone). */
export function workbenchRoot(): string {
  if (process.env.PRAXIS_WORKBENCH_DIR) return process.env.PRAXIS_WORKBENCH_DIR;
  for (let dir = dirname(fileURLToPath(import.meta.url)); dir !== dirname(dir); dir = dirname(dir)) {
    const candidate = join(dir, 'shared', 'datasets', 'workbench');
    if (existsSync(join(candidate, 'data'))) return candidate;
  }
  throw new Error('WorkBench not found: set PRAXIS_WORKBENCH_DIR (see ../shared/datasets/workbench/PROVENANCE.md)');
}
export const TENANT = 'bench';
export const AGENT = 'workbench-agent';

/** Query -> the tool names its answer calls, in order (repeats collapsed). */
function answersByQuery(root: string): Map<string, string[]> {
  const dir = join(root, 'data', 'processed', 'queries_and_answers');
  const out = new Map<string, string[]>();
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.csv'))) {
    const rows = parse(readFileSync(join(dir, file), 'utf8'), { columns: true, skip_empty_lines: true }) as Record<string, string>[];
    for (const r of rows) {
      const tools = [...(r.answer ?? '').matchAll(/([a-z_]+\.[a-z_]+)\.func\(/g)].map((m) => m[1]!);
      out.set(r.query!, tools.filter((t, i) => t !== tools[i - 1]));
    }
  }
  return out;
}

export interface WorkbenchCatalog {
  split: ParaphraseSplit;
  tasks: WorkbenchTask[];
  templates: Template[];
  /** Task template -> the id of the template learned for it (tasks whose learned answers call no tool have none). */
  templateOf: Map<string, string>;
}

const idOf = (task: string) => `wb-${Buffer.from(task).toString('base64url').slice(0, 40)}`;

/** The split and one learned template per task (steps from the learned queries' answers). */
export function workbenchCatalog(root = workbenchRoot()): WorkbenchCatalog {
  const tasks = loadWorkbenchTasks(root);
  const split = paraphraseSplit(tasks);
  const answers = answersByQuery(root);
  const base = TemplateSchema.parse(makeTemplate({ tenantId: TENANT, agentId: AGENT, slots: [], steps: [{ index: 0, toolName: 'x', params: [] }], signature: ['x'], confidence: 0.9, stats: { support: 20, successes: 19 } }));
  const templates: Template[] = [];
  const templateOf = new Map<string, string>();
  for (const [task, examples] of split.learn) {
    const tools = examples.map((q) => answers.get(q) ?? []).find((t) => t.length > 0);
    if (!tools) continue;
    const id = idOf(task);
    templateOf.set(task, id);
    templates.push({
      ...base,
      templateId: id,
      name: tools.join(' > '),
      signature: tools,
      steps: tools.map((toolName, index) => ({ index, toolName, params: [], paramShapeHash: null, resultShapeHash: null, loop: null, optional: false, conditionJson: null, segmentId: null })),
      triggerExamples: examples,
    });
  }
  return { split, tasks, templates, templateOf };
}
