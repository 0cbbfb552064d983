// The CONSUMER span around one fetched batch of a ConsumerRunner: active while the batch is
// decoded, handled, its outputs sent and its offsets committed (so the sends and ClickHouse
// writes it causes are its children), linked to the traces its records carry.
import { SpanKind } from '@opentelemetry/api';
import type { Batch } from 'kafkajs';
import { inSpan, linksFromHeaders, tracingEnabled } from './tracing.js';

/** Runs `fn` inside the span of `batch` (just runs it when tracing is off). */
export function inBatchSpan(service: string, groupId: string, batch: Pick<Batch, 'topic' | 'partition' | 'messages'>, fn: () => Promise<void>): Promise<void> {
  if (!tracingEnabled()) return fn();
  const { links, total } = linksFromHeaders(batch.messages.map((m) => m.headers));
  return inSpan(
    'kafka',
    `process ${batch.topic}`,
    {
      kind: SpanKind.CONSUMER,
      links,
      attributes: {
        'messaging.system': 'kafka',
        'messaging.operation.type': 'process',
        'messaging.destination.name': batch.topic,
        'messaging.destination.partition.id': String(batch.partition),
        'messaging.consumer.group.name': groupId,
        'messaging.batch.message_count': batch.messages.length,
        'praxis.service': service,
        'praxis.traced_records': total,
      },
    },
    fn,
  );
}
