/** How much one token, connection and source address may ask of the daemon. */
export interface ConnectionLimits {
  /** Open connections per token; a further upgrade is refused with 429. */
  connectionsPerToken: number;
  /** Calls per second per connection (a second's worth may come at once); 0: no limit. */
  callsPerSecond: number;
  /** Refused tokens from one address after which each further refusal is answered more slowly. */
  failedAuthBeforeSlowdown: number;
  /** Refused tokens from one address after which the address is refused outright for `lockoutMs`. */
  failedAuthBeforeLockout: number;
  lockoutMs: number;
}

export const DEFAULT_LIMITS: ConnectionLimits = {
  connectionsPerToken: 64,
  callsPerSecond: 1000,
  failedAuthBeforeSlowdown: 3,
  failedAuthBeforeLockout: 20,
  lockoutMs: 300_000,
};

/**
 * A token bucket: holds up to one second's worth of calls and refills continuously, so short
 * bursts pass and a sustained flood is cut to the rate.
 */
export function callBudget(perSecond: number, now: () => number): () => boolean {
  if (perSecond <= 0) return () => true;
  let available = perSecond;
  let last = now();
  return () => {
    const at = now();
    available = Math.min(perSecond, available + ((at - last) / 1000) * perSecond);
    last = at;
    if (available < 1) return false;
    available -= 1;
    return true;
  };
}

/**
 * Failed authentications per source address. Failures count for `lockoutMs` after the latest;
 * past the slowdown threshold each refusal waits twice as long as the one before (at most 5 s),
 * past the lockout threshold the address is refused without looking at its token.
 */
export class FailedAuthentications {
  private readonly byAddress = new Map<string, { failures: number; lastAt: number }>();

  constructor(private readonly limits: ConnectionLimits, private readonly now: () => number) {}

  /** Asked before the token is checked: how much longer the address is locked out, 0 if it is not. */
  lockedFor(address: string): number {
    const entry = this.current(address);
    if (!entry || entry.failures < this.limits.failedAuthBeforeLockout) return 0;
    return entry.lastAt + this.limits.lockoutMs - this.now();
  }

  /** Records a refused token; returns how long to wait before answering. */
  fail(address: string): number {
    const at = this.now();
    const entry = this.current(address) ?? { failures: 0, lastAt: at };
    entry.failures += 1;
    // While locked out, new attempts do not extend the lockout: it ends when promised.
    if (entry.failures <= this.limits.failedAuthBeforeLockout) entry.lastAt = at;
    this.byAddress.set(address, entry);
    if (this.byAddress.size > 10_000) this.prune();
    const excess = entry.failures - this.limits.failedAuthBeforeSlowdown;
    return excess > 0 ? Math.min(5000, 100 * 2 ** (excess - 1)) : 0;
  }

  failures(address: string): number {
    return this.current(address)?.failures ?? 0;
  }

  private current(address: string) {
    const entry = this.byAddress.get(address);
    if (entry && this.now() - entry.lastAt >= this.limits.lockoutMs) {
      this.byAddress.delete(address);
      return undefined;
    }
    return entry;
  }

  private prune(): void {
    for (const address of [...this.byAddress.keys()]) this.current(address);
  }
}
