// The key figures of one tenant over a range of days, read from the derived daily tables
// (the raw rows may already be gone: they age out sooner). Used by `praxis report`.
import type { ClickHouse, SqlParams } from '@praxis/clickhouse';

/** One section of the report: a titled table. */
export interface ReportSection {
  id: 'overview' | 'funnel' | 'templates' | 'tools' | 'router';
  title: string;
  columns: string[];
  rows: Record<string, unknown>[];
}

export interface Report {
  tenant: string;
  /** Inclusive days, UTC. */
  from: string;
  to: string;
  generatedAt: string;
  sections: ReportSection[];
}

/** A recurring workflow counts as a pattern of the funnel at this support and length (docs/analytics.md). */
export const PATTERN_MIN_SUPPORT = 3;
export const PATTERN_MIN_STEPS = 2;

const RANGE = 'tenant_id = {tenant:String} AND day >= {from:Date} AND day <= {to:Date}';

const OVERVIEW = `
SELECT
  (SELECT sumMerge(n) FROM funnel_daily WHERE ${RANGE} AND stage = 'steps') AS steps,
  (SELECT sumMerge(trajectories) FROM signature_daily WHERE ${RANGE}) AS trajectories,
  (SELECT sumMerge(succeeded) FROM signature_daily WHERE ${RANGE}) AS trajectories_succeeded,
  (SELECT sumMerge(executions) FROM template_daily WHERE ${RANGE}) AS executions,
  (SELECT sumMerge(succeeded) FROM template_daily WHERE ${RANGE}) AS executions_succeeded,
  (SELECT sumMerge(ignored) FROM template_daily WHERE ${RANGE}) AS executions_ignored,
  (SELECT sumMerge(lookups) FROM router_daily WHERE ${RANGE}) AS lookups,
  (SELECT sumMerge(lookups) FROM router_daily WHERE ${RANGE} AND tier = 'REUSE') AS reuse_lookups,
  (SELECT sumMerge(tokens_saved) FROM router_daily WHERE ${RANGE}) AS tokens_saved`;

const FUNNEL = `
SELECT stage, if(has(['templates', 'active_templates'], stage), uniqExactIfMerge(templates), sumMerge(n)) AS count FROM funnel_daily WHERE ${RANGE} GROUP BY stage
UNION ALL
SELECT 'patterns' AS stage, count() AS count FROM (
  SELECT signature_hash, sumMerge(trajectories) AS n, sumMerge(succeeded) AS ok, length(anyMerge(tools)) AS steps
  FROM signature_daily WHERE ${RANGE}
  GROUP BY signature_hash
  HAVING n >= {min_support:UInt32} AND ok >= 1 AND steps >= {min_steps:UInt32}
)`;

const TEMPLATES = `
SELECT template_id, name, status, confidence, executions, succeeded,
  if(executions > ignored, succeeded / (executions - ignored), 0) AS success_rate, p50_ms
FROM (
  SELECT template_id,
    sumMerge(executions) AS executions,
    sumMerge(succeeded) AS succeeded,
    sumMerge(ignored) AS ignored,
    quantileTDigestMerge(0.5)(durations) AS p50_ms
  FROM template_daily WHERE ${RANGE}
  GROUP BY template_id
) AS runs
ANY LEFT JOIN (
  SELECT template_id,
    argMaxIf(name, (version, updated_at_ms), is_deleted = 0) AS name,
    if(maxIf(updated_at_ms, is_deleted = 1) > maxIf(updated_at_ms, is_deleted = 0), 'DELETED',
       argMaxIf(toString(status), (version, updated_at_ms), is_deleted = 0)) AS status,
    argMaxIf(confidence, (version, updated_at_ms), is_deleted = 0) AS confidence
  FROM template_versions WHERE tenant_id = {tenant:String}
  GROUP BY template_id
) AS catalogue USING template_id
ORDER BY executions DESC, template_id
LIMIT {limit:UInt32}`;

