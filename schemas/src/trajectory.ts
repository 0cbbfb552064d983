import { z } from 'zod';
import { epochMs, id, int32, jsonText, long, nullableString } from './common.js';

export const CloseReason = z.enum(['TASK_END', 'INACTIVITY', 'MAX_DURATION', 'NEXT_TASK', 'MAX_STEPS']);
export const TrajectoryOutcome = z.enum(['SUCCEEDED', 'FAILED', 'ABANDONED', 'UNKNOWN']);
export const ValueOrigin = z.enum(['QUERY', 'STEP_RESULT']);

export const ValueSourceSchema = z.object({
  paramPath: z.string().min(1),
  origin: ValueOrigin,
  stepIndex: int32.min(0).nullable().default(null),
  path: nullableString,
  // optional in the TS type too, so code that builds dataflow without it still compiles; parsing fills null
  transform: z.string().max(200).nullable().default(null).optional(),
  // STEP_RESULT through an array: the rules that pick that element (first, last, min:<field>, max:<field>); optional like transform
  select: z.array(z.string().min(1).max(200)).max(64).default([]).optional(),
});

export const TrajectoryStepSchema = z.object({
  index: int32.min(0),
  eventId: id,
  seq: long.min(0),
  timestampMs: epochMs,
  toolName: z.string().min(1).max(200),
  parametersJson: jsonText('object'),
  status: z.enum(['OK', 'ERROR']),
  errorType: nullableString,
  errorMessage: nullableString,
  errorFingerprint: nullableString,
  durationMs: long.min(0).nullable().default(null),
  paramShapeHash: z.string().min(1),
  resultShapeJson: jsonText('any').nullable().default(null),
  resultShapeHash: nullableString,
  dataflow: z.array(ValueSourceSchema).default([]),
  retryOf: int32.min(0).nullable().default(null),
  /** Value conditions (comparisons.ts in @praxis/core): per query comparison and result path, whether some/all of the result's numbers satisfy it; never the numbers. */
  resultComparisonsJson: jsonText('any').nullable().default(null),
});

/** Trajectory (praxis.trajectories.v1): mirrors schemas/avro/trajectory.avsc. */
export const TrajectorySchema = z
  .object({
    trajectoryId: id,
    tenantId: id,
    agentId: id,
    sessionId: id,
    taskId: id.nullable().default(null),
    query: nullableString,
    startedAtMs: epochMs,
    endedAtMs: epochMs,
    closeReason: CloseReason,
    outcome: TrajectoryOutcome,
    signature: z.array(z.string().min(1)),
    steps: z.array(TrajectoryStepSchema),
    llmCalls: int32.min(0).default(0),
    promptTokens: long.min(0).default(0),
    completionTokens: long.min(0).default(0),
    lateSteps: int32.min(0).default(0),
    duplicateSteps: int32.min(0).default(0),
    templateId: id.nullable().default(null),
    referenceTimeMs: epochMs.nullable().default(null).optional(),
  })
  .superRefine((t, ctx) => {
    if (t.endedAtMs < t.startedAtMs) ctx.addIssue({ code: 'custom', path: ['endedAtMs'], message: 'is before startedAtMs' });
    if (t.signature.length !== t.steps.length || t.signature.some((tool, i) => t.steps[i]?.toolName !== tool)) {
      ctx.addIssue({ code: 'custom', path: ['signature'], message: 'must list the tool names of steps, in order' });
    }
  });

export type Trajectory = z.output<typeof TrajectorySchema>;
export type TrajectoryInput = z.input<typeof TrajectorySchema>;
export type TrajectoryStep = z.output<typeof TrajectoryStepSchema>;
export type ValueSource = z.output<typeof ValueSourceSchema>;

/** The trajectory topic's key: learning state is per tenant and agent. */
export function trajectoryKey(t: Pick<Trajectory, 'tenantId' | 'agentId'>): string {
  return `${t.tenantId}/${t.agentId}`;
}
