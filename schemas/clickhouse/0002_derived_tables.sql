-- Derived daily tables, fed by materialized views from the raw tables.
--
-- A materialized view sees every inserted block, duplicates from a redelivery included. So
-- every aggregate state here is idempotent: adding the same row twice leaves it unchanged.
-- * counts are uniqExact(<id>): a set of ids, not a counter;
-- * sums, means and quantiles come from groupUniqArray((cityHash64(<id>), value)): a set of
--   (row, value) pairs, so a repeated row adds nothing; read with arraySum / arrayReduce;
-- * last values are argMax(value, version or time); extremes are min/max.
-- Merging parts or re-inserting a block therefore gives the same figures as the raw rows read
-- with FINAL (tested: test/analytics/derived.test.ts). docs/analytics.md explains how to read them.

-- Executions of each template per day (from executions).
CREATE TABLE IF NOT EXISTS template_daily (
  day Date,
  tenant_id String,
  template_id String,
  executions AggregateFunction(uniqExact, String),
  succeeded AggregateFunction(uniqExactIf, String, UInt8),
  failed AggregateFunction(uniqExactIf, String, UInt8),
  deviated AggregateFunction(uniqExactIf, String, UInt8),
  ignored AggregateFunction(uniqExactIf, String, UInt8),
  abandoned AggregateFunction(uniqExactIf, String, UInt8),
  durations AggregateFunction(groupUniqArray, Tuple(UInt64, UInt64)),
  last_version AggregateFunction(max, UInt32)
) ENGINE = AggregatingMergeTree
PARTITION BY toYYYYMMDD(day)
ORDER BY (tenant_id, template_id, day);

CREATE MATERIALIZED VIEW IF NOT EXISTS template_daily_mv TO template_daily AS
SELECT
  toDate(ts) AS day,
  tenant_id,
  template_id,
  uniqExactState(feedback_id) AS executions,
  uniqExactIfState(feedback_id, outcome = 'SUCCEEDED') AS succeeded,
  uniqExactIfState(feedback_id, outcome = 'FAILED') AS failed,
  uniqExactIfState(feedback_id, outcome = 'DEVIATED') AS deviated,
  uniqExactIfState(feedback_id, outcome = 'IGNORED') AS ignored,
  uniqExactIfState(feedback_id, outcome = 'ABANDONED') AS abandoned,
  groupUniqArrayState((cityHash64(feedback_id), duration_ms)) AS durations,
  maxState(template_version) AS last_version
FROM executions
GROUP BY day, tenant_id, template_id;

-- Confidence and status of each template as of its last version published that day
-- (from template_versions; tombstones excluded, they carry no confidence).
CREATE TABLE IF NOT EXISTS template_confidence_daily (
  day Date,
  tenant_id String,
  template_id String,
  last_confidence AggregateFunction(argMax, Float64, Tuple(UInt32, UInt64)),
  min_confidence AggregateFunction(min, Float64),
  max_confidence AggregateFunction(max, Float64),
  last_status AggregateFunction(argMax, String, Tuple(UInt32, UInt64)),
  last_support AggregateFunction(argMax, UInt32, Tuple(UInt32, UInt64)),
  last_version AggregateFunction(max, UInt32),
  versions AggregateFunction(uniqExact, UInt32)
) ENGINE = AggregatingMergeTree
PARTITION BY toYYYYMMDD(day)
ORDER BY (tenant_id, template_id, day);

CREATE MATERIALIZED VIEW IF NOT EXISTS template_confidence_daily_mv TO template_confidence_daily AS
SELECT
  toDate(updated_at) AS day,
  tenant_id,
  template_id,
  argMaxState(confidence, (version, updated_at_ms)) AS last_confidence,
  minState(confidence) AS min_confidence,
  maxState(confidence) AS max_confidence,
  argMaxState(toString(status), (version, updated_at_ms)) AS last_status,
  argMaxState(support, (version, updated_at_ms)) AS last_support,
  maxState(version) AS last_version,
  uniqExactState(version) AS versions
