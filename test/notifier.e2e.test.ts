import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ParamsOf } from '../client/index.js';
import { startMailServer, type MailServer } from './helpers/mail-server.js';
import { runHerald, runHeraldOk } from './helpers/shell.js';
import { useDaemon } from './helpers/suite.js';

// Every Also-notify rule end to end: a change made through the shell, the mails that actually
// arrive at a real SMTP server, and who they arrive for. Each test uses a store of its own so
// that only its rule is on.
const suite = useDaemon();
let server: MailServer;
let stores = 0;

beforeAll(async () => {
  server = await startMailServer();
});
afterAll(() => server.close());

type Settings = Omit<ParamsOf<'notificationSettings.set'>, 'identityStore'>;

/**
 * A store sending to the test server, with a small directory: alice manages jdoe and owns
 * Sales (public); bob is an additional owner; carol (additional owner) opted out; kiosk has no
 * mail; ghost is disabled; Team is nested in Sales and contains Sales back (a cycle).
 */
async function storeWith(settings: Settings): Promise<string> {
  const store = `Rules${++stores}`;
  const { client } = suite;
  await client.call('identityStore.create', { name: store, type: 'Builtin' });
  await client.call('smtpServer.set', { identityStore: store, server: '127.0.0.1', port: server.port, tlsMode: 'None', from: 'herald@corp.example' });
  const user = (name: string, extra: Partial<ParamsOf<'user.create'>> = {}) =>
    client.call('user.create', { identityStore: store, name, mail: `${name}.${store}@corp.example`.toLowerCase(), ...extra });
  await user('alice');
  await user('bob');
  await user('carol');
  await user('dave');
  await user('jdoe', { manager: 'alice', additionalManagers: ['bob'] });
  await client.call('user.create', { identityStore: store, name: 'kiosk' });
  await user('ghost', { enabled: false });
  await client.call('group.create', { identityStore: store, name: 'Sales', securityType: 'Public', managedBy: 'alice', additionalOwners: ['bob', 'carol'], notifyOptOutAdditionalOwners: ['carol'] });
  await client.call('group.create', { identityStore: store, name: 'Team', securityType: 'Private' });
  await client.call('groupMember.add', { identityStore: store, groupIdentity: 'Team', identity: ['dave', 'kiosk', 'ghost'] });
  await client.call('groupMember.add', { identityStore: store, groupIdentity: 'Sales', identity: ['Team'] });
  await client.call('groupMember.add', { identityStore: store, groupIdentity: 'Team', identity: ['Sales'] });
  // Only now the rules go on: the set-up above must not count.
  await client.call('notificationSettings.set', { identityStore: store, ...settings });
  return store;
}

const shell = (command: string) => runHeraldOk(command, suite.stateDir);

const address = (store: string, name: string) => `${name}.${store}@corp.example`.toLowerCase();

/** The recipients of the mails a store sent for changes of this kind, once they have arrived. */
async function recipientsOf(store: string, kind: string, expected: number): Promise<string[][]> {
  for (let i = 0; i < 200; i++) {
    const mails = server.received.filter((m) => m.raw.includes(`X-Herald-Kind: ${kind}`) && m.to.some((to) => to.includes(store.toLowerCase())));
    if (mails.length >= expected) return mails.map((m) => m.to.map((to) => to.replace(`.${store.toLowerCase()}@corp.example`, '')).sort());
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`expected ${expected} ${kind} mails for ${store}`);
}