const TOOLS = `
SELECT tool_name, calls, errors, if(calls > 0, errors / calls, 0) AS error_rate, p50_ms, p95_ms, top_error_fingerprint, top_error
FROM (
  SELECT tool_name, sumMerge(calls) AS calls, sumMerge(errors) AS errors,
    quantileTimingIfMerge(0.5)(durations) AS p50_ms,
    quantileTimingIfMerge(0.95)(durations) AS p95_ms
  FROM tool_daily WHERE ${RANGE}
  GROUP BY tool_name
) AS calls
ANY LEFT JOIN (
  SELECT tool_name, argMax(error_fingerprint, (n, error_fingerprint)) AS top_error_fingerprint, argMax(message, (n, error_fingerprint)) AS top_error
  FROM (
    SELECT tool_name, error_fingerprint, sumMerge(occurrences) AS n, argMaxMerge(last_message) AS message
    FROM tool_errors_daily WHERE ${RANGE}
    GROUP BY tool_name, error_fingerprint
  )
  GROUP BY tool_name
) AS failures USING tool_name
ORDER BY errors DESC, calls DESC, tool_name
LIMIT {limit:UInt32}`;

const ROUTER = `
SELECT tier, lookups,
  lookups / (SELECT sumMerge(lookups) FROM router_daily WHERE ${RANGE}) AS share,
  with_template, tokens_saved, avg_similarity, p95_latency_ms
FROM (
  SELECT tier,
    sumMerge(lookups) AS lookups,
    sumMerge(with_template) AS with_template,
    sumMerge(tokens_saved) AS tokens_saved,
    sumMerge(similarity_sum) / lookups AS avg_similarity,
    quantileTimingMerge(0.95)(latencies) AS p95_latency_ms
  FROM router_daily WHERE ${RANGE}
  GROUP BY tier
)
ORDER BY tier`;

/** The report's SQL, for tests that run it on both engines. */
export const REPORT_QUERIES = { OVERVIEW, FUNNEL, TEMPLATES, TOOLS, ROUTER } as const;

const FUNNEL_ORDER = ['steps', 'trajectories', 'patterns', 'templates', 'active_templates', 'executions'];

const ratio = (a: number, b: number) => (b > 0 ? a / b : null);

/** Reads the report of `tenant` for the days from..to (inclusive, 'YYYY-MM-DD', UTC). */
export async function buildReport(ch: ClickHouse, options: { tenant: string; from: string; to: string; limit?: number; now?: Date }): Promise<Report> {
  const params: SqlParams = { tenant: options.tenant, from: options.from, to: options.to, limit: options.limit ?? 20, min_support: PATTERN_MIN_SUPPORT, min_steps: PATTERN_MIN_STEPS };
  const [overview, funnel, templates, tools, router] = await Promise.all([
    ch.query<Record<string, number>>(OVERVIEW, params),
    ch.query<{ stage: string; count: number }>(FUNNEL, params),
    ch.query(TEMPLATES, params),
    ch.query(TOOLS, params),
    ch.query(ROUTER, params),
  ]);
  const o = overview[0] ?? {};
  const n = (k: string) => Number(o[k] ?? 0);
  const counts = new Map(funnel.map((f) => [f.stage, Number(f.count)]));
  return {
    tenant: options.tenant,
    from: options.from,
    to: options.to,
    generatedAt: (options.now ?? new Date()).toISOString(),
    sections: [
      {
        id: 'overview',
        title: 'Key figures',
        columns: ['figure', 'value'],
        rows: [
          { figure: 'step events', value: n('steps') },
          { figure: 'trajectories', value: n('trajectories') },
          { figure: 'trajectory success rate', value: ratio(n('trajectories_succeeded'), n('trajectories')) },
          { figure: 'template executions', value: n('executions') },
          { figure: 'execution success rate', value: ratio(n('executions_succeeded'), n('executions') - n('executions_ignored')) },
          { figure: 'router lookups', value: n('lookups') },
          { figure: 'reuse share', value: ratio(n('reuse_lookups'), n('lookups')) },
          { figure: 'estimated tokens saved', value: n('tokens_saved') },
        ],
      },
      {
        id: 'funnel',
        title: 'Learning funnel',
        columns: ['stage', 'count'],
        rows: FUNNEL_ORDER.map((stage) => ({ stage, count: counts.get(stage) ?? 0 })),
      },
      { id: 'templates', title: 'Templates by executions', columns: ['template_id', 'name', 'status', 'confidence', 'executions', 'succeeded', 'success_rate', 'p50_ms'], rows: templates },
      { id: 'tools', title: 'Tools by errors', columns: ['tool_name', 'calls', 'errors', 'error_rate', 'p50_ms', 'p95_ms', 'top_error_fingerprint', 'top_error'], rows: tools },
      { id: 'router', title: 'Router tiers', columns: ['tier', 'lookups', 'share', 'with_template', 'tokens_saved', 'avg_similarity', 'p95_latency_ms'], rows: router },
    ],
  };
}
