// The segmenter's processor for one partition of praxis.steps.v1: no I/O, deterministic.
// Steps are applied one at a time in log order; trajectories come out when they are final.
// See docs/learning.md ("Segmenter") for the rules and why a replay gives the same output.
import type { AgentStep, Trajectory } from '@praxis/schemas';
import { completeBySeq, MAX_REMEMBERED_IDS, type ClosedThrough, type EmittedRange } from './closed-through.js';
import { cutTasks, horizonOf, type Cut } from './cut.js';
import { Deadlines } from './deadlines.js';
import { toPending, type PendingEvent } from './pending.js';
import type { SegmenterPolicy } from './policy.js';
import { buildTrajectory } from './trajectory.js';

export interface SegmenterOptions {
  policyFor: (tenantId: string, agentId: string) => SegmenterPolicy;
  /**
   * Processing-time idleness: a session whose next record was produced more than this
   * after its previous one has its open tasks closed first (log-clock rule), and the
   * wall-clock fallback closes sessions of partitions idle for longer.
   */
  idleMs: number;
  /** Pending steps per session beyond which its tasks are closed as they are (memory bound). */
  maxPendingPerSession: number;
  /** Keep one watermark record per this many offsets (default 32): bounds memory, costs a little replay. */
  highStride?: number;
  /**
   * How far a step's event time may run ahead of its record's broker timestamp: later times
   * are clamped to broker time plus this, and no step moves the watermark past its broker
   * timestamp. Unset (offline import, where there is no broker clock): event times as sent.
   * See docs/security.md.
   */
  maxClockSkewMs?: number;
  /** Called for every step whose event time was clamped (metrics). */
  onClamped?: (step: AgentStep) => void;
}

export interface EmittedTrajectory {
  trajectory: Trajectory;
  /** Lowest and highest offset of its steps in the partition. */
  minOffset: number;
  maxOffset: number;
}

export type StepOutcome = { type: 'ok' } | { type: 'dlq'; reason: string } | { type: 'drop'; reason: string };

interface Session {
  key: string;
  tenantId: string;
  agentId: string;
  sessionId: string;
  policy: SegmenterPolicy;
  /** Steps not yet in an emitted trajectory, in (seq, eventId) order. */
  events: PendingEvent[];
  ids: Map<string, PendingEvent>;
  lastKts: number;
  /** Highest seq of a pending TASK_END (-1: none): only a step up to it can complete a task by seq. */
  endSeq: number;
}

const HIGH_STRIDE = 32;
const MAX_FALLBACK_MARKERS = 100_000;

const iso = (ms: number) => new Date(ms).toISOString();

/** The segmenter state of one partition of praxis.steps.v1, and the rules that change it. */
export class PartitionSegmenter {
  /**
   * Event-time watermark: the latest event time seen in the partition, each step's counting
   * at most up to its own broker timestamp. Client clocks never move it past the log's own
   * clock, so one tenant's future-dated step cannot make another tenant's steps late.
   */
  watermark = Number.NEGATIVE_INFINITY;
  private readonly sessions = new Map<string, Session>();
  private readonly deadlines = new Deadlines();
  /** Offsets of records that set the watermark (thinned): a replay from one rebuilds the watermark exactly. */
  private highs: number[] = [];
  /** Offset ranges of emitted trajectories (and of what was judged against them) still above the last hold. */
  private emitted: EmittedRange[] = [];
  /** Per session: the seqs already emitted (see closed-through.ts), until it has been quiet for a learning window. */
  private readonly closedThrough = new Map<string, ClosedThrough>();
  private readonly forgetAt = new Deadlines();
  /** Sessions the wall-clock fallback closed, with the producer time of their last step. */
  private readonly closedByFallback = new Map<string, number>();
  private maxKts = 0;
  private lastOffset = -1;

  constructor(private readonly options: SegmenterOptions) {}

  /** Open sessions (with at least one pending step). */
  get openSessions(): number {
    return this.sessions.size;
  }

  /** Pending steps over all sessions. */
  get pendingSteps(): number {
    let n = 0;
    for (const s of this.sessions.values()) n += s.events.length;
    return n;
  }

