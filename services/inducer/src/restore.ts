// Reads topics (or some of their partitions) from their beginning to the end they had when the
// read started: how the inducer restores the state of the tasks it is assigned (its compacted
// stores, the templates topic) before it consumes anything of them.
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

/** A topic to read, whole or only some partitions. */
export interface RestoreSource {
  spec: TopicSpec;
  /** Only these partitions (all when absent). */
  partitions?: readonly number[];
}

/** One record read back (null value: tombstone). */
export interface RestoredRecord {
  spec: TopicSpec;
  key: string | null;
  value: unknown;
  partition: number;
  offset: number;
  headers: Record<string, string>;
}

/**
 * Calls `onRecord` for every record of the sources, in order per partition; resolves at the
 * end offsets of the start. A record that does not decode or validate is skipped, logged and
 * counted: compaction keeps garbage under its key, and a restore that stopped on it would
 * keep the service from ever starting. A registry outage still fails the restore.
 */
export async function readPartitionsToEnd(
  kafka: Kafka,
  serde: AvroSerde,
  sources: readonly RestoreSource[],
  onRecord: (record: RestoredRecord) => void,
  options: { logger: Logger; timeoutMs?: number },
): Promise<RestoreSummary> {
  const specs = new Map(sources.map((s) => [s.spec.name, s.spec]));
  const targets = new Map<string, bigint>();
  const admin = kafka.admin();
  await admin.connect();
  try {
    for (const source of sources) {
      const wanted = source.partitions ? new Set(source.partitions) : null;
      for (const e of await admin.fetchTopicOffsets(source.spec.name)) {
        if ((wanted && !wanted.has(e.partition)) || BigInt(e.high) <= BigInt(e.low)) continue;
        targets.set(`${source.spec.name}:${e.partition}`, BigInt(e.high) - 1n);
      }
    }
  } finally {
    await admin.disconnect();
  }
  if (targets.size === 0) return { records: 0, skipped: 0 };
  const groupId = `praxis-restore-${randomUUID()}`;
  const consumer = kafka.consumer({ groupId, allowAutoTopicCreation: false, sessionTimeout: 10_000, maxBytesPerPartition: 4 * 1024 * 1024 });
  let count = 0;
  let skipped = 0;
  let failure: unknown;
  let finish!: () => void;
  const done = new Promise<void>((resolve) => (finish = resolve));
  const timeoutMs = options.timeoutMs ?? 120_000;
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [...specs.keys()], fromBeginning: true });
    await consumer.run({
      eachBatch: async ({ batch, resolveOffset, pause }) => {
        const spec = specs.get(batch.topic)!;
        const at = `${batch.topic}:${batch.partition}`;
        const target = targets.get(at);
        // A partition not asked for (or already read) is paused: its records are never fetched again.
        if (target === undefined) return void pause();
        for (const m of batch.messages) {
          if (BigInt(m.offset) > target) break;
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
              const headers: Record<string, string> = {};
              for (const [name, v] of Object.entries(m.headers ?? {})) if (v !== undefined) headers[name] = (Array.isArray(v) ? v[0] : v)?.toString() ?? '';
              onRecord({ spec, key, value, partition: batch.partition, offset: Number(m.offset), headers });
              count++;
            }
          } catch (error) {
            failure ??= error;
            finish();
            return;
          }
          resolveOffset(m.offset);
          if (BigInt(m.offset) >= target) {
            targets.delete(at);
            if (targets.size === 0) finish();
            pause();
            return;
          }
        }
      },
    });
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`restore of ${[...specs.keys()].join(', ')} did not reach the end within ${timeoutMs} ms`)), timeoutMs);
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

/** Reads a whole topic to its end (see readPartitionsToEnd). */
export function readToEnd(
  kafka: Kafka,
  serde: AvroSerde,
  spec: TopicSpec,
  onRecord: (key: string | null, value: unknown, partition: number, offset: number) => void,
  options: { logger: Logger; timeoutMs?: number },
): Promise<RestoreSummary> {
  return readPartitionsToEnd(kafka, serde, [{ spec }], (r) => onRecord(r.key, r.value, r.partition, r.offset), options);
}
