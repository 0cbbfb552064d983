import { AvoidanceHintSchema, id, KnownErrorSchema, SlotSchema, SlotSource, TemplateSource, TemplateStepSchema } from '@praxis/schemas';
import { z } from 'zod';

/** The router's three answers, lower-case on the wire (upper-case in the Avro feedback). */
export const TierName = z.enum(['reuse', 'rewrite', 'plan']);
export type TierName = z.output<typeof TierName>;

/** Whether the runtime knows an IANA time zone by this name. */
function knownTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}

/** Free-form values the caller already knows (user id, current order...), by name. */
export const LookupContextSchema = z
  .record(z.string().min(1).max(200), z.unknown())
  .refine((c) => Object.keys(c).length <= 100, 'at most 100 context entries')
  .describe('Values the caller already knows, by slot name (or any name); they bind slots of the same name (any source) before the query is searched.');

/** POST /v1/lookup body. */
export const LookupRequestSchema = z
  .object({
    query: z.string().trim().min(1, 'must not be empty').max(4000, 'must be at most 4000 characters').describe('The task as the user asked it.'),
    agentId: id.describe('Agent asking; templates learned for another agent of the tenant are not served to it.'),
    context: LookupContextSchema.optional(),
    sessionId: id.optional().describe('Agent session, recorded with the lookup.'),
    maxAlternatives: z.number().int().min(0).max(10).optional().describe('Runner-up templates to return (default 3).'),
    referenceTimeMs: z.number().int().min(0).optional().describe("The task's own current time (ms since the Unix epoch): relative dates in the query (tomorrow, next Tuesday) are read against it; default the router's clock."),
    timeZone: z.string().max(100).refine(knownTimeZone, 'must be an IANA time zone (e.g. Europe/Paris)').optional().describe('IANA time zone of the task: relative dates are read in it; default UTC.'),
  })
  .strict();
export type LookupRequest = z.input<typeof LookupRequestSchema>;

/** A workflow ready to run: the template's steps and slot definitions, plus slot values bound so far. */
export const ExecutableWorkflowSchema = z.object({
  templateId: id,
  version: z.number().int().min(1),
  name: z.string(),
  source: TemplateSource,
  steps: z.array(TemplateStepSchema),
  slots: z.array(SlotSchema),
  bindings: z.record(z.string(), z.unknown()).describe('Slot name to value, for every slot bound from the query, the context or a model.'),
  missingSlots: z.array(z.string()).describe('Required slots still without a value.'),
  avoidanceHints: z.array(AvoidanceHintSchema),
  partial: z.boolean().default(false).describe('Only the reusable first steps of a workflow (see LookupResponse.partial): run them, then plan the rest from their results.'),
});
export type ExecutableWorkflow = z.output<typeof ExecutableWorkflowSchema>;
export type ExecutableWorkflowInput = z.input<typeof ExecutableWorkflowSchema>;

/** A variable node the caller (or its model) still has to produce. */
export const SlotToGenerateSchema = z.object({
  name: z.string(),
  schema: z.record(z.string(), z.unknown()).describe('JSON Schema of the value.'),
  source: SlotSource,
  required: z.boolean(),
  description: z.string().nullable(),
  examples: z.array(z.unknown()),
  usedBy: z.array(z.object({ stepIndex: z.number().int(), toolName: z.string(), path: z.string() })).describe('Parameters this slot feeds.'),
});
export type SlotToGenerate = z.output<typeof SlotToGenerateSchema>;

/** One finding of the structural check between the query and a template. */
export const StructuralConflictSchema = z.object({
  kind: z.enum(['negation', 'action', 'entity']),
  detail: z.string(),
});
export type StructuralConflict = z.output<typeof StructuralConflictSchema>;

export const AlternativeSchema = z.object({
  templateId: id,
  name: z.string(),
  source: TemplateSource,
  similarity: z.number(),
  confidence: z.number(),
  rejected: z.string().nullable().describe('Why it was not chosen, when it was rejected rather than outranked.'),
});
export type Alternative = z.output<typeof AlternativeSchema>;

/** A partial answer: the steps to reuse, and where planning takes over. */
export const PartialAnswerSchema = z.object({
  reuseSteps: z.number().int().min(1).describe('The workflow holds exactly these first steps: run them as served.'),
  planFrom: z.number().int().min(1).describe('Planning takes over after the reused steps (the index of the first step to plan), with their results as its starting point.'),
  reason: z.string().describe('Why only part of the workflow is served.'),
});
export type PartialAnswer = z.output<typeof PartialAnswerSchema>;

/** POST /v1/lookup answer. */
export const LookupResponseSchema = z.object({
  lookupId: id,
  tier: TierName,
  reason: z.string().describe('Why this tier, in words.'),
  similarity: z.number().min(0).max(1).describe('Cosine similarity of the query to the chosen template\'s closest trigger example (0 for plan without candidate).'),
  confidence: z.number().min(0).max(1).nullable().describe('Served confidence of the chosen template (published confidence plus outcomes seen since).'),
  templateId: id.nullable(),
  templateVersion: z.number().int().nullable(),
  matchedExample: z.string().nullable().describe('The trigger example closest to the query.'),
  workflow: ExecutableWorkflowSchema.nullable().describe('reuse: fully bound; rewrite: bound as far as possible; plan: null.'),
  toGenerate: z.array(SlotToGenerateSchema).describe('rewrite: exactly the variable nodes still to generate; empty otherwise.'),
  generatedSlots: z.array(z.string()).describe('Slots a model filled during this lookup.'),
  conflicts: z.array(StructuralConflictSchema).describe('Structural conflicts found with the best match (negation, action, entity).'),
  alternatives: z.array(AlternativeSchema),
  avoidanceHints: z.array(AvoidanceHintSchema).describe("Hints for the tools the answer involves, from all the tenant's templates (drafts included): the chosen workflow's tools; for plan, the tools of the nearest candidates, since an agent planning from scratch still calls them."),
  knownErrors: z.array(KnownErrorSchema).default([]).describe('Error fingerprints seen on the same tools (most frequent first), so an agent can recognise a known failure.'),
  estimatedTokensSaved: z.number().int().nullable(),
  partial: PartialAnswerSchema.nullable().default(null).describe('Set when only part of a workflow is reliable (a sub-workflow that recurs in tasks that go on differently): reuse workflow.steps, then plan the rest. Null for whole answers and plan.'),
  latencyMs: z.number(),
  fallback: z.boolean().optional().describe('Set by the SDK when the router could not be reached and it answered plan itself.'),
});
export type LookupResponse = z.output<typeof LookupResponseSchema>;

/** A `plan` answer: nothing close enough to reuse or rewrite. Optionally the best similarity, conflicts and alternatives found. */
export function planAnswer(reason: string, found: Partial<Pick<LookupResponse, 'similarity' | 'conflicts' | 'alternatives' | 'avoidanceHints' | 'knownErrors'>> = {}): Omit<LookupResponse, 'lookupId' | 'latencyMs'> {
  return { tier: 'plan', reason, similarity: 0, confidence: null, templateId: null, templateVersion: null, matchedExample: null, workflow: null, toGenerate: [], generatedSlots: [], conflicts: [], alternatives: [], avoidanceHints: [], knownErrors: [], estimatedTokensSaved: 0, partial: null, ...found };
}
