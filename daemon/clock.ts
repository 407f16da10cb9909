import { HeraldError } from '../protocol/index.js';

/**
 * The daemon's time. Normally the system clock; with `heraldd --test-clock` a clock that stands
 * still until Set-TestClock moves it, so that tests of schedules and life cycles never sleep.
 */
export interface DaemonClock {
  now(): Date;
  /** Present only with --test-clock. */
  test?: { set(at: Date): void };
}

export function systemClock(): DaemonClock {
  return { now: () => new Date() };
}

/** Starts at `start` (else the system time when the daemon starts) and moves only when told. */
export function testClock(start: Date | undefined): DaemonClock {
  let current = start ?? new Date();
  return {
    now: () => new Date(current.getTime()),
    test: {
      set(at) {
        current = new Date(at.getTime());
      },
    },
  };
}

export function requireTestClock(clock: DaemonClock): NonNullable<DaemonClock['test']> {
  if (clock.test) return clock.test;
  throw new HeraldError('AccessDenied', 'the clock can be set only when the daemon runs with --test-clock', {
    remedy: 'start heraldd with --test-clock (for tests only: time then moves only when Set-TestClock moves it)',
  });
}
