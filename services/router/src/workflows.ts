// User workflows: validated in layers, then turned into a Template (source USER) with a
// deterministic id. Layers, in the order they run (docs/router.md, "User workflows"):
//   1. schema (zod), 2. security (no code, no expressions, size limits), 3. tools exist in
//   the tenant's registry, 4. references resolve, 5. parameters fit the tools' schemas.
// Security runs before anything compiles or walks user-provided JSON Schemas.
import { WORKFLOW_LIMITS, WorkflowDefinitionSchema, type WorkflowDefinition } from '@praxis/contracts';
import { deeperThan, deterministicId, joinPath, safePatternProblem, schemaCompileProblem, schemaProblem, splitPath, wilsonLowerBound } from '@praxis/core';
import { formatIssues, TemplateSchema, type Template, type TemplateParam, type TemplateStep } from '@praxis/schemas';
import type { KnownTool } from './catalog/tools.js';

export type ValidationLayer = 'schema' | 'security' | 'tools' | 'references' | 'params';

/** A refusal: which layer, the HTTP status and error code it maps to, and every problem found. */
export interface WorkflowRejection {
  ok: false;
  layer: ValidationLayer;
  status: 400 | 422;
  error: string;
  issues: { path: string; message: string }[];
}

export interface WorkflowAccepted {
  ok: true;
  template: Template;
  warnings: string[];
}

const LAYER_ERROR: Record<ValidationLayer, { status: 400 | 422; error: string }> = {
  schema: { status: 400, error: 'invalid_body' },
  security: { status: 422, error: 'forbidden_content' },
  tools: { status: 422, error: 'unknown_tool' },
  references: { status: 422, error: 'bad_reference' },
  params: { status: 422, error: 'invalid_params' },
};

