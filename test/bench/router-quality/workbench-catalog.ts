// WorkBench as a router catalogue (dataset-specific: test/bench only). The split is the
// semantic benchmark's (test/bench/semantic/workbench.ts): templates are learned from some
// phrasings of each task and looked up with queries in the others. A learned template's steps
// are the tool calls of its learned queries' answers (WorkBench's answers list the calls that
// change state), so held-out answers are never read.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Template } from '@praxis/schemas';
import { parse } from 'csv-parse/sync';
import { learnedTemplates } from '../semantic/quality.js';
import { findWorkbench, loadWorkbenchTasks, paraphraseSplit, type ParaphraseSplit, type WorkbenchTask } from '../semantic/workbench.js';

/** WorkBench, found as the semantic benchmark finds it (PRAXIS_WORKBENCH_DIR, else ../shared beside the repository). */
export function workbenchRoot(): string {
  const root = findWorkbench(process.env, fileURLToPath(new URL('../../..', import.meta.url)));
  if (!root) throw new Error('WorkBench not found: set PRAXIS_WORKBENCH_DIR (see ../shared/datasets/workbench/PROVENANCE.md)');
  return root;
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

/**
 * The split and one learned template per task: trigger examples and slots (with the values seen)
 * as the semantic benchmark learns them (test/bench/semantic/quality.ts), and real steps: the
 * tool calls of the learned queries' answers, the slots feeding the last (state-changing) call.
 */
export function workbenchCatalog(root = workbenchRoot()): WorkbenchCatalog {
  const tasks = loadWorkbenchTasks(root);
  const split = paraphraseSplit(tasks);
  const answers = answersByQuery(root);
  const learned = learnedTemplates(tasks, split.learn, null);
  const templates: Template[] = [];
  const templateOf = new Map<string, string>();
  [...split.learn.entries()].forEach(([task, examples], i) => {
    const tools = examples.map((q) => answers.get(q) ?? []).find((t) => t.length > 0);
    if (!tools) return;
    const base = learned[i]!;
    const id = idOf(task);
    templateOf.set(task, id);
    const slotParams = base.steps[0]!.params;
    templates.push({
      ...base,
      tenantId: TENANT,
      agentId: AGENT,
      templateId: id,
      name: tools.join(' > '),
      signature: tools,
      confidence: 0.9,
      steps: tools.map((toolName, index) => ({ index, toolName, params: index === tools.length - 1 ? slotParams : [], paramShapeHash: null, resultShapeHash: null, loop: null, optional: false, conditionJson: null, segmentId: null })),
    });
  });
  return { split, tasks, templates, templateOf };
}
