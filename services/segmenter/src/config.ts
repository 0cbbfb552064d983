import { boolFlag, jsonEnv, kafkaEnvShape, port, positiveInt, type Runtime } from '@praxis/kafka';
import { z } from 'zod';
import { DEFAULT_POLICY, PolicyOverrides, type SegmenterPolicy } from './policy.js';
import type { SegmenterServiceOptions } from './service.js';

const jsonOverrides = jsonEnv(PolicyOverrides);

/** The segmenter's environment, parsed once in main.ts. */
export const SegmenterEnv = z.object({
  ...kafkaEnvShape,
  OPS_PORT: port.default(9471),
  SEGMENTER_GROUP_ID: z.string().min(1).default('praxis-segmenter'),
  SEGMENTER_LEARNING_WINDOW_MS: positiveInt.default(DEFAULT_POLICY.learningWindowMs),
  SEGMENTER_ALLOWED_LATENESS_MS: z.coerce.number().int().min(0).default(DEFAULT_POLICY.allowedLatenessMs),
  SEGMENTER_MAX_DURATION_MS: positiveInt.default(DEFAULT_POLICY.maxDurationMs),
  SEGMENTER_MAX_STEPS: positiveInt.default(DEFAULT_POLICY.maxSteps),
  /** JSON: {"tenant": {...}, "tenant/agent": {...}} with any of learningWindowMs, allowedLatenessMs, maxDurationMs, maxSteps. */
  SEGMENTER_OVERRIDES: jsonOverrides.default({}),
  SEGMENTER_IDLE_MS: positiveInt.default(5 * 60_000),
  SEGMENTER_IDLE_GRACE_MS: z.coerce.number().int().min(0).default(60_000),
  SEGMENTER_TICK_MS: positiveInt.default(1_000),
  SEGMENTER_MAX_PENDING_PER_SESSION: positiveInt.default(2_000),
  SEGMENTER_SESSION_TIMEOUT_MS: positiveInt.default(30_000),
  SEGMENTER_MAX_BATCH_SIZE: positiveInt.default(500),
  SEGMENTER_FROM_BEGINNING: boolFlag.default(true),
});
export type SegmenterEnv = z.output<typeof SegmenterEnv>;

/** The segmentation policy the environment describes (the service and `praxis import` share it). */
export function segmenterPolicyFrom(config: SegmenterEnv): SegmenterPolicy {
  return {
    learningWindowMs: config.SEGMENTER_LEARNING_WINDOW_MS,
    allowedLatenessMs: config.SEGMENTER_ALLOWED_LATENESS_MS,
    maxDurationMs: config.SEGMENTER_MAX_DURATION_MS,
    maxSteps: config.SEGMENTER_MAX_STEPS,
  };
}

/** The service options the environment describes (main.ts and in-process launchers share it). */
export function segmenterOptionsFrom(config: SegmenterEnv, runtime: Runtime): SegmenterServiceOptions {
  return {
    runtime,
    groupId: config.SEGMENTER_GROUP_ID,
    policy: segmenterPolicyFrom(config),
    overrides: config.SEGMENTER_OVERRIDES,
    idleMs: config.SEGMENTER_IDLE_MS,
    idleGraceMs: config.SEGMENTER_IDLE_GRACE_MS,
    tickMs: config.SEGMENTER_TICK_MS,
    maxPendingPerSession: config.SEGMENTER_MAX_PENDING_PER_SESSION,
    sessionTimeoutMs: config.SEGMENTER_SESSION_TIMEOUT_MS,
    maxBatchSize: config.SEGMENTER_MAX_BATCH_SIZE,
    fromBeginning: config.SEGMENTER_FROM_BEGINNING,
  };
}
