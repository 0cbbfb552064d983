import { z } from 'zod';

/** GET /readyz (and /healthz) answer. */
export const ReadinessSchema = z.object({
  status: z.enum(['ready', 'not_ready', 'ok']),
  caughtUp: z.boolean().describe('The index has read the templates topic up to the high watermarks captured at start.'),
  lag: z.record(z.string(), z.number()).describe('Records still to read per partition of the templates topic.'),
  templates: z.number().int(),
  tenants: z.number().int(),
});

/** GET /v1/stats answer: the calling tenant's counters since this router started. */
export const TenantStatsSchema = z.object({
  tenantId: z.string(),
  lookups: z.object({ reuse: z.number(), rewrite: z.number(), plan: z.number() }),
  executions: z.object({ succeeded: z.number(), failed: z.number(), deviated: z.number(), ignored: z.number(), abandoned: z.number() }),
  falseHits: z.number().describe('Reuse answers whose execution failed, deviated or was abandoned.'),
  falseHitRate: z.number().nullable().describe('falseHits / reuse executions reported (null before any).'),
  structuralRejections: z.number().describe('Candidates refused by the structural check.'),
  templates: z.object({ total: z.number(), active: z.number(), user: z.number() }),
});
export type TenantStats = z.output<typeof TenantStatsSchema>;