FROM template_versions
WHERE is_deleted = 0
GROUP BY day, tenant_id, template_id;

-- Calls, errors and latency of each tool per agent and day (from steps, TOOL_CALL only).
CREATE TABLE IF NOT EXISTS tool_daily (
  day Date,
  tenant_id String,
  agent_id String,
  tool_name String,
  calls AggregateFunction(uniqExact, String),
  errors AggregateFunction(uniqExactIf, String, UInt8),
  durations AggregateFunction(groupUniqArrayIf, Tuple(UInt64, UInt64), UInt8)
) ENGINE = AggregatingMergeTree
PARTITION BY toYYYYMMDD(day)
ORDER BY (tenant_id, tool_name, agent_id, day);

CREATE MATERIALIZED VIEW IF NOT EXISTS tool_daily_mv TO tool_daily AS
SELECT
  toDate(ts) AS day,
  tenant_id,
  agent_id,
  tool_name,
  uniqExactState(event_id) AS calls,
  uniqExactIfState(event_id, status = 'ERROR') AS errors,
  groupUniqArrayIfState((cityHash64(event_id), assumeNotNull(duration_ms)), isNotNull(duration_ms)) AS durations
FROM steps
WHERE kind = 'TOOL_CALL'
GROUP BY day, tenant_id, agent_id, tool_name;

-- Each error fingerprint of each tool per day (from steps, failed TOOL_CALLs).
CREATE TABLE IF NOT EXISTS tool_errors_daily (
  day Date,
  tenant_id String,
  tool_name String,
  error_fingerprint String,
  occurrences AggregateFunction(uniqExact, String),
  agents AggregateFunction(uniqExact, String),
  last_error_type AggregateFunction(argMax, String, UInt64),
  last_message AggregateFunction(argMax, String, UInt64),
  last_seen_ms AggregateFunction(max, UInt64)
) ENGINE = AggregatingMergeTree
PARTITION BY toYYYYMMDD(day)
ORDER BY (tenant_id, tool_name, error_fingerprint, day);

CREATE MATERIALIZED VIEW IF NOT EXISTS tool_errors_daily_mv TO tool_errors_daily AS
SELECT
  toDate(ts) AS day,
  tenant_id,
  tool_name,
  error_fingerprint,
  uniqExactState(event_id) AS occurrences,
  uniqExactState(agent_id) AS agents,
  argMaxState(error_type, timestamp_ms) AS last_error_type,
  argMaxState(error_message, timestamp_ms) AS last_message,
  maxState(timestamp_ms) AS last_seen_ms
FROM steps
WHERE kind = 'TOOL_CALL' AND status = 'ERROR'
GROUP BY day, tenant_id, tool_name, error_fingerprint;

-- Router answers per tier, agent and day, with the tokens they are expected to save
-- (from router_lookups).
CREATE TABLE IF NOT EXISTS router_daily (
  day Date,
  tenant_id String,
  agent_id String,
  tier Enum8('REUSE' = 1, 'REWRITE' = 2, 'PLAN' = 3),
  lookups AggregateFunction(uniqExact, String),
  with_template AggregateFunction(uniqExactIf, String, UInt8),
  tokens_saved AggregateFunction(groupUniqArrayIf, Tuple(UInt64, Int64), UInt8),
  similarities AggregateFunction(groupUniqArray, Tuple(UInt64, Float64)),
  latencies AggregateFunction(groupUniqArray, Tuple(UInt64, Float64))
) ENGINE = AggregatingMergeTree
PARTITION BY toYYYYMMDD(day)
ORDER BY (tenant_id, agent_id, tier, day);

CREATE MATERIALIZED VIEW IF NOT EXISTS router_daily_mv TO router_daily AS
SELECT
  toDate(ts) AS day,
  tenant_id,
  agent_id,
  tier,
  uniqExactState(feedback_id) AS lookups,
  uniqExactIfState(feedback_id, template_id != '') AS with_template,
  groupUniqArrayIfState((cityHash64(feedback_id), assumeNotNull(estimated_tokens_saved)), isNotNull(estimated_tokens_saved)) AS tokens_saved,
  groupUniqArrayState((cityHash64(feedback_id), similarity)) AS similarities,
  groupUniqArrayState((cityHash64(feedback_id), latency_ms)) AS latencies
