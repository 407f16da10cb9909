import { setImmediate as nextTurn } from 'node:timers/promises';
import { HeraldError, type ScheduleView } from '../../protocol/index.js';
import { requireTestClock, type DaemonClock } from '../clock.js';
import type { Db } from '../database.js';
import type { Logger } from '../logger.js';
import { prepared } from '../sql.js';
import type { BatchCounts } from './lifecycle-schedule.js';

/** A piece of timed work: it runs every interval, and sooner when something falls due. */
export interface ScheduleDefinition {
  name: ScheduleView['name'];
  description: string;
  intervalMs: number;
  /** What one applied unit of work is, for Get-Schedule's summary: 'transition', 'group update'. */
  unit: string;
  /** One transaction's worth of due work at `at`; undefined when nothing (more) is due. */
  /** Directory-backed stores make it asynchronous: their changes reach the server first. */
  batch(at: Date, limit: number): BatchCounts | undefined | Promise<BatchCounts | undefined>;
  /** When work next falls due after `at`, if any is known. */
  nextMoment(at: Date): string | undefined;
}

export interface Scheduler {
  /** After any run under way, so that what it did shows. */
  list(name?: string): Promise<ScheduleView[]>;
  invoke(name: string): Promise<ScheduleView>;
  /** Test clock only: moves time to `target`, running what falls due on the way, at its moment. */
  moveClockTo(target: Date): Promise<Date>;
  /** New work may fall due sooner: look again at when to run. */
  wake(): void;
  /** Catches up on what fell due while the daemon was down, then keeps time. */
  start(): Promise<void>;
  stop(): Promise<void>;
}

interface RunRow {
  last_run_at: string | null;
  last_result: string | null;
  applied: number;
  notices: number;
}

/** Longest a timer waits, so that a clock change or a missed wake is noticed. */
const MAX_WAIT_MS = 3_600_000;

function describe(counts: BatchCounts, unit: string): string {
  if (!counts.applied && !counts.reminders) return 'nothing due';
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  return [counts.applied ? `${plural(counts.applied, unit)} applied` : '', counts.reminders ? plural(counts.reminders, 'reminder') : '', `${plural(counts.mails, 'mail')} queued`]
    .filter(Boolean).join(', ');
}

