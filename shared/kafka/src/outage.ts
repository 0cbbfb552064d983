// Which failed kafkajs sends are a broker outage that a new attempt can outlast.

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
  let root: Error = error;
  const seen = new Set<Error>([root]);
  while (root.cause instanceof Error && !seen.has(root.cause)) {
    root = root.cause;
    seen.add(root);
  }
  return root !== error && (root as Error & { retriable?: boolean }).retriable === true;
}
