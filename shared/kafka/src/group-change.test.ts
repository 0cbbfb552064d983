import { KafkaJSNonRetriableError, KafkaJSProtocolError } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { groupChangeCause } from './kafka-errors.js';

const protocolError = (type: string) => Object.assign(new KafkaJSProtocolError(type), { type });
/** As kafkajs' retrier wraps an error it does not retry. */
// kafkajs types declare one argument; its retrier passes the cause as a second
const wrapped = (e: Error) => new (KafkaJSNonRetriableError as unknown as new (e: Error, o: { cause: unknown }) => Error)(e, { cause: (e as { cause?: Error }).cause ?? e });

describe('groupChangeCause', () => {
  it('finds a group change however deep kafkajs wrapped it', () => {
    const fenced = protocolError('UNKNOWN_MEMBER_ID');
    expect(groupChangeCause(fenced)).toBe(fenced);
    expect(groupChangeCause(wrapped(fenced))).toBe(fenced);
    const rebalance = protocolError('REBALANCE_IN_PROGRESS');
    expect(groupChangeCause(wrapped(wrapped(rebalance)))).toBe(rebalance);
  });

  it('leaves every other error alone', () => {
    expect(groupChangeCause(wrapped(protocolError('TOPIC_AUTHORIZATION_FAILED')))).toBeUndefined();
    expect(groupChangeCause(new Error('handler failed'))).toBeUndefined();
    expect(groupChangeCause(undefined)).toBeUndefined();
    const loop: { cause?: unknown } = {};
    loop.cause = loop;
    expect(groupChangeCause(loop)).toBeUndefined();
  });
});
