import { z } from 'zod';
import { timestamp } from '../fields.js';
import { defineMethod } from '../method.js';
import { dateTime, timeSpan } from '../time.js';

export const SCHEDULE_NAMES = ['Lifecycle', 'PasswordExpiryGroups'] as const;

export const ScheduleView = z.object({
  name: z.enum(SCHEDULE_NAMES),
  description: z.string(),
  lastRunAt: timestamp.nullable().describe('When it last ran; null: not since the database was created'),
  nextRunAt: timestamp.nullable().describe('When it runs next: its interval, or sooner when something falls due'),
  lastResult: z.string().nullable().describe('What the last run did'),
  applied: z.number().int().describe('Transitions the last run applied'),
  notices: z.number().int().describe('Mails the last run queued'),
});
export type ScheduleView = z.infer<typeof ScheduleView>;

const lifecycle: ScheduleView = {
  name: 'Lifecycle',
  description: 'Applies temporary memberships, ownerships and managements on their dates and sends the life-cycle notices and reminders.',
  lastRunAt: '2026-11-26T09:00:00.000Z', nextRunAt: '2026-11-26T10:00:00.000Z',
  lastResult: '2 transitions applied, 1 reminder, 3 mails queued', applied: 2, notices: 3,
};

export const scheduleGet = defineMethod({
  name: 'schedule.get',
  access: 'read',
  summary: 'Lists the daemon\'s schedules: when each last ran, what it did, and when it runs next.',
  params: z.strictObject({ name: z.enum(SCHEDULE_NAMES).optional().describe('Only this schedule') }),
  result: z.array(ScheduleView),
  examples: [{ name: 'all schedules', params: {}, result: [lifecycle] }],
  cmdlet: {
    name: 'Get-Schedule',
    parameters: { name: { position: 0 } },
    display: ['Name', 'LastRunAt', 'NextRunAt', 'LastResult'],
    examples: [{ command: 'Get-Schedule', description: 'Every schedule, its last and next run.' }],
  },
});

export const scheduleInvoke = defineMethod({
  name: 'schedule.invoke',
  access: 'write',
  summary: 'Runs a schedule now and returns what it did.',
  description: 'Only what is due runs: a transition before its date is not applied early.',
  params: z.strictObject({ name: z.enum(SCHEDULE_NAMES).describe('The schedule, as Get-Schedule names it') }),
  result: ScheduleView,
  examples: [{ name: 'life cycle now', params: { name: 'Lifecycle' }, result: lifecycle }],
  cmdlet: {
    name: 'Invoke-Schedule',
    parameters: { name: { position: 0 } },
    target: 'name',
    examples: [{ command: 'Invoke-Schedule -Name Lifecycle', description: 'Applies what is due now rather than at the next run.' }],
  },
});

export const TestClockView = z.object({ now: timestamp.describe('The daemon\'s time after the change') });

export const testClockSet = defineMethod({
  name: 'testClock.set',
  access: 'write',
  summary: 'Moves the clock of a daemon started with --test-clock; schedules due on the way run as they would have.',
  description: 'Refused unless heraldd runs with --test-clock. The clock moves to each moment something falls due, runs what is due, and so on up to the time asked for: a test sees what a daemon running all that time would have done. The clock never moves back.',
  params: z.strictObject({
    now: dateTime('now').optional().describe('The new time'),
    advance: timeSpan('advance').optional().describe('How far to move the clock on: 1.00:00:00, 02:30:00, 3d, 1d12h'),
  }).refine((params) => (params.now === undefined) !== (params.advance === undefined), { message: 'give either -Now or -Advance', path: ['now'] }),
  result: TestClockView,
  errors: ['AccessDenied', 'ValidationFailed'],
  examples: [{ name: 'a day later', params: { advance: '1d' }, result: { now: '2026-11-27T09:00:00.000Z' } }],
  cmdlet: {
    name: 'Set-TestClock',
    target: 'now',
    examples: [
      { command: 'Set-TestClock -Advance 1d', description: 'A day passes: transitions and reminders due meanwhile happen, in order.' },
      { command: 'Set-TestClock -Now (Get-Date).Date.AddDays(1).AddHours(17)', description: 'Moves the clock to 17:00 UTC tomorrow (it never moves back).' },
    ],
  },
});
