/** Mails per minute per store: a sliding window of the last minute's sends. */
export class RateLimiter {
  private readonly sent = new Map<number, number[]>();

  /** Takes a slot now, or says when the next one opens. */
  take(storeId: number, limitPerMinute: number | null, now: number): { ok: true } | { ok: false; retryAt: number } {
    if (limitPerMinute === null) return { ok: true };
    const window = (this.sent.get(storeId) ?? []).filter((at) => at > now - 60_000);
    if (window.length >= limitPerMinute) {
      this.sent.set(storeId, window);
      return { ok: false, retryAt: window[window.length - limitPerMinute] + 60_000 };
    }
    window.push(now);
    this.sent.set(storeId, window);
    return { ok: true };
  }
}
