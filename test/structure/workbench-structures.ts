// Measures the structures learned from real runs (docs/learning.md, "Structures"): WorkBench's
// LangChain results (dataset-specific, hence here and not in services/), or the synthetic
// fleet. Prints the templates, their kinds of structure and their structure fit.
//   npx tsx test/structure/workbench-structures.ts [file-name-filter, default gpt-4_domains]
//   npx tsx test/structure/workbench-structures.ts --fleet
import { readdirSync, readFileSync } from 'node:fs';
import { evaluateTemplates, generateTraffic } from '@praxis/fleet';
import { readRuns, stepsOfRuns, type ImportedRun } from '@praxis/formats';
import { DEFAULT_INDUCER_POLICY, induceTemplates } from '@praxis/inducer';
import { AgentStepSchema, type AgentStep, type Template } from '@praxis/schemas';
import { DEFAULT_POLICY, segmentSteps } from '@praxis/segmenter';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { findWorkbench } from '../bench/semantic/workbench.js';

const WORKBENCH = findWorkbench(process.env, fileURLToPath(new URL('../../', import.meta.url)));
if (!WORKBENCH) throw new Error('WorkBench not found: set PRAXIS_WORKBENCH_DIR or put shared/datasets/workbench beside the clone');
const ROOT = join(WORKBENCH, 'data/results');
const arg = process.argv[2] ?? 'gpt-4_domains';

function workbenchSteps(filter: string): { runs: number; steps: AgentStep[] } {
  const runs: ImportedRun[] = [];
  for (const domain of readdirSync(ROOT)) {
    for (const file of readdirSync(`${ROOT}/${domain}`)) {
      if (!file.includes(filter)) continue;
      const read = readRuns(readFileSync(`${ROOT}/${domain}/${file}`, 'utf8'), { format: 'langchain', source: file, agentId: 'agent' });
      runs.push(...read.runs.map((r) => ({ ...r, agentId: 'agent' })));
    }
  }
  return { runs: runs.length, steps: stepsOfRuns(runs, { tenantId: 'wb', endMs: Date.UTC(2026, 0, 1) }).map((s) => AgentStepSchema.parse(s.step)) };
}

const { runs, steps } = arg === '--fleet' ? { runs: 0, steps: generateTraffic('pipeline').events.map((e) => AgentStepSchema.parse(e)) } : workbenchSteps(arg);
steps.sort((a, b) => a.timestampMs - b.timestampMs);
const { trajectories } = segmentSteps(steps, { policyFor: () => DEFAULT_POLICY, idleMs: Number.MAX_SAFE_INTEGER, maxPendingPerSession: 100_000 });
const templates = induceTemplates(trajectories, () => DEFAULT_INDUCER_POLICY);
const fits = templates.map((t) => t.structureFit ?? 0);
const count = (p: (t: Template) => boolean) => templates.filter(p).length;
console.log(`${runs || trajectories.length} runs, ${trajectories.length} trajectories -> ${templates.length} templates`);
console.log(`structure fit: mean ${(fits.reduce((a, b) => a + b, 0) / Math.max(1, fits.length)).toFixed(3)}, min ${Math.min(...fits).toFixed(3)}`);
console.log({
  loops: count((t) => t.steps.some((s) => s.loop !== null)),
  optional: count((t) => t.steps.some((s) => s.optional)),
  subWorkflows: count((t) => t.partialSteps !== null),
  composing: count((t) => t.steps.some((s) => s.segmentId !== null)),
  oneCall: count((t) => t.steps.length === 1),
  twoCall: count((t) => t.steps.length === 2),
});
if (arg === '--fleet') {
  const e = evaluateTemplates(templates);
  console.log(`fleet precision ${e.precision}, recall ${e.recall}`);
}
for (const t of [...templates].sort((a, b) => b.stats.support - a.stats.support)) console.log(`  ${t.stats.support}\t${t.stats.successes}\tfit ${t.structureFit}\t${t.status}\t${t.name}`);
