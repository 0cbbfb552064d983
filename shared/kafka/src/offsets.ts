// Offset arithmetic of the consumer runner, kept pure so it is unit-tested without Kafka.

/** Offsets are decimal strings in kafkajs; compare them as bigints. */
export const nextOffset = (offset: string): string => (BigInt(offset) + 1n).toString();

export const minOffset = (a: string, b: string): string => (BigInt(a) <= BigInt(b) ? a : b);

/** Records between the next offset to read and the high watermark (never negative). */
export function lagOf(highWatermark: string, next: string): number {
  const lag = BigInt(highWatermark) - BigInt(next);
  return lag > 0n ? Number(lag) : 0;
}

/**
 * The offset to commit after processing up to `lastProcessed`: the next one, unless the
 * handler holds earlier records in state (then its hold, never beyond the next offset).
 */
export function commitOffsetFor(lastProcessed: string, hold?: string): string {
  const next = nextOffset(lastProcessed);
  return hold === undefined ? next : minOffset(hold, next);
}

/** Key of a topic-partition in maps. */
export const tp = (topic: string, partition: number) => `${topic}:${partition}`;