  /** Applies one validated step at `offset` with broker timestamp `kts`; emitted trajectories go to `out`. */
  apply(sent: AgentStep, offset: number, kts: number, out: EmittedTrajectory[]): StepOutcome {
    // A client clock ahead of the broker's by more than the skew is clamped (the step is kept).
    const skew = this.options.maxClockSkewMs;
    const step = skew !== undefined && sent.timestampMs > kts + skew ? { ...sent, timestampMs: kts + skew } : sent;
    if (step !== sent) this.options.onClamped?.(sent);
    // What the step may bring to the shared watermark: never more than the broker's clock.
    const eventClock = skew === undefined ? step.timestampMs : Math.min(step.timestampMs, kts);
    this.lastOffset = offset;
    this.maxKts = Math.max(this.maxKts, kts);
    const key = `${step.tenantId}/${step.agentId}/${step.sessionId}`;
    const policy = this.options.policyFor(step.tenantId, step.agentId);

    const closedAt = this.closedByFallback.get(key);
    if (closedAt !== undefined) {
      if (kts - closedAt <= this.options.idleMs) {
        return { type: 'dlq', reason: `late_event: session ${key} was closed by the processing-time fallback; this step was produced ${kts - closedAt} ms after its previous one (idle timeout ${this.options.idleMs} ms)` };
      }
      this.closedByFallback.delete(key);
    }
    if (step.timestampMs < this.watermark - policy.allowedLatenessMs) {
      return {
        type: 'dlq',
        reason: `late_event: event time ${iso(step.timestampMs)} is ${this.watermark - step.timestampMs} ms behind the partition watermark ${iso(this.watermark)}; allowed lateness ${policy.allowedLatenessMs} ms`,
      };
    }
    const closed = this.closedThrough.get(key);
    if (closed && step.seq <= closed.seq) {
      // judged against emitted tasks: a replay from inside their range must see this record too
      closed.range.max = Math.max(closed.range.max, offset);
      if (closed.eventIds.has(step.eventId)) return { type: 'drop', reason: `duplicate_event: ${step.eventId} already received (its task was emitted)` };
      return { type: 'dlq', reason: `late_event: session ${key} has emitted its tasks through seq ${closed.seq}; seq ${step.seq} arrived after its task was closed` };
    }
    const late = step.timestampMs < this.watermark;
    if (eventClock >= this.watermark) {
      this.watermark = eventClock;
      if (this.highs.length === 0 || offset - this.highs[this.highs.length - 1]! >= (this.options.highStride ?? HIGH_STRIDE)) this.highs.push(offset);
    }

    let session = this.sessions.get(key);
    if (session && kts - session.lastKts > this.options.idleMs) {
      this.flushSession(session, out);
      session = undefined;
    }
    const known = session?.ids.get(step.eventId);
    if (known) {
      known.duplicates++;
      return { type: 'drop', reason: `duplicate_event: ${step.eventId} already received` };
    }
    if (!session) {
      session = { key, tenantId: step.tenantId, agentId: step.agentId, sessionId: step.sessionId, policy, events: [], ids: new Map(), lastKts: kts, endSeq: -1 };
      this.sessions.set(key, session);
    }
    const pending = toPending(step, offset, kts, late);
    insertOrdered(session.events, pending);
    session.ids.set(step.eventId, pending);
    session.lastKts = Math.max(session.lastKts, kts);
    if (session.events.length > this.options.maxPendingPerSession) this.flushSession(session, out);
    else if (pending.kind === 'TASK_END' || pending.seq < session.endSeq) {
      session.endSeq = Math.max(session.endSeq, pending.kind === 'TASK_END' ? pending.seq : -1);
      this.evaluate(key, out); // a task may now be complete by seq
    } else this.schedule(session);

    for (const due of this.deadlines.popDue(this.watermark)) this.evaluate(due, out);
    for (const gone of this.forgetAt.popDue(this.watermark)) this.closedThrough.delete(gone);
    return { type: 'ok' };
  }

  /**
   * The wall-clock fallback for an idle partition: closes every session's tasks as they
   * are, and remembers the sessions so a straggler of theirs is refused, not merged.
   */
  flushAll(out: EmittedTrajectory[]): number {
    const keys = [...this.sessions.keys()].sort();
    for (const key of keys) {
      const s = this.sessions.get(key)!;
      this.closedByFallback.set(key, s.lastKts);
      this.flushSession(s, out);
    }
    for (const [key, at] of this.closedByFallback) if (at < this.maxKts - this.options.idleMs) this.closedByFallback.delete(key);
    while (this.closedByFallback.size > MAX_FALLBACK_MARKERS) this.closedByFallback.delete(this.closedByFallback.keys().next().value!);
    return keys.length;
  }

  /**
   * The offset from which a replay rebuilds this state exactly: at or before every pending
   * step, before any emitted trajectory that a replay from there would see only in part,
   * and on a record that set the watermark. Forgets what lies below it.
   */
  hold(nextOffset: number): number {
    let h = nextOffset;
    for (const s of this.sessions.values()) for (const e of s.events) if (e.offset < h) h = e.offset;
    // a session's memory is rebuilt only by replaying the records it was learned from
    for (const c of this.closedThrough.values()) if (c.range.min < h) h = c.range.min;
    if (this.highs.length === 0) return h;
    for (;;) {
      h = this.highAtOrBefore(h);
      let lowered = false;
      for (const r of this.emitted) {
        if (r.max >= h && r.min < h) {
          h = r.min;
          lowered = true;
        }
      }
      if (!lowered) break;
    }
    this.emitted = this.emitted.filter((r) => r.max >= h);
    const keep = this.highs.findIndex((o) => o >= h);
    if (keep > 0) this.highs = this.highs.slice(keep);
    else if (keep < 0) this.highs = [];
    return h;
  }

