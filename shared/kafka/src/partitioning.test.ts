import { Partitioners } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { KeyPartitions, partitionOf } from './partitioning.js';

const metadata = (count: number) => Array.from({ length: count }, (_, partitionId) => ({ partitionId, leader: 0, replicas: [0], isr: [0], partitionErrorCode: 0 }));

describe('KeyPartitions', () => {
  it('picks the partition kafkajs (murmur2, as the Java client) picks, for every count, cached or not', () => {
    const kafkajs = Partitioners.DefaultPartitioner();
    const memo = new KeyPartitions(8);
    const keys = Array.from({ length: 40 }, (_, i) => `tenant-${i}/agent-${i % 7}/session-${i * 31}`);
    for (const count of [1, 3, 6, 7]) {
      for (const pass of [0, 1]) {
        for (const key of keys) {
          const expected = kafkajs({ topic: 't', partitionMetadata: metadata(count), message: { key, value: null } });
          expect(memo.of(key, count), `${key} of ${count}, pass ${pass}`).toBe(expected);
          expect(partitionOf(key, count)).toBe(expected);
        }
      }
    }
  });
});
