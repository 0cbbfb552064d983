import { z } from 'zod';
import { epochMs, id, int32, jsonText, long, nullableString } from './common.js';

export const TemplateSource = z.enum(['LEARNED', 'USER']);
export const TemplateStatus = z.enum(['DRAFT', 'ACTIVE', 'SUPERSEDED', 'RETIRED']);
export const ParamKind = z.enum(['CONSTANT', 'SLOT', 'STEP_RESULT', 'LOOP_ITEM']);
export const SlotSource = z.enum(['QUERY', 'CONTEXT', 'GENERATED']);
export const HintKind = z.enum(['PARAM_CHANGE', 'EXTRA_STEP', 'RETRY']);

export const TemplateParamSchema = z
  .object({
    path: z.string().min(1),
    kind: ParamKind,
    valueJson: jsonText('any').nullable().default(null),
    slotName: nullableString,
    stepIndex: int32.min(0).nullable().default(null),
    resultPath: nullableString,
    // optional in the TS type too, so code that builds templates without it still compiles; parsing fills null
    transform: z.string().max(200).regex(/^[a-z_]+(:[^|]+)?(\|[a-z_]+(:[^|]+)?)*$/, 'must be a transform name or names joined by |').nullable().default(null).optional(),
    // STEP_RESULT: which element of an array of the result (optional in the TS type, like transform)
    // (first/last also among the elements whose field has the word a slot holds: first@<field>~<slot>)
    select: z.string().max(210).regex(/^((first|last)(@[^|=~@]{1,60}~[^|]{1,60})?|(min|max):[^|]{1,200})$/, 'must be first, last, min:<field> or max:<field>, optionally @<field>~<slot>').nullable().default(null).optional(),
  })
  .superRefine((p, ctx) => {
    if (p.kind === 'CONSTANT' && p.valueJson === null) ctx.addIssue({ code: 'custom', path: ['valueJson'], message: 'is required for a CONSTANT' });
    if (p.kind === 'SLOT' && p.slotName === null) ctx.addIssue({ code: 'custom', path: ['slotName'], message: 'is required for a SLOT' });
    if (p.kind === 'STEP_RESULT' && p.stepIndex === null) ctx.addIssue({ code: 'custom', path: ['stepIndex'], message: 'is required for a STEP_RESULT' });
    if (p.select != null && (p.kind !== 'STEP_RESULT' || !(p.resultPath ?? '').split('.').includes('*'))) ctx.addIssue({ code: 'custom', path: ['select'], message: 'is for a STEP_RESULT whose resultPath has a * segment (the chosen element)' });
  });

/** A step's repetition over a collection: an earlier step's result array, or a list slot. */
export const TemplateLoopSchema = z
  .object({
    overStepIndex: int32.min(0).nullable().default(null),
    overPath: nullableString,
    overSlot: nullableString,
    // with overStepIndex: only the elements whose <field> has the word slot <slot> holds (`sender~sender_word`); optional in the TS type
    overWhere: z.string().max(130).regex(/^[^~|]{1,60}~[^~|]{1,60}$/, 'must be <field>~<slot>').nullable().default(null).optional(),
    maxIterations: int32.min(1).default(100),
  })
  .refine((l) => (l.overStepIndex !== null) !== (l.overSlot !== null), 'a loop iterates over exactly one of overStepIndex (with overPath) or overSlot');

const safeJson = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
};

/**
 * When an optional step runs (docs/learning.md, "Conditional steps"): `whenSlot` when that slot
 * has a value; `whenResult` when an earlier step's result (at `path`, "" for the whole result)
 * has elements (a non-empty list or object) or has none (null, missing, an empty list or
 * object, a scalar such as a message). Two steps with opposite `has` are an either/or branch.
 * `whenValue` when `some` (or `all`) of the numbers of an earlier step's result at `path`
 * satisfy the comparison a slot holds (">21", read from the query), or (`holds: false`) when
 * they do not.
 */
export const StepConditionSchema = z.union([
  z.object({ whenSlot: z.string().min(1) }).strict(),
  z.object({ whenResult: z.object({ step: z.number().int().min(0), path: z.string(), has: z.enum(['elements', 'none']) }).strict() }).strict(),
  z.object({ whenValue: z.object({ step: z.number().int().min(0), path: z.string(), quantifier: z.enum(['some', 'all']), slot: z.string().min(1), holds: z.boolean() }).strict() }).strict(),
]);
export type StepCondition = z.output<typeof StepConditionSchema>;

