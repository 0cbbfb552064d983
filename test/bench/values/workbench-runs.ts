// Throwaway measurement (not product code): WorkBench's real agent runs through the real
// reader (shared/formats), segmenter and inducer: how the calls' values are bound (verbatim,
// by a transform, from an earlier result), what the learned templates hold, and which hints
// failed runs teach. Runs have no times: they are laid out to end on the data set's "today",
// 2023-11-30, so relative dates resolve as the agents saw them.
// Run: npx tsx test/bench/values/workbench-runs.ts
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readRuns, stepsOfRuns, type ImportedRun } from '@praxis/formats';
import { AgentStepSchema } from '@praxis/schemas';
import { DEFAULT_POLICY, segmentSteps } from '@praxis/segmenter';
import { derivations } from '../../../services/inducer/src/binding.js';
import { errorKnowledge } from '../../../services/inducer/src/errors.js';
import { induceTemplates } from '../../../services/inducer/src/offline.js';
import { DEFAULT_INDUCER_POLICY } from '../../../services/inducer/src/policy.js';
import { summarise } from '../../../services/inducer/src/summary.js';
import { fileURLToPath } from 'node:url';
import { findWorkbench } from '../semantic/workbench.js';

const WORKBENCH = findWorkbench(process.env, fileURLToPath(new URL('../../../', import.meta.url)));
if (!WORKBENCH) throw new Error('WorkBench not found: set PRAXIS_WORKBENCH_DIR or put shared/datasets/workbench beside the clone');
const DIR = join(WORKBENCH, 'data/results');
const runs: ImportedRun[] = [];
for (const domain of readdirSync(DIR)) {
  for (const file of readdirSync(join(DIR, domain))) {
    const read = readRuns(readFileSync(join(DIR, domain, file), 'utf8'), { format: 'auto', source: file });
    const agent = file.split('_')[0]!;
    runs.push(...read.runs.map((r) => ({ ...r, agentId: r.agentId ?? agent })));
  }
}
const steps = stepsOfRuns(runs, { tenantId: 'wb', endMs: Date.UTC(2023, 10, 30, 23, 0, 0) }).map((s) => AgentStepSchema.parse(s.step));
steps.sort((a, b) => a.timestampMs - b.timestampMs);
const { trajectories } = segmentSteps(steps, { policyFor: () => DEFAULT_POLICY, idleMs: Number.MAX_SAFE_INTEGER, maxPendingPerSession: 100_000 });
const summaries = trajectories.map((t, i) => summarise(t, 0, i));

const c = { args: 0, verbatim: 0, stepResult: 0, transformed: 0, none: 0 };
const byTransform = new Map<string, number>();
for (const t of summaries) {
  for (const s of t.steps) {
    if (s.status !== 'OK') continue;
    for (const [path, value] of s.values) {
      c.args++;
      const sources = s.dataflow.filter((d) => d.paramPath === path);
      if (sources.some((d) => d.origin === 'QUERY')) c.verbatim++;
      else if (sources.length > 0) c.stepResult++;
      else if (t.query && derivations(value, t.query, { nowMs: t.startedAtMs }).size > 0) {
        c.transformed++;
        const k = [...derivations(value, t.query, { nowMs: t.startedAtMs }).keys()][0]!.replace('\u0000', ' ');
        byTransform.set(k, (byTransform.get(k) ?? 0) + 1);
      } else c.none++;
    }
  }
}
console.log(`${runs.length} runs, ${summaries.length} trajectories; successful-call arguments:`, c);
console.log('first transform found:', Object.fromEntries([...byTransform].sort((a, b) => b[1] - a[1])));

const byAgent = new Map<string, typeof summaries>();
for (const s of summaries) byAgent.set(s.agentId, [...(byAgent.get(s.agentId) ?? []), s]);
let retryHints = 0;
let crossHints = 0;
let fingerprints = 0;
for (const list of byAgent.values()) {
  const k = errorKnowledge(list, 8);
  for (const hs of k.hints.values()) for (const h of hs) (h.description.includes('did not recover') ? crossHints++ : retryHints++);
  for (const es of k.knownErrors.values()) fingerprints += es.length;
}
console.log({ fingerprints, retryHints, crossRunHints: crossHints });

const policy = { ...DEFAULT_INDUCER_POLICY, minStepsToLearn: 2, minSupport: 3, minSuccessRate: 0.3 };
const templates = induceTemplates(trajectories, () => policy);
const params = templates.flatMap((t) => t.steps.flatMap((s) => s.params));
const transforms = new Map<string, number>();
for (const p of params) if (p.transform) transforms.set(`${p.kind} ${p.transform}`, (transforms.get(`${p.kind} ${p.transform}`) ?? 0) + 1);
console.log(`${templates.length} templates (permissive policy), ${params.length} params:`, Object.fromEntries(['CONSTANT', 'SLOT', 'STEP_RESULT'].map((k) => [k, params.filter((p) => p.kind === k).length])));
console.log('params with a transform:', Object.fromEntries(transforms));
console.log('slots by query form:', templates.flatMap((t) => t.slots).reduce<Record<string, number>>((a, s) => ((a[s.queryForm ?? 'typed'] = (a[s.queryForm ?? 'typed'] ?? 0) + 1), a), {}));
