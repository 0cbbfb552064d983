// Where tasks begin and end inside a session: a pure function of the session's steps in seq
// order, so a trajectory's content never depends on when its steps arrived.
import type { Trajectory } from '@praxis/schemas';

type CloseReason = Trajectory['closeReason'];
import type { PendingEvent } from './pending.js';
import type { SegmenterPolicy } from './policy.js';

/** One task of a session: its steps, and why and when it closed (reason null while it may still grow). */
export interface Cut {
  events: PendingEvent[];
  reason: CloseReason | null;
  /**
   * Event time after which no missing step can still join the task: the TASK_END, the
   * first step of the next task, or the inactivity or duration limit. Null while open.
   */
  boundaryMs: number | null;
  firstMs: number;
  lastMs: number;
}

interface Open {
  events: PendingEvent[];
  firstMs: number;
  lastMs: number;
  taskId: string | null;
  hasQuery: boolean;
  tools: number;
}

/**
 * Cuts seq-ordered steps into tasks. A task opens at a QUERY or the first other step, and
 * closes at a TASK_END; before a step that comes after more than the learning window of
 * inactivity (INACTIVITY) or beyond the maximum duration (MAX_DURATION); before a new QUERY
 * or a step of another taskId (NEXT_TASK); after maxSteps tool calls (MAX_STEPS). The last
 * task stays open (reason null) unless one of these closed it.
 */
export function cutTasks(events: readonly PendingEvent[], policy: SegmenterPolicy): Cut[] {
  const cuts: Cut[] = [];
  let open: Open | null = null;
  const close = (reason: CloseReason, boundaryMs: number) => {
    if (!open) return;
    cuts.push({ events: open.events, reason, boundaryMs, firstMs: open.firstMs, lastMs: open.lastMs });
    open = null;
  };
  for (const e of events) {
    if (open !== null) {
      const o: Open = open;
      if (e.timestampMs - o.lastMs > policy.learningWindowMs) close('INACTIVITY', o.lastMs + policy.learningWindowMs);
      else if (e.timestampMs - o.firstMs > policy.maxDurationMs) close('MAX_DURATION', o.firstMs + policy.maxDurationMs);
      else if (e.taskId !== null && o.taskId !== null && e.taskId !== o.taskId) close('NEXT_TASK', e.timestampMs);
      else if (e.kind === 'QUERY' && o.taskId === null && (o.hasQuery || o.tools > 0)) close('NEXT_TASK', e.timestampMs);
    }
    if (open === null) open = { events: [], firstMs: e.timestampMs, lastMs: e.timestampMs, taskId: null, hasQuery: false, tools: 0 };
    const o: Open = open;
    o.events.push(e);
    o.lastMs = Math.max(o.lastMs, e.timestampMs);
    o.firstMs = Math.min(o.firstMs, e.timestampMs);
    o.taskId ??= e.taskId;
    if (e.kind === 'QUERY') o.hasQuery = true;
    if (e.kind === 'TOOL_CALL') o.tools++;
    if (e.kind === 'TASK_END') close('TASK_END', e.timestampMs);
    else if (o.tools >= policy.maxSteps) close('MAX_STEPS', e.timestampMs);
  }
  if (open !== null) {
    const o: Open = open;
    cuts.push({ events: o.events, reason: null, boundaryMs: null, firstMs: o.firstMs, lastMs: o.lastMs });
  }
  return cuts;
}

/**
 * The event time after which a cut can no longer change: its boundary, or for an open
 * task the earlier of its inactivity and duration limits (with the reason that applies).
 */
export function horizonOf(cut: Cut, policy: SegmenterPolicy): { atMs: number; reason: CloseReason } {
  if (cut.reason !== null && cut.boundaryMs !== null) return { atMs: cut.boundaryMs, reason: cut.reason };
  const idle = cut.lastMs + policy.learningWindowMs;
  const longest = cut.firstMs + policy.maxDurationMs;
  return idle <= longest ? { atMs: idle, reason: 'INACTIVITY' } : { atMs: longest, reason: 'MAX_DURATION' };
}
