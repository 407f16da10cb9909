import { describe, expect, it } from 'vitest';
import { callBudget, DEFAULT_LIMITS, FailedAuthentications } from './limits.js';

describe('callBudget', () => {
  it('lets a second\'s worth of calls through at once, then refills at the rate', () => {
    let now = 0;
    const take = callBudget(4, () => now);
    expect([take(), take(), take(), take(), take()]).toEqual([true, true, true, true, false]);
    now += 250; // a quarter second buys one call back
    expect([take(), take()]).toEqual([true, false]);
    now += 10_000; // never more than one second's worth saved up
    expect(Array.from({ length: 5 }, take)).toEqual([true, true, true, true, false]);
  });

  it('does not limit at all with a rate of 0', () => {
    const take = callBudget(0, () => 0);
    expect(Array.from({ length: 10_000 }, take).every(Boolean)).toBe(true);
  });
});

describe('FailedAuthentications', () => {
  const limits = { ...DEFAULT_LIMITS, failedAuthBeforeSlowdown: 2, failedAuthBeforeLockout: 5, lockoutMs: 60_000 };

  it('answers the first refusals at once, then ever more slowly, then locks the address out', () => {
    let now = 0;
    const failed = new FailedAuthentications(limits, () => now);
    const waits = Array.from({ length: 5 }, () => failed.fail('10.0.0.9'));
    expect(waits).toEqual([0, 0, 100, 200, 400]);
    expect(failed.lockedFor('10.0.0.9')).toBe(60_000);
    expect(failed.lockedFor('10.0.0.10')).toBe(0);
    now += 59_000;
    // Attempts while locked out do not push the end further away.
    failed.fail('10.0.0.9');
    expect(failed.lockedFor('10.0.0.9')).toBe(1000);
    now += 1000;
    expect(failed.lockedFor('10.0.0.9')).toBe(0);
    expect(failed.failures('10.0.0.9')).toBe(0);
  });

  it('caps the wait at five seconds', () => {
    const failed = new FailedAuthentications({ ...limits, failedAuthBeforeLockout: 100 }, () => 0);
    const waits = Array.from({ length: 30 }, () => failed.fail('10.0.0.9'));
    expect(Math.max(...waits)).toBe(5000);
  });

  it('forgets failures once an address has been quiet for the lockout period', () => {
    let now = 0;
    const failed = new FailedAuthentications(limits, () => now);
    failed.fail('10.0.0.9');
    failed.fail('10.0.0.9');
    now += 60_000;
    expect(failed.failures('10.0.0.9')).toBe(0);
    expect(failed.fail('10.0.0.9')).toBe(0);
  });
});
