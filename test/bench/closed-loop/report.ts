// Per-seed figures by similarity band (and over all tasks), as harness measurements: every
// sample is one seed's figure, so the harness's median and spread are across seeds.
import type { Measurement } from '../harness.js';
import type { SeedResult, StrategyFigures, TaskOutcome } from './experiment.js';
import { SENSITIVITY_RECOVERY_RATES } from './parameters.js';
import { BANDS, type Band } from './scoring.js';

export type Scope = Band | 'all';
export const SCOPES: readonly Scope[] = [...BANDS, 'all'];

const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
const pct = (tasks: TaskOutcome[], test: (t: TaskOutcome) => boolean) => (100 * tasks.filter(test).length) / tasks.length;

/** The tasks of a seed in a scope. */
export function inScope(seed: SeedResult, scope: Scope): TaskOutcome[] {
  return scope === 'all' ? seed.tasks : seed.tasks.filter((t) => t.band === scope);
}

interface Metric {
  key: string;
  label: string;
  unit: string;
  higherIsBetter: boolean;
  baseline?: string;
  value(tasks: TaskOutcome[]): number;
}

const strategy = (key: 'baseline' | 'praxis' | 'praxisNoHints') => (t: TaskOutcome): StrategyFigures => t[key];

const METRICS: Metric[] = [
  { key: 'tokens_baseline', label: 'tokens/task, baseline (plans every task)', unit: 'tokens', higherIsBetter: false, value: (ts) => mean(ts.map((t) => strategy('baseline')(t).tokens)) },
  { key: 'tokens_praxis', label: 'tokens/task, Praxis', unit: 'tokens', higherIsBetter: false, baseline: 'tokens_baseline', value: (ts) => mean(ts.map((t) => t.praxis.tokens)) },
  { key: 'tokens_praxis_no_hints', label: 'tokens/task, Praxis without hints', unit: 'tokens', higherIsBetter: false, baseline: 'tokens_baseline', value: (ts) => mean(ts.map((t) => t.praxisNoHints.tokens)) },
  { key: 'success_baseline', label: 'success, baseline', unit: '%', higherIsBetter: true, value: (ts) => pct(ts, (t) => t.baseline.success) },
  { key: 'success_praxis', label: 'success, Praxis (final)', unit: '%', higherIsBetter: true, baseline: 'success_baseline', value: (ts) => pct(ts, (t) => t.praxis.success) },
  { key: 'success_praxis_first_try', label: 'success, Praxis first try (no fallback)', unit: '%', higherIsBetter: true, baseline: 'success_baseline', value: (ts) => pct(ts, (t) => t.praxis.firstTry) },
  { key: 'success_praxis_no_hints', label: 'success, Praxis without hints', unit: '%', higherIsBetter: true, baseline: 'success_baseline', value: (ts) => pct(ts, (t) => t.praxisNoHints.success) },
  { key: 'success_gain', label: 'success gain, Praxis - baseline', unit: 'points', higherIsBetter: true, value: (ts) => pct(ts, (t) => t.praxis.success) - pct(ts, (t) => t.baseline.success) },
  { key: 'latency_baseline', label: 'latency/task, baseline (modelled)', unit: 'ms', higherIsBetter: false, value: (ts) => mean(ts.map((t) => t.baseline.latencyMs)) },
  { key: 'latency_praxis', label: 'latency/task, Praxis (modelled + real lookup)', unit: 'ms', higherIsBetter: false, baseline: 'latency_baseline', value: (ts) => mean(ts.map((t) => t.praxis.latencyMs)) },
  { key: 'lookup_ms', label: 'router lookup (real, in-process), in the Praxis latency', unit: 'ms', higherIsBetter: false, value: (ts) => mean(ts.map((t) => t.lookupMs)) },
  { key: 'llm_calls_baseline', label: 'LLM calls/task, baseline', unit: 'calls', higherIsBetter: false, value: (ts) => mean(ts.map((t) => t.baseline.llmCalls)) },
  { key: 'llm_calls_praxis', label: 'LLM calls/task, Praxis', unit: 'calls', higherIsBetter: false, baseline: 'llm_calls_baseline', value: (ts) => mean(ts.map((t) => t.praxis.llmCalls)) },
  { key: 'tool_errors_baseline', label: 'failed tool calls/task, baseline', unit: 'calls', higherIsBetter: false, value: (ts) => mean(ts.map((t) => t.baseline.toolErrors)) },
  { key: 'tool_errors_praxis', label: 'failed tool calls/task, Praxis', unit: 'calls', higherIsBetter: false, baseline: 'tool_errors_baseline', value: (ts) => mean(ts.map((t) => t.praxis.toolErrors)) },
  { key: 'tier_reuse', label: 'tier reuse', unit: '%', higherIsBetter: true, value: (ts) => pct(ts, (t) => t.tier === 'reuse') },
  { key: 'tier_rewrite', label: 'tier rewrite', unit: '%', higherIsBetter: true, value: (ts) => pct(ts, (t) => t.tier === 'rewrite') },
  { key: 'tier_plan', label: 'tier plan', unit: '%', higherIsBetter: false, value: (ts) => pct(ts, (t) => t.tier === 'plan') },
  { key: 'fallbacks', label: 'Praxis fell back to planning', unit: '%', higherIsBetter: false, value: (ts) => pct(ts, (t) => t.praxis.fellBack) },
  { key: 'rewrite_unbound', label: 'rewrite slots unbound (no model configured): task planned instead', unit: '%', higherIsBetter: false, value: (ts) => pct(ts, (t) => t.praxis.unboundSlots > 0) },
  { key: 'false_hits', label: 'false hits (served workflow ran, task not done)', unit: '%', higherIsBetter: false, value: (ts) => pct(ts, (t) => t.praxis.falseHit) },
  ...SENSITIVITY_RECOVERY_RATES.flatMap((rate): Metric[] => [
    { key: `success_baseline_r${rate}`, label: `success, baseline, recoveryRate ${rate}`, unit: '%', higherIsBetter: true, value: (ts) => pct(ts, (t) => t.sensitivity[String(rate)]!.baseline) },
    { key: `success_praxis_r${rate}`, label: `success, Praxis, recoveryRate ${rate}`, unit: '%', higherIsBetter: true, baseline: `success_baseline_r${rate}`, value: (ts) => pct(ts, (t) => t.sensitivity[String(rate)]!.praxis) },
  ]),
];

/** The measurements of the seeds: per scope, the task count, then every metric (seeds without a task in the scope give no sample). */
export function measurements(seeds: SeedResult[]): Measurement[] {
  const out: Measurement[] = [];
  for (const scope of SCOPES) {
    const perSeed = seeds.map((s) => inScope(s, scope));
    const populated = perSeed.filter((ts) => ts.length > 0);
    const name = (key: string) => `closed_loop.${scope}.${key}`;
    out.push({ name: name('tasks'), label: `[${scope}] tasks per seed`, unit: 'tasks', higherIsBetter: true, samples: perSeed.map((ts) => ts.length), notes: `per seed: ${perSeed.map((ts) => ts.length).join(', ')}` });
    if (populated.length === 0) continue;
    for (const m of METRICS) {
      out.push({
        name: name(m.key),
        label: `[${scope}] ${m.label}`,
        unit: m.unit,
        higherIsBetter: m.higherIsBetter,
        samples: populated.map((ts) => m.value(ts)),
        ...(m.baseline ? { baseline: name(m.baseline) } : {}),
      });
    }
  }
  return out;
}
