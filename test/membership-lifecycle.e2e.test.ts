import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HeraldClient } from '../client/index.js';
import { tempDir, type TestDaemon } from './helpers/daemon.js';
import { lifecycleStore, linkEventsOf, mailsOf, startClockedDaemon, withClockedDaemon } from './helpers/lifecycle.js';
import { startMailServer, type MailServer } from './helpers/mail-server.js';
import { runHerald } from './helpers/shell.js';
import { failure } from './helpers/suite.js';

// Temporary and pending membership through the injected clock: every type and transition, the
// membership life-cycle notices, and exactly once across restarts and crashes.
let server: MailServer;
beforeAll(async () => {
  server = await startMailServer();
});
afterAll(() => server.close());

const START = '2026-12-01T09:00:00Z';
const members = async (client: HeraldClient, store: string) =>
  (await client.call('groupMember.get', { identityStore: store, identity: 'Sales' })).map((m) => `${m.name} ${m.type} ${m.beginningDate ?? '-'} ${m.endingDate ?? '-'}`);
const add = (client: HeraldClient, store: string, identity: string[], extra: Record<string, string>) =>
  client.call('groupMember.add', { identityStore: store, groupIdentity: 'Sales', identity, ...extra });
const remove = (client: HeraldClient, store: string, identity: string[], extra: Record<string, string>) =>
  client.call('groupMember.remove', { identityStore: store, groupIdentity: 'Sales', identity, ...extra });

