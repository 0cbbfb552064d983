// How the producer cuts what waits in its queue into produce requests: the broker refuses a
// record batch above its message.max.bytes (1 MiB by default) whole, so merging every queued
// send into one request fails once enough large records wait at once (as with several
// partitions in flight writing trajectories to a tenant's partition).
import type { Message, TopicMessages } from 'kafkajs';

/** Default bound of one produce request's keys, values and headers (half the broker's default message.max.bytes). */
export const DEFAULT_MAX_REQUEST_BYTES = 512 * 1024;

const lengthOf = (v: Buffer | string | null | undefined) => (v == null ? 0 : typeof v === 'string' ? Buffer.byteLength(v) : v.length);

/** Bytes a message adds to a request, about: key, value, headers, and a little framing. */
export function messageBytes(m: Message): number {
  let n = 16 + lengthOf(m.key) + lengthOf(m.value as Buffer | string | null);
  for (const [name, v] of Object.entries(m.headers ?? {})) n += name.length + (Array.isArray(v) ? v.reduce((s, x) => s + lengthOf(x), 0) : lengthOf(v as Buffer | string | undefined));
  return n;
}

/**
 * Groups queued sends, in order, into requests of at most `maxBytes` each; a send larger than
 * that goes in a request of its own (`partsOf` cuts it first, so none is larger than one message).
 */
export function requestsOf<P extends { messages: TopicMessages[] }>(queued: readonly P[], maxBytes = DEFAULT_MAX_REQUEST_BYTES): P[][] {
  const groups: P[][] = [];
  let current: P[] = [];
  let bytes = 0;
  for (const p of queued) {
    const size = p.messages.reduce((n, tm) => n + tm.messages.reduce((s, m) => s + messageBytes(m), 0), 0);
    if (current.length > 0 && bytes + size > maxBytes) {
      groups.push(current);
      current = [];
      bytes = 0;
    }
    current.push(p);
    bytes += size;
  }
  if (current.length > 0) groups.push(current);
  return groups;
}

/**
 * A send's messages cut, in order, into parts of at most `maxBytes` each (a message larger than
 * that is a part of its own, for the broker to judge): one send of a burst (a backlog's outputs,
 * all for a tenant's partition) would otherwise be one record batch above message.max.bytes,
 * which the broker refuses whole, every time. One part when it fits.
 */
export function partsOf(messages: readonly TopicMessages[], maxBytes = DEFAULT_MAX_REQUEST_BYTES): TopicMessages[][] {
  const parts: TopicMessages[][] = [];
  let current: TopicMessages[] = [];
  let bytes = 0;
  for (const tm of messages) {
    let run: Message[] = [];
    for (const m of tm.messages) {
      const size = messageBytes(m);
      if (bytes > 0 && bytes + size > maxBytes) {
        if (run.length > 0) current.push({ topic: tm.topic, messages: run });
        parts.push(current);
        current = [];
        run = [];
        bytes = 0;
      }
      run.push(m);
      bytes += size;
    }
    if (run.length > 0) current.push({ topic: tm.topic, messages: run });
  }
  if (current.length > 0) parts.push(current);
  return parts;
}
