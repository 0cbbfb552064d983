// Scores learned templates against the planted workflows: precision and recall of the
// signatures, then for each recovered workflow whether every parameter was learned as the
// right constant, slot (source and schema) or binding; and which error kinds got a hint.
import { safePatternProblem, safePatternTest } from '@praxis/core';
import type { Template } from '@praxis/schemas';
import { AGENTS, plantedWorkflows, type PlantedWorkflow } from './fleet.js';
import type { ErrorKind } from './tools.js';

export interface ParamMismatch {
  workflowId: string;
  step: number;
  path: string;
  problem: string;
}

export interface Evaluation {
  /** Learned templates that are served or could be (not RETIRED, not SUPERSEDED). */
  considered: number;
  precision: number;
  recall: number;
  recovered: { workflowId: string; templateId: string; status: string }[];
  missing: string[];
  /** Templates matching no planted workflow: signature and support. */
  extra: { templateId: string; signature: string[]; support: number; status: string }[];
  mismatches: ParamMismatch[];
  /** Error kind to whether some template carries a hint that fixes it. */
  hints: Record<ErrorKind, { expected: boolean; found: boolean; example?: string }>;
}

const sameSignature = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x, i) => x === b[i]);

function checkParams(wf: PlantedWorkflow, t: Template): ParamMismatch[] {
  const out: ParamMismatch[] = [];
  const slotOfGroundTruth = new Map<string, string>();
  wf.steps.forEach((step, i) => {
    const learned = t.steps[i]?.params ?? [];
    for (const p of step.params) {
      const bad = (problem: string) => out.push({ workflowId: wf.id, step: i, path: p.path, problem });
      const got = learned.find((x) => x.path === p.path);
      if (!got) {
        bad('parameter missing from the template');
        continue;
      }
      if (got.kind !== p.kind) {
        bad(`expected ${p.kind}${p.source ? ` (${p.source})` : ''}, learned ${got.kind}`);
        continue;
      }
      if (p.kind === 'CONSTANT' && JSON.stringify(p.value) !== got.valueJson) bad(`constant ${JSON.stringify(p.value)} learned as ${got.valueJson}`);
      if (p.kind === 'STEP_RESULT' && (got.stepIndex !== p.stepIndex || got.resultPath !== p.resultPath)) {
        bad(`binding step ${p.stepIndex}.${p.resultPath} learned as step ${got.stepIndex}.${got.resultPath}`);
      }
      if (p.kind === 'SLOT') {
        const slot = t.slots.find((s) => s.name === got.slotName);
        if (!slot) {
          bad(`slot ${got.slotName} is not declared`);
          continue;
        }
        if (slot.source !== p.source) bad(`slot source ${p.source} learned as ${slot.source}`);
        if (p.source !== 'GENERATED' && p.slot) {
          const seen = slotOfGroundTruth.get(p.slot);
          if (seen && seen !== slot.name) bad(`the same value is slot ${seen} elsewhere, ${slot.name} here`);
          slotOfGroundTruth.set(p.slot, slot.name);
        }
        const schema = JSON.parse(slot.schemaJson) as Record<string, unknown>;
        const want = p.schema ?? {};
        if (want.type && schema.type !== want.type) bad(`type ${String(want.type)} learned as ${String(schema.type)}`);
        if (want.format && schema.format !== want.format) bad(`format ${String(want.format)} learned as ${String(schema.format)}`);
        if (want.pattern) {
          if (typeof schema.pattern !== 'string') bad('no pattern learned for an id');
          else {
            // a learned pattern is data: compiled by the one safe engine, as the router does
            const pattern = schema.pattern;
            const problem = safePatternProblem(pattern);
            const rejected = problem ? [] : (p.samples ?? []).filter((v) => !safePatternTest(pattern, String(v)));
            if (problem) bad(`pattern ${pattern} refused: ${problem}`);
            if (rejected.length) bad(`pattern ${schema.pattern} rejects valid values such as ${String(rejected[0])}`);
          }
        }
        if (Array.isArray(want.enum)) {
          if (!Array.isArray(schema.enum)) bad('no enum learned for a value from a short list');
          else if (schema.enum.some((v) => !(want.enum as unknown[]).includes(v))) bad(`enum ${JSON.stringify(schema.enum)} is not within ${JSON.stringify(want.enum)}`);
        }
      }
    }
  });
  return out;
}

