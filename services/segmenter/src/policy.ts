import { z } from 'zod';

/** How the segmenter cuts one tenant's or agent's sessions into trajectories. */
export interface SegmenterPolicy {
  /** A task closes after this much event time without a step (the PRD's learning window). */
  learningWindowMs: number;
  /** Events this far behind the partition watermark are still merged; older ones go to the DLQ. */
  allowedLatenessMs: number;
  /** A task closes when it has run this long (event time). */
  maxDurationMs: number;
  /** A task closes after this many tool calls. */
  maxSteps: number;
}

export const DEFAULT_POLICY: SegmenterPolicy = {
  learningWindowMs: 5 * 60_000,
  allowedLatenessMs: 60_000,
  maxDurationMs: 30 * 60_000,
  maxSteps: 200,
};

const PolicyOverride = z
  .object({
    learningWindowMs: z.number().int().positive(),
    allowedLatenessMs: z.number().int().min(0),
    maxDurationMs: z.number().int().positive(),
    maxSteps: z.number().int().positive(),
  })
  .partial()
  .strict();

/** Per-tenant ("acme") or per-agent ("acme/support-bot") overrides, as JSON text: {"acme": {"learningWindowMs": 600000}}. */
export const PolicyOverrides = z.record(z.string().regex(/^[^/\s]+(\/[^/\s]+)?$/, 'keys are "tenant" or "tenant/agent"'), PolicyOverride);
export type PolicyOverrides = z.output<typeof PolicyOverrides>;

/** Resolves the policy of a tenant's agent: defaults, then the tenant's override, then the agent's. */
export function policyResolver(defaults: SegmenterPolicy, overrides: PolicyOverrides = {}): (tenantId: string, agentId: string) => SegmenterPolicy {
  const cache = new Map<string, SegmenterPolicy>();
  return (tenantId, agentId) => {
    const key = `${tenantId}/${agentId}`;
    let policy = cache.get(key);
    if (!policy) {
      policy = { ...defaults, ...overrides[tenantId], ...overrides[key] };
      cache.set(key, policy);
    }
    return policy;
  };
}
