import { id, SlotSource, TemplateSchema, TemplateSource, TemplateStatus } from '@praxis/schemas';
import { z } from 'zod';

/** Limits of a user workflow (the security layer enforces the ones zod cannot say). */
export const WORKFLOW_LIMITS = {
  steps: 50,
  slots: 50,
  triggerExamples: 50,
  paramLeavesPerStep: 200,
  paramDepth: 8,
  stringLength: 4_000,
  nameLength: 200,
} as const;

/** Slot names are plain identifiers: they appear inside `{{slots.NAME}}` references. */
export const slotName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,63}$/, 'must be an identifier (letters, digits, _; at most 64)');

export const WorkflowSlotSchema = z
  .object({
    name: slotName,
    schema: z.record(z.string(), z.unknown()).describe('JSON Schema of the value (type, and enum/format/pattern when known).'),
    required: z.boolean().default(true),
    source: SlotSource.default('QUERY').describe('QUERY: found in the query text; CONTEXT: given by the caller; GENERATED: produced by a model.'),
    description: z.string().max(2_000).optional(),
    examples: z.array(z.unknown()).max(10).default([]),
  })
  .strict();

export const WorkflowStepSchema = z
  .object({
    toolName: z.string().min(1).max(200),
    params: z
      .record(z.string(), z.unknown())
      .default({})
      .describe('The call arguments. A value "{{slots.NAME}}" takes a slot, "{{steps.N.path.to.field}}" a field of step N\'s result (N earlier than this step); anything else is a constant.'),
  })
  .strict();

/** POST /v1/workflows and PUT /v1/workflows/{id} body: a workflow a user declares. */
export const WorkflowDefinitionSchema = z
  .object({
    name: z.string().trim().min(1).max(WORKFLOW_LIMITS.nameLength).describe('Unique per tenant; the workflow id is derived from it.'),
    description: z.string().max(2_000).optional(),
    agentId: id.optional().describe('Serve it to this agent only; every agent of the tenant when absent.'),
    triggerExamples: z.array(z.string().trim().min(1).max(1_000)).min(1, 'needs at least one trigger example').max(WORKFLOW_LIMITS.triggerExamples),
    slots: z.array(WorkflowSlotSchema).max(WORKFLOW_LIMITS.slots).default([]),
    steps: z.array(WorkflowStepSchema).min(1, 'needs at least one step').max(WORKFLOW_LIMITS.steps),
  })
  .strict();
export type WorkflowDefinition = z.output<typeof WorkflowDefinitionSchema>;
export type WorkflowDefinitionInput = z.input<typeof WorkflowDefinitionSchema>;

/** A template as served: the stored record plus the confidence the router serves now. */
export const TemplateViewSchema = z.object({
  template: TemplateSchema,
  servedConfidence: z.number().min(0).max(1).describe('Published confidence, moved by outcomes recorded since this version (docs/router.md).'),
});
export type TemplateView = z.output<typeof TemplateViewSchema>;

export const TemplateSummarySchema = z.object({
  templateId: id,
  version: z.number().int(),
  name: z.string(),
  source: TemplateSource,
  status: TemplateStatus,
  agentId: id.nullable(),
  signature: z.array(z.string()),
  triggerExamples: z.array(z.string()),
  confidence: z.number(),
  servedConfidence: z.number(),
  belowThreshold: z.boolean(),
  updatedAtMs: z.number(),
});
export type TemplateSummary = z.output<typeof TemplateSummarySchema>;

export const TemplateListSchema = z.object({
  items: z.array(TemplateSummarySchema),
  total: z.number().int(),
  nextCursor: z.string().nullable(),
});
export type TemplateList = z.output<typeof TemplateListSchema>;

/** GET /v1/templates and /v1/workflows query. */
export const ListQuerySchema = z
  .object({
    limit: z.coerce.number().int().min(1).max(500).default(100),
    cursor: z.string().max(200).optional().describe('nextCursor of the previous page.'),
    status: TemplateStatus.optional(),
    agentId: id.optional(),
  })
  .strict();

export const VersionEntrySchema = z.object({
  version: z.number().int(),
  status: TemplateStatus,
  source: TemplateSource,
  confidence: z.number(),
  belowThreshold: z.boolean(),
  support: z.number().int(),
  successes: z.number().int(),
  executions: z.number().int(),
  executionSuccesses: z.number().int(),
  statusReason: z.string().nullable(),
  supersededBy: z.string().nullable(),
  lineage: z.array(z.object({ trajectoryId: z.string(), partition: z.number().int(), offset: z.number() })),
  updatedAtMs: z.number(),
  seenAtMs: z.number().describe('When this router saw the version on the topic.'),
  partition: z.number().int().nullable(),
  offset: z.string().nullable(),
});

/** GET /v1/templates/{id}/versions answer. */
export const VersionHistorySchema = z.object({
  templateId: id,
  deleted: z.boolean().describe('A tombstone followed the last version.'),
  versions: z.array(VersionEntrySchema).describe('Oldest first, as this router saw them (bounded; compaction may have removed older ones).'),
  complete: z.boolean().describe('False when versions are missing: compacted away before this router read them, or beyond the bound.'),
});
export type VersionHistory = z.output<typeof VersionHistorySchema>;

export const UnlearnResponseSchema = z.object({
  templateId: id,
  unlearned: z.literal(true),
  feedbackId: id,
});

export const WorkflowDeletedSchema = z.object({ workflowId: id, deleted: z.literal(true) });

export const ToolListSchema = z.object({
  items: z.array(
    z.object({
      name: z.string(),
      origin: z.enum(['declared', 'observed']),
      parametersSchema: z.record(z.string(), z.unknown()).nullable(),
      observedParams: z.array(z.string()),
    }),
  ),
});
