import { DLQ_CONFIG, type TopicSpec } from '@praxis/schemas';
import type { Admin } from 'kafkajs';

export interface TopicReport {
  topic: string;
  action: 'created' | 'config_updated' | 'unchanged';
  partitions: number;
  /** Existing topics are never re-partitioned: that would move keys between partitions. */
  warning?: string;
}

interface WantedTopic {
  name: string;
  partitions: number;
  config: Readonly<Record<string, string>>;
}

/** The topics (and their dead-letter topics) a set of specs needs. */
export function wantedTopics(specs: TopicSpec[], partitionsOverride?: number): WantedTopic[] {
  return specs.flatMap((spec) => [
    { name: spec.name, partitions: partitionsOverride ?? spec.partitions, config: spec.config },
    { name: spec.dlq, partitions: 1, config: DLQ_CONFIG },
  ]);
}

/**
 * Creates missing topics and brings the cleanup/retention settings of existing ones to what
 * the specs say. Idempotent: a second run reports every topic unchanged.
 */
export async function ensureTopics(admin: Admin, specs: TopicSpec[], options: { partitions?: number } = {}): Promise<TopicReport[]> {
  const wanted = wantedTopics(specs, options.partitions);
  const existing = new Set(await admin.listTopics());
  const missing = wanted.filter((t) => !existing.has(t.name));
  if (missing.length > 0) {
    await admin.createTopics({
      // kafkajs' own wait retries only LEADER_NOT_AVAILABLE; a broker that has just created the
      // topics can also answer UNKNOWN_TOPIC_OR_PARTITION for a moment (seen on a fresh KRaft
      // broker), which it throws. We wait for the leaders ourselves (waitForLeaders below).
      waitForLeaders: false,
      topics: missing.map((t) => ({
        topic: t.name,
        numPartitions: t.partitions,
        replicationFactor: 1,
        configEntries: Object.entries(t.config).map(([name, value]) => ({ name, value })),
      })),
    });
    await waitForLeaders(admin, missing);
  }
  const reports: TopicReport[] = missing.map((t) => ({ topic: t.name, action: 'created', partitions: t.partitions }));
  const present = wanted.filter((t) => existing.has(t.name));
  if (present.length === 0) return reports;

  const metadata = await admin.fetchTopicMetadata({ topics: present.map((t) => t.name) });
  const described = await admin.describeConfigs({
    includeSynonyms: false,
    resources: present.map((t) => ({ type: 2 /* TOPIC */, name: t.name, configNames: Object.keys(t.config) })),
  });
  for (const t of present) {
    const actual = Object.fromEntries(
      (described.resources.find((r) => r.resourceName === t.name)?.configEntries ?? []).map((e) => [e.configName, e.configValue]),
    );
    const drift = Object.entries(t.config).filter(([name, value]) => actual[name] !== value);
    if (drift.length > 0) {
      await admin.alterConfigs({
        validateOnly: false,
        resources: [{ type: 2, name: t.name, configEntries: Object.entries(t.config).map(([name, value]) => ({ name, value })) }],
      });
    }
    const partitions = metadata.topics.find((m) => m.name === t.name)?.partitions.length ?? 0;
    reports.push({
      topic: t.name,
      action: drift.length > 0 ? 'config_updated' : 'unchanged',
      partitions,
      ...(partitions < t.partitions ? { warning: `has ${partitions} partitions, spec says ${t.partitions}; not changed` } : {}),
    });
  }
  return reports;
}

/** Kafka error codes a just-created topic may answer with until its partitions have leaders. */
const NOT_YET = new Set(['UNKNOWN_TOPIC_OR_PARTITION', 'LEADER_NOT_AVAILABLE']);

/**
 * Waits until every partition of the topics has a leader, so a producer that follows does not
 * meet a topic the broker does not serve yet. Bounded: after `timeoutMs` the last error is thrown.
 */
export async function waitForLeaders(admin: Admin, topics: readonly { name: string; partitions: number }[], timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (let delay = 50; ; delay = Math.min(delay * 2, 1_000)) {
    let lastError: unknown = null;
    try {
      const metadata = await admin.fetchTopicMetadata({ topics: topics.map((t) => t.name) });
      const ready = topics.every((t) => {
        const partitions = metadata.topics.find((m) => m.name === t.name)?.partitions ?? [];
        return partitions.length >= t.partitions && partitions.every((p) => p.leader >= 0);
      });
      if (ready) return;
    } catch (error) {
      if (!NOT_YET.has((error as { type?: string }).type ?? '')) throw error;
      lastError = error;
    }
    if (Date.now() + delay > deadline) throw lastError ?? new Error(`topics without a leader after ${timeoutMs} ms: ${topics.map((t) => t.name).join(', ')}`);
    await new Promise((r) => setTimeout(r, delay));
  }
}