/** Evaluates learned templates (latest version of each) against the fleet's planted workflows. */
export function evaluateTemplates(templates: readonly Template[], options: { agents?: string[] } = {}): Evaluation {
  const agents = AGENTS.filter((a) => !options.agents || options.agents.includes(`${a.tenantId}/${a.agentId}`));
  const planted = plantedWorkflows(agents);
  const scope = new Set(agents.map((a) => `${a.tenantId}/${a.agentId}`));
  const considered = templates.filter((t) => t.source === 'LEARNED' && t.status !== 'RETIRED' && t.status !== 'SUPERSEDED' && scope.has(`${t.tenantId}/${t.agentId}`));
  const recovered: Evaluation['recovered'] = [];
  const mismatches: ParamMismatch[] = [];
  const matchedIds = new Set<string>();
  for (const wf of planted) {
    const t = considered.find((x) => x.tenantId === wf.tenantId && x.agentId === wf.agentId && sameSignature(x.signature, wf.signature));
    if (!t) continue;
    matchedIds.add(t.templateId);
    recovered.push({ workflowId: wf.id, templateId: t.templateId, status: t.status });
    mismatches.push(...checkParams(wf, t));
  }
  const extra = considered.filter((t) => !matchedIds.has(t.templateId)).map((t) => ({ templateId: t.templateId, signature: t.signature, support: t.stats.support, status: t.status }));

  const hints = {} as Evaluation['hints'];
  const kinds: ErrorKind[] = ['DATE_FORMAT', 'ENUM_CASE', 'PREREQUISITE', 'RATE_LIMIT'];
  for (const kind of kinds) {
    const wanted: { tenantId: string; agentId: string; tool: string; param?: string }[] = [];
    for (const agent of agents) {
      for (const wf of agent.workflows) {
        for (const m of wf.mistakes ?? []) if (m.kind === kind) wanted.push({ tenantId: agent.tenantId, agentId: agent.agentId, tool: wf.steps[m.step]!.tool, param: m.param });
      }
      for (const tool of agent.tools) if ((kind === 'RATE_LIMIT' || kind === 'PREREQUISITE') && tool.errors?.includes(kind)) wanted.push({ tenantId: agent.tenantId, agentId: agent.agentId, tool: tool.name });
    }
    let example: string | undefined;
    for (const t of considered) {
      for (const h of t.avoidanceHints) {
        const w = wanted.find((x) => x.tenantId === t.tenantId && x.agentId === t.agentId && x.tool === h.toolName);
        if (!w) continue;
        const changes = h.paramChangesJson ? (JSON.parse(h.paramChangesJson) as Record<string, unknown>) : {};
        const fits =
          (kind === 'RATE_LIMIT' && h.kind === 'RETRY') ||
          (kind === 'PREREQUISITE' && h.kind === 'EXTRA_STEP' && h.extraToolName === 'build_image') ||
          ((kind === 'DATE_FORMAT' || kind === 'ENUM_CASE') && h.kind === 'PARAM_CHANGE' && w.param !== undefined && w.param in changes);
        if (fits && !example) example = `${t.tenantId}/${t.agentId} ${h.toolName}: ${h.description}`;
      }
    }
    hints[kind] = { expected: wanted.length > 0, found: example !== undefined, example };
  }

  return {
    considered: considered.length,
    precision: considered.length === 0 ? 0 : matchedIds.size / considered.length,
    recall: planted.length === 0 ? 0 : recovered.length / planted.length,
    recovered,
    missing: planted.filter((wf) => !recovered.some((r) => r.workflowId === wf.id)).map((wf) => wf.id),
    extra,
    mismatches,
    hints,
  };
}
