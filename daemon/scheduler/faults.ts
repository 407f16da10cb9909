/**
 * Crash injection for tests of exactly-once: HERALD_TEST_FAULT=<point>[=<n>] kills the daemon
 * (SIGKILL, no chance to clean up) the n-th time (default first) it reaches that point. Honoured
 * only with --test-clock, so that no production daemon can be made to die by its environment.
 * Points: `after-transition` (a step changed the link; its change event, notice and idempotency
 * key are not written yet), `after-batch` (a batch of steps or reminders has committed).
 */
export function createFaults(spec: string | undefined, enabled: boolean): (point: string) => void {
  if (!enabled || !spec) return () => undefined;
  const [wanted, count = '1'] = spec.split('=');
  let remaining = Number(count);
  return (point) => {
    if (point !== wanted || --remaining > 0) return;
    process.kill(process.pid, 'SIGKILL');
    // The signal is delivered before this line runs; should it not be, nothing may go on.
    throw new Error(`fault injected at ${point}`);
  };
}
