// Reading the derived daily tables back in the shape of expectedDerived's rows, and the check
// that they agree with the figures computed from the distinct records (exact columns equal,
// sketch columns within their documented tolerance). Shared by the derived-table tests.
import { formatDate } from '@praxis/clickhouse';
import { expect } from 'vitest';
import type { AnalyticsDataset } from './analytics-data.js';
import { comparable } from './clickhouse.js';
import { expectedDerived, quantileBounds, sorted } from './analytics-expected.js';

// Sketch columns: compared within their documented tolerance, not exactly (docs/analytics.md).
// template_daily.p50_ms is a quantileTDigest: between the exact quantiles at 0.5 ± 0.1 of rank.
const SKETCHES: Partial<Record<string, string[]>> = { template_daily: ['p50_ms'] };
const runDurations = (data: AnalyticsDataset, day: string, tenant: string, template: string) =>
  data.feedback.filter((f) => f.kind === 'EXECUTION' && formatDate(f.timestampMs) === day && f.tenantId === tenant && f.templateId === template).map((f) => f.execution!.durationMs);
const without = (rows: unknown[], columns: string[] = []) => rows.map((r) => Object.fromEntries(Object.entries(r as object).filter(([k]) => !columns.includes(k))));

/** The exact columns equal the independent figures of `data`; the sketch columns lie within their tolerance. */
export function expectAgreement(data: AnalyticsDataset, table: keyof typeof READ, actual: Record<string, unknown>[]): void {
  const expected = expectedDerived(data);
  expect(comparable(sorted(without(actual, SKETCHES[table])))).toEqual(comparable(sorted(without(expected[table] as unknown[], SKETCHES[table]))));
  if (table === 'template_daily') {
    for (const row of actual) {
      const [lo, hi] = quantileBounds(runDurations(data, String(row.day), String(row.tenant_id), String(row.template_id)), 0.5);
      expect(row.p50_ms as number, `${row.template_id} ${row.day}`).toBeGreaterThanOrEqual(lo - 1e-9);
      expect(row.p50_ms as number, `${row.template_id} ${row.day}`).toBeLessThanOrEqual(hi + 1e-9);
    }
  }
}

// Each derived table read back into the shape of expectedDerived's rows.
export const READ = {
  template_daily: `
    SELECT toString(day) AS day, tenant_id, template_id,
      sumMerge(executions) AS executions, sumMerge(succeeded) AS succeeded, sumMerge(failed) AS failed,
      sumMerge(deviated) AS deviated, sumMerge(ignored) AS ignored, sumMerge(abandoned) AS abandoned,
      sumMerge(duration_sum) AS duration_sum,
      quantileTDigestMerge(0.5)(durations) AS p50_ms,
      maxMerge(last_version) AS last_version
    FROM template_daily GROUP BY day, tenant_id, template_id`,
  template_confidence_daily: `
    SELECT toString(day) AS day, tenant_id, template_id,
      argMaxMerge(last_confidence) AS last_confidence, minMerge(min_confidence) AS min_confidence, maxMerge(max_confidence) AS max_confidence,
      argMaxMerge(last_status) AS last_status, argMaxMerge(last_support) AS last_support, maxMerge(last_version) AS last_version,
      uniqExactMerge(versions) AS versions
    FROM template_confidence_daily GROUP BY day, tenant_id, template_id`,
  tool_daily: `
    SELECT toString(day) AS day, tenant_id, agent_id, tool_name,
      sumMerge(calls) AS calls, sumMerge(errors) AS errors,
      sumMerge(timed) AS timed,
      sumMerge(duration_sum) AS duration_sum,
      quantileTimingIfMerge(0.95)(durations) AS p95_ms
    FROM tool_daily GROUP BY day, tenant_id, agent_id, tool_name`,
  tool_errors_daily: `
    SELECT toString(day) AS day, tenant_id, tool_name, error_fingerprint,
      sumMerge(occurrences) AS occurrences, uniqCombinedMerge(agents) AS agents,
      argMaxMerge(last_message) AS last_message, maxMerge(last_seen_ms) AS last_seen_ms
    FROM tool_errors_daily GROUP BY day, tenant_id, tool_name, error_fingerprint`,
  router_daily: `
    SELECT toString(day) AS day, tenant_id, agent_id, toString(tier) AS tier,
      sumMerge(lookups) AS lookups, sumMerge(with_template) AS with_template,
      sumMerge(tokens_saved) AS tokens_saved,
      sumMerge(latency_sum) AS latency_sum,
      sumMerge(similarity_sum) AS similarity_sum
    FROM router_daily GROUP BY day, tenant_id, agent_id, tier`,
  signature_daily: `
    SELECT toString(day) AS day, tenant_id, agent_id, signature_hash, anyMerge(tools) AS tools,
      sumMerge(trajectories) AS trajectories, sumMerge(succeeded) AS succeeded, sumMerge(from_template) AS from_template,
      sumMerge(duration_sum) AS duration_sum,
      sumMerge(token_sum) AS token_sum
    FROM signature_daily GROUP BY day, tenant_id, agent_id, signature_hash`,
  funnel_daily: `
    SELECT toString(day) AS day, tenant_id, stage, if(has(['templates', 'active_templates'], stage), uniqExactIfMerge(templates), sumMerge(n)) AS ids
    FROM funnel_daily GROUP BY day, tenant_id, stage`,
} as const;

