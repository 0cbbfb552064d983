import { jsonEnv, kafkaEnvShape, port, positiveInt, type Runtime } from '@praxis/kafka';
import { z } from 'zod';
import { DEFAULT_INDUCER_POLICY, InducerOverrides, TimeZone, type InducerPolicy } from './policy.js';
import type { InducerServiceOptions } from './service.js';

const jsonOverrides = jsonEnv(InducerOverrides);

const share = z.coerce.number().min(0).max(1);
const d = DEFAULT_INDUCER_POLICY;

/** The inducer's environment, parsed once in main.ts. */
export const InducerEnv = z.object({
  ...kafkaEnvShape,
  OPS_PORT: port.default(9472),
  INDUCER_GROUP_ID: z.string().min(1).default('praxis-inducer'),
  INDUCER_MIN_STEPS: z.coerce.number().int().min(1).default(d.minStepsToLearn),
  INDUCER_MIN_SUCCESS_RATE: share.default(d.minSuccessRate),
  INDUCER_CONFIDENCE_THRESHOLD: share.default(d.confidenceThreshold),
  INDUCER_MAX_WORKFLOWS_PER_AGENT: positiveInt.default(d.maxWorkflowsPerAgent),
  INDUCER_MIN_SUPPORT: z.coerce.number().int().min(2).default(d.minSupport),
  INDUCER_PROMOTE_AFTER: positiveInt.default(d.promoteAfterSuccesses),
  INDUCER_HORIZON_MS: positiveInt.default(d.horizonMs),
  INDUCER_HORIZON_TRAJECTORIES: positiveInt.default(d.horizonTrajectories),
  /** IANA zone the runs' relative dates ("tomorrow") are read in; per tenant in INDUCER_OVERRIDES (timeZone). */
  INDUCER_TIME_ZONE: TimeZone.default('UTC'),
  /** JSON: {"tenant": {...}, "tenant/agent": {...}} with any of the thresholds above (policy field names). */
  INDUCER_OVERRIDES: jsonOverrides.default({}),
  INDUCER_TICK_MS: positiveInt.default(1_000),
  INDUCER_SESSION_TIMEOUT_MS: positiveInt.default(30_000),
  INDUCER_MAX_BATCH_SIZE: positiveInt.default(500),
  /** Bound of one takeover (the store read on assignment); keep it under the session timeout (docs/scaling.md). */
  INDUCER_RESTORE_TIMEOUT_MS: positiveInt.default(120_000),
  /** Event times further ahead of their record's broker timestamp do not move an agent's clock. */
  INDUCER_MAX_CLOCK_SKEW_MS: z.coerce.number().int().min(0).default(5 * 60_000),
  /** Keys learned template ids (HMAC) so no tenant can derive another's; unset keeps plain hashes (docs/security.md). */
  INDUCER_TEMPLATE_ID_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
});
export type InducerEnv = z.output<typeof InducerEnv>;

/** The learning policy the environment describes (the service and `praxis import` share it). */
export function inducerPolicyFrom(config: InducerEnv): InducerPolicy {
  return {
    ...DEFAULT_INDUCER_POLICY,
    minStepsToLearn: config.INDUCER_MIN_STEPS,
    minSuccessRate: config.INDUCER_MIN_SUCCESS_RATE,
    confidenceThreshold: config.INDUCER_CONFIDENCE_THRESHOLD,
    maxWorkflowsPerAgent: config.INDUCER_MAX_WORKFLOWS_PER_AGENT,
    minSupport: config.INDUCER_MIN_SUPPORT,
    promoteAfterSuccesses: config.INDUCER_PROMOTE_AFTER,
    horizonMs: config.INDUCER_HORIZON_MS,
    horizonTrajectories: config.INDUCER_HORIZON_TRAJECTORIES,
    timeZone: config.INDUCER_TIME_ZONE,
  };
}

/** The service options the environment describes (main.ts and in-process launchers share it). */
export function inducerOptionsFrom(config: InducerEnv, runtime: Runtime): InducerServiceOptions {
  return {
    runtime,
    groupId: config.INDUCER_GROUP_ID,
    policy: inducerPolicyFrom(config),
    overrides: config.INDUCER_OVERRIDES,
    tickMs: config.INDUCER_TICK_MS,
    sessionTimeoutMs: config.INDUCER_SESSION_TIMEOUT_MS,
    maxBatchSize: config.INDUCER_MAX_BATCH_SIZE,
    restoreTimeoutMs: config.INDUCER_RESTORE_TIMEOUT_MS,
    maxClockSkewMs: config.INDUCER_MAX_CLOCK_SKEW_MS,
    templateIdKey: config.INDUCER_TEMPLATE_ID_SECRET,
  };
}
