// Where a key lands: murmur2 over the part of the key that picks the partition, exactly as the
// Java client and kafkajs' default partitioner compute it, so the producer, the co-partitioned
// assigner and a restore that filters by tenant agree on every partition number.
import { Partitioners } from 'kafkajs';
import { LRUCache } from 'lru-cache';

const murmur2 = Partitioners.DefaultPartitioner();

/** The partition (of `count`) that murmur2 picks for this key. */
export function partitionOf(key: string, count: number): number {
  const partitionMetadata = Array.from({ length: count }, (_, partitionId) => ({ partitionId, leader: 0, replicas: [0], isr: [0], partitionErrorCode: 0 }));
  return murmur2({ topic: '', partitionMetadata, message: { key, value: null } });
}

/**
 * partitionOf, remembered per partition count for the most recent keys. kafkajs' partitioner
 * computes murmur2 with 64-bit Long arithmetic and filters the partition list for every
 * message (3 % of a pipeline run's CPU), while a producer sees the same keys (sessions,
 * tenants) again and again.
 */
export class KeyPartitions {
  private readonly byCount = new Map<number, LRUCache<string, number>>();

  constructor(private readonly maxKeys = 50_000) {}

  of(key: string, count: number): number {
    let cache = this.byCount.get(count);
    if (!cache) this.byCount.set(count, (cache = new LRUCache<string, number>({ max: this.maxKeys })));
    let partition = cache.get(key);
    if (partition === undefined) cache.set(key, (partition = partitionOf(key, count)));
    return partition;
  }
}
