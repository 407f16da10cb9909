import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMailServer, type MailServer } from './helpers/mail-server.js';
import { runHeraldOk } from './helpers/shell.js';
import {
  BASE_DN, groupDn, groupEntry, SERVICE_DN, SERVICE_PASSWORD, startSlapd, USER_PASSWORD, userDn, userEntry, type Slapd,
} from './helpers/slapd.js';
import { failure, useDaemon } from './helpers/suite.js';

// An Ldap identity store against a real OpenLDAP server: connection, reads, writes, sign-in and
// the sync of changes made with ldapmodify, through the shell and raw calls as users make them.
// The daemon's own sync timer is off: each test syncs when it means to.

const suite = useDaemon({ extraArgs: ['--directory-sync', '0'] });
let slapd: Slapd;
let mail: MailServer;

const DATA = [
  userEntry('alice'),
  userEntry('bob', { manager: 'alice' }),
  userEntry('carol'),
  userEntry('dave'),
  userEntry('erin', { mail: null }),
  userEntry('frank'),
  groupEntry('Sales', [userDn('bob'), userDn('carol')], { owners: [userDn('alice')], mail: 'sales@corp.example' }),
  // Team and Loop hold each other: a cycle, as real directories grow them.
  groupEntry('Team', [userDn('dave'), groupDn('Loop')]),
  groupEntry('Loop', [userDn('erin'), groupDn('Team')]),
].join('\n');

beforeAll(async () => {
  slapd = await startSlapd({ ldif: DATA });
  mail = await startMailServer();
});
afterAll(async () => {
  await slapd?.destroy();
  await mail?.close();
});

const service = { userName: SERVICE_DN, password: SERVICE_PASSWORD };
const lab = () => ({ server: 'localhost', port: slapd.port, encryption: 'StartTls' as const, caCertificate: slapd.certificates.caPem, baseDn: BASE_DN, serviceAccount: service });

const shell = (command: string) => runHeraldOk(command, suite.stateDir);

const membersInDirectory = async (group: string) =>
  (await slapd.search(`(cn=${group})`, ['member'], `ou=Groups,${BASE_DN}`)).split('\n').filter((line) => line.startsWith('member: ')).map((line) => line.slice(8)).sort();

describe('connecting', () => {
  it('refuses a wrong service-account password with the step and a remedy, and creates nothing', async () => {
    const error = await failure(suite.client.call('identityStore.create', { name: 'Lab', type: 'Ldap', ...lab(), serviceAccount: { userName: SERVICE_DN, password: 'wrong' } }));
    expect(error.errorName).toBe('DirectoryUnavailable');
    expect(error.data?.field).toBe('serviceAccount');
    expect(error.message).toContain('invalid credentials');
    expect(error.data?.remedy).toContain('-ServiceAccount');
    expect(await suite.client.call('identityStore.get')).toEqual([]);
  });

  it('refuses connection fields on a builtin store, naming the field', async () => {
    const error = await failure(suite.client.call('identityStore.create', { name: 'Corp', type: 'Builtin', server: 'localhost' }));
    expect(error.errorName).toBe('InvalidParams');
    expect(error.data?.field).toBe('server');
  });

  it('creates an Ldap store over StartTLS, reads the directory at once, and never returns the password', async () => {
    const store = await suite.client.call('identityStore.create', { name: 'Lab', type: 'Ldap', ...lab() });
    expect(store.connection).toMatchObject({
      server: 'localhost', port: slapd.port, encryption: 'StartTls', baseDn: BASE_DN, serviceAccount: SERVICE_DN, servicePasswordSet: true,
      attributeMap: { guid: 'entryUUID', member: 'member', additionalOwners: 'owner', manager: 'manager' },
    });
    expect(store.connection?.lastSyncAt).not.toBeNull();
    const everything = JSON.stringify(await suite.client.call('identityStore.get'));
    expect(everything).not.toContain(SERVICE_PASSWORD);
    expect(readFileSync(join(suite.stateDir, 'herald.log'), 'utf8')).not.toContain(SERVICE_PASSWORD);
  });

  it('Test-IdentityStoreConnection reports connect, TLS, bind and a sample search', async () => {
    const report = await suite.client.call('identityStore.testConnection', { identity: 'Lab' });
    expect(report.success).toBe(true);
    expect(report.steps.map((step) => [step.step, step.ok])).toEqual([['connect', true], ['tls', true], ['bind', true], ['search', true]]);
    expect(report.sample).toEqual({ users: 6, groups: 3 });
  });

  it('speaks LDAPS too, and says what to do about an untrusted certificate', async () => {
    // Lab already holds this directory's objects: a second store on it keeps none of them (one copy per object).
    const secure = await suite.client.call('identityStore.create', { name: 'Secure', type: 'Ldap', ...lab(), encryption: 'Ldaps', port: slapd.ldapsPort });
    expect(secure.connection?.lastSyncAt).not.toBeNull();
    expect(await suite.client.call('identityStore.sync', { identity: 'Secure', full: true })).toMatchObject({ objectsAdded: 0, objectsSkipped: 9 });
    expect((await suite.client.call('identityStore.testConnection', { identity: 'Secure' })).success).toBe(true);
    const error = await failure(suite.client.call('identityStore.set', { identity: 'Secure', caCertificate: null }));
    expect(error.errorName).toBe('DirectoryUnavailable');
    expect(error.data?.field).toBe('caCertificate');
    expect(error.data?.remedy).toContain('-CaCertificate');
    // Refused, so not saved: the store still trusts the CA.
    expect((await suite.client.call('identityStore.get', { name: 'Secure' }))[0].connection?.caCertificate?.trim()).toBe(slapd.certificates.caPem.trim());
    await suite.client.call('identityStore.remove', { identity: 'Secure' });
  });

  it('without encryption, says that passwords travel in clear', async () => {
    await suite.client.call('identityStore.create', { name: 'Open', type: 'Ldap', ...lab(), encryption: 'None', caCertificate: undefined });
    const report = await suite.client.call('identityStore.testConnection', { identity: 'Open' });
    expect(report).toMatchObject({ success: true, port: slapd.port });
    expect(report.steps[1]).toMatchObject({ step: 'tls', ok: true, detail: expect.stringContaining('in clear') });
    await suite.client.call('identityStore.remove', { identity: 'Open' });
  });
});

