// Where a key lands: murmur2 over the part of the key that picks the partition, exactly as the
// Java client and kafkajs' default partitioner compute it, so the producer, the co-partitioned
// assigner and a restore that filters by tenant agree on every partition number.
import { Partitioners } from 'kafkajs';

const murmur2 = Partitioners.DefaultPartitioner();

/** The partition (of `count`) that murmur2 picks for this key. */
export function partitionOf(key: string, count: number): number {
  const partitionMetadata = Array.from({ length: count }, (_, partitionId) => ({ partitionId, leader: 0, replicas: [0], isr: [0], partitionErrorCode: 0 }));
  return murmur2({ topic: '', partitionMetadata, message: { key, value: null } });
}