const REFERENCE = /^\{\{\s*(?:slots\.([A-Za-z_][A-Za-z0-9_]*)|steps\.(\d+)((?:\.[A-Za-z0-9_-]+)*))\s*\}\}$/;
const CODE_LIKE: [RegExp, string][] = [
  [/\{\{|\}\}/, 'expressions are not allowed: a reference must be the whole value, "{{slots.NAME}}" or "{{steps.N.path}}"'],
  [/\$\{/, 'template literals are not allowed'],
  [/<\s*script\b/i, 'script tags are not allowed'],
  [/^\s*javascript:/i, 'javascript: URLs are not allowed'],
  [/\b(?:function\s*\(|=>\s*\{|require\s*\(|import\s*\(|eval\s*\(|process\.env)/, 'code is not allowed'],
];
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
const MAX_SLOT_SCHEMA_BYTES = 10_000;
const MAX_PATTERN_LENGTH = 200;

type Reference = { kind: 'slot'; slot: string } | { kind: 'step'; stepIndex: number; resultPath: string };

/** The reference a whole string value makes, if it is one. */
export function parseReference(value: string): Reference | null {
  const m = REFERENCE.exec(value);
  if (!m) return null;
  if (m[1]) return { kind: 'slot', slot: m[1] };
  return { kind: 'step', stepIndex: Number(m[2]), resultPath: (m[3] ?? '').replace(/^\./, '') };
}

interface Leaf {
  path: string;
  value: unknown;
  reference: Reference | null;
}

/** Flattens call arguments to leaves (empty objects/arrays are leaves), checking depth, size and content. */
function leavesOf(params: Record<string, unknown>, where: string, problems: { path: string; message: string }[]): Leaf[] {
  const out: Leaf[] = [];
  const walk = (value: unknown, segments: (string | number)[], depth: number) => {
    const at = `${where}.params${segments.length ? `.${segments.join('.')}` : ''}`;
    if (depth > WORKFLOW_LIMITS.paramDepth) return void problems.push({ path: at, message: `nested deeper than ${WORKFLOW_LIMITS.paramDepth} levels` });
    if (out.length > WORKFLOW_LIMITS.paramLeavesPerStep) return;
    if (value !== null && typeof value === 'object') {
      const entries = Array.isArray(value) ? value.map((v, i) => [i, v] as const) : Object.entries(value);
      if (entries.length === 0 && segments.length > 0) out.push({ path: joinPath(segments), value, reference: null });
      for (const [k, v] of entries) {
        if (typeof k === 'string' && FORBIDDEN_KEYS.has(k)) problems.push({ path: `${at}.${k}`, message: `the key "${k}" is not allowed` });
        else walk(v, [...segments, k], depth + 1);
      }
      return;
    }
    if (typeof value === 'string') {
      if (value.length > WORKFLOW_LIMITS.stringLength) return void problems.push({ path: at, message: `longer than ${WORKFLOW_LIMITS.stringLength} characters` });
      const reference = parseReference(value);
      if (!reference) {
        const bad = CODE_LIKE.find(([re]) => re.test(value));
        if (bad) return void problems.push({ path: at, message: bad[1] });
      }
      out.push({ path: joinPath(segments), value, reference });
      return;
    }
    out.push({ path: joinPath(segments), value, reference: null });
  };
  walk(params, [], 0);
  if (out.length > WORKFLOW_LIMITS.paramLeavesPerStep) problems.push({ path: `${where}.params`, message: `more than ${WORKFLOW_LIMITS.paramLeavesPerStep} parameter values` });
  return out;
}

const MAX_SLOT_SCHEMA_DEPTH = 10;

/** Security checks of a slot's JSON Schema: depth, size, local references only, patterns a linear-time engine runs. */
function slotSchemaProblems(schema: Record<string, unknown>, at: string): { path: string; message: string }[] {
  const problems: { path: string; message: string }[] = [];
  // before anything recursive (JSON.stringify, ajv) touches it: 4,500 levels overflow the stack
  if (deeperThan(schema, MAX_SLOT_SCHEMA_DEPTH)) return [{ path: at, message: `nested deeper than ${MAX_SLOT_SCHEMA_DEPTH} levels` }];
  if (JSON.stringify(schema).length > MAX_SLOT_SCHEMA_BYTES) problems.push({ path: at, message: `larger than ${MAX_SLOT_SCHEMA_BYTES} bytes` });
  const walk = (v: unknown, path: string, depth: number) => {
    if (depth > MAX_SLOT_SCHEMA_DEPTH) return void problems.push({ path, message: 'nested too deep' });
    if (v === null || typeof v !== 'object') return;
    for (const [k, child] of Object.entries(v)) {
      if (FORBIDDEN_KEYS.has(k)) problems.push({ path: `${path}.${k}`, message: `the key "${k}" is not allowed` });
      if (k === '$ref' && (typeof child !== 'string' || !child.startsWith('#'))) problems.push({ path: `${path}.$ref`, message: 'only local references ("#/...") are allowed' });
      if (k === 'pattern' && typeof child === 'string') {
        const unsafe = child.length > MAX_PATTERN_LENGTH ? `patterns are limited to ${MAX_PATTERN_LENGTH} characters` : safePatternProblem(child);
        if (unsafe) problems.push({ path: `${path}.pattern`, message: unsafe });
      }
      if (k === 'patternProperties' && child !== null && typeof child === 'object') {
        for (const p of Object.keys(child)) {
          const unsafe = safePatternProblem(p);
          if (unsafe) problems.push({ path: `${path}.patternProperties`, message: unsafe });
        }
      }
      walk(child, `${path}.${k}`, depth + 1);
    }
  };
  walk(schema, at, 0);
  return problems;
}

/** The sub-schema of a parameter path inside a tool's parameter schema, when it can be followed. */
function subSchema(schema: Record<string, unknown>, path: string[]): Record<string, unknown> | undefined {
  let current: Record<string, unknown> | undefined = schema;
  for (const segment of path) {
    if (!current) return undefined;
    const props = current.properties as Record<string, Record<string, unknown>> | undefined;
    if (props && Object.prototype.hasOwnProperty.call(props, segment)) current = props[segment];
    else if (/^\d+$/.test(segment) && current.items && typeof current.items === 'object' && !Array.isArray(current.items)) current = current.items as Record<string, unknown>;
    else return undefined;
  }
  return current;
}

const typeSet = (schema: Record<string, unknown> | undefined): Set<string> | null => {
  const t = schema?.type;
  if (typeof t === 'string') return new Set(t === 'integer' ? ['integer', 'number'] : [t]);
  if (Array.isArray(t)) return new Set(t.flatMap((x) => (x === 'integer' ? ['integer', 'number'] : [String(x)])));
  return null;
};

function reject(layer: ValidationLayer, issues: { path: string; message: string }[]): WorkflowRejection {
  return { ok: false, layer, ...LAYER_ERROR[layer], issues };
}

export interface WorkflowContext {
  tenantId: string;
  tools: Map<string, KnownTool>;
  /** The stored version of this workflow, for PUT (its version grows by one). */
  existing?: Template;
  userPriorSuccesses: number;
  now: number;
}

/** The workflow id a tenant's workflow name gets. */
export function workflowId(tenantId: string, name: string): string {
  return deterministicId('wf', tenantId, name.trim());
}

/** Validates a workflow definition in layers and builds its Template. */
export function validateWorkflow(body: unknown, ctx: WorkflowContext): WorkflowAccepted | WorkflowRejection {
  // 1. schema
  const parsed = WorkflowDefinitionSchema.safeParse(body);
  if (!parsed.success) return reject('schema', parsed.error.issues.map((i) => ({ path: i.path.join('.') || '(root)', message: i.message })));
  const def: WorkflowDefinition = parsed.data;
  const slotNames = def.slots.map((s) => s.name);
  const duplicate = slotNames.find((n, i) => slotNames.indexOf(n) !== i);
  if (duplicate) return reject('schema', [{ path: 'slots', message: `slot "${duplicate}" is declared twice` }]);

  // 2. security
  const security: { path: string; message: string }[] = [];
  const leaves = def.steps.map((step, i) => leavesOf(step.params, `steps.${i}`, security));
  def.slots.forEach((slot, i) => security.push(...slotSchemaProblems(slot.schema, `slots.${i}.schema`)));
  [...def.triggerExamples, def.name, def.description ?? ''].forEach((text, i) => {
    const bad = CODE_LIKE.slice(1).find(([re]) => re.test(text));
    if (bad) security.push({ path: i < def.triggerExamples.length ? `triggerExamples.${i}` : 'name', message: bad[1] });
  });
  if (security.length > 0) return reject('security', security);
  const schemaIssues = def.slots.flatMap((slot, i) => {
    const problem = schemaCompileProblem(slot.schema);
    return problem ? [{ path: `slots.${i}.schema`, message: `not a valid JSON Schema: ${problem}` }] : [];
  });
  if (schemaIssues.length > 0) return reject('schema', schemaIssues);

  // 3. tools
  const unknownTools = def.steps.flatMap((step, i) =>
    ctx.tools.has(step.toolName) ? [] : [{ path: `steps.${i}.toolName`, message: `"${step.toolName}" is not a tool of this tenant (neither declared nor observed)` }],
  );
  if (unknownTools.length > 0) return reject('tools', unknownTools);

  // 4. references
  const references: { path: string; message: string }[] = [];
  leaves.forEach((stepLeaves, i) =>
    stepLeaves.forEach((leaf) => {
      const at = `steps.${i}.params.${leaf.path}`;
      if (leaf.reference?.kind === 'slot' && !slotNames.includes(leaf.reference.slot)) references.push({ path: at, message: `names no declared slot ("${leaf.reference.slot}")` });
      if (leaf.reference?.kind === 'step' && leaf.reference.stepIndex >= i) references.push({ path: at, message: `refers to step ${leaf.reference.stepIndex}, which does not run before step ${i}` });
    }),
  );
  if (references.length > 0) return reject('references', references);

  // 5. params
  const params: { path: string; message: string }[] = [];
  const warnings: string[] = [];
  def.steps.forEach((step, i) => {
    const tool = ctx.tools.get(step.toolName)!;
    const topKeys = Object.keys(step.params);
    const schema = tool.parametersSchema;
    if (schema) {
      const props = (schema.properties ?? {}) as Record<string, unknown>;
      if (schema.additionalProperties === false) {
        for (const k of topKeys) if (!(k in props)) params.push({ path: `steps.${i}.params.${k}`, message: `${step.toolName} has no parameter "${k}"` });
      }
      for (const required of (schema.required as string[] | undefined) ?? []) {
        if (!topKeys.includes(required)) params.push({ path: `steps.${i}.params`, message: `${step.toolName} needs the parameter "${required}"` });
      }
      for (const leaf of leaves[i]!) {
        const segments = splitPath(leaf.path);
        const sub = subSchema(schema, segments);
        if (!sub) continue;
        if (!leaf.reference) {
          const problem = schemaProblem(sub, leaf.value);
          if (problem) params.push({ path: `steps.${i}.params.${leaf.path}`, message: `${step.toolName}: ${problem}` });
        } else if (leaf.reference.kind === 'slot') {
          const slot = def.slots.find((s) => s.name === (leaf.reference as { slot: string }).slot)!;
          const want = typeSet(sub);
          const have = typeSet(slot.schema);
          if (want && have && ![...have].some((x) => want.has(x))) {
            params.push({ path: `steps.${i}.params.${leaf.path}`, message: `slot "${slot.name}" is ${[...have].join('|')}; ${step.toolName} expects ${[...want].join('|')}` });
          }
        }
      }
    } else if (tool.observedParams.length > 0) {
      for (const k of topKeys) if (!tool.observedParams.includes(k)) warnings.push(`steps.${i}.params.${k}: never observed in calls of ${step.toolName}`);
    }
  });
  if (params.length > 0) return reject('params', params);
  for (const name of slotNames) {
    if (!leaves.some((stepLeaves) => stepLeaves.some((l) => l.reference?.kind === 'slot' && l.reference.slot === name))) warnings.push(`slot "${name}" is declared but never used`);
  }

  const steps: TemplateStep[] = def.steps.map((step, i) => ({
    index: i,
    toolName: step.toolName,
    params: leaves[i]!.map((leaf): TemplateParam => {
      const ref = leaf.reference;
      if (ref?.kind === 'slot') return { path: leaf.path, kind: 'SLOT', valueJson: null, slotName: ref.slot, stepIndex: null, resultPath: null };
      if (ref?.kind === 'step') return { path: leaf.path, kind: 'STEP_RESULT', valueJson: null, slotName: null, stepIndex: ref.stepIndex, resultPath: ref.resultPath };
      return { path: leaf.path, kind: 'CONSTANT', valueJson: JSON.stringify(leaf.value), slotName: null, stepIndex: null, resultPath: null };
    }),
    paramShapeHash: null,
    resultShapeHash: null,
    loop: null,
    optional: false,
    conditionJson: null,
    segmentId: null,
  }));
  const prior = ctx.userPriorSuccesses;
  const candidate = {
    templateId: workflowId(ctx.tenantId, def.name),
    version: (ctx.existing?.version ?? 0) + 1,
    tenantId: ctx.tenantId,
    agentId: def.agentId ?? null,
    source: 'USER',
    status: 'ACTIVE',
    name: def.name,
    description: def.description ?? null,
    signature: def.steps.map((s) => s.toolName),
    steps,
    slots: def.slots.map((s) => ({ name: s.name, schemaJson: JSON.stringify(s.schema), required: s.required, source: s.source, description: s.description ?? null, examplesJson: s.examples.map((e) => JSON.stringify(e)) })),
    triggerExamples: def.triggerExamples,
    stats: { support: 0, successes: 0, executions: 0, executionSuccesses: 0, meanDurationMs: 0, meanTokens: 0, firstSeenMs: ctx.now, lastSeenMs: ctx.now },
    confidence: wilsonLowerBound(prior, prior),
    belowThreshold: false,
    statusReason: ctx.existing ? 'updated by a user' : 'declared by a user',
    createdAtMs: ctx.existing?.createdAtMs ?? ctx.now,
    updatedAtMs: ctx.now,
  };
  const contract = TemplateSchema.safeParse(candidate);
  if (!contract.success) return reject('schema', [{ path: '(template)', message: formatIssues(contract.error) }]);
  return { ok: true, template: contract.data, warnings };
}
