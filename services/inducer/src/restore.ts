// Reads a topic from its beginning to the end it had when the read started: how the inducer
// restores its changelog and what the templates topic holds before it consumes anything.
import { randomUUID } from 'node:crypto';
import { InvalidRecordError, validateRecord, type AvroSerde, type Logger } from '@praxis/kafka';
import type { TopicSpec } from '@praxis/schemas';
import type { Kafka } from 'kafkajs';
import { restoreSkippedTotal } from './metrics.js';

/** What a restore read: records handed on, and records skipped because they cannot be read. */
export interface RestoreSummary {
  records: number;
  skipped: number;
}

/**
 * Calls `onRecord` for every record (null value: tombstone), in order per partition; resolves
 * at the end offsets of the start. A record that does not decode or validate is skipped,
 * logged and counted: compaction keeps garbage under its key, and a restore that stopped on
 * it would keep the service from ever starting. A registry outage still fails the restore.
 */
export async function readToEnd(
  kafka: Kafka,
  serde: AvroSerde,
  spec: TopicSpec,
  onRecord: (key: string | null, value: unknown, partition: number, offset: number) => void,
  options: { logger: Logger; timeoutMs?: number },
): Promise<RestoreSummary> {
  const admin = kafka.admin();
  await admin.connect();
  let ends: { partition: number; high: string; low: string }[];
  try {
    ends = await admin.fetchTopicOffsets(spec.name);
  } finally {
    await admin.disconnect();
  }
  const targets = new Map(ends.filter((e) => BigInt(e.high) > BigInt(e.low)).map((e) => [e.partition, BigInt(e.high) - 1n]));
  if (targets.size === 0) return { records: 0, skipped: 0 };
  const groupId = `praxis-restore-${randomUUID()}`;
  const consumer = kafka.consumer({ groupId, allowAutoTopicCreation: false, sessionTimeout: 10_000 });
  let count = 0;
  let skipped = 0;
  let failure: unknown;
  let finish!: () => void;
  const done = new Promise<void>((resolve) => (finish = resolve));
  await consumer.connect();
  try {
    await consumer.subscribe({ topic: spec.name, fromBeginning: true });
    await consumer.run({
      eachBatch: async ({ batch, resolveOffset }) => {
        const target = targets.get(batch.partition);
        for (const m of batch.messages) {
          if (target === undefined || BigInt(m.offset) > target) break;
          try {
            const key = m.key?.toString() ?? null;
            let value: unknown = null;
            let readable = true;
            try {
              if (m.value === null && !spec.tombstones) throw new InvalidRecordError('validate', 'validation: null value on a topic without tombstones');
              value = m.value === null ? null : validateRecord(spec, key, await serde.decode(spec, m.value));
            } catch (error) {
              if (!(error instanceof InvalidRecordError)) throw error;
              readable = false;
              skipped++;
              restoreSkippedTotal.inc({ topic: spec.name });
              options.logger.warn({ event: 'restore_record_skipped', topic: spec.name, partition: batch.partition, offset: m.offset, reason: error.message }, 'skipped a record that cannot be read');
            }
            if (readable) {
              onRecord(key, value, batch.partition, Number(m.offset));
              count++;
            }
          } catch (error) {
            failure ??= error;
            finish();
            return;
          }
          resolveOffset(m.offset);
          if (BigInt(m.offset) >= target) {
            targets.delete(batch.partition);
            if (targets.size === 0) finish();
          }
        }
      },
    });
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`restore of ${spec.name} did not reach the end within ${options.timeoutMs ?? 120_000} ms`)), options.timeoutMs ?? 120_000);
    });
    await Promise.race([done, timeout]).finally(() => clearTimeout(timer));
    if (failure) throw failure;
  } finally {
    await consumer.disconnect();
    const cleanup = kafka.admin();
    await cleanup
      .connect()
      .then(() => cleanup.deleteGroups([groupId]))
      .catch((error: unknown) => options.logger.warn({ event: 'restore_group_cleanup_failed', groupId, err: error }, 'could not delete the restore group'))
      .finally(() => cleanup.disconnect());
  }
  return { records: count, skipped };
}
