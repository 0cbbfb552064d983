-- Raw tables: one row per Kafka record, written by the analytics sink (services/analytics).
--
-- Portable SQL: runs on Debian's ClickHouse 18.16 and on current releases (docs/analytics.md).
-- * Time: DateTime('UTC') for partitions and filters, plus the exact epoch milliseconds.
-- * Optional values: '' for absent strings and enums, Nullable only for numbers where 0 would lie.
-- * Dedup: ReplacingMergeTree whose sorting key ends with the record's deterministic id, and
--   whose other key columns derive from the record itself, so a redelivered record always
--   lands in the same partition with the same key. Read with FINAL (or GROUP BY the id).
-- * Partitioned by day (toYYYYMMDD), which is also the unit of retention.

-- praxis.steps.v1: one row per AgentStep; id eventId.
CREATE TABLE IF NOT EXISTS steps (
  event_id String,
  tenant_id String,
  agent_id String,
  session_id String,
  task_id String,
  seq UInt64,
  kind Enum8('QUERY' = 1, 'TOOL_CALL' = 2, 'LLM_CALL' = 3, 'TASK_END' = 4),
  ts DateTime('UTC'),
  timestamp_ms UInt64,
  query String,
  tool_name String,
  parameters_json String,
  result_json String,
  result_truncated UInt8,
  status Enum8('OK' = 1, 'ERROR' = 2),
  error_type String,
  error_message String,
  error_fingerprint String,
  duration_ms Nullable(UInt64),
  model String,
  prompt_tokens Nullable(UInt32),
  completion_tokens Nullable(UInt32),
  task_outcome Enum8('' = 0, 'SUCCEEDED' = 1, 'FAILED' = 2, 'ABANDONED' = 3),
  template_id String,
  attribute_keys Array(String),
  attribute_values Array(String),
  source_partition UInt32,
  source_offset UInt64,
  inserted_at DateTime('UTC')
) ENGINE = ReplacingMergeTree
PARTITION BY toYYYYMMDD(ts)
ORDER BY (tenant_id, agent_id, ts, event_id);

-- praxis.trajectories.v1: one row per Trajectory; id trajectoryId. Time: when it closed.
CREATE TABLE IF NOT EXISTS trajectories (
  trajectory_id String,
  tenant_id String,
  agent_id String,
  session_id String,
  task_id String,
  query String,
  started_at DateTime('UTC'),
  started_at_ms UInt64,
  ended_at DateTime('UTC'),
  ended_at_ms UInt64,
  duration_ms UInt64,
  close_reason Enum8('TASK_END' = 1, 'INACTIVITY' = 2, 'MAX_DURATION' = 3, 'NEXT_TASK' = 4, 'MAX_STEPS' = 5),
  outcome Enum8('SUCCEEDED' = 1, 'FAILED' = 2, 'ABANDONED' = 3, 'UNKNOWN' = 4),
  signature Array(String),
  signature_hash String,
  step_count UInt32,
  error_steps UInt32,
  retried_steps UInt32,
  step_error_fingerprints Array(String),
  llm_calls UInt32,
  prompt_tokens UInt64,
  completion_tokens UInt64,
  late_steps UInt32,
  duplicate_steps UInt32,
  template_id String,
  steps_json String,
  source_partition UInt32,
  source_offset UInt64,
  inserted_at DateTime('UTC')
) ENGINE = ReplacingMergeTree
PARTITION BY toYYYYMMDD(ended_at)
ORDER BY (tenant_id, agent_id, ended_at, trajectory_id);

