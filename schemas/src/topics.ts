import type { z } from 'zod';
import { avroSchemas, type AvroSchemaJson } from './avro.js';
import { AgentStepSchema, agentStepKey } from './agent-step.js';
import { FeedbackSchema, feedbackKey } from './feedback.js';
import { TemplateSchema, templateKey } from './template.js';
import { TrajectorySchema, trajectoryKey } from './trajectory.js';

const DAY_MS = 24 * 60 * 60 * 1000;

/** The tenant part of a "tenant/..." key: all of a tenant's records share a partition. */
export const tenantOfKey = (key: string): string => {
  const slash = key.indexOf('/');
  return slash < 0 ? key : key.slice(0, slash);
};

/** Everything a producer or consumer needs to know about one Praxis topic. */
export interface TopicSpec<S extends z.ZodType = z.ZodType> {
  /** Logical name, stable across prefixes. */
  readonly id: 'steps' | 'trajectories' | 'templates' | 'feedback';
  /** Full topic name, including any prefix. */
  readonly name: string;
  readonly avro: AvroSchemaJson;
  readonly validator: S;
  /** The key a valid value must be written under; consumers refuse mismatches. */
  readonly keyOf: (value: z.output<S>) => string;
  /**
   * The part of a key that picks its partition (murmur2, like the Java client); the whole
   * key when absent. Tenant for the topics the inducer owns by tenant (docs/scaling.md).
   */
  readonly partitionKey?: (key: string) => string;
  /** Null values are tombstones (compacted topics only). */
  readonly tombstones: boolean;
  readonly partitions: number;
  readonly config: Readonly<Record<string, string>>;
  /** Dead-letter topic: original bytes and key plus reason headers. */
  readonly dlq: string;
}

/** Settings of every dead-letter topic. */
export const DLQ_CONFIG = { 'cleanup.policy': 'delete', 'retention.ms': String(14 * DAY_MS) } as const;

/** The Praxis topics (DESIGN.md). A prefix keeps tests and environments apart. */
export function praxisTopics(prefix = '') {
  const make = <S extends z.ZodType>(spec: Omit<TopicSpec<S>, 'name' | 'dlq'> & { base: string }): TopicSpec<S> => {
    const { base, ...rest } = spec;
    const name = `${prefix}${base}`;
    return { ...rest, name, dlq: `${name}.dlq` };
  };
  return {
    steps: make({
      id: 'steps',
      base: 'praxis.steps.v1',
      avro: avroSchemas.agentStep,
      validator: AgentStepSchema,
      keyOf: agentStepKey,
      tombstones: false,
      partitions: 6,
      // Broker time, not the producer's: the clock client times are clamped to (docs/security.md).
      config: { 'cleanup.policy': 'delete', 'retention.ms': String(7 * DAY_MS), 'message.timestamp.type': 'LogAppendTime' },
    }),
    trajectories: make({
      id: 'trajectories',
      base: 'praxis.trajectories.v1',
      avro: avroSchemas.trajectory,
      validator: TrajectorySchema,
      keyOf: trajectoryKey,
      partitionKey: tenantOfKey,
      tombstones: false,
      partitions: 6,
      config: { 'cleanup.policy': 'delete', 'retention.ms': String(30 * DAY_MS) },
    }),
    templates: make({
      id: 'templates',
      base: 'praxis.templates.v1',
      avro: avroSchemas.template,
      validator: TemplateSchema,
      keyOf: templateKey,
      tombstones: true,
      partitions: 3,
      config: { 'cleanup.policy': 'compact', 'min.compaction.lag.ms': '0', 'delete.retention.ms': String(DAY_MS) },
    }),
    feedback: make({
      id: 'feedback',
      base: 'praxis.feedback.v1',
      avro: avroSchemas.feedback,
      validator: FeedbackSchema,
      keyOf: feedbackKey,
      partitionKey: tenantOfKey,
      tombstones: false,
      partitions: 3,
      config: { 'cleanup.policy': 'delete', 'retention.ms': String(30 * DAY_MS), 'message.timestamp.type': 'LogAppendTime' },
    }),
  } as const;
}

export type PraxisTopics = ReturnType<typeof praxisTopics>;

/** Subject of a topic's value schema (TopicNameStrategy, as Confluent serializers use). */
export function valueSubject(topic: string): string {
  return `${topic}-value`;
}