describe('reading the directory', () => {
  it('users, groups, managers and owners come from the server', async () => {
    const [bob] = await suite.client.call('user.get', { identityStore: 'Lab', identity: 'bob' });
    expect(bob).toMatchObject({ name: 'bob', mail: 'bob@corp.example', manager: 'alice', dn: userDn('bob') });
    const [sales] = await suite.client.call('group.get', { identityStore: 'Lab', identity: 'Sales' });
    expect(sales).toMatchObject({ mail: 'sales@corp.example', additionalOwners: ['alice'] });
    const members = await suite.client.call('groupMember.get', { identityStore: 'Lab', identity: 'Sales' });
    expect(members.map((member) => member.name).sort()).toEqual(['bob', 'carol']);
  });

  it('follows nested groups round a cycle once', async () => {
    const members = await suite.client.call('groupMember.get', { identityStore: 'Lab', identity: 'Team', recursive: true });
    expect(members.map((member) => member.name).sort()).toEqual(['dave', 'erin']);
  });
});

describe('changing the directory', () => {
  it('Add-GroupMember writes the member to the server, records the change once, and a sync adds nothing', async () => {
    await shell('Add-GroupMember -IdentityStore Lab -GroupIdentity Sales -Identity frank');
    expect(await membersInDirectory('Sales')).toEqual([userDn('bob'), userDn('carol'), userDn('frank')].sort());
    const sync = await suite.client.call('identityStore.sync', { identity: 'Lab' });
    expect(sync).toMatchObject({ mode: 'Incremental', changes: 0 });
    const history = await suite.client.call('changeHistory.get', { identityStore: 'Lab', identity: 'Sales' });
    expect(history.map((entry) => [entry.kind, entry.related, entry.source])).toEqual([['MemberAdded', 'frank', 'rpc']]);
  });

  it('Remove-GroupMember, Set-User -Manager and Set-Group -AdditionalOwners go to the server', async () => {
    await shell('Remove-GroupMember -IdentityStore Lab -GroupIdentity Sales -Identity frank -Confirm:$false');
    await shell('Set-User -IdentityStore Lab bob -Manager carol');
    await shell('Set-Group -IdentityStore Lab Sales -AdditionalOwners alice, dave');
    expect(await membersInDirectory('Sales')).toEqual([userDn('bob'), userDn('carol')].sort());
    expect(await slapd.search('(uid=bob)', ['manager'])).toContain(`manager: ${userDn('carol')}`);
    const owners = await slapd.search('(cn=Sales)', ['owner']);
    expect(owners).toContain(`owner: ${userDn('alice')}`);
    expect(owners).toContain(`owner: ${userDn('dave')}`);
  });

  it('an attribute map override sends the primary owner to the attribute named', async () => {
    await shell("Set-IdentityStore Lab -AttributeMap @{ManagedBy='seeAlso'}");
    await shell('Set-Group -IdentityStore Lab Sales -ManagedBy carol');
    expect(await slapd.search('(cn=Sales)', ['seeAlso'])).toContain(`seeAlso: ${userDn('carol')}`);
    const [sales] = await suite.client.call('group.get', { identityStore: 'Lab', identity: 'Sales' });
    expect(sales.managedBy).toBe('carol');
  });

  it('herald-only data stays in herald: the security type', async () => {
    await shell('Set-Group -IdentityStore Lab Sales -SecurityType Public');
    await suite.client.call('identityStore.sync', { identity: 'Lab', full: true });
    expect((await suite.client.call('group.get', { identityStore: 'Lab', identity: 'Sales' }))[0].securityType).toBe('Public');
  });

  it('a server stopped before a change: a clear error, nothing changed in herald, and the change can be repeated', async () => {
    await slapd.stop();
    try {
      const error = await failure(suite.client.call('groupMember.add', { identityStore: 'Lab', groupIdentity: 'Sales', identity: ['frank'] }));
      expect(error.errorName).toBe('DirectoryUnavailable');
      expect(error.data?.remedy).toContain('repeat the change');
      const members = await suite.client.call('groupMember.get', { identityStore: 'Lab', identity: 'Sales' });
      expect(members.map((member) => member.name).sort()).toEqual(['bob', 'carol']);
      expect((await suite.client.call('changeHistory.get', { identityStore: 'Lab', identity: 'Sales', first: 1 }))[0].kind).not.toBe('MemberAdded');
    } finally {
      await slapd.start();
    }
    await suite.client.call('groupMember.add', { identityStore: 'Lab', groupIdentity: 'Sales', identity: ['frank'] });
    expect(await membersInDirectory('Sales')).toContain(userDn('frank'));
  });
});

