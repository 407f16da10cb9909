import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HeraldClient } from '../client/index.js';
import { linkEventsOf, mailsOf, withClockedDaemon } from './helpers/lifecycle.js';
import { startMailServer, type MailServer } from './helpers/mail-server.js';
import { runHerald } from './helpers/shell.js';
import { failure } from './helpers/suite.js';

// Temporary additional owners and managers: the Managed By life-cycle notices go to the object
// (a group: its members) and to the primary owner or manager, by the section's own switches or
// by the membership ones when same-as-membership is on.
let server: MailServer;
beforeAll(async () => {
  server = await startMailServer();
});
afterAll(() => server.close());

const START = '2026-12-01T09:00:00Z';

/** boss owns Sales and manages jdoe; Helpdesk holds hd1 and hd2. */
async function managedStore(client: HeraldClient, store: string): Promise<void> {
  await client.call('identityStore.create', { name: store, type: 'Builtin' });
  await client.call('smtpServer.set', { identityStore: store, server: '127.0.0.1', port: server.port, tlsMode: 'None', from: 'herald@corp.example' });
  for (const name of ['boss', 'alice', 'hd1', 'hd2']) await client.call('user.create', { identityStore: store, name, mail: `${name}@${store.toLowerCase()}.example` });
  await client.call('user.create', { identityStore: store, name: 'jdoe', mail: `jdoe@${store.toLowerCase()}.example`, manager: 'boss' });
  await client.call('group.create', { identityStore: store, name: 'Sales', managedBy: 'boss' });
  await client.call('group.create', { identityStore: store, name: 'Helpdesk' });
  await client.call('groupMember.add', { identityStore: store, groupIdentity: 'Helpdesk', identity: ['hd1', 'hd2'] });
}

describe('temporary additional owners', () => {
  it('same as membership: added, reminded, removed, each to the owner and the primary owner, once', async () => {
    await withClockedDaemon(START, async (_daemon, client, stateDir) => {
      await managedStore(client, 'Own');
      await client.call('membershipLifecycleNotification.set', { identityStore: 'Own', onJoin: true, onLeave: true, daysBeforeLeave: 2 });
      // Its own values say nothing; same-as-membership applies the membership ones.
      await client.call('managedByLifecycleNotification.set', { identityStore: 'Own', sameAsMembership: true, onAdded: false, onRemoved: false, daysBeforeRemoval: null });
      const run = await runHerald(['-Command', "Add-GroupOwner -IdentityStore Own -GroupIdentity Sales -Identity alice -Type 'Temporary Member' -EndDate 2026-12-10"], { stateDir });
      expect(run.stderr).toBe('');
      const [owner] = await client.call('groupOwner.get', { identityStore: 'Own', identity: 'Sales' });
      expect(owner).toMatchObject({ name: 'alice', group: 'Sales', type: 'Temporary', beginningDate: '2026-12-01T09:00:00.000Z', endingDate: '2026-12-10T00:00:00.000Z' });
      expect((await client.call('group.get', { identityStore: 'Own', identity: 'Sales' }))[0].additionalOwners).toEqual(['alice']);
      await client.call('testClock.set', { now: '2026-12-31' });
      expect(await client.call('groupOwner.get', { identityStore: 'Own', identity: 'Sales' })).toEqual([]);
      expect(await mailsOf(client, 'Own')).toEqual([
        'ManagedByAdded alice@own.example,boss@own.example', 'ManagedByRemovalReminder alice@own.example,boss@own.example',
        'ManagedByRemoved alice@own.example,boss@own.example',
      ]);
      expect(await linkEventsOf(client, 'Own')).toEqual(['MemberAdded Helpdesk hd1 rpc', 'MemberAdded Helpdesk hd2 rpc', 'OwnerAdded Sales alice rpc', 'OwnerRemoved Sales alice schedule']);
    });
  });

  it('a group as pending owner: all its members are told; membership switches off, same-as-membership on: nothing is sent', async () => {
    await withClockedDaemon(START, async (_daemon, client) => {
      await managedStore(client, 'Grp');
      await client.call('managedByLifecycleNotification.set', { identityStore: 'Grp', sameAsMembership: false, onAdded: true, onRemoved: true, daysBeforeRemoval: 1 });
      await client.call('groupOwner.add', { identityStore: 'Grp', groupIdentity: 'Sales', identity: ['Helpdesk'], type: 'Addition Pending', startDate: '2026-12-02', endDate: '2026-12-04' });
      await client.call('testClock.set', { now: '2026-12-05' });
      expect(await mailsOf(client, 'Grp')).toEqual([
        'ManagedByAdded hd1@grp.example,hd2@grp.example,boss@grp.example', 'ManagedByRemovalReminder hd1@grp.example,hd2@grp.example,boss@grp.example',
        'ManagedByRemoved hd1@grp.example,hd2@grp.example,boss@grp.example',
      ]);
      await client.call('managedByLifecycleNotification.set', { identityStore: 'Grp', sameAsMembership: true });
      await client.call('groupOwner.add', { identityStore: 'Grp', groupIdentity: 'Sales', identity: ['alice'], endDate: '2026-12-08' });
      await client.call('testClock.set', { now: '2026-12-10' });
      expect(await mailsOf(client, 'Grp')).toHaveLength(3);
      expect(await linkEventsOf(client, 'Grp')).toContain('OwnerRemoved Sales alice schedule');
    });
  });
});

