import { z } from 'zod';
import { epochMs, id, int32, jsonText, long, nullableString } from './common.js';

/** A per-kind rule of AgentStepSchema: `field` must be set. */
function need<T extends Record<string, unknown>>(step: T, ctx: z.RefinementCtx, field: keyof T & string, why: string): void {
  if (step[field] === null || step[field] === undefined) ctx.addIssue({ code: 'custom', path: [field], message: why });
}

export const StepKind = z.enum(['QUERY', 'TOOL_CALL', 'LLM_CALL', 'TASK_END']);
export const StepStatus = z.enum(['OK', 'ERROR']);
export const TaskOutcome = z.enum(['SUCCEEDED', 'FAILED', 'ABANDONED']);

/** AgentStep (praxis.steps.v1): mirrors schemas/avro/agent-step.avsc, plus per-kind rules. */
export const AgentStepSchema = z
  .object({
    eventId: id,
    tenantId: id,
    agentId: id,
    sessionId: id,
    taskId: id.nullable().default(null),
    seq: long.min(0, 'must be >= 0'),
    kind: StepKind,
    timestampMs: epochMs,
    query: z.string().max(20000).nullable().default(null),
    toolName: z.string().min(1).max(200).nullable().default(null),
    parametersJson: jsonText('object').nullable().default(null),
    resultJson: z.string().nullable().default(null),
    resultTruncated: z.boolean().default(false),
    status: StepStatus.default('OK'),
    errorType: nullableString,
    errorMessage: nullableString,
    durationMs: long.min(0).nullable().default(null),
    model: nullableString,
    promptTokens: int32.min(0).nullable().default(null),
    completionTokens: int32.min(0).nullable().default(null),
    taskOutcome: TaskOutcome.nullable().default(null),
    templateId: id.nullable().default(null),
    attributes: z.record(z.string(), z.string()).default({}),
    // optional in the TS type too, so code that builds steps without it still compiles; parsing fills null
    referenceTimeMs: epochMs.nullable().default(null).optional(),
  })
  .superRefine((step, ctx) => {
    // need() is a module function, not a closure per parse: every step of every hop is parsed
    switch (step.kind) {
      case 'QUERY':
        need(step, ctx, 'query', 'is required for a QUERY step');
        break;
      case 'TOOL_CALL':
        need(step, ctx, 'toolName', 'is required for a TOOL_CALL step');
        need(step, ctx, 'parametersJson', 'is required for a TOOL_CALL step');
        if (step.resultJson !== null && !step.resultTruncated) {
          try {
            JSON.parse(step.resultJson);
          } catch {
            ctx.addIssue({ code: 'custom', path: ['resultJson'], message: 'is not valid JSON (set resultTruncated when it was cut)' });
          }
        }
        break;
      case 'TASK_END':
        need(step, ctx, 'taskOutcome', 'is required for a TASK_END step');
        break;
      case 'LLM_CALL':
        break;
    }
    if (step.status === 'ERROR' && step.errorMessage === null && step.errorType === null) {
      ctx.addIssue({ code: 'custom', path: ['errorMessage'], message: 'an ERROR step needs errorMessage or errorType' });
    }
  });

/** A validated step, every field present. */
export type AgentStep = z.output<typeof AgentStepSchema>;
/** What a producer may write: defaulted fields can be left out. */
export type AgentStepInput = z.input<typeof AgentStepSchema>;

/** The step topic's key: ordering is per session. */
export function agentStepKey(step: Pick<AgentStep, 'tenantId' | 'agentId' | 'sessionId'>): string {
  return `${step.tenantId}/${step.agentId}/${step.sessionId}`;
}
