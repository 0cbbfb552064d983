// Figures computed in TypeScript from the distinct records of a dataset, independently of
// ClickHouse: what every derived daily table must say. Quantiles follow quantileExact
// (docs/analytics.md): the value at index floor(level * n) of the sorted values.
import { errorFingerprint } from '@praxis/core';
import { formatDate } from '@praxis/clickhouse';
import { signatureHash } from '@praxis/analytics';
import type { AnalyticsDataset } from './analytics-data.js';

/** quantileExact as ClickHouse defines it; 0 for no values (what arrayReduce returns). */
export function quantileExact(values: number[], level: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(level * sorted.length))]!;
}

/**
 * Where a sketch quantile (quantileTDigest) may land: between the exact quantiles at
 * level ± rankTolerance. The documented tolerance of the derived tables is 0.1 of rank.
 */
export const TDIGEST_RANK_TOLERANCE = 0.1;
export function quantileBounds(values: number[], level: number, rankTolerance = TDIGEST_RANK_TOLERANCE): [number, number] {
  return [quantileExact(values, Math.max(0, level - rankTolerance)), quantileExact(values, Math.min(1, level + rankTolerance))];
}

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

/** Groups items by a key, keeping the key's parts. */
function groupBy<T, K extends Record<string, string>>(items: T[], keyOf: (t: T) => K): { key: K; items: T[] }[] {
  const groups = new Map<string, { key: K; items: T[] }>();
  for (const item of items) {
    const key = keyOf(item);
    const k = JSON.stringify(key);
    const g = groups.get(k) ?? { key, items: [] };
    g.items.push(item);
    groups.set(k, g);
  }
  return [...groups.values()];
}

/** Rows sorted by their JSON, for order-free comparison. */
export const sorted = <T>(rows: T[]): T[] => [...rows].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));

/** The expected content of each derived table, one row per group and day. */
export function expectedDerived(data: AnalyticsDataset) {
  const executions = data.feedback.filter((f) => f.kind === 'EXECUTION');
  const lookups = data.feedback.filter((f) => f.kind === 'LOOKUP');
  const toolCalls = data.steps.filter((s) => s.kind === 'TOOL_CALL');
  const versions = data.templates.flatMap((e) => (e.kind === 'version' ? [e.template] : []));

  const template_daily = groupBy(executions, (f) => ({ day: formatDate(f.timestampMs), tenant_id: f.tenantId, template_id: f.templateId! })).map(({ key, items }) => {
    const count = (o: string) => items.filter((f) => f.execution!.outcome === o).length;
    const durations = items.map((f) => f.execution!.durationMs);
    return { ...key, executions: items.length, succeeded: count('SUCCEEDED'), failed: count('FAILED'), deviated: count('DEVIATED'), ignored: count('IGNORED'), abandoned: count('ABANDONED'), duration_sum: sum(durations), p50_ms: quantileExact(durations, 0.5), last_version: Math.max(...items.map((f) => f.templateVersion ?? 0)) };
  });

  const template_confidence_daily = groupBy(versions, (t) => ({ day: formatDate(t.updatedAtMs), tenant_id: t.tenantId, template_id: t.templateId })).map(({ key, items }) => {
    const last = [...items].sort((a, b) => a.version - b.version || a.updatedAtMs - b.updatedAtMs).at(-1)!;
    return { ...key, last_confidence: last.confidence, min_confidence: Math.min(...items.map((t) => t.confidence)), max_confidence: Math.max(...items.map((t) => t.confidence)), last_status: last.status, last_support: last.stats.support, last_version: last.version, versions: new Set(items.map((t) => t.version)).size };
  });

  const tool_daily = groupBy(toolCalls, (s) => ({ day: formatDate(s.timestampMs), tenant_id: s.tenantId, agent_id: s.agentId, tool_name: s.toolName! })).map(({ key, items }) => {
    const timed = items.flatMap((s) => (s.durationMs === null ? [] : [s.durationMs]));
    return { ...key, calls: items.length, errors: items.filter((s) => s.status === 'ERROR').length, timed: timed.length, duration_sum: sum(timed), p95_ms: quantileExact(timed, 0.95) };
  });

  const failures = toolCalls.filter((s) => s.status === 'ERROR');
  const tool_errors_daily = groupBy(failures, (s) => ({ day: formatDate(s.timestampMs), tenant_id: s.tenantId, tool_name: s.toolName!, error_fingerprint: errorFingerprint(s.toolName!, s.errorType, s.errorMessage) })).map(({ key, items }) => {
    const last = [...items].sort((a, b) => a.timestampMs - b.timestampMs).at(-1)!;
    return { ...key, occurrences: items.length, agents: new Set(items.map((s) => s.agentId)).size, last_message: last.errorMessage, last_seen_ms: last.timestampMs };
  });

  const router_daily = groupBy(lookups, (f) => ({ day: formatDate(f.timestampMs), tenant_id: f.tenantId, agent_id: f.agentId, tier: f.lookup!.tier })).map(({ key, items }) => ({
    ...key,
    lookups: items.length,
    with_template: items.filter((f) => f.templateId !== null).length,
    tokens_saved: sum(items.flatMap((f) => (f.lookup!.estimatedTokensSaved === null ? [] : [f.lookup!.estimatedTokensSaved]))),
    latency_sum: sum(items.map((f) => f.lookup!.latencyMs)),
    similarity_sum: sum(items.map((f) => f.lookup!.similarity)),
  }));

  const signature_daily = groupBy(data.trajectories, (t) => ({ day: formatDate(t.endedAtMs), tenant_id: t.tenantId, agent_id: t.agentId, signature_hash: signatureHash(t.signature) })).map(({ key, items }) => ({
    ...key,
    tools: items[0]!.signature,
    trajectories: items.length,
    succeeded: items.filter((t) => t.outcome === 'SUCCEEDED').length,
    from_template: items.filter((t) => t.templateId !== null).length,
    duration_sum: sum(items.map((t) => t.endedAtMs - t.startedAtMs)),
    token_sum: sum(items.map((t) => t.promptTokens + t.completionTokens)),
  }));

  const funnelRows = [
    ...data.steps.map((s) => ({ day: formatDate(s.timestampMs), tenant_id: s.tenantId, stage: 'steps', id: s.eventId })),
    ...data.trajectories.map((t) => ({ day: formatDate(t.endedAtMs), tenant_id: t.tenantId, stage: 'trajectories', id: t.trajectoryId })),
    ...versions.map((t) => ({ day: formatDate(t.updatedAtMs), tenant_id: t.tenantId, stage: 'templates', id: t.templateId })),
    ...versions.filter((t) => t.status === 'ACTIVE').map((t) => ({ day: formatDate(t.updatedAtMs), tenant_id: t.tenantId, stage: 'active_templates', id: t.templateId })),
    ...executions.map((f) => ({ day: formatDate(f.timestampMs), tenant_id: f.tenantId, stage: 'executions', id: f.feedbackId })),
  ];
  const funnel_daily = groupBy(funnelRows, (r) => ({ day: r.day, tenant_id: r.tenant_id, stage: r.stage })).map(({ key, items }) => ({ ...key, ids: new Set(items.map((i) => i.id)).size }));

  return { template_daily, template_confidence_daily, tool_daily, tool_errors_daily, router_daily, signature_daily, funnel_daily };
}