export function createScheduler(options: {
  db: Db; clock: DaemonClock; log: Logger; batchSize: number; schedules: ScheduleDefinition[]; fault: (point: string) => void;
}): Scheduler {
  const { db, clock, log, batchSize, schedules, fault } = options;
  let timer: NodeJS.Timeout | undefined;
  let queue: Promise<unknown> = Promise.resolve();
  let stopped = false;
  let wakeQueued = false;

  const lastRun = (schedule: ScheduleDefinition): RunRow => {
    const row = prepared(db, 'SELECT last_run_at, last_result FROM schedule_run WHERE name = ?').get(schedule.name) as { last_run_at: string | null; last_result: string | null } | undefined;
    const counts = row?.last_result ? (JSON.parse(row.last_result) as BatchCounts) : { applied: 0, reminders: 0, mails: 0 };
    return { last_run_at: row?.last_run_at ?? null, last_result: row?.last_result ? describe(counts, schedule.unit) : null, applied: counts.applied, notices: counts.mails };
  };

  const nextRunAt = (schedule: ScheduleDefinition, at: Date): string => {
    const last = lastRun(schedule).last_run_at;
    const byInterval = last === null ? at.toISOString() : new Date(Date.parse(last) + schedule.intervalMs).toISOString();
    const moment = schedule.nextMoment(at);
    return moment !== undefined && moment < byInterval ? moment : byInterval;
  };

  const view = (schedule: ScheduleDefinition): ScheduleView => {
    const run = lastRun(schedule);
    return {
      name: schedule.name, description: schedule.description, lastRunAt: run.last_run_at, nextRunAt: nextRunAt(schedule, clock.now()),
      lastResult: run.last_result, applied: run.applied, notices: run.notices,
    };
  };

  const find = (name: string): ScheduleDefinition => {
    const schedule = schedules.find((s) => s.name.toLowerCase() === name.toLowerCase());
    if (!schedule) throw new HeraldError('NotFound', `there is no schedule named '${name}'`, { field: 'name', remedy: 'Get-Schedule lists them' });
    return schedule;
  };

  /** Runs one schedule to the end of what is due, a batch per transaction; between batches, other calls get their turn. */
  async function run(schedule: ScheduleDefinition): Promise<void> {
    const at = clock.now();
    const total: BatchCounts = { applied: 0, reminders: 0, mails: 0 };
    for (;;) {
      const counts = await schedule.batch(at, batchSize);
      if (!counts) break;
      fault('after-batch');
      total.applied += counts.applied;
      total.reminders += counts.reminders;
      total.mails += counts.mails;
      await nextTurn();
    }
    prepared(db, `INSERT INTO schedule_run (name, last_run_at, last_result) VALUES (?, ?, ?)
      ON CONFLICT (name) DO UPDATE SET last_run_at = excluded.last_run_at, last_result = excluded.last_result`).run(schedule.name, at.toISOString(), JSON.stringify(total));
    if (total.applied || total.reminders) log.info('schedule ran', { schedule: schedule.name, ...total });
  }

  /** One run at a time: runs asked for while one is under way wait their turn. */
  function serialized<T>(work: () => Promise<T>): Promise<T> {
    const result = queue.then(work);
    queue = result.catch(() => undefined);
    return result;
  }

  async function runDue(): Promise<void> {
    const now = clock.now().toISOString();
    for (const schedule of schedules) {
      if (nextRunAt(schedule, clock.now()) <= now) await run(schedule);
    }
  }

  function arm(): void {
    if (timer) clearTimeout(timer);
    timer = undefined;
    // A test clock moves only when told: its schedules run then, not on timers.
    if (stopped || clock.test) return;
    const now = clock.now().getTime();
    const next = Math.min(...schedules.map((schedule) => Date.parse(nextRunAt(schedule, clock.now()))));
    timer = setTimeout(() => {
      serialized(runDue).catch((error: unknown) => log.error('schedule failed', { error })).finally(arm);
    }, Math.max(0, Math.min(next - now, MAX_WAIT_MS)));
    timer.unref();
  }

  return {
    list(name) {
      const wanted = name === undefined ? schedules : [find(name)];
      return serialized(async () => wanted.map(view));
    },
    invoke(name) {
      const schedule = find(name);
      return serialized(async () => {
        await run(schedule);
        arm();
        return view(schedule);
      });
    },
    moveClockTo(target) {
      const test = requireTestClock(clock);
      return serialized(async () => {
        if (target.getTime() < clock.now().getTime()) {
          throw new HeraldError('ValidationFailed', `the test clock never moves back: it is ${clock.now().toISOString()}, not ${target.toISOString()}`, { field: 'now' });
        }
        // Stop at every moment something falls due, as a daemon running all along would have.
        for (let guard = 0; guard < 100_000; guard++) {
          await runDue();
          const now = clock.now();
          const next = schedules.map((schedule) => schedule.nextMoment(now)).filter((m): m is string => m !== undefined && m > now.toISOString()).sort()[0];
          if (next === undefined || Date.parse(next) > target.getTime()) break;
          test.set(new Date(next));
        }
        test.set(target);
        await runDue();
        return clock.now();
      });
    },
    wake() {
      // After the caller's transaction has committed: the timer is set from what it wrote.
      if (!clock.test && !wakeQueued) {
        wakeQueued = true;
        setImmediate(() => {
          wakeQueued = false;
          arm();
        });
      }
    },
    async start() {
      await serialized(runDue);
      arm();
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await queue;
    },
  };
}