describe('membership types and their transitions', () => {
  it('Temporary: joins now, reminded X days before, leaves on EndDate, each notice once', async () => {
    await withClockedDaemon(START, async (_daemon, client) => {
      await lifecycleStore(client, 'Temp', server.port, ['jdoe']);
      await add(client, 'Temp', ['jdoe'], { type: 'Temporary Member', endDate: '2026-12-10' });
      expect(await members(client, 'Temp')).toEqual(['jdoe Temporary 2026-12-01T09:00:00.000Z 2026-12-10T00:00:00.000Z']);
      await client.call('testClock.set', { now: '2026-12-07T23:59:00Z' });
      expect(await mailsOf(client, 'Temp')).toEqual(['MembershipJoined jdoe@temp.example']);
      await client.call('testClock.set', { advance: '1d' });
      expect(await members(client, 'Temp')).toHaveLength(1);
      await client.call('testClock.set', { now: '2026-12-10' });
      expect(await members(client, 'Temp')).toEqual([]);
      await client.call('testClock.set', { advance: '30d' });
      expect(await mailsOf(client, 'Temp')).toEqual(['MembershipJoined jdoe@temp.example', 'MembershipLeaveReminder jdoe@temp.example', 'MembershipLeft jdoe@temp.example']);
      expect(await linkEventsOf(client, 'Temp')).toEqual(['MemberAdded Sales jdoe rpc', 'MemberRemoved Sales jdoe schedule']);
      const queue = await client.call('notificationQueue.get', { identityStore: 'Temp', status: 'All' });
      expect(queue.map((m) => [m.subject, m.date])).toEqual([
        ['jdoe left Sales', '2026-12-10T00:00:00.000Z'],
        ['Membership of Sales ends on 2026-12-10', '2026-12-08T00:00:00.000Z'],
        ['jdoe joined Sales until 2026-12-10', '2026-12-01T09:00:00.000Z'],
      ]);
    });
  });

  it('AdditionPending joins on StartDate and leaves on EndDate; without EndDate it stays for good', async () => {
    await withClockedDaemon(START, async (_daemon, client) => {
      await lifecycleStore(client, 'Pend', server.port, ['jdoe', 'asmith']);
      await add(client, 'Pend', ['jdoe'], { type: 'Addition Pending', startDate: '2026-12-05', endDate: '2026-12-20' });
      await add(client, 'Pend', ['asmith'], { startDate: '2026-12-06T12:00' });
      expect(await members(client, 'Pend')).toEqual([
        'jdoe AdditionPending 2026-12-05T00:00:00.000Z 2026-12-20T00:00:00.000Z', 'asmith AdditionPending 2026-12-06T12:00:00.000Z -',
      ]);
      // Pending members are not members yet: no event, no notice.
      expect(await linkEventsOf(client, 'Pend')).toEqual([]);
      await client.call('testClock.set', { now: '2026-12-07' });
      expect(await members(client, 'Pend')).toEqual(['jdoe Temporary 2026-12-05T00:00:00.000Z 2026-12-20T00:00:00.000Z', 'asmith Perpetual - -']);
      await client.call('testClock.set', { now: '2027-01-01' });
      expect(await members(client, 'Pend')).toEqual(['asmith Perpetual - -']);
      expect(await mailsOf(client, 'Pend')).toEqual([
        'MembershipJoined jdoe@pend.example', 'MembershipJoined asmith@pend.example', 'MembershipLeaveReminder jdoe@pend.example', 'MembershipLeft jdoe@pend.example',
      ]);
      expect(await linkEventsOf(client, 'Pend')).toEqual(['MemberAdded Sales jdoe schedule', 'MemberAdded Sales asmith schedule', 'MemberRemoved Sales jdoe schedule']);
    });
  });

  it('RemovalPending removes on StartDate (and restores on EndDate); TemporaryRemoved removes now and restores on EndDate', async () => {
    await withClockedDaemon(START, async (_daemon, client) => {
      await lifecycleStore(client, 'Rem', server.port, ['jdoe', 'asmith', 'bob']);
      await add(client, 'Rem', ['jdoe', 'asmith', 'bob'], {});
      await remove(client, 'Rem', ['jdoe'], { type: 'Removal Pending', startDate: '2026-12-05', endDate: '2026-12-08' });
      await remove(client, 'Rem', ['asmith'], { type: 'RemovalPending', startDate: '2026-12-06' });
      await remove(client, 'Rem', ['bob'], { type: 'Temporary Removed', endDate: '2026-12-04' });
      expect(await members(client, 'Rem')).toEqual([
        'jdoe RemovalPending 2026-12-05T00:00:00.000Z 2026-12-08T00:00:00.000Z', 'asmith RemovalPending 2026-12-06T00:00:00.000Z -',
        'bob TemporaryRemoved 2026-12-01T09:00:00.000Z 2026-12-04T00:00:00.000Z',
      ]);
      await client.call('testClock.set', { now: '2026-12-05T12:00' });
      expect(await members(client, 'Rem')).toEqual([
        'jdoe TemporaryRemoved 2026-12-05T00:00:00.000Z 2026-12-08T00:00:00.000Z', 'asmith RemovalPending 2026-12-06T00:00:00.000Z -', 'bob Perpetual - -',
      ]);
      await client.call('testClock.set', { now: '2026-12-31' });
      expect(await members(client, 'Rem')).toEqual(['jdoe Perpetual - -', 'bob Perpetual - -']);
      expect(await linkEventsOf(client, 'Rem')).toEqual([
        'MemberAdded Sales jdoe rpc', 'MemberAdded Sales asmith rpc', 'MemberAdded Sales bob rpc', 'MemberRemoved Sales bob rpc',
        'MemberAdded Sales bob schedule', 'MemberRemoved Sales jdoe schedule', 'MemberRemoved Sales asmith schedule', 'MemberAdded Sales jdoe schedule',
      ]);
      // Reminders come before removals by the schedule; TemporaryRemoved is the caller's own, noticed at once.
      expect(await mailsOf(client, 'Rem')).toEqual([
        'MembershipLeft bob@rem.example', 'MembershipLeaveReminder jdoe@rem.example', 'MembershipJoined bob@rem.example', 'MembershipLeaveReminder asmith@rem.example',
        'MembershipLeft jdoe@rem.example', 'MembershipLeft asmith@rem.example', 'MembershipJoined jdoe@rem.example',
      ]);
    });
  });
});