  /** The last applied offset, or -1. */
  get appliedOffset(): number {
    return this.lastOffset;
  }

  private highAtOrBefore(h: number): number {
    let lo = 0;
    let hi = this.highs.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.highs[mid]! <= h) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    // Nothing applied in this process lies below h, so there is no better place to start.
    return found < 0 ? h : this.highs[found]!;
  }

  private schedule(s: Session): void {
    const first = cutTasks(s.events, s.policy)[0];
    if (!first) return;
    this.deadlines.set(s.key, horizonOf(first, s.policy).atMs + s.policy.allowedLatenessMs);
  }

  /**
   * Emits the session's leading tasks that are final: the watermark is the allowed lateness
   * past their horizon, or they ended at TASK_END and are complete by seq (closed-through.ts).
   */
  private evaluate(key: string, out: EmittedTrajectory[]): void {
    const s = this.sessions.get(key);
    if (!s) return;
    let used = 0;
    for (const cut of cutTasks(s.events, s.policy)) {
      const horizon = horizonOf(cut, s.policy);
      const memory = this.closedThrough.get(key);
      if (this.watermark - s.policy.allowedLatenessMs > horizon.atMs) this.remember(s, cut, this.emit(s, cut.events, horizon.reason, out), null);
      else if (completeBySeq(cut, memory, this.watermark - s.policy.learningWindowMs - s.policy.allowedLatenessMs)) this.remember(s, cut, this.emit(s, cut.events, 'TASK_END', out), memory ?? null);
      else break;
      used += cut.events.length;
    }
    this.consume(s, used);
  }

  /**
   * Notes a task emitted by `evaluate`. Emitted at TASK_END on the strength of `basis`, its
   * range reaches back to where the basis began (a replay must decide the same); emitted by
   * the watermark, it depends on nothing earlier and starts a new chain.
   */
  private remember(s: Session, cut: Cut, range: EmittedRange, basis: ClosedThrough | null): void {
    if (basis) range.min = Math.min(range.min, basis.range.min);
    const before = this.closedThrough.get(s.key);
    const seq = Math.max(before?.seq ?? -1, ...cut.events.map((e) => e.seq));
    const lastEndMs = Math.max(before?.lastEndMs ?? Number.NEGATIVE_INFINITY, cut.lastMs);
    const eventIds = before?.eventIds ?? new Set<string>();
    for (const e of cut.events) eventIds.add(e.eventId);
    for (const id of eventIds) {
      if (eventIds.size <= MAX_REMEMBERED_IDS) break;
      eventIds.delete(id);
    }
    this.closedThrough.set(s.key, { seq, lastEndMs, chain: basis ? basis.chain + 1 : 0, chainStartMs: basis ? basis.chainStartMs : cut.firstMs, range, eventIds });
    this.forgetAt.set(s.key, lastEndMs + s.policy.learningWindowMs + s.policy.allowedLatenessMs);
  }

  /** Emits all the session's tasks as they are (idle fallbacks, memory bound). */
  private flushSession(s: Session, out: EmittedTrajectory[]): void {
    let used = 0;
    for (const cut of cutTasks(s.events, s.policy)) {
      this.emit(s, cut.events, cut.reason ?? (s.events.length > this.options.maxPendingPerSession ? 'MAX_STEPS' : 'INACTIVITY'), out);
      used += cut.events.length;
    }
    this.consume(s, used);
  }

  private consume(s: Session, used: number): void {
    for (const e of s.events.slice(0, used)) s.ids.delete(e.eventId);
    s.events = s.events.slice(used);
    s.endSeq = s.events.reduce((n, e) => (e.kind === 'TASK_END' ? Math.max(n, e.seq) : n), -1);
    if (s.events.length === 0) {
      this.sessions.delete(s.key);
      this.deadlines.delete(s.key);
    } else this.schedule(s);
  }

  private emit(s: Session, events: PendingEvent[], reason: Parameters<typeof buildTrajectory>[2], out: EmittedTrajectory[]): EmittedRange {
    const offsets = events.map((e) => e.offset);
    const range = { min: Math.min(...offsets), max: Math.max(...offsets) };
    this.emitted.push(range);
    out.push({ trajectory: buildTrajectory(s, events, reason), minOffset: range.min, maxOffset: range.max });
    return range;
  }
}

function insertOrdered(events: PendingEvent[], e: PendingEvent): void {
  let i = events.length;
  while (i > 0 && (events[i - 1]!.seq > e.seq || (events[i - 1]!.seq === e.seq && events[i - 1]!.eventId > e.eventId))) i--;
  events.splice(i, 0, e);
}
