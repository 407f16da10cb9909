import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from './helpers/daemon.js';
import { lifecycleStore, linkEventsOf, mailsOf, startClockedDaemon, withClockedDaemon } from './helpers/lifecycle.js';
import { startMailServer, type MailServer } from './helpers/mail-server.js';
import { heraldJson, runHerald } from './helpers/shell.js';
import { failure } from './helpers/suite.js';

// The scheduler and its clock: time moves only when a test moves it, what falls due happens at
// its moment, and what fell due while the daemon was down happens once when it starts again.
let server: MailServer;
beforeAll(async () => {
  server = await startMailServer();
});
afterAll(() => server.close());

describe('the test clock', () => {
  it('is refused by a daemon started without --test-clock', async () => {
    await withClockedDaemon(undefined, async (_daemon, client, stateDir) => {
      const error = await failure(client.call('testClock.set', { advance: '1d' }));
      expect(error.errorName).toBe('AccessDenied');
      expect(error.message).toContain('--test-clock');
      const run = await runHerald(['-Command', 'Set-TestClock -Now 2030-01-01'], { stateDir });
      expect(run.code).toBe(1);
      expect(run.stderr).toContain('--test-clock');
    });
  });

  it('stands still, moves by -Now and -Advance, never back, and refuses nonsense naming the field', async () => {
    await withClockedDaemon('2026-12-01T09:00:00Z', async (_daemon, client, stateDir) => {
      expect((await client.call('schedule.get', {}))[0].lastRunAt).toBe('2026-12-01T09:00:00.000Z');
      expect(await client.call('testClock.set', { advance: '1.02:30:00' })).toEqual({ now: '2026-12-02T11:30:00.000Z' });
      expect(await client.call('testClock.set', { advance: '1d12h' })).toEqual({ now: '2026-12-03T23:30:00.000Z' });
      expect(await client.call('testClock.set', { now: '2026-12-24' })).toEqual({ now: '2026-12-24T00:00:00.000Z' });
      const back = await failure(client.call('testClock.set', { now: '2026-12-01' }));
      expect(back.data?.field).toBe('now');
      const both = await failure(client.call('testClock.set', { now: '2026-12-31', advance: '1d' }));
      expect(both.message).toContain('either -Now or -Advance');
      const badSpan = await failure(client.call('testClock.set', { advance: 'soon' }));
      expect(badSpan.data?.field).toBe('advance');
      const badDate = await failure(client.call('testClock.set', { now: '2026-02-30' }));
      expect(badDate.data?.field).toBe('now');
      const shell = await heraldJson('Set-TestClock -Advance 01:00:00; Get-Schedule', stateDir);
      expect(shell.code).toBe(0);
      expect(shell.objects[0]).toEqual({ Now: '2026-12-24T01:00:00.000Z' });
      expect(shell.objects[1]).toMatchObject({ Name: 'Lifecycle', LastRunAt: '2026-12-24T01:00:00.000Z', NextRunAt: '2026-12-24T02:00:00.000Z' });
    });
  });
});

describe('the life-cycle schedule', () => {
  it('runs at the moment a step falls due, not at its next interval, and Invoke-Schedule applies only what is due', async () => {
    await withClockedDaemon('2026-12-01T09:00:00Z', async (_daemon, client) => {
      await lifecycleStore(client, 'Sched', server.port, ['jdoe']);
      await client.call('groupMember.add', { identityStore: 'Sched', groupIdentity: 'Sales', identity: ['jdoe'], type: 'AdditionPending', startDate: '2026-12-01T09:10:00Z' });
      const [before] = await client.call('schedule.get', { name: 'Lifecycle' });
      expect(before.nextRunAt).toBe('2026-12-01T09:10:00.000Z');
      // Not due yet: an explicit run changes nothing.
      const early = await client.call('schedule.invoke', { name: 'Lifecycle' });
      expect(early).toMatchObject({ lastRunAt: '2026-12-01T09:00:00.000Z', lastResult: 'nothing due', applied: 0 });
      expect((await client.call('groupMember.get', { identityStore: 'Sched', identity: 'Sales' }))[0].type).toBe('AdditionPending');
      await client.call('testClock.set', { advance: '00:30' });
      // It ran when the addition fell due, and has had nothing to do since.
      const [after] = await client.call('schedule.get', {});
      expect(after).toMatchObject({ lastRunAt: '2026-12-01T09:10:00.000Z', lastResult: '1 transition applied, 1 mail queued', nextRunAt: '2026-12-01T10:10:00.000Z' });
      expect((await client.call('groupMember.get', { identityStore: 'Sched', identity: 'Sales' }))[0].type).toBe('Perpetual');
      expect(await linkEventsOf(client, 'Sched')).toEqual(['MemberAdded Sales jdoe schedule']);
      expect(await mailsOf(client, 'Sched')).toEqual(['MembershipJoined jdoe@sched.example']);
    });
  });

  it('catches up after downtime: an end date passed while the daemon was down removes the member once, "on leaving" sent once', async () => {
    const temp = tempDir();
    let daemon = await startClockedDaemon(temp.dir, '2026-12-01T09:00:00Z');
    try {
      let client = await daemon.client();
      await lifecycleStore(client, 'Down', server.port, ['jdoe', 'asmith']);
      await client.call('groupMember.add', { identityStore: 'Down', groupIdentity: 'Sales', identity: ['jdoe'], endDate: '2026-12-05' });
      // Its reminder moment (12-08) passes while the daemon is down, its end (12-10) has not: still sent.
      await client.call('groupMember.add', { identityStore: 'Down', groupIdentity: 'Sales', identity: ['asmith'], endDate: '2026-12-10' });
      await client.close();
      expect(await daemon.stop()).toBe(0);

      for (const restart of ['2026-12-09T00:00:00Z', '2026-12-09T06:00:00Z']) {
        daemon = await startClockedDaemon(temp.dir, restart);
        client = await daemon.client();
        const members = await client.call('groupMember.get', { identityStore: 'Down', identity: 'Sales' });
        expect(members.map((m) => m.name)).toEqual(['asmith']);
        expect(await linkEventsOf(client, 'Down')).toEqual([
          'MemberAdded Sales jdoe rpc', 'MemberAdded Sales asmith rpc', 'MemberRemoved Sales jdoe schedule',
        ]);
        // jdoe's reminder moment (12-03) and end both passed: the end came, the reminder is moot.
        expect(await mailsOf(client, 'Down')).toEqual([
          'MembershipJoined jdoe@down.example', 'MembershipJoined asmith@down.example',
          'MembershipLeft jdoe@down.example', 'MembershipLeaveReminder asmith@down.example',
        ]);
        await client.close();
        expect(await daemon.stop()).toBe(0);
      }
    } finally {
      await daemon.stop();
      temp.cleanup();
    }
  });
});
