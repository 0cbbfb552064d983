-- Derived daily tables that roll up: bounded state per day and key (replaces 0002's).
--
-- 0002 made every state idempotent by keeping sets (uniqExact of ids, groupUniqArray of
-- (hash, value) pairs), so a day's state grew with its rows. Now the sink keeps duplicates
-- away from the views instead: before it inserts a batch it drops the rows ClickHouse already
-- holds (services/analytics/src/dedup.ts), so every raw row reaches a view once, and the
-- states can be plain counters and sketches:
-- * counts and sums are sum (exact);
-- * quantiles are quantileTiming (tool and router latencies: exact up to 5,670 values per
--   group, then within 16 ms; values above 30 s count as 30 s) or quantileTDigest
--   (run and trajectory durations: a sketch, about 1 % of rank off);
-- * distinct agents per failure are uniqCombined (exact below some thousands);
-- * last values argMax, extremes min/max, as before.
-- template_confidence_daily keeps 0002's states: they are already bounded (one argMax, one
-- min, one max and the version set per template and day); it is created again for the column
-- below.
-- Every table also has `offsets`: per Kafka partition of its source, the highest offset + 1 its
-- view has summed (maxForEach over an array indexed by partition; bounded by the partition
-- count). It sits in the same part as the counts, so after a crash that cut an insert between
-- the raw table and a view, the sink sees which raw rows the view lacks and sums exactly those
-- again (services/analytics/src/rollups.ts).
--
-- Every statement can run twice: each table is dropped with its view and created again, so a
-- run that died half-way through starts over. 0002's states cannot be converted, so each new
-- table is filled from the raw rows the raw tables hold (INSERT ... SELECT ... FINAL, the
-- view's own SELECT), before its view is created. Apply it with the sinks stopped (a sink
-- applies pending migrations before it consumes): rows inserted while this file runs may be
-- missed by a table filled before them and watched by a view created after them.

DROP TABLE IF EXISTS template_daily_mv;
DROP TABLE IF EXISTS template_daily;
CREATE TABLE IF NOT EXISTS template_daily (
  day Date,
  tenant_id String,
  template_id String,
  executions AggregateFunction(sum, UInt64),
  succeeded AggregateFunction(sum, UInt64),
  failed AggregateFunction(sum, UInt64),
  deviated AggregateFunction(sum, UInt64),
  ignored AggregateFunction(sum, UInt64),
  abandoned AggregateFunction(sum, UInt64),
  duration_sum AggregateFunction(sum, UInt64),
  durations AggregateFunction(quantileTDigest, UInt64),
  last_version AggregateFunction(max, UInt32),
  offsets AggregateFunction(maxForEach, Array(UInt64))
) ENGINE = AggregatingMergeTree
PARTITION BY toYYYYMMDD(day)
ORDER BY (tenant_id, template_id, day);

-- The days the raw tables already hold, summed once (FINAL: each raw row once), then the view takes over.
INSERT INTO template_daily
SELECT
  toDate(ts) AS day,
  tenant_id,
  template_id,
  sumState(toUInt64(1)) AS executions,
  sumState(toUInt64(outcome = 'SUCCEEDED')) AS succeeded,
  sumState(toUInt64(outcome = 'FAILED')) AS failed,
  sumState(toUInt64(outcome = 'DEVIATED')) AS deviated,
  sumState(toUInt64(outcome = 'IGNORED')) AS ignored,
  sumState(toUInt64(outcome = 'ABANDONED')) AS abandoned,
  sumState(duration_ms) AS duration_sum,
  quantileTDigestState(duration_ms) AS durations,
  maxState(template_version) AS last_version,
  maxForEachState(arrayPushBack(arrayResize(emptyArrayUInt64(), source_partition), source_offset + 1)) AS offsets
FROM executions FINAL
GROUP BY day, tenant_id, template_id;

CREATE MATERIALIZED VIEW IF NOT EXISTS template_daily_mv TO template_daily AS
SELECT
  toDate(ts) AS day,
  tenant_id,
  template_id,
  sumState(toUInt64(1)) AS executions,
  sumState(toUInt64(outcome = 'SUCCEEDED')) AS succeeded,
  sumState(toUInt64(outcome = 'FAILED')) AS failed,
  sumState(toUInt64(outcome = 'DEVIATED')) AS deviated,
  sumState(toUInt64(outcome = 'IGNORED')) AS ignored,
  sumState(toUInt64(outcome = 'ABANDONED')) AS abandoned,
  sumState(duration_ms) AS duration_sum,
  quantileTDigestState(duration_ms) AS durations,
  maxState(template_version) AS last_version,
  maxForEachState(arrayPushBack(arrayResize(emptyArrayUInt64(), source_partition), source_offset + 1)) AS offsets