describe('changing and checking memberships', () => {
  it('Set-GroupMember moves an end date (the reminder follows) and makes a membership perpetual (no step is left)', async () => {
    await withClockedDaemon(START, async (_daemon, client, stateDir) => {
      await lifecycleStore(client, 'Set', server.port, ['jdoe', 'asmith']);
      await add(client, 'Set', ['jdoe', 'asmith'], { endDate: '2026-12-05' });
      const run = await runHerald(['-Command', 'Set-GroupMember -IdentityStore Set -GroupIdentity Sales -Identity jdoe -EndDate 2026-12-20; Set-GroupMember Sales asmith -IdentityStore Set -Type Perpetual'], { stateDir });
      expect(run.stderr).toBe('');
      expect(await members(client, 'Set')).toEqual(['jdoe Temporary 2026-12-01T09:00:00.000Z 2026-12-20T00:00:00.000Z', 'asmith Perpetual - -']);
      await client.call('testClock.set', { now: '2026-12-10' });
      expect(await members(client, 'Set')).toHaveLength(2);
      await client.call('testClock.set', { now: '2026-12-31' });
      expect(await members(client, 'Set')).toEqual(['asmith Perpetual - -']);
      expect(await mailsOf(client, 'Set')).toEqual([
        'MembershipJoined jdoe@set.example', 'MembershipJoined asmith@set.example', 'MembershipLeaveReminder jdoe@set.example', 'MembershipLeft jdoe@set.example',
      ]);
      const queue = await client.call('notificationQueue.get', { identityStore: 'Set', status: 'All' });
      expect(queue.find((m) => m.kind === 'MembershipLeaveReminder')?.date).toBe('2026-12-18T00:00:00.000Z');
      const notMember = await failure(client.call('groupMember.set', { identityStore: 'Set', groupIdentity: 'Sales', identity: ['jdoe'], type: 'Perpetual' }));
      expect(notMember).toMatchObject({ errorName: 'ValidationFailed', data: { field: 'identity' } });
    });
  });

  it('refuses invalid combinations with the field named, changing nothing; spellings with spaces work from the shell', async () => {
    await withClockedDaemon(START, async (_daemon, client, stateDir) => {
      await lifecycleStore(client, 'Bad', server.port, ['jdoe']);
      const refusals: [string, string][] = [
        ["Add-GroupMember Sales jdoe -Type 'Addition Pending' -StartDate 2026-12-10 -EndDate 2026-12-05", '(-EndDate)'],
        ["Add-GroupMember Sales jdoe -Type 'Addition Pending' -StartDate 2026-11-30", 'StartDate 2026-11-30 is in the past'],
        ["Add-GroupMember Sales jdoe -Type 'Temporary Member'", 'needs an EndDate'],
        ['Add-GroupMember Sales jdoe -Type Perpetual -EndDate 2026-12-31', 'a perpetual membership has no StartDate or EndDate'],
        ["Add-GroupMember Sales jdoe -Type 'Sometimes'", "-Type takes one of Perpetual, Temporary, TemporaryMember, Temporary Member"],
        ['Add-GroupMember Sales jdoe -EndDate 2026-12-32', '(-EndDate)'],
      ];
      for (const [command, message] of refusals) {
        const run = await runHerald(['-Command', command], { stateDir });
        expect(run.code, command).toBe(1);
        expect(run.stderr, command).toContain(message);
      }
      expect(await members(client, 'Bad')).toEqual([]);
      const ok = await runHerald(['-Command', "Add-GroupMember Sales jdoe -Type 'Temporary Member' -EndDate 2026-12-31; Remove-GroupMember Sales jdoe -Type 'Temporary Removed' -EndDate 2026-12-20"], { stateDir });
      expect(ok.stderr).toBe('');
      expect(await members(client, 'Bad')).toEqual(['jdoe TemporaryRemoved 2026-12-01T09:00:00.000Z 2026-12-20T00:00:00.000Z']);
    });
  });

  it('notifies as the switches say: no "on joining" when it is off, no reminder without X days', async () => {
    await withClockedDaemon(START, async (_daemon, client) => {
      await lifecycleStore(client, 'Quiet', server.port, ['jdoe']);
      await client.call('membershipLifecycleNotification.set', { identityStore: 'Quiet', onJoin: false, daysBeforeLeave: null });
      await add(client, 'Quiet', ['jdoe'], { endDate: '2026-12-05' });
      await client.call('testClock.set', { now: '2026-12-31' });
      expect(await mailsOf(client, 'Quiet')).toEqual(['MembershipLeft jdoe@quiet.example']);
    });
  });

  it('a group as temporary member: its members are told; a peer adding someone: the member is told, not the peer', async () => {
    await withClockedDaemon(START, async (_daemon, client) => {
      await lifecycleStore(client, 'Nest', server.port, ['jdoe', 'asmith', 'peer']);
      await client.call('user.set', { identityStore: 'Nest', identity: 'peer', password: 'Peer-pass-1234' });
      await client.call('group.create', { identityStore: 'Nest', name: 'Team' });
      await client.call('groupMember.add', { identityStore: 'Nest', groupIdentity: 'Team', identity: ['jdoe', 'asmith'] });
      await add(client, 'Nest', ['Team'], { endDate: '2026-12-05' });
      await client.call('session.connect', { identityStore: 'Nest', credential: { userName: 'peer', password: 'Peer-pass-1234' } });
      await add(client, 'Nest', ['asmith'], { endDate: '2026-12-04' });
      expect(await mailsOf(client, 'Nest')).toEqual(['MembershipJoined jdoe@nest.example,asmith@nest.example', 'MembershipJoined asmith@nest.example']);
    });
  });
});

