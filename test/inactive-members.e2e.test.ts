import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lifecycleStore, linkEventsOf, mailsOf, withClockedDaemon } from './helpers/lifecycle.js';
import { startMailServer, type MailServer } from './helpers/mail-server.js';
import { runHerald } from './helpers/shell.js';
import { failure } from './helpers/suite.js';

// Group attestation's inactive members: removed after the store's member-inactive period, with
// the membership "X days before leaving" reminder; a period of 0 removes at once.
let server: MailServer;
beforeAll(async () => {
  server = await startMailServer();
});
afterAll(() => server.close());

describe('inactive members', () => {
  it('leave after the member-inactive period, reminded X days before, each notice once', async () => {
    await withClockedDaemon('2026-12-01T09:00:00Z', async (_daemon, client, stateDir) => {
      await lifecycleStore(client, 'Att', server.port, ['jdoe', 'asmith']);
      await client.call('groupMember.add', { identityStore: 'Att', groupIdentity: 'Sales', identity: ['jdoe', 'asmith'] });
      expect((await client.call('identityStore.get', { name: 'Att' }))[0].memberInactivePeriod).toBe(30);
      const set = await runHerald(['-Command', 'Set-IdentityStore Att -MemberInactivePeriod 10; Set-GroupMember -Identity jdoe -GroupIdentity Sales -Inactive'], { stateDir });
      expect(set.stderr).toBe('');
      const [jdoe] = await client.call('groupMember.get', { identityStore: 'Att', identity: 'Sales' });
      expect(jdoe).toMatchObject({ name: 'jdoe', type: 'RemovalPending', beginningDate: '2026-12-11T09:00:00.000Z', endingDate: null });
      await client.call('testClock.set', { now: '2026-12-31' });
      expect((await client.call('groupMember.get', { identityStore: 'Att', identity: 'Sales' })).map((m) => m.name)).toEqual(['asmith']);
      expect(await mailsOf(client, 'Att')).toEqual(['MembershipLeaveReminder jdoe@att.example', 'MembershipLeft jdoe@att.example']);
      const queue = await client.call('notificationQueue.get', { identityStore: 'Att', status: 'All' });
      expect(queue.map((m) => m.date)).toEqual(['2026-12-11T09:00:00.000Z', '2026-12-09T09:00:00.000Z']);
      expect((await linkEventsOf(client, 'Att')).slice(2)).toEqual(['MemberRemoved Sales jdoe schedule']);
    });
  });

  it('with a period of 0 leave at once; -Inactive takes no dates; the period is checked', async () => {
    await withClockedDaemon('2026-12-01T09:00:00Z', async (_daemon, client) => {
      await lifecycleStore(client, 'Now', server.port, ['jdoe']);
      await client.call('groupMember.add', { identityStore: 'Now', groupIdentity: 'Sales', identity: ['jdoe'] });
      const negative = await failure(client.call('identityStore.set', { identity: 'Now', memberInactivePeriod: -1 }));
      expect(negative.data?.field).toBe('memberInactivePeriod');
      const dated = await failure(client.call('groupMember.set', { identityStore: 'Now', groupIdentity: 'Sales', identity: ['jdoe'], inactive: true, endDate: '2026-12-31' }));
      expect(dated).toMatchObject({ errorName: 'ValidationFailed', data: { field: 'inactive' } });
      await client.call('identityStore.set', { identity: 'Now', memberInactivePeriod: 0 });
      await client.call('groupMember.set', { identityStore: 'Now', groupIdentity: 'Sales', identity: ['jdoe'], inactive: true });
      expect(await client.call('groupMember.get', { identityStore: 'Now', identity: 'Sales' })).toEqual([]);
      expect(await mailsOf(client, 'Now')).toEqual(['MembershipLeft jdoe@now.example']);
      expect(await linkEventsOf(client, 'Now')).toEqual(['MemberAdded Sales jdoe rpc', 'MemberRemoved Sales jdoe rpc']);
    });
  });
});
