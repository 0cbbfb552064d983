/** How to back off between attempts. */
export interface BackoffPolicy {
  /** Attempts in all, the first included. */
  attempts: number;
  initialMs: number;
  maxMs: number;
  factor: number;
  /** Fraction of the delay that is randomised (0..1), so retries of many clients spread out. */
  jitter: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { attempts: 5, initialMs: 100, maxMs: 5_000, factor: 2, jitter: 0.2 };

/** Delay before retry number `retry` (0 = the first retry). Pure given `random`. */
export function backoffDelay(retry: number, policy: BackoffPolicy, random: () => number = Math.random): number {
  const base = Math.min(policy.maxMs, policy.initialMs * policy.factor ** retry);
  const spread = base * policy.jitter;
  return Math.max(0, Math.round(base - spread + random() * 2 * spread));
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Runs `fn` until it succeeds or the attempts are spent; rethrows the last error.
 * `between` runs before each retry (e.g. a consumer heartbeat).
 */
export async function withRetry<T>(
  fn: (attempt: number) => Promise<T>,
  policy: BackoffPolicy,
  hooks: { onRetry?: (error: unknown, attempt: number, delayMs: number) => void; between?: () => Promise<void>; retryable?: (error: unknown) => boolean } = {},
): Promise<T> {
  let lastError: unknown;
  for (let attempt = 0; attempt < policy.attempts; attempt++) {
    try {
      return await fn(attempt);
    } catch (error) {
      lastError = error;
      if (attempt === policy.attempts - 1 || (hooks.retryable && !hooks.retryable(error))) break;
      const delay = backoffDelay(attempt, policy);
      hooks.onRetry?.(error, attempt + 1, delay);
      await sleep(delay);
      await hooks.between?.();
    }
  }
  throw lastError;
}