export const TemplateStepSchema = z.object({
  index: int32.min(0),
  toolName: z.string().min(1).max(200),
  params: z.array(TemplateParamSchema),
  paramShapeHash: nullableString,
  resultShapeHash: nullableString,
  loop: TemplateLoopSchema.nullable().default(null),
  optional: z.boolean().default(false),
  conditionJson: z
    .string()
    .refine((text) => StepConditionSchema.safeParse(safeJson(text)).success, 'must be JSON of the form {"whenSlot": "<slot name>"}, {"whenResult": {"step": <earlier index>, "path": "<result path>", "has": "elements" | "none"}} or {"whenValue": {"step": <earlier index>, "path": "<result path>", "quantifier": "some" | "all", "slot": "<slot name>", "holds": true | false}}')
    .nullable()
    .default(null)
    .describe('Optional steps: when the step runs, as JSON. {"whenSlot": NAME}: that slot has a value. {"whenResult": {"step": S, "path": P, "has": "elements" | "none"}}: earlier step S\'s result at P ("" the whole result) has elements (a non-empty list or object) or has none (null, empty, a scalar such as a message); two steps with opposite "has" are an either/or branch. {"whenValue": {"step": S, "path": P, "quantifier": "some" | "all", "slot": NAME, "holds": B}}: whether some (all) numbers of step S\'s result at P satisfy the comparison slot NAME holds (">21") is B. A step whose condition is false is reported as skipped, with the reason.'),
  segmentId: nullableString,
});

export const SlotSchema = z.object({
  name: z.string().min(1).max(200),
  schemaJson: jsonText('object'),
  required: z.boolean().default(true),
  source: SlotSource,
  description: nullableString,
  examplesJson: z.array(jsonText('any')).default([]),
  queryForm: z.string().refine((f) => ['date', 'date_past', 'date_daytime', 'today', 'date_or_today', 'duration', 'name', 'token', 'comparison', 'known_value'].includes(f), 'must be date, date_past, date_daytime, today, date_or_today, duration, name, token, comparison or known_value').nullable().default(null).optional(),
});

export const TemplateStatsSchema = z.object({
  support: int32.min(0),
  successes: int32.min(0),
  executions: int32.min(0).default(0),
  executionSuccesses: int32.min(0).default(0),
  meanDurationMs: z.number().min(0).default(0),
  meanTokens: z.number().min(0).default(0),
  firstSeenMs: long.min(0).default(0),
  lastSeenMs: long.min(0).default(0),
});

export const KnownErrorSchema = z.object({
  toolName: z.string().min(1),
  fingerprint: z.string().min(1),
  sampleMessage: z.string(),
  occurrences: int32.min(0),
  lastSeenMs: long.min(0),
});

export const AvoidanceHintSchema = z.object({
  toolName: z.string().min(1),
  fingerprint: z.string().min(1),
  kind: HintKind,
  description: z.string(),
  paramChangesJson: jsonText('object').nullable().default(null),
  extraToolName: nullableString,
  occurrences: int32.min(0),
});

export const LineageRefSchema = z.object({
  trajectoryId: id,
  partition: int32.min(0),
  offset: long.min(0),
});

