// Error knowledge of an agent: the fingerprints each tool failed with, and avoidance hints,
// i.e. what changed between a failed call and the successful retry that followed it.
import { stableStringify, type JsonPrimitive } from '@praxis/core';
import type { AvoidanceHint, KnownError } from '@praxis/schemas';
import { schemaOf } from './slot-schema.js';
import type { InstanceStep, TrajectorySummary } from './summary.js';
import { crossRunHints } from './unrecovered.js';

export interface ErrorKnowledge {
  knownErrors: Map<string, KnownError[]>;
  hints: Map<string, AvoidanceHint[]>;
}

interface HintGroup {
  toolName: string;
  fingerprint: string;
  kind: AvoidanceHint['kind'];
  key: string;
  occurrences: number;
  lastSeenMs: number;
  sample: string;
  fixedValues: Map<string, (JsonPrimitive | undefined)[]>;
  example: { failed: InstanceStep; fixed: InstanceStep; extra: InstanceStep | null };
}

const show = (v: JsonPrimitive | undefined) => (v === undefined ? '(absent)' : JSON.stringify(v));

function changedPaths(a: InstanceStep, b: InstanceStep): string[] {
  const paths = new Set([...a.values.keys(), ...b.values.keys()]);
  return [...paths].filter((p) => stableStringify(a.values.get(p) ?? null) !== stableStringify(b.values.get(p) ?? null) || a.values.has(p) !== b.values.has(p)).sort();
}

/** How the extra step's arguments relate to the failed call's: {extraPath: {fromParam: failedPath}}. */
function extraStepMapping(extra: InstanceStep, failed: InstanceStep): Record<string, unknown> | null {
  const mapping: Record<string, unknown> = {};
  for (const [path, value] of extra.values) {
    const from = [...failed.values].find(([, v]) => stableStringify(v) === stableStringify(value));
    if (from) mapping[path] = { fromParam: from[0] };
  }
  return Object.keys(mapping).length > 0 ? mapping : null;
}

/** Builds the agent's error knowledge from its trajectories (oldest first). Caps: `perTool` of each. */
export function errorKnowledge(summaries: readonly TrajectorySummary[], maxEnum: number, perTool = 20): ErrorKnowledge {
  const known = new Map<string, KnownError>();
  const groups = new Map<string, HintGroup>();
  for (const t of summaries) {
    t.steps.forEach((step, i) => {
      if (step.status === 'ERROR' && step.errorFingerprint) {
        const key = `${step.toolName}\u0000${step.errorFingerprint}`;
        const k = known.get(key) ?? { toolName: step.toolName, fingerprint: step.errorFingerprint, sampleMessage: '', occurrences: 0, lastSeenMs: 0 };
        k.occurrences++;
        if (step.timestampMs >= k.lastSeenMs) {
          k.lastSeenMs = step.timestampMs;
          k.sampleMessage = step.errorMessage ?? step.errorType ?? '';
        }
        known.set(key, k);
      }
      if (step.retryOf === null || step.status !== 'OK') return;
      const failed = t.steps[step.retryOf]!;
      if (!failed.errorFingerprint) return;
      const between = t.steps.slice(step.retryOf + 1, i);
      const changed = changedPaths(failed, step);
      const kind: AvoidanceHint['kind'] = changed.length > 0 ? 'PARAM_CHANGE' : between.length > 0 ? 'EXTRA_STEP' : 'RETRY';
      const detail = kind === 'PARAM_CHANGE' ? changed.join(',') : kind === 'EXTRA_STEP' ? between[0]!.toolName : '';
      const gk = [step.toolName, failed.errorFingerprint, kind, detail].join('\u0000');
      let g = groups.get(gk);
      if (!g) {
        g = { toolName: step.toolName, fingerprint: failed.errorFingerprint, kind, key: detail, occurrences: 0, lastSeenMs: -1, sample: '', fixedValues: new Map(changed.map((p) => [p, []])), example: { failed, fixed: step, extra: between[0] ?? null } };
        groups.set(gk, g);
      }
      g.occurrences++;
      for (const p of changed) g.fixedValues.get(p)!.push(step.values.get(p));
      if (step.timestampMs >= g.lastSeenMs) {
        g.lastSeenMs = step.timestampMs;
        g.sample = failed.errorMessage ?? failed.errorType ?? '';
        g.example = { failed, fixed: step, extra: between[0] ?? null };
      }
    });
  }

  const knownErrors = new Map<string, KnownError[]>();
  for (const k of known.values()) knownErrors.set(k.toolName, [...(knownErrors.get(k.toolName) ?? []), k]);
  for (const [tool, list] of knownErrors) knownErrors.set(tool, list.sort((a, b) => b.occurrences - a.occurrences || (a.fingerprint < b.fingerprint ? -1 : 1)).slice(0, perTool));

  const hints = new Map<string, AvoidanceHint[]>();
  // failures nobody retried in their own run learn from the successful calls of other runs
  for (const hint of crossRunHints(summaries, maxEnum)) hints.set(hint.toolName, [...(hints.get(hint.toolName) ?? []), hint]);
  for (const g of groups.values()) {
    const { failed, fixed, extra } = g.example;
    let description: string;
    let paramChangesJson: string | null = null;
    if (g.kind === 'PARAM_CHANGE') {
      const changes: Record<string, unknown> = {};
      for (const [path, values] of g.fixedValues) {
        const present = values.filter((v): v is JsonPrimitive => v !== undefined);
        const distinct = new Set(present.map((v) => stableStringify(v)));
        changes[path] = present.length === 0 ? null : distinct.size === 1 ? present[0] : schemaOf(present, maxEnum);
      }
      paramChangesJson = JSON.stringify(changes);
      const shown = [...g.fixedValues.keys()].map((p) => `${p} from ${show(failed.values.get(p))} to ${show(fixed.values.get(p))}`).join(', ');
      description = `${g.toolName} failed with "${g.sample}"; it worked after changing ${shown} (${g.occurrences}x)`;
    } else if (g.kind === 'EXTRA_STEP') {
      const mapping = extra ? extraStepMapping(extra, failed) : null;
      paramChangesJson = mapping ? JSON.stringify(mapping) : null;
      description = `${g.toolName} failed with "${g.sample}"; it worked after calling ${g.key} first (${g.occurrences}x)`;
    } else {
      description = `${g.toolName} failed with "${g.sample}" and worked when called again (${g.occurrences}x)`;
    }
    const hint: AvoidanceHint = {
      toolName: g.toolName,
      fingerprint: g.fingerprint,
      kind: g.kind,
      description,
      paramChangesJson,
      extraToolName: g.kind === 'EXTRA_STEP' ? g.key : null,
      occurrences: g.occurrences,
    };
    hints.set(g.toolName, [...(hints.get(g.toolName) ?? []), hint]);
  }
  for (const [tool, list] of hints) {
    hints.set(
      tool,
      list.sort((a, b) => b.occurrences - a.occurrences || (a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : 0) || (a.fingerprint < b.fingerprint ? -1 : a.fingerprint > b.fingerprint ? 1 : 0) || (a.description < b.description ? -1 : 1)).slice(0, perTool),
    );
  }
  return { knownErrors, hints };
}
