// What the segmenter remembers of a session's emitted tasks so that a task ended by TASK_END
// can be emitted at once when it is complete by seq (see docs/learning.md, "Closing at
// TASK_END"): the highest seq emitted, and where the records that decided it start, so the
// commit hold keeps them for a replay while the memory lives.
import type { Cut } from './cut.js';


/** Event ids of emitted steps a session's memory keeps, so a redelivery is dropped as a repeat rather than dead-lettered. */
export const MAX_REMEMBERED_IDS = 2_000;

/** An offset range of emitted work that a replay must see whole (see PartitionSegmenter.hold). */
export interface EmittedRange {
  min: number;
  max: number;
}

/** One session's memory. */
export interface ClosedThrough {
  /** Every step of the session with this seq or lower is in an emitted task, or is refused. */
  seq: number;
  /** Latest event time of the emitted tasks: the memory lasts a learning window plus the lateness past it. */
  lastEndMs: number;
  /** Tasks emitted at TASK_END in a row on the strength of this memory. */
  chain: number;
  /** Event time of the first step of the chain's first task (the one emitted at seq 0 or by the watermark). */
  chainStartMs: number;
  /** Range from the first record this memory depends on; extended by the records it refuses. */
  range: EmittedRange;
  /** Event ids of the latest emitted steps (at most MAX_REMEMBERED_IDS, oldest forgotten first). */
  eventIds: Set<string>;
}

/**
 * Whether a session's leading task is complete by seq: ended by its TASK_END, its steps
 * carry consecutive seqs without repeats, and the first follows the session's start (seq 0)
 * or the last seq of the task emitted before it. Then no step can still join it: the SDK's
 * seqs are strictly increasing from 0 per session, so any later step of the session is a
 * repeat of a seq already seen (refused) or comes after the TASK_END (the next task).
 *
 * A chain of such tasks keeps the commit hold at its first record (a replay must rebuild the
 * memory), so it may go on only while it began after `chainFloorMs`: the watermark less the
 * memory's own lifetime (learning window plus lateness). The hold then reaches no further
 * back than a remembered session's does anyway; past it, one task waits for the watermark
 * and starts a new chain.
 */
export function completeBySeq(cut: Cut, memory: ClosedThrough | undefined, chainFloorMs: number): boolean {
  if (cut.reason !== 'TASK_END' || cut.events.length === 0) return false;
  const first = cut.events[0]!.seq;
  for (let i = 0; i < cut.events.length; i++) if (cut.events[i]!.seq !== first + i) return false;
  if (memory === undefined) return first === 0;
  return first === memory.seq + 1 && memory.chainStartMs >= chainFloorMs;
}
