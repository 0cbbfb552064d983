import { KafkaJSConnectionError, KafkaJSError, KafkaJSNonRetriableError, KafkaJSNumberOfRetriesExceeded, KafkaJSProtocolError } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { isOutage } from './kafka-errors.js';

// The errors are built the way kafkajs' retrier (src/retry/index.js) builds them; its
// typings leave out the constructors' options argument.
const NonRetriable = KafkaJSNonRetriableError as unknown as new (e: Error | string, options?: { cause?: Error }) => Error & { cause?: unknown };
const refused = () => new KafkaJSConnectionError('Connection error: connect ECONNREFUSED 127.0.0.1:1');
const exhausted = (e: Error) => new KafkaJSNumberOfRetriesExceeded(e, { retryCount: 8, retryTime: 1000 });
const wrapped = (e: Error) => new NonRetriable(e, { cause: (e.cause as Error | undefined) ?? e });

describe('isOutage', () => {
  it('is an outage when a nested connect retrier ran out on a refused connection', () => {
    const error = wrapped(exhausted(refused()));
    expect(error.message).toContain('ECONNREFUSED');
    expect(isOutage(error)).toBe(true);
  });

  it('is not when the producer spent the retries it was given', () => {
    expect(isOutage(exhausted(refused()))).toBe(false);
    expect(isOutage(exhausted(new KafkaJSProtocolError({ message: 'unknown topic', type: 'UNKNOWN_TOPIC_OR_PARTITION', code: 3, retriable: true } as never)))).toBe(false);
  });

  it('is not when the root cause cannot be retried', () => {
    expect(isOutage(wrapped(new KafkaJSNonRetriableError('Invalid message without value')))).toBe(false);
    expect(isOutage(wrapped(new KafkaJSProtocolError({ message: 'denied', type: 'TOPIC_AUTHORIZATION_FAILED', code: 29, retriable: false } as never)))).toBe(false);
    expect(isOutage(new KafkaJSNonRetriableError('The producer is disconnecting'))).toBe(false);
  });

  it('is not for errors kafkajs did not wrap, nor for values that are not errors', () => {
    expect(isOutage(refused())).toBe(false);
    expect(isOutage(new KafkaJSError('The producer is disconnected'))).toBe(false);
    expect(isOutage(new TypeError('x'))).toBe(false);
    expect(isOutage('ECONNREFUSED')).toBe(false);
  });

  it('stops on a cause cycle', () => {
    const a = new NonRetriable('a');
    const b = new NonRetriable('b', { cause: a });
    a.cause = b;
    expect(isOutage(a)).toBe(false);
  });
});
