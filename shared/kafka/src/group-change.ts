// The group's committed offsets, as a member reads them after a join to tell whether another
// member committed its partitions meanwhile (docs/runtime.md, "When the group moves on during a batch").
import type { Admin, Kafka } from 'kafkajs';
import type { Logger } from './logger.js';
import { tp } from './offsets.js';

/** The group's committed offset (-1: none) of each partition, keyed topic:partition, or null when Kafka cannot say now. */
export async function readCommitted(kafka: Kafka, groupId: string, partitions: readonly { topic: string; partition: number }[], logger: Logger): Promise<Map<string, number> | null> {
  const topics = [...new Set(partitions.map((a) => a.topic))];
  if (topics.length === 0) return new Map();
  const admin = kafka.admin();
  try {
    await admin.connect();
    return await fetchCommitted(admin, groupId, topics);
  } catch (error) {
    logger.warn({ event: 'committed_offsets_unavailable', err: error }, 'could not read the group offsets after a rebalance');
    return null;
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

/** The group's committed offset (-1: none) of every partition of `topics`, keyed topic:partition, through a connected admin. */
export async function fetchCommitted(admin: Admin, groupId: string, topics: readonly string[]): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (const t of await admin.fetchOffsets({ groupId, topics: [...topics] })) {
    for (const p of t.partitions) out.set(tp(t.topic, p.partition), Number(p.offset));
  }
  return out;
}