FROM router_lookups
GROUP BY day, tenant_id, agent_id, tier;

-- Trajectories per signature (tool sequence), agent and day (from trajectories): the
-- recurring workflows, and the "patterns" stage of the learning funnel.
CREATE TABLE IF NOT EXISTS signature_daily (
  day Date,
  tenant_id String,
  agent_id String,
  signature_hash String,
  tools AggregateFunction(any, Array(String)),
  trajectories AggregateFunction(uniqExact, String),
  succeeded AggregateFunction(uniqExactIf, String, UInt8),
  from_template AggregateFunction(uniqExactIf, String, UInt8),
  durations AggregateFunction(groupUniqArray, Tuple(UInt64, UInt64)),
  tokens AggregateFunction(groupUniqArray, Tuple(UInt64, UInt64))
) ENGINE = AggregatingMergeTree
PARTITION BY toYYYYMMDD(day)
ORDER BY (tenant_id, agent_id, signature_hash, day);

CREATE MATERIALIZED VIEW IF NOT EXISTS signature_daily_mv TO signature_daily AS
SELECT
  toDate(ended_at) AS day,
  tenant_id,
  agent_id,
  signature_hash,
  anyState(signature) AS tools,
  uniqExactState(trajectory_id) AS trajectories,
  uniqExactIfState(trajectory_id, outcome = 'SUCCEEDED') AS succeeded,
  uniqExactIfState(trajectory_id, template_id != '') AS from_template,
  groupUniqArrayState((cityHash64(trajectory_id), duration_ms)) AS durations,
  groupUniqArrayState((cityHash64(trajectory_id), prompt_tokens + completion_tokens)) AS tokens
FROM trajectories
GROUP BY day, tenant_id, agent_id, signature_hash;

-- The learning funnel per tenant and day: distinct ids at each stage. One table, one view per
-- source; every view writes every column (18.16 requires it). Patterns come from signature_daily.
CREATE TABLE IF NOT EXISTS funnel_daily (
  day Date,
  tenant_id String,
  stage String,
  ids AggregateFunction(uniqExact, String)
) ENGINE = AggregatingMergeTree
PARTITION BY toYYYYMMDD(day)
ORDER BY (tenant_id, stage, day);

CREATE MATERIALIZED VIEW IF NOT EXISTS funnel_steps_mv TO funnel_daily AS
SELECT toDate(ts) AS day, tenant_id, 'steps' AS stage, uniqExactState(event_id) AS ids
FROM steps GROUP BY day, tenant_id;

CREATE MATERIALIZED VIEW IF NOT EXISTS funnel_trajectories_mv TO funnel_daily AS
SELECT toDate(ended_at) AS day, tenant_id, 'trajectories' AS stage, uniqExactState(trajectory_id) AS ids
FROM trajectories GROUP BY day, tenant_id;

CREATE MATERIALIZED VIEW IF NOT EXISTS funnel_templates_mv TO funnel_daily AS
SELECT toDate(updated_at) AS day, tenant_id, 'templates' AS stage, uniqExactState(template_id) AS ids
FROM template_versions WHERE is_deleted = 0 GROUP BY day, tenant_id;

CREATE MATERIALIZED VIEW IF NOT EXISTS funnel_active_templates_mv TO funnel_daily AS
SELECT toDate(updated_at) AS day, tenant_id, 'active_templates' AS stage, uniqExactState(template_id) AS ids
FROM template_versions WHERE is_deleted = 0 AND status = 'ACTIVE' GROUP BY day, tenant_id;

CREATE MATERIALIZED VIEW IF NOT EXISTS funnel_executions_mv TO funnel_daily AS
SELECT toDate(ts) AS day, tenant_id, 'executions' AS stage, uniqExactState(feedback_id) AS ids
FROM executions GROUP BY day, tenant_id;
