/** Header names of a dead-letter record; the value and key are the source's, byte for byte. */
export const DLQ_HEADERS = {
  reason: 'praxis.dlq.reason',
  step: 'praxis.dlq.step',
  service: 'praxis.dlq.service',
  topic: 'praxis.dlq.source.topic',
  partition: 'praxis.dlq.source.partition',
  offset: 'praxis.dlq.source.offset',
  timestamp: 'praxis.dlq.source.timestamp',
  failedAt: 'praxis.dlq.failed.at',
} as const;

/** Where a failed record came from. */
export interface DlqSource {
  topic: string;
  partition: number;
  offset: string;
  timestamp: string;
}

/** Why and where a record failed. */
export interface DlqFailure {
  reason: string;
  /** Pipeline step that refused it: decode, validate, key, handler, ... */
  step: string;
  service: string;
}

const MAX_REASON = 2000;

/** Headers for a dead-letter record. Original headers are kept; ours are added. */
export function dlqHeaders(source: DlqSource, failure: DlqFailure, now: number, original: Record<string, Buffer | string> = {}): Record<string, string | Buffer> {
  const reason = failure.reason.length > MAX_REASON ? `${failure.reason.slice(0, MAX_REASON)}...` : failure.reason;
  return {
    ...original,
    [DLQ_HEADERS.reason]: reason,
    [DLQ_HEADERS.step]: failure.step,
    [DLQ_HEADERS.service]: failure.service,
    [DLQ_HEADERS.topic]: source.topic,
    [DLQ_HEADERS.partition]: String(source.partition),
    [DLQ_HEADERS.offset]: source.offset,
    [DLQ_HEADERS.timestamp]: source.timestamp,
    [DLQ_HEADERS.failedAt]: new Date(now).toISOString(),
  };
}

/** Reads our headers back from a dead-letter record (for operators and tests). */
export function readDlqHeaders(headers: Record<string, Buffer | string | (Buffer | string)[] | undefined> | undefined) {
  const get = (name: string) => {
    const v = headers?.[name];
    const one = Array.isArray(v) ? v[0] : v;
    return one === undefined ? undefined : one.toString();
  };
  return {
    reason: get(DLQ_HEADERS.reason),
    step: get(DLQ_HEADERS.step),
    service: get(DLQ_HEADERS.service),
    topic: get(DLQ_HEADERS.topic),
    partition: get(DLQ_HEADERS.partition) === undefined ? undefined : Number(get(DLQ_HEADERS.partition)),
    offset: get(DLQ_HEADERS.offset),
    timestamp: get(DLQ_HEADERS.timestamp),
    failedAt: get(DLQ_HEADERS.failedAt),
  };
}

/** The class prefix of a reason ("validation: ..." -> "validation"), a low-cardinality metric label. */
export function reasonClass(reason: string): string {
  const m = /^([a-z_]+):/.exec(reason);
  return m?.[1] ?? 'other';
}