describe('signing in', () => {
  it('Connect-IdentityStore binds as the user: the right password signs in, a wrong one is refused', async () => {
    const signedIn = await suite.client.call('session.connect', { identityStore: 'Lab', credential: { userName: 'carol', password: USER_PASSWORD } });
    expect(signedIn).toMatchObject({ identityStore: 'Lab', userName: 'carol', mail: 'carol@corp.example' });
    await suite.client.call('session.disconnect');
    const error = await failure(suite.client.call('session.connect', { identityStore: 'Lab', credential: { userName: 'carol', password: 'not-it' } }));
    expect(error.errorName).toBe('Unauthenticated');
  });
});

describe('changes made outside herald', () => {
  it('a member added with ldapmodify is found by the sync and notified once, to the owners of the public group', async () => {
    await suite.client.call('smtpServer.set', { identityStore: 'Lab', server: '127.0.0.1', port: mail.port, tlsMode: 'None', from: 'herald@corp.example' });
    await suite.client.call('notificationSettings.set', { identityStore: 'Lab', notifyPublicGroupOwners: true });
    await slapd.modify(`dn: ${groupDn('Sales')}\nchangetype: modify\nadd: member\nmember: ${userDn('dave')}\n`);
    expect(await suite.client.call('identityStore.sync', { identity: 'Lab' })).toMatchObject({ changes: 1 });
    expect(await suite.client.call('identityStore.sync', { identity: 'Lab' })).toMatchObject({ changes: 0 });
    const [latest] = await suite.client.call('changeHistory.get', { identityStore: 'Lab', identity: 'Sales', first: 1 });
    expect(latest).toMatchObject({ kind: 'MemberAdded', related: 'dave', source: 'sync', actor: 'directory sync' });
    const mails = await mail.waitFor(1);
    expect(mails).toHaveLength(1);
    expect(mails[0].to.sort()).toEqual(['alice@corp.example', 'carol@corp.example', 'dave@corp.example']);
  });

  it('a manager changed with ldapmodify is found too', async () => {
    await slapd.modify(`dn: ${userDn('frank')}\nchangetype: modify\nreplace: manager\nmanager: ${userDn('alice')}\n`);
    expect(await suite.client.call('identityStore.sync', { identity: 'Lab' })).toMatchObject({ changes: 1 });
    expect((await suite.client.call('user.get', { identityStore: 'Lab', identity: 'frank' }))[0].manager).toBe('alice');
  });

  it('an object deleted in the directory leaves herald at a full sync, with a change event', async () => {
    await slapd.modify(`dn: ${userDn('erin')}\nchangetype: delete\n`);
    expect(await suite.client.call('identityStore.sync', { identity: 'Lab', full: true })).toMatchObject({ mode: 'Full', objectsRemoved: 1 });
    expect(await suite.client.call('user.get', { identityStore: 'Lab', identity: 'erin*' })).toEqual([]);
    const [latest] = await suite.client.call('changeHistory.get', { identityStore: 'Lab', identity: 'erin', first: 1 });
    expect(latest).toMatchObject({ kind: 'ObjectDeleted', source: 'sync' });
  });
});
