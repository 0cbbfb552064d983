// Whether a consumer member's loop still moves: the runner reports when a batch or tick
// starts and ends and the lag each batch saw; readiness asks `check`. No clock of its own
// (callers pass `now`), so the rules are unit-tested without timers.

/** What /readyz reports about the loop. */
export interface LoopState {
  stalled: boolean;
  /** Why the loop counts as stalled (absent when it does not). */
  reason?: string;
  /** Records behind the high watermarks of the assigned partitions, as the last batches saw them. */
  lag: number;
  /** How long the batch or tick in progress has run (0 when none). */
  busyForMs: number;
  /** Time since a batch last finished. */
  sinceProgressMs: number;
}

/** A member loop's progress: busy time, last finished batch, last known lag per partition. */
export class LoopProgress {
  private busySince: number | null = null;
  private busyKind: 'batch' | 'tick' = 'batch';
  private lastProgressAt: number;
  private readonly lags = new Map<string, number>();

  constructor(now: number) {
    this.lastProgressAt = now;
  }

  /** A batch or tick starts (they never overlap: the runner serialises them). */
  begin(kind: 'batch' | 'tick', now: number): void {
    this.busySince = now;
    this.busyKind = kind;
  }

  /** The work begun last ended; returns its duration. A finished batch is progress, a failed one or a tick is not. */
  end(now: number, progressed: boolean): number {
    const ms = this.busySince === null ? 0 : now - this.busySince;
    if (progressed && this.busyKind === 'batch') this.lastProgressAt = now;
    this.busySince = null;
    return ms;
  }

  /** Lag a batch saw on a partition (high watermark minus next offset). */
  setLag(partitionKey: string, lag: number): void {
    this.lags.set(partitionKey, lag);
  }

  /** Forgets partitions this member no longer owns. */
  retain(owned: ReadonlySet<string>): void {
    for (const k of [...this.lags.keys()]) if (!owned.has(k)) this.lags.delete(k);
  }

  /** Lag over the partitions this member owns. */
  get lag(): number {
    let n = 0;
    for (const l of this.lags.values()) n += l;
    return n;
  }

  /**
   * Stalled when a batch or tick has run longer than `boundMs` (a handler or a send that
   * hangs), or when records wait (lag > 0) and no batch has finished for longer than
   * `boundMs` (the fetch loop stopped). An idle member without lag is never stalled.
   */
  check(now: number, boundMs: number): LoopState {
    const busyForMs = this.busySince === null ? 0 : now - this.busySince;
    const sinceProgressMs = now - this.lastProgressAt;
    const lag = this.lag;
    const state: LoopState = { stalled: false, lag, busyForMs, sinceProgressMs };
    if (busyForMs > boundMs) return { ...state, stalled: true, reason: `a ${this.busyKind} has been running for ${busyForMs} ms (bound ${boundMs} ms)` };
    if (lag > 0 && sinceProgressMs > boundMs) return { ...state, stalled: true, reason: `${lag} records wait and no batch finished for ${sinceProgressMs} ms (bound ${boundMs} ms)` };
    return state;
  }
}