FROM executions
GROUP BY day, tenant_id, template_id;

DROP TABLE IF EXISTS template_confidence_daily_mv;
DROP TABLE IF EXISTS template_confidence_daily;
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
  versions AggregateFunction(uniqExact, UInt32),
  offsets AggregateFunction(maxForEach, Array(UInt64))
) ENGINE = AggregatingMergeTree
PARTITION BY toYYYYMMDD(day)
ORDER BY (tenant_id, template_id, day);

-- The days the raw tables already hold, summed once (FINAL: each raw row once), then the view takes over.
INSERT INTO template_confidence_daily
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
  uniqExactState(version) AS versions,
  maxForEachState(arrayPushBack(arrayResize(emptyArrayUInt64(), source_partition), source_offset + 1)) AS offsets
FROM template_versions FINAL
WHERE is_deleted = 0
GROUP BY day, tenant_id, template_id;

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
  uniqExactState(version) AS versions,
  maxForEachState(arrayPushBack(arrayResize(emptyArrayUInt64(), source_partition), source_offset + 1)) AS offsets
FROM template_versions
WHERE is_deleted = 0
GROUP BY day, tenant_id, template_id;

DROP TABLE IF EXISTS tool_daily_mv;
DROP TABLE IF EXISTS tool_daily;
CREATE TABLE IF NOT EXISTS tool_daily (
  day Date,
  tenant_id String,
  agent_id String,
  tool_name String,
  calls AggregateFunction(sum, UInt64),
  errors AggregateFunction(sum, UInt64),
  timed AggregateFunction(sum, UInt64),
  duration_sum AggregateFunction(sum, UInt64),
  durations AggregateFunction(quantileTimingIf, UInt64, UInt8),
  max_duration AggregateFunction(max, UInt64),
  offsets AggregateFunction(maxForEach, Array(UInt64))
) ENGINE = AggregatingMergeTree
PARTITION BY toYYYYMMDD(day)
ORDER BY (tenant_id, tool_name, agent_id, day);

-- The days the raw tables already hold, summed once (FINAL: each raw row once), then the view takes over.
INSERT INTO tool_daily
SELECT
  toDate(ts) AS day,
  tenant_id,
  agent_id,
  tool_name,
  sumState(toUInt64(1)) AS calls,
  sumState(toUInt64(status = 'ERROR')) AS errors,
  sumState(toUInt64(isNotNull(duration_ms))) AS timed,
  sumState(toUInt64(ifNull(duration_ms, 0))) AS duration_sum,
  quantileTimingIfState(assumeNotNull(duration_ms), isNotNull(duration_ms)) AS durations,
  maxState(toUInt64(ifNull(duration_ms, 0))) AS max_duration,
  maxForEachState(arrayPushBack(arrayResize(emptyArrayUInt64(), source_partition), source_offset + 1)) AS offsets
FROM steps FINAL
WHERE kind = 'TOOL_CALL'
GROUP BY day, tenant_id, agent_id, tool_name;

CREATE MATERIALIZED VIEW IF NOT EXISTS tool_daily_mv TO tool_daily AS
SELECT
  toDate(ts) AS day,
  tenant_id,
  agent_id,
  tool_name,
  sumState(toUInt64(1)) AS calls,
  sumState(toUInt64(status = 'ERROR')) AS errors,
  sumState(toUInt64(isNotNull(duration_ms))) AS timed,
  sumState(toUInt64(ifNull(duration_ms, 0))) AS duration_sum,
  quantileTimingIfState(assumeNotNull(duration_ms), isNotNull(duration_ms)) AS durations,
  maxState(toUInt64(ifNull(duration_ms, 0))) AS max_duration,
  maxForEachState(arrayPushBack(arrayResize(emptyArrayUInt64(), source_partition), source_offset + 1)) AS offsets
FROM steps
WHERE kind = 'TOOL_CALL'
GROUP BY day, tenant_id, agent_id, tool_name;

