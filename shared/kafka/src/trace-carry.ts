// A service that emits an output long after the record it derives from (a trajectory closed
// by a later record, a template published after re-induction) remembers the trace context of
// that record under a key of its own, and puts it on the output, so the trace continues.
import { LRUCache } from 'lru-cache';
import { TRACEPARENT, tracingEnabled } from './tracing.js';

/** Default number of keys remembered. */
export const DEFAULT_CARRY_KEYS = 100_000;

/** The trace headers of recent input records by key (bounded; least recently used forgotten first). */
export class TraceCarry {
  private readonly byKey: LRUCache<string, Record<string, string>>;

  constructor(max = DEFAULT_CARRY_KEYS) {
    this.byKey = new LRUCache({ max });
  }

  /** Remembers the trace headers of a record under `key` (nothing when the record carries none or tracing is off). */
  note(key: string, headers: Record<string, string>): void {
    if (!tracingEnabled()) return;
    const traceparent = headers[TRACEPARENT];
    if (traceparent === undefined) return;
    const carried: Record<string, string> = { [TRACEPARENT]: traceparent };
    if (headers.tracestate !== undefined) carried.tracestate = headers.tracestate;
    this.byKey.set(key, carried);
  }

  /** The headers remembered under the first key that has some, or undefined. */
  headersFor(...keys: (string | undefined)[]): Record<string, string> | undefined {
    if (!tracingEnabled()) return undefined;
    for (const k of keys) {
      const h = k === undefined ? undefined : this.byKey.get(k);
      if (h) return h;
    }
    return undefined;
  }
}
