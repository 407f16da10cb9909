import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { DaemonClock } from '../clock.js';
import { openDatabase } from '../database.js';
import { createLogger } from '../logger.js';
import { createScheduler, type ScheduleDefinition } from './scheduler.js';

// The scheduler on the system clock's path (timers armed, no test clock), with fake timers: a
// step due in ten minutes runs when its timer fires, not at the next hourly run.
const START = Date.parse('2026-12-01T09:00:00Z');
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'herald-scheduler-'));
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
});
afterEach(() => {
  vi.useRealTimers();
  rmSync(dir, { recursive: true, force: true });
});

describe('the scheduler on the system clock', () => {
  it('arms its timer for the next moment something falls due, and again when woken', async () => {
    const db = openDatabase(join(dir, 'herald.db'));
    let now = START;
    const clock: DaemonClock = { now: () => new Date(now) };
    const due = [START + 10 * 60_000];
    const taken: string[] = [];
    const schedule: ScheduleDefinition = {
      name: 'Lifecycle', description: 'test', intervalMs: 3_600_000, unit: 'transition',
      batch: (at) => {
        const next = due.findIndex((moment) => moment <= at.getTime());
        if (next < 0) return undefined;
        taken.push(new Date(due.splice(next, 1)[0]).toISOString());
        return { applied: 1, reminders: 0, mails: 1 };
      },
      nextMoment: () => (due.length ? new Date(Math.min(...due)).toISOString() : undefined),
    };
    const quiet = new Writable({ write: (_chunk, _encoding, done) => done() }) as unknown as typeof process.stderr;
    const scheduler = createScheduler({ db, clock, log: createLogger(undefined, 'error', quiet), batchSize: 10, schedules: [schedule], fault: () => undefined });
    await scheduler.start();
    expect(taken).toEqual([]);
    expect((await scheduler.list())[0]).toMatchObject({ lastResult: 'nothing due', nextRunAt: '2026-12-01T09:10:00.000Z' });

    now += 10 * 60_000;
    await vi.advanceTimersByTimeAsync(10 * 60_000);
    expect(taken).toEqual(['2026-12-01T09:10:00.000Z']);
    expect((await scheduler.list())[0]).toMatchObject({ lastRunAt: '2026-12-01T09:10:00.000Z', lastResult: '1 transition applied, 1 mail queued' });

    // New work planned by a call: the timer is re-armed for it.
    due.push(now + 60_000);
    scheduler.wake();
    await new Promise((resolve) => setImmediate(resolve));
    now += 60_000;
    await vi.advanceTimersByTimeAsync(60_000);
    expect(taken).toEqual(['2026-12-01T09:10:00.000Z', '2026-12-01T09:11:00.000Z']);
    await scheduler.stop();
    db.close();
  });
});