DROP TABLE IF EXISTS tool_errors_daily_mv;
DROP TABLE IF EXISTS tool_errors_daily;
CREATE TABLE IF NOT EXISTS tool_errors_daily (
  day Date,
  tenant_id String,
  tool_name String,
  error_fingerprint String,
  occurrences AggregateFunction(sum, UInt64),
  agents AggregateFunction(uniqCombined, String),
  last_error_type AggregateFunction(argMax, String, UInt64),
  last_message AggregateFunction(argMax, String, UInt64),
  last_seen_ms AggregateFunction(max, UInt64),
  offsets AggregateFunction(maxForEach, Array(UInt64))
) ENGINE = AggregatingMergeTree
PARTITION BY toYYYYMMDD(day)
ORDER BY (tenant_id, tool_name, error_fingerprint, day);

-- The days the raw tables already hold, summed once (FINAL: each raw row once), then the view takes over.
INSERT INTO tool_errors_daily
SELECT
  toDate(ts) AS day,
  tenant_id,
  tool_name,
  error_fingerprint,
  sumState(toUInt64(1)) AS occurrences,
  uniqCombinedState(agent_id) AS agents,
  argMaxState(error_type, timestamp_ms) AS last_error_type,
  argMaxState(error_message, timestamp_ms) AS last_message,
  maxState(timestamp_ms) AS last_seen_ms,
  maxForEachState(arrayPushBack(arrayResize(emptyArrayUInt64(), source_partition), source_offset + 1)) AS offsets
FROM steps FINAL
WHERE kind = 'TOOL_CALL' AND status = 'ERROR'
GROUP BY day, tenant_id, tool_name, error_fingerprint;

CREATE MATERIALIZED VIEW IF NOT EXISTS tool_errors_daily_mv TO tool_errors_daily AS
SELECT
  toDate(ts) AS day,
  tenant_id,
  tool_name,
  error_fingerprint,
  sumState(toUInt64(1)) AS occurrences,
  uniqCombinedState(agent_id) AS agents,
  argMaxState(error_type, timestamp_ms) AS last_error_type,
  argMaxState(error_message, timestamp_ms) AS last_message,
  maxState(timestamp_ms) AS last_seen_ms,
  maxForEachState(arrayPushBack(arrayResize(emptyArrayUInt64(), source_partition), source_offset + 1)) AS offsets
FROM steps
WHERE kind = 'TOOL_CALL' AND status = 'ERROR'
GROUP BY day, tenant_id, tool_name, error_fingerprint;

DROP TABLE IF EXISTS router_daily_mv;
DROP TABLE IF EXISTS router_daily;
CREATE TABLE IF NOT EXISTS router_daily (
  day Date,
  tenant_id String,
  agent_id String,
  tier Enum8('REUSE' = 1, 'REWRITE' = 2, 'PLAN' = 3),
  lookups AggregateFunction(sum, UInt64),
  with_template AggregateFunction(sum, UInt64),
  tokens_saved AggregateFunction(sum, Int64),
  similarity_sum AggregateFunction(sum, Float64),
  latency_sum AggregateFunction(sum, Float64),
  latencies AggregateFunction(quantileTiming, Float64),
  offsets AggregateFunction(maxForEach, Array(UInt64))
) ENGINE = AggregatingMergeTree
PARTITION BY toYYYYMMDD(day)
ORDER BY (tenant_id, agent_id, tier, day);

-- The days the raw tables already hold, summed once (FINAL: each raw row once), then the view takes over.
INSERT INTO router_daily
SELECT
  toDate(ts) AS day,
  tenant_id,
  agent_id,
  tier,
  sumState(toUInt64(1)) AS lookups,
  sumState(toUInt64(template_id != '')) AS with_template,
  sumState(toInt64(ifNull(estimated_tokens_saved, 0))) AS tokens_saved,
  sumState(similarity) AS similarity_sum,
  sumState(latency_ms) AS latency_sum,
  quantileTimingState(latency_ms) AS latencies,
  maxForEachState(arrayPushBack(arrayResize(emptyArrayUInt64(), source_partition), source_offset + 1)) AS offsets
FROM router_lookups FINAL
GROUP BY day, tenant_id, agent_id, tier;

CREATE MATERIALIZED VIEW IF NOT EXISTS router_daily_mv TO router_daily AS
SELECT
  toDate(ts) AS day,
  tenant_id,
  agent_id,
  tier,
  sumState(toUInt64(1)) AS lookups,
  sumState(toUInt64(template_id != '')) AS with_template,
  sumState(toInt64(ifNull(estimated_tokens_saved, 0))) AS tokens_saved,
  sumState(similarity) AS similarity_sum,
  sumState(latency_ms) AS latency_sum,
  quantileTimingState(latency_ms) AS latencies,
  maxForEachState(arrayPushBack(arrayResize(emptyArrayUInt64(), source_partition), source_offset + 1)) AS offsets