describe('temporary additional managers', () => {
  it('the section\'s own switches: added and reminded three days before, not told of the removal; Remove-UserManager pending', async () => {
    await withClockedDaemon(START, async (_daemon, client, stateDir) => {
      await managedStore(client, 'Mgr');
      await client.call('managedByLifecycleNotification.set', { identityStore: 'Mgr', sameAsMembership: false, onAdded: true, onRemoved: false, daysBeforeRemoval: 3 });
      await client.call('userManager.add', { identityStore: 'Mgr', groupIdentity: 'jdoe', identity: ['alice'], type: 'AdditionPending', startDate: '2026-12-03' });
      const pending = await runHerald(['-Command', "Remove-UserManager -IdentityStore Mgr -UserIdentity jdoe -Identity alice -Type 'Removal Pending' -StartDate 2026-12-20 -Force"], { stateDir });
      expect(pending.code).toBe(1);
      expect(pending.stderr).toContain("'alice' is only pending: a pending removal needs a link in effect");
      const run = await runHerald(['-Command', 'Remove-UserManager -IdentityStore Mgr -UserIdentity jdoe -Identity alice -Force'], { stateDir });
      expect(run.stderr).toBe('');
      // Removed for good before it started: alice never starts, and nobody is told.
      await client.call('testClock.set', { now: '2026-12-31' });
      expect(await client.call('userManager.get', { identityStore: 'Mgr', identity: 'jdoe' })).toEqual([]);
      expect(await mailsOf(client, 'Mgr')).toEqual([]);
      await client.call('userManager.add', { identityStore: 'Mgr', groupIdentity: 'jdoe', identity: ['alice'], endDate: '2027-01-10' });
      const [manager] = await client.call('userManager.get', { identityStore: 'Mgr', identity: 'jdoe' });
      expect(manager).toMatchObject({ user: 'jdoe', name: 'alice', type: 'Temporary', endingDate: '2027-01-10T00:00:00.000Z' });
      await client.call('testClock.set', { now: '2027-01-31' });
      expect(await mailsOf(client, 'Mgr')).toEqual(['ManagedByAdded alice@mgr.example,boss@mgr.example', 'ManagedByRemovalReminder alice@mgr.example,boss@mgr.example']);
      const queue = await client.call('notificationQueue.get', { identityStore: 'Mgr', status: 'All' });
      expect(queue.find((m) => m.kind === 'ManagedByRemovalReminder')?.date).toBe('2027-01-07T00:00:00.000Z');
      expect(await linkEventsOf(client, 'Mgr')).toEqual(['MemberAdded Helpdesk hd1 rpc', 'MemberAdded Helpdesk hd2 rpc', 'ManagerAdded jdoe alice rpc', 'ManagerRemoved jdoe alice schedule']);
    });
  });

  it('refuses a manager that is not a user, and anyone as their own manager or owner', async () => {
    await withClockedDaemon(START, async (_daemon, client) => {
      await managedStore(client, 'Bad');
      const group = await failure(client.call('userManager.add', { identityStore: 'Bad', groupIdentity: 'jdoe', identity: ['Helpdesk'] }));
      expect(group).toMatchObject({ errorName: 'NotFound', data: { field: 'identity' } });
      const self = await failure(client.call('userManager.add', { identityStore: 'Bad', groupIdentity: 'jdoe', identity: ['jdoe'], endDate: '2026-12-31' }));
      expect(self).toMatchObject({ errorName: 'ValidationFailed', data: { field: 'identity' } });
      const own = await failure(client.call('groupOwner.add', { identityStore: 'Bad', groupIdentity: 'Sales', identity: ['Sales'] }));
      expect(own).toMatchObject({ errorName: 'ValidationFailed', data: { field: 'identity' } });
      expect(await client.call('userManager.get', { identityStore: 'Bad', identity: 'jdoe' })).toEqual([]);
    });
  });

  it('takes the reference scripts\' -Additional, and points -Additional:$false at the primary owner\'s cmdlet', async () => {
    await withClockedDaemon(START, async (_daemon, client, stateDir) => {
      await managedStore(client, 'Ref');
      const added = await runHerald(['-Command', 'Add-GroupOwner -IdentityStore Ref -GroupIdentity Sales -Identity alice -Additional | Out-Null; Remove-GroupOwner -IdentityStore Ref -GroupIdentity Sales -Identity alice -Additional -Force'], { stateDir });
      expect(added.stderr).toBe('');
      expect(await client.call('groupOwner.get', { identityStore: 'Ref', identity: 'Sales' })).toEqual([]);
      const primary = await runHerald(['-Command', 'Add-GroupOwner -IdentityStore Ref -GroupIdentity Sales -Identity alice -Additional:$false'], { stateDir });
      expect(primary.code).not.toBe(0);
      expect(primary.stderr).toContain('Set-Group -ManagedBy');
      expect(await client.call('groupOwner.get', { identityStore: 'Ref', identity: 'Sales' })).toEqual([]);
    });
  });
});