describe('Also-notify rules', () => {
  it('the object being modified: a group means all its members, nested, each once, mail-less and disabled skipped', async () => {
    const store = await storeWith({ notifyModifiedObject: true });
    await shell(`Set-Group -IdentityStore ${store} -Identity Sales -DisplayName 'Sales team'`);
    expect(await recipientsOf(store, 'ObjectModified', 1)).toEqual([['dave']]);
  });

  it('group owners, primary and additional, without those who opted out', async () => {
    const store = await storeWith({ notifyGroupOwners: true });
    await shell(`Set-Group -IdentityStore ${store} Sales -DisplayName Renamed`);
    expect(await recipientsOf(store, 'ObjectModified', 1)).toEqual([['alice', 'bob']]);
  });

  it('managers of the user changed, primary and additional', async () => {
    const store = await storeWith({ notifyManagers: true });
    await shell(`Set-User -IdentityStore ${store} -Identity jdoe -DisplayName 'John Doe'`);
    expect(await recipientsOf(store, 'ObjectModified', 1)).toEqual([['alice', 'bob']]);
  });

  it('newly added members, and owners of a public group on membership changes', async () => {
    const added = await storeWith({ notifyAddedMembers: true });
    await shell(`Add-GroupMember -IdentityStore ${added} -GroupIdentity Team -Identity jdoe`);
    expect(await recipientsOf(added, 'MemberAdded', 1)).toEqual([['jdoe']]);

    const publicOwners = await storeWith({ notifyPublicGroupOwners: true });
    await shell(`Get-User -IdentityStore ${publicOwners} jdoe | Add-GroupMember -IdentityStore ${publicOwners} -GroupIdentity Sales`);
    expect(await recipientsOf(publicOwners, 'MemberAdded', 1)).toEqual([['alice', 'bob']]);
    // Team is private: its owners hear nothing of its membership. Mails are queued with the
    // change, so the queue already shows whether one was made.
    await shell(`Add-GroupMember -IdentityStore ${publicOwners} -GroupIdentity Team -Identity carol`);
    const queued = await suite.client.call('notificationQueue.get', { identityStore: publicOwners, status: 'All' });
    expect(queued.filter((m) => m.kind === 'MemberAdded')).toHaveLength(1);
  });

  it('removed members on removal', async () => {
    const store = await storeWith({ notifyRemovedMembers: true });
    await shell(`Remove-GroupMember -IdentityStore ${store} -GroupIdentity Team -Identity dave`);
    expect(await recipientsOf(store, 'MemberRemoved', 1)).toEqual([['dave']]);
  });

  it('To and CC always, overlapping a rule: one mail each, To wins', async () => {
    const store = await storeWith({ to: ['ops@corp.example'], cc: ['dave.' + `rules${stores + 1}`.toLowerCase() + '@corp.example'], notifyModifiedObject: true });
    await shell(`Set-Group -IdentityStore ${store} -Identity Team -DisplayName 'Team A'`);
    const [mail] = await recipientsOf(store, 'ObjectModified', 1);
    expect(mail).toEqual(['dave', 'ops@corp.example']);
    const received = server.received.find((m) => m.raw.includes('X-Herald-Kind: ObjectModified') && m.to.includes(address(store, 'dave')))!;
    expect(received.raw).toMatch(/^To: .*dave/m);
    expect(received.raw).not.toMatch(/^Cc: /m);
  });

  it('answers "who would be notified, and why" without changing or sending anything', async () => {
    const store = await storeWith({ to: ['ops@corp.example'], notifyAddedMembers: true, notifyPublicGroupOwners: true, notifyModifiedObject: true });
    const before = server.received.length;
    const run = await runHerald(['-OutputFormat', 'Json', '-Command', `Resolve-NotificationRecipient -IdentityStore ${store} -Identity Sales -Kind MemberAdded -Related jdoe`], { stateDir: suite.stateDir });
    expect(run.stderr).toBe('');
    const [resolution] = JSON.parse(run.stdout) as { Recipients: { Address: string; Reasons: string[] }[]; Skipped: { Name: string; Why: string }[] }[];
    const reasons = Object.fromEntries(resolution.Recipients.map((r) => [r.Address, r.Reasons]));
    expect(reasons['ops@corp.example']).toEqual(['To']);
    expect(reasons[address(store, 'jdoe')]).toEqual(['AddedMembers']);
    expect(reasons[address(store, 'alice')]).toEqual(['PublicGroupOwners']);
    expect(reasons[address(store, 'dave')]).toEqual(['ModifiedObject']);
    expect(resolution.Skipped).toEqual(expect.arrayContaining([
      expect.objectContaining({ Name: 'kiosk', Why: 'no mail address' }),
      expect.objectContaining({ Name: 'ghost', Why: 'disabled' }),
    ]));
    expect(server.received.length).toBe(before);
    expect(await suite.client.call('groupMember.get', { identityStore: store, identity: 'Sales' })).not.toContainEqual(expect.objectContaining({ name: 'jdoe' }));
  });

  it('sends a mail to a group\'s members with Send-Notification -Identity <group>', async () => {
    const store = await storeWith({});
    const run = await runHerald(['-OutputFormat', 'Json', '-Command', `Send-Notification -IdentityStore ${store} -Identity Sales, jdoe -Subject 'To the team' -Body 'Hello'`], { stateDir: suite.stateDir });
    expect(run.stderr).toBe('');
    const [queued] = JSON.parse(run.stdout) as { To: string[] }[];
    expect(queued.To.map((to) => to.replace(`.${store.toLowerCase()}@corp.example`, '')).sort()).toEqual(['dave', 'jdoe']);
    const refused = await runHerald(['-Command', `Send-Notification -IdentityStore ${store} -Identity kiosk -Subject x -Body y`], { stateDir: suite.stateDir });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("user 'kiosk' leaves nobody to mail");
    const unknown = await runHerald(['-Command', `Send-Notification -IdentityStore ${store} -Identity nobody -Subject x -Body y`], { stateDir: suite.stateDir });
    expect(unknown.stderr).toContain("'nobody' is neither a mail address nor an object");
  });

  it('says with -WhatIf who a directory change would notify, changing nothing', async () => {
    const store = await storeWith({ notifyAddedMembers: true, notifyGroupOwners: true });
    const run = await runHerald(['-Command', `Add-GroupMember -IdentityStore ${store} -GroupIdentity Sales -Identity jdoe -WhatIf`], { stateDir: suite.stateDir });
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain('What if: Performing the operation "Add-GroupMember"');
    expect(run.stdout).toContain(`would notify: ${address(store, 'alice')} (GroupOwners); ${address(store, 'bob')} (GroupOwners); ${address(store, 'jdoe')} (AddedMembers)`);
    expect(await suite.client.call('notificationQueue.get', { identityStore: store, status: 'All' })).toEqual([]);
    const members = await suite.client.call('groupMember.get', { identityStore: store, identity: 'Sales' });
    expect(members.map((m) => m.name)).not.toContain('jdoe');
  });

  it('says with -WhatIf who a creation would notify, before the object exists', async () => {
    const store = await storeWith({ to: ['ops@corp.example'], notifyModifiedObject: true, notifyManagers: true });
    const run = await runHerald(['-Command', `New-User -IdentityStore ${store} -Name newbie -Mail newbie@corp.example -Manager alice -WhatIf`], { stateDir: suite.stateDir });
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain(`would notify: ops@corp.example (To); newbie@corp.example (ModifiedObject); ${address(store, 'alice')} (Managers)`);
    expect(await suite.client.call('user.get', { identityStore: store, identity: 'new*' })).toEqual([]);
  });

  it('mails the actor once when they are also an owner', async () => {
    const store = await storeWith({ notifyLoggedInUser: true, notifyGroupOwners: true });
    await suite.client.call('user.set', { identityStore: store, identity: 'alice', password: 'Alice-Pa55word' });
    // A connection of its own: signing in must not change who the other tests act as.
    const alice = await suite.daemon.client();
    try {
      await alice.call('session.connect', { identityStore: store, credential: { userName: 'alice', password: 'Alice-Pa55word' } });
      await alice.call('group.set', { identityStore: store, identity: 'Sales', displayName: 'By alice' });
    } finally {
      await alice.close();
    }
    const [recipients] = await recipientsOf(store, 'ObjectModified', 1);
    expect(recipients).toEqual(['alice', 'bob']);
    const resolution = await suite.client.call('notification.resolve', { identityStore: store, kind: 'ObjectModified', identity: 'Sales', actor: 'alice' });
    expect(resolution.recipients.find((r) => r.name === 'alice')?.reasons).toEqual(['LoggedInUser', 'GroupOwners']);
  });

  it('records every change with the mails it caused', async () => {
    const store = await storeWith({ notifyGroupOwners: true });
    await suite.client.call('group.set', { identityStore: store, identity: 'Sales', displayName: 'Audited' });
    await recipientsOf(store, 'ObjectModified', 1);
    const queued = await suite.client.call('notificationHistory.get', { identityStore: store });
    expect(queued.filter((m) => m.kind === 'ObjectModified')).toHaveLength(1);
    expect(queued[0].subject).toMatch(/\S/);
  });
});