/** Template (praxis.templates.v1 value): mirrors schemas/avro/template.avsc. */
export const TemplateSchema = z
  .object({
    templateId: id,
    version: int32.min(1),
    tenantId: id,
    agentId: id.nullable().default(null),
    source: TemplateSource,
    status: TemplateStatus,
    name: z.string().min(1).max(500),
    description: nullableString,
    signature: z.array(z.string().min(1)),
    steps: z.array(TemplateStepSchema).min(1, 'a template needs at least one step'),
    slots: z.array(SlotSchema),
    triggerExamples: z.array(z.string()).default([]),
    stats: TemplateStatsSchema,
    confidence: z.number().min(0).max(1),
    belowThreshold: z.boolean().default(false),
    knownErrors: z.array(KnownErrorSchema).default([]),
    avoidanceHints: z.array(AvoidanceHintSchema).default([]),
    toolSchemaHashes: z.record(z.string(), z.string()).default({}),
    lineage: z.array(LineageRefSchema).default([]),
    supersededBy: id.nullable().default(null),
    structureFit: z.number().min(0).max(1).nullable().default(null),
    partialSteps: int32.min(1).nullable().default(null),
    statusReason: nullableString,
    conflictingTasks: int32.min(0).nullable().default(null),
    createdAtMs: epochMs,
    updatedAtMs: epochMs,
  })
  .superRefine((t, ctx) => {
    const slotNames = new Set(t.slots.map((s) => s.name));
    if (slotNames.size !== t.slots.length) ctx.addIssue({ code: 'custom', path: ['slots'], message: 'slot names must be unique' });
    t.steps.forEach((step, i) => {
      if (step.index !== i) ctx.addIssue({ code: 'custom', path: ['steps', i, 'index'], message: `must be ${i}` });
      step.params.forEach((p, j) => {
        if (p.kind === 'SLOT' && p.slotName !== null && !slotNames.has(p.slotName)) {
          ctx.addIssue({ code: 'custom', path: ['steps', i, 'params', j, 'slotName'], message: `names no slot ("${p.slotName}")` });
        }
        if (p.kind === 'STEP_RESULT' && p.stepIndex !== null && p.stepIndex >= i) {
          ctx.addIssue({ code: 'custom', path: ['steps', i, 'params', j, 'stepIndex'], message: 'must refer to an earlier step' });
        }
        if (p.kind === 'LOOP_ITEM' && step.loop === null) ctx.addIssue({ code: 'custom', path: ['steps', i, 'params', j, 'kind'], message: 'LOOP_ITEM needs a loop on its step' });
      });
      const loop = step.loop;
      if (loop?.overStepIndex != null && loop.overStepIndex >= i) ctx.addIssue({ code: 'custom', path: ['steps', i, 'loop', 'overStepIndex'], message: 'must refer to an earlier step' });
      if (loop?.overSlot != null && !slotNames.has(loop.overSlot)) ctx.addIssue({ code: 'custom', path: ['steps', i, 'loop', 'overSlot'], message: `names no slot ("${loop.overSlot}")` });
      const where = loopWhere(loop);
      if (where && (loop?.overStepIndex == null || !slotNames.has(where.slot))) ctx.addIssue({ code: 'custom', path: ['steps', i, 'loop', 'overWhere'], message: `is for a loop over a step's result, naming a slot ("${where.slot}")` });
      if (step.conditionJson !== null) {
        if (!step.optional) ctx.addIssue({ code: 'custom', path: ['steps', i, 'conditionJson'], message: 'only optional steps have a condition' });
        const condition = StepConditionSchema.safeParse(safeJson(step.conditionJson)).data;
        if (condition && 'whenSlot' in condition && !slotNames.has(condition.whenSlot)) ctx.addIssue({ code: 'custom', path: ['steps', i, 'conditionJson'], message: `names no slot ("${condition.whenSlot}")` });
        if (condition && 'whenResult' in condition && condition.whenResult.step >= i) ctx.addIssue({ code: 'custom', path: ['steps', i, 'conditionJson'], message: 'must refer to an earlier step' });
        if (condition && 'whenValue' in condition && condition.whenValue.step >= i) ctx.addIssue({ code: 'custom', path: ['steps', i, 'conditionJson'], message: 'must refer to an earlier step' });
        if (condition && 'whenValue' in condition && !slotNames.has(condition.whenValue.slot)) ctx.addIssue({ code: 'custom', path: ['steps', i, 'conditionJson'], message: `names no slot ("${condition.whenValue.slot}")` });
      }
    });
    if (t.partialSteps !== null && t.partialSteps > t.steps.length) ctx.addIssue({ code: 'custom', path: ['partialSteps'], message: `must be at most the ${t.steps.length} steps` });
    if (t.signature.length !== t.steps.length || t.signature.some((tool, i) => t.steps[i]?.toolName !== tool)) {
      ctx.addIssue({ code: 'custom', path: ['signature'], message: 'must list the tool names of steps, in order' });
    }
  });

export type Template = z.output<typeof TemplateSchema>;
export type TemplateInput = z.input<typeof TemplateSchema>;
export type TemplateStep = z.output<typeof TemplateStepSchema>;
export type TemplateParam = z.output<typeof TemplateParamSchema>;
export type TemplateLoop = z.output<typeof TemplateLoopSchema>;
export type Slot = z.output<typeof SlotSchema>;
export type AvoidanceHint = z.output<typeof AvoidanceHintSchema>;
export type KnownError = z.output<typeof KnownErrorSchema>;

/** The template topic's key: the template id (compaction keeps the latest version). */
/** A loop's element filter (`overWhere`, FIELD~SLOT): the field whose words are matched and the slot that holds the word. */
export interface LoopWhere {
  field: string;
  slot: string;
}

/** Reads `overWhere` (null when the loop has none). */
export function loopWhere(loop: Pick<TemplateLoop, 'overWhere'> | null | undefined): LoopWhere | null {
  const text = loop?.overWhere;
  if (!text) return null;
  const at = text.indexOf('~');
  return { field: text.slice(0, at), slot: text.slice(at + 1) };
}

/** Writes `overWhere` from its parts. */
export function loopWhereText(where: LoopWhere): string {
  return `${where.field}~${where.slot}`;
}

export function templateKey(t: Pick<Template, 'templateId'>): string {
  return t.templateId;
}