FROM router_lookups
GROUP BY day, tenant_id, agent_id, tier;

DROP TABLE IF EXISTS signature_daily_mv;
DROP TABLE IF EXISTS signature_daily;
CREATE TABLE IF NOT EXISTS signature_daily (
  day Date,
  tenant_id String,
  agent_id String,
  signature_hash String,
  tools AggregateFunction(any, Array(String)),
  trajectories AggregateFunction(sum, UInt64),
  succeeded AggregateFunction(sum, UInt64),
  from_template AggregateFunction(sum, UInt64),
  duration_sum AggregateFunction(sum, UInt64),
  durations AggregateFunction(quantileTDigest, UInt64),
  token_sum AggregateFunction(sum, UInt64),
  offsets AggregateFunction(maxForEach, Array(UInt64))
) ENGINE = AggregatingMergeTree
PARTITION BY toYYYYMMDD(day)
ORDER BY (tenant_id, agent_id, signature_hash, day);

-- The days the raw tables already hold, summed once (FINAL: each raw row once), then the view takes over.
INSERT INTO signature_daily
SELECT
  toDate(ended_at) AS day,
  tenant_id,
  agent_id,
  signature_hash,
  anyState(signature) AS tools,
  sumState(toUInt64(1)) AS trajectories,
  sumState(toUInt64(outcome = 'SUCCEEDED')) AS succeeded,
  sumState(toUInt64(template_id != '')) AS from_template,
  sumState(duration_ms) AS duration_sum,
  quantileTDigestState(duration_ms) AS durations,
  sumState(prompt_tokens + completion_tokens) AS token_sum,
  maxForEachState(arrayPushBack(arrayResize(emptyArrayUInt64(), source_partition), source_offset + 1)) AS offsets
FROM trajectories FINAL
GROUP BY day, tenant_id, agent_id, signature_hash;

CREATE MATERIALIZED VIEW IF NOT EXISTS signature_daily_mv TO signature_daily AS
SELECT
  toDate(ended_at) AS day,
  tenant_id,
  agent_id,
  signature_hash,
  anyState(signature) AS tools,
  sumState(toUInt64(1)) AS trajectories,
  sumState(toUInt64(outcome = 'SUCCEEDED')) AS succeeded,
  sumState(toUInt64(template_id != '')) AS from_template,
  sumState(duration_ms) AS duration_sum,
  quantileTDigestState(duration_ms) AS durations,
  sumState(prompt_tokens + completion_tokens) AS token_sum,
  maxForEachState(arrayPushBack(arrayResize(emptyArrayUInt64(), source_partition), source_offset + 1)) AS offsets
FROM trajectories
GROUP BY day, tenant_id, agent_id, signature_hash;

-- The learning funnel: rows at each stage (steps, trajectories, executions: one id per row,
-- so a sum) and, for the template stages, the distinct template ids (bounded by the catalogue).
DROP TABLE IF EXISTS funnel_steps_mv;
DROP TABLE IF EXISTS funnel_trajectories_mv;
DROP TABLE IF EXISTS funnel_templates_mv;
DROP TABLE IF EXISTS funnel_active_templates_mv;
DROP TABLE IF EXISTS funnel_executions_mv;
DROP TABLE IF EXISTS funnel_daily;
CREATE TABLE IF NOT EXISTS funnel_daily (
  day Date,
  tenant_id String,
  stage String,
  n AggregateFunction(sum, UInt64),
  templates AggregateFunction(uniqExactIf, String, UInt8),
  offsets AggregateFunction(maxForEach, Array(UInt64))
) ENGINE = AggregatingMergeTree
PARTITION BY toYYYYMMDD(day)
ORDER BY (tenant_id, stage, day);

-- The days the raw tables already hold, summed once (FINAL: each raw row once), then the view takes over.
INSERT INTO funnel_daily
SELECT toDate(ts) AS day, tenant_id, 'steps' AS stage, sumState(toUInt64(1)) AS n, uniqExactIfState(tenant_id, toUInt8(0)) AS templates,
  maxForEachState(arrayPushBack(arrayResize(emptyArrayUInt64(), source_partition), source_offset + 1)) AS offsets
FROM steps FINAL GROUP BY day, tenant_id;

CREATE MATERIALIZED VIEW IF NOT EXISTS funnel_steps_mv TO funnel_daily AS
SELECT toDate(ts) AS day, tenant_id, 'steps' AS stage, sumState(toUInt64(1)) AS n, uniqExactIfState(tenant_id, toUInt8(0)) AS templates,
  maxForEachState(arrayPushBack(arrayResize(emptyArrayUInt64(), source_partition), source_offset + 1)) AS offsets
