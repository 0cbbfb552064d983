// Segmentation without Kafka, for `praxis import` and the benchmark: the same processor,
// one virtual partition, steps in the given order, and the idle fallback at the end.
import type { AgentStep, Trajectory } from '@praxis/schemas';
import { PartitionSegmenter, type SegmenterOptions, type StepOutcome } from './processor.js';

export interface OfflineResult {
  trajectories: Trajectory[];
  /** Steps refused (late beyond the allowed lateness), with the input index and reason. */
  deadLetters: { index: number; reason: string }[];
  duplicates: number;
}

/** Segments steps (in delivery order) into trajectories; everything still open at the end is closed. */
export function segmentSteps(steps: Iterable<AgentStep>, options: SegmenterOptions): OfflineResult {
  const partition = new PartitionSegmenter(options);
  const emitted: { trajectory: Trajectory; minOffset: number; maxOffset: number }[] = [];
  const deadLetters: OfflineResult['deadLetters'] = [];
  let duplicates = 0;
  let index = 0;
  for (const step of steps) {
    const outcome: StepOutcome = partition.apply(step, index, 0, emitted);
    if (outcome.type === 'dlq') deadLetters.push({ index, reason: outcome.reason });
    if (outcome.type === 'drop') duplicates++;
    index++;
  }
  partition.flushAll(emitted);
  return { trajectories: emitted.map((e) => e.trajectory), deadLetters, duplicates };
}