describe('exactly once', () => {
  it('a window shorter than one schedule interval is applied and notified, stepping through it or sleeping through it', async () => {
    await withClockedDaemon(START, async (daemon, client, stateDir) => {
      await lifecycleStore(client, 'Short', server.port, ['jdoe', 'asmith']);
      await add(client, 'Short', ['jdoe'], { startDate: '2026-12-01T09:10', endDate: '2026-12-01T09:40' });
      await client.call('testClock.set', { advance: '01:00:00' });
      // The reminder "two days before" leaving comes once jdoe is a member: at once.
      expect(await mailsOf(client, 'Short')).toEqual(['MembershipJoined jdoe@short.example', 'MembershipLeaveReminder jdoe@short.example', 'MembershipLeft jdoe@short.example']);
      // Down across the whole window: both steps on start, in order, each noticed once.
      await add(client, 'Short', ['asmith'], { startDate: '2026-12-01T10:10', endDate: '2026-12-01T10:20' });
      await client.close();
      expect(await daemon.stop()).toBe(0);
      const again = await startClockedDaemon(stateDir, '2026-12-01T11:00:00Z');
      const second = await again.client();
      expect(await members(second, 'Short')).toEqual([]);
      expect((await mailsOf(second, 'Short')).slice(3)).toEqual(['MembershipJoined asmith@short.example', 'MembershipLeft asmith@short.example']);
      expect(await linkEventsOf(second, 'Short')).toEqual([
        'MemberAdded Sales jdoe schedule', 'MemberRemoved Sales jdoe schedule', 'MemberAdded Sales asmith schedule', 'MemberRemoved Sales asmith schedule',
      ]);
      await second.close();
      expect(await again.stop()).toBe(0);
    });
  });

  it('a restart in the middle of a day\'s reminders: none missed, none doubled', async () => {
    const temp = tempDir();
    let daemon: TestDaemon | undefined;
    try {
      daemon = await startClockedDaemon(temp.dir, START, { extraArgs: ['--schedule-batch', '2'], env: { HERALD_TEST_FAULT: 'after-batch' } });
      let client = await daemon.client();
      const users = ['u1', 'u2', 'u3', 'u4', 'u5'];
      await lifecycleStore(client, 'Many', server.port, users);
      await add(client, 'Many', users, { endDate: '2026-12-10' });
      // The reminders fall due on 12-08; the daemon dies once the first batch of two has committed.
      await client.call('testClock.set', { now: '2026-12-08T06:00' }).catch(() => undefined);
      expect(await daemon.stop()).toBeNull();
      daemon = await startClockedDaemon(temp.dir, '2026-12-08T06:00:00Z');
      client = await daemon.client();
      const reminders = (await mailsOf(client, 'Many')).filter((mail) => mail.startsWith('MembershipLeaveReminder'));
      expect(reminders.sort()).toEqual(users.map((user) => `MembershipLeaveReminder ${user}@many.example`));
      await client.call('testClock.set', { now: '2026-12-09' });
      expect((await mailsOf(client, 'Many')).filter((mail) => mail.startsWith('MembershipLeaveReminder'))).toHaveLength(5);
      await client.close();
      expect(await daemon.stop()).toBe(0);
    } finally {
      await daemon?.stop();
      temp.cleanup();
    }
  });

  it('a crash between applying a transition and sending its notice: after the restart the notice goes out once', async () => {
    const temp = tempDir();
    let daemon: TestDaemon | undefined;
    try {
      daemon = await startClockedDaemon(temp.dir, START, { env: { HERALD_TEST_FAULT: 'after-transition' } });
      let client = await daemon.client();
      await lifecycleStore(client, 'Crash', server.port, ['jdoe']);
      await add(client, 'Crash', ['jdoe'], { endDate: '2026-12-03' });
      await client.call('testClock.set', { now: '2026-12-04' }).catch(() => undefined);
      expect(await daemon.stop()).toBeNull();
      for (const restart of ['2026-12-04T00:00:00Z', '2026-12-05T00:00:00Z']) {
        daemon = await startClockedDaemon(temp.dir, restart);
        client = await daemon.client();
        expect(await members(client, 'Crash')).toEqual([]);
        expect(await mailsOf(client, 'Crash')).toEqual([
          'MembershipJoined jdoe@crash.example', 'MembershipLeaveReminder jdoe@crash.example', 'MembershipLeft jdoe@crash.example',
        ]);
        expect(await linkEventsOf(client, 'Crash')).toEqual(['MemberAdded Sales jdoe rpc', 'MemberRemoved Sales jdoe schedule']);
        await client.close();
        expect(await daemon.stop()).toBe(0);
      }
    } finally {
      await daemon?.stop();
      temp.cleanup();
    }
  });
});
