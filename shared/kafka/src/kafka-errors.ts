// What a kafkajs error means, read through the causes its retriers wrap it in: a broker outage
// that a new send can outlast, or the group moving on under a member's batch.

/** An error and the causes it wraps, outermost first (cycle-safe, at most 16). */
export function causeChain(error: unknown): Error[] {
  const chain: Error[] = [];
  for (let e: unknown = error; e instanceof Error && !chain.includes(e) && chain.length < 16; e = e.cause) chain.push(e);
  return chain;
}

/**
 * True when kafkajs gave up on a send because a retrier nested inside its own (the cluster's
 * connect or metadata refresh, bounded by the client's `retry`) ran out on a transient error.
 * kafkajs' producer retrier then wraps that exhausted error as `KafkaJSNonRetriableError` and
 * stops at once, whatever its own `retries` says, although the root cause (connection refused
 * while the broker restarts) is retriable. The producer's own exhaustion
 * (`KafkaJSNumberOfRetriesExceeded` at the top) is not an outage here: it honours the bound
 * the caller asked for.
 */
export function isOutage(error: unknown): boolean {
  if (!(error instanceof Error) || error.name !== 'KafkaJSNonRetriableError') return false;
  const chain = causeChain(error);
  return chain.length > 1 && (chain[chain.length - 1] as Error & { retriable?: boolean }).retriable === true;
}

/** Protocol errors that mean the group moved on (a rebalance, a new generation, this member fenced). */
const GROUP_CHANGES = new Set(['REBALANCE_IN_PROGRESS', 'ILLEGAL_GENERATION', 'UNKNOWN_MEMBER_ID', 'NOT_COORDINATOR_FOR_GROUP']);

/**
 * The group-change error inside `error`, if any. kafkajs rejoins the group on such an error
 * thrown from eachBatch, but only when it is the error itself: a commit refused by a rebalance
 * arrives wrapped by its retrier (KafkaJSNonRetriableError, the protocol error as `cause`), and
 * kafkajs then crashes the consumer for good, leaving a live process that consumes nothing.
 */
export function groupChangeCause(error: unknown): Error | undefined {
  return causeChain(error).find((e) => {
    const type = (e as Error & { type?: unknown }).type;
    return typeof type === 'string' && GROUP_CHANGES.has(type);
  });
}
