/** When to try again, in the spirit of Postfix: a first retry after minutes, then doubling, capped. */
export interface RetryPolicy {
  firstMs: number;
  maxMs: number;
  /** How long a mail may wait for delivery before it is given up as Failed. */
  lifetimeMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  firstMs: 5 * 60_000,
  maxMs: 60 * 60_000,
  lifetimeMs: 5 * 24 * 60 * 60_000,
};

/**
 * Delay before the next attempt after `attempts` failed ones, with ±20% jitter so that mails
 * failed together do not all come back in the same second.
 */
export function retryDelay(policy: RetryPolicy, attempts: number, random: () => number = Math.random): number {
  const base = Math.min(policy.maxMs, policy.firstMs * 2 ** Math.max(0, attempts - 1));
  return Math.round(base * (0.8 + 0.4 * random()));
}