FROM steps GROUP BY day, tenant_id;

-- The days the raw tables already hold, summed once (FINAL: each raw row once), then the view takes over.
INSERT INTO funnel_daily
SELECT toDate(ended_at) AS day, tenant_id, 'trajectories' AS stage, sumState(toUInt64(1)) AS n, uniqExactIfState(tenant_id, toUInt8(0)) AS templates,
  maxForEachState(arrayPushBack(arrayResize(emptyArrayUInt64(), source_partition), source_offset + 1)) AS offsets
FROM trajectories FINAL GROUP BY day, tenant_id;

CREATE MATERIALIZED VIEW IF NOT EXISTS funnel_trajectories_mv TO funnel_daily AS
SELECT toDate(ended_at) AS day, tenant_id, 'trajectories' AS stage, sumState(toUInt64(1)) AS n, uniqExactIfState(tenant_id, toUInt8(0)) AS templates,
  maxForEachState(arrayPushBack(arrayResize(emptyArrayUInt64(), source_partition), source_offset + 1)) AS offsets
FROM trajectories GROUP BY day, tenant_id;

-- The days the raw tables already hold, summed once (FINAL: each raw row once), then the view takes over.
INSERT INTO funnel_daily
SELECT toDate(updated_at) AS day, tenant_id, 'templates' AS stage, sumState(toUInt64(1)) AS n, uniqExactIfState(template_id, toUInt8(1)) AS templates,
  maxForEachState(arrayPushBack(arrayResize(emptyArrayUInt64(), source_partition), source_offset + 1)) AS offsets
FROM template_versions FINAL WHERE is_deleted = 0 GROUP BY day, tenant_id;

CREATE MATERIALIZED VIEW IF NOT EXISTS funnel_templates_mv TO funnel_daily AS
SELECT toDate(updated_at) AS day, tenant_id, 'templates' AS stage, sumState(toUInt64(1)) AS n, uniqExactIfState(template_id, toUInt8(1)) AS templates,
  maxForEachState(arrayPushBack(arrayResize(emptyArrayUInt64(), source_partition), source_offset + 1)) AS offsets
FROM template_versions WHERE is_deleted = 0 GROUP BY day, tenant_id;

-- The days the raw tables already hold, summed once (FINAL: each raw row once), then the view takes over.
INSERT INTO funnel_daily
SELECT toDate(updated_at) AS day, tenant_id, 'active_templates' AS stage, sumState(toUInt64(1)) AS n, uniqExactIfState(template_id, toUInt8(1)) AS templates,
  maxForEachState(arrayPushBack(arrayResize(emptyArrayUInt64(), source_partition), source_offset + 1)) AS offsets
FROM template_versions FINAL WHERE is_deleted = 0 AND status = 'ACTIVE' GROUP BY day, tenant_id;

CREATE MATERIALIZED VIEW IF NOT EXISTS funnel_active_templates_mv TO funnel_daily AS
SELECT toDate(updated_at) AS day, tenant_id, 'active_templates' AS stage, sumState(toUInt64(1)) AS n, uniqExactIfState(template_id, toUInt8(1)) AS templates,
  maxForEachState(arrayPushBack(arrayResize(emptyArrayUInt64(), source_partition), source_offset + 1)) AS offsets
FROM template_versions WHERE is_deleted = 0 AND status = 'ACTIVE' GROUP BY day, tenant_id;

-- The days the raw tables already hold, summed once (FINAL: each raw row once), then the view takes over.
INSERT INTO funnel_daily
SELECT toDate(ts) AS day, tenant_id, 'executions' AS stage, sumState(toUInt64(1)) AS n, uniqExactIfState(tenant_id, toUInt8(0)) AS templates,
  maxForEachState(arrayPushBack(arrayResize(emptyArrayUInt64(), source_partition), source_offset + 1)) AS offsets
FROM executions FINAL GROUP BY day, tenant_id;

CREATE MATERIALIZED VIEW IF NOT EXISTS funnel_executions_mv TO funnel_daily AS
SELECT toDate(ts) AS day, tenant_id, 'executions' AS stage, sumState(toUInt64(1)) AS n, uniqExactIfState(tenant_id, toUInt8(0)) AS templates,
  maxForEachState(arrayPushBack(arrayResize(emptyArrayUInt64(), source_partition), source_offset + 1)) AS offsets
FROM executions GROUP BY day, tenant_id;