-- praxis.templates.v1: one row per template version; id (templateId, version). A tombstone
-- (null value) becomes a row with version 0, status 'DELETED' and is_deleted = 1, timed by
-- the Kafka record. The version column keeps the latest re-publication of a version.
CREATE TABLE IF NOT EXISTS template_versions (
  template_id String,
  version UInt32,
  tenant_id String,
  agent_id String,
  is_deleted UInt8,
  source Enum8('' = 0, 'LEARNED' = 1, 'USER' = 2),
  status Enum8('DRAFT' = 1, 'ACTIVE' = 2, 'SUPERSEDED' = 3, 'RETIRED' = 4, 'DELETED' = 5),
  name String,
  description String,
  signature Array(String),
  signature_hash String,
  step_count UInt32,
  slot_count UInt32,
  trigger_examples Array(String),
  support UInt32,
  successes UInt32,
  executions UInt32,
  execution_successes UInt32,
  mean_duration_ms Float64,
  mean_tokens Float64,
  first_seen_ms UInt64,
  last_seen_ms UInt64,
  confidence Float64,
  below_threshold UInt8,
  known_error_fingerprints Array(String),
  avoidance_hint_count UInt32,
  superseded_by String,
  status_reason String,
  created_at_ms UInt64,
  updated_at DateTime('UTC'),
  updated_at_ms UInt64,
  template_json String,
  source_partition UInt32,
  source_offset UInt64,
  inserted_at DateTime('UTC')
) ENGINE = ReplacingMergeTree(updated_at_ms)
PARTITION BY toYYYYMMDD(updated_at)
ORDER BY (tenant_id, template_id, version);

-- praxis.feedback.v1, kind EXECUTION: how a run of a template ended; id feedbackId.
CREATE TABLE IF NOT EXISTS executions (
  feedback_id String,
  tenant_id String,
  agent_id String,
  ts DateTime('UTC'),
  timestamp_ms UInt64,
  template_id String,
  template_version UInt32,
  lookup_id String,
  session_id String,
  execution_id String,
  outcome Enum8('SUCCEEDED' = 1, 'FAILED' = 2, 'DEVIATED' = 3, 'IGNORED' = 4, 'ABANDONED' = 5),
  tier Enum8('' = 0, 'REUSE' = 1, 'REWRITE' = 2, 'PLAN' = 3),
  steps_total UInt32,
  steps_completed UInt32,
  failed_step Nullable(UInt32),
  error_fingerprint String,
  error_message String,
  duration_ms UInt64,
  retries UInt32,
  hints_applied UInt32,
  reason String,
  source_partition UInt32,
  source_offset UInt64,
  inserted_at DateTime('UTC')
) ENGINE = ReplacingMergeTree
PARTITION BY toYYYYMMDD(ts)
ORDER BY (tenant_id, agent_id, ts, feedback_id);

-- praxis.feedback.v1, kind LOOKUP: the router's answer to a query; id feedbackId.
CREATE TABLE IF NOT EXISTS router_lookups (
  feedback_id String,
  tenant_id String,
  agent_id String,
  ts DateTime('UTC'),
  timestamp_ms UInt64,
  lookup_id String,
  session_id String,
  template_id String,
  template_version UInt32,
  query String,
  tier Enum8('REUSE' = 1, 'REWRITE' = 2, 'PLAN' = 3),
  similarity Float64,
  confidence Nullable(Float64),
  reason String,
  alternatives Array(String),
  bound_slots UInt32,
  missing_slots UInt32,
  latency_ms Float64,
  estimated_tokens_saved Nullable(Int64),
  source_partition UInt32,
  source_offset UInt64,
  inserted_at DateTime('UTC')
) ENGINE = ReplacingMergeTree
PARTITION BY toYYYYMMDD(ts)
ORDER BY (tenant_id, agent_id, ts, feedback_id);

-- praxis.feedback.v1, kind UNLEARN: a user removed a learned template; id feedbackId.
CREATE TABLE IF NOT EXISTS unlearns (
  feedback_id String,
  tenant_id String,
  agent_id String,
  ts DateTime('UTC'),
  timestamp_ms UInt64,
  template_id String,
  template_version UInt32,
  session_id String,
  reason String,
  source_partition UInt32,
  source_offset UInt64,
  inserted_at DateTime('UTC')
) ENGINE = ReplacingMergeTree
PARTITION BY toYYYYMMDD(ts)
ORDER BY (tenant_id, agent_id, ts, feedback_id);
