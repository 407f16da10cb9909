import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ParamsOf } from '../client/index.js';
import { startMailServer, type MailServer } from './helpers/mail-server.js';
import { runHeraldOk } from './helpers/shell.js';
import { BASE_DN, groupDn, SERVICE_DN, SERVICE_PASSWORD, startSlapd, USER_PASSWORD, userDn, userEntry, type Slapd } from './helpers/slapd.js';
import { useDaemon } from './helpers/suite.js';

// Every Also-notify rule on directory data read from a real OpenLDAP server, as the builtin
// rules test does it on herald's own directory: each test has a server and a store of its own
// with only its rule on, makes its change through the shell, and reads the mails that arrive.

const suite = useDaemon({ extraArgs: ['--directory-sync', '0'] });
let mail: MailServer;
let slapd: Slapd | undefined;
let stores = 0;

beforeAll(async () => {
  mail = await startMailServer();
});
afterAll(() => mail.close());
afterEach(async () => {
  await slapd?.destroy();
  slapd = undefined;
});

/**
 * alice manages jdoe and is Sales' primary owner (in seeAlso, mapped as ManagedBy); bob and carol
 * are additional owners (owner), carol opted out; bob is jdoe's additional manager; kiosk has no
 * mail; ghost is disabled; Team is in Sales and holds Sales back (a cycle). What OpenLDAP has no
 * attribute for (public, opt-out, additional manager, disabled) is set in herald.
 */
const DATA = [
  ...['alice', 'bob', 'carol', 'dave', 'ghost', 'frank'].map((name) => userEntry(name)),
  userEntry('jdoe', { manager: 'alice' }),
  userEntry('kiosk', { mail: null }),
  `dn: ${groupDn('Sales')}\nobjectClass: groupOfNames\nobjectClass: extensibleObject\ncn: Sales\nmember: ${groupDn('Team')}\nowner: ${userDn('bob')}\nowner: ${userDn('carol')}\nseeAlso: ${userDn('alice')}\n`,
  `dn: ${groupDn('Team')}\nobjectClass: groupOfNames\ncn: Team\nmember: ${userDn('dave')}\nmember: ${userDn('kiosk')}\nmember: ${userDn('ghost')}\nmember: ${groupDn('Sales')}\n`,
].join('\n');

type Settings = Omit<ParamsOf<'notificationSettings.set'>, 'identityStore'>;

async function storeWith(settings: Settings, smtp: Partial<ParamsOf<'smtpServer.set'>> = {}): Promise<string> {
  slapd = await startSlapd({ ldif: DATA });
  const store = `LdapRules${++stores}`;
  const { client } = suite;
  await client.call('identityStore.create', {
    name: store, type: 'Ldap', server: 'localhost', port: slapd.port, encryption: 'StartTls', caCertificate: slapd.certificates.caPem, baseDn: BASE_DN,
    serviceAccount: { userName: SERVICE_DN, password: SERVICE_PASSWORD }, attributeMap: { managedBy: 'seeAlso' },
  });
  await client.call('smtpServer.set', { identityStore: store, server: '127.0.0.1', port: mail.port, tlsMode: 'None', from: 'herald@corp.example', ...smtp });
  await client.call('group.set', { identityStore: store, identity: 'Sales', securityType: 'Public', notifyOptOutAdditionalOwners: ['carol'] });
  await client.call('user.set', { identityStore: store, identity: 'jdoe', additionalManagers: ['bob'] });
  await client.call('user.set', { identityStore: store, identity: 'ghost', enabled: false });
  await client.call('notificationSettings.set', { identityStore: store, ...settings });
  return store;
}

const shell = (command: string) => runHeraldOk(command, suite.stateDir);

/** The recipients (names) of each mail of a kind sent since `from`, once `expected` have arrived. */
async function recipientsSince(from: number, kind: string, expected: number): Promise<string[][]> {
  for (let i = 0; i < 200; i++) {
    const mails = mail.received.slice(from).filter((m) => m.raw.includes(`X-Herald-Kind: ${kind}`));
    if (mails.length >= expected) return mails.map((m) => m.to.map((to) => to.replace('@corp.example', '')).sort());
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`expected ${expected} ${kind} mails`);
}

describe('Also-notify rules on LDAP data', () => {
  it('the object being modified: all the group\'s members, nested, each once, mail-less and disabled skipped', async () => {
    const store = await storeWith({ notifyModifiedObject: true });
    const from = mail.received.length;
    await shell(`Set-Group -IdentityStore ${store} -Identity Sales -DisplayName 'Sales team'`);
    expect(await recipientsSince(from, 'ObjectModified', 1)).toEqual([['dave']]);
    expect(await slapd!.search('(cn=Sales)', ['displayName'])).toContain('displayName: Sales team');
  });

  it('group owners, primary and additional, without those who opted out', async () => {
    const store = await storeWith({ notifyGroupOwners: true });
    const from = mail.received.length;
    await shell(`Set-Group -IdentityStore ${store} Sales -DisplayName Renamed`);
    expect(await recipientsSince(from, 'ObjectModified', 1)).toEqual([['alice', 'bob']]);
  });

  it('managers of the user changed, primary (from the directory) and additional (herald\'s)', async () => {
    const store = await storeWith({ notifyManagers: true });
    const from = mail.received.length;
    await shell(`Set-User -IdentityStore ${store} -Identity jdoe -DisplayName 'John Doe'`);
    expect(await recipientsSince(from, 'ObjectModified', 1)).toEqual([['alice', 'bob']]);
  });

  it('newly added members', async () => {
    const store = await storeWith({ notifyAddedMembers: true });
    const from = mail.received.length;
    await shell(`Add-GroupMember -IdentityStore ${store} -GroupIdentity Team -Identity jdoe`);
    expect(await recipientsSince(from, 'MemberAdded', 1)).toEqual([['jdoe']]);
  });

  it('owners of a public group on membership changes', async () => {
    const store = await storeWith({ notifyPublicGroupOwners: true });
    const from = mail.received.length;
    await shell(`Add-GroupMember -IdentityStore ${store} -GroupIdentity Sales -Identity jdoe`);
    expect(await recipientsSince(from, 'MemberAdded', 1)).toEqual([['alice', 'bob']]);
  });

  it('removed members on removal', async () => {
    const store = await storeWith({ notifyRemovedMembers: true });
    const from = mail.received.length;
    await shell(`Remove-GroupMember -IdentityStore ${store} -GroupIdentity Team -Identity dave -Confirm:$false`);
    expect(await recipientsSince(from, 'MemberRemoved', 1)).toEqual([['dave']]);
  });

  it('the signed-in user for their own actions, and Default SMTP authentication with the credentials they signed in with', async () => {
    const store = await storeWith({ notifyLoggedInUser: true }, { authentication: 'Default' });
    const from = mail.received.length;
    const logins = mail.logins.length;
    const client = await suite.daemon.client();
    try {
      await client.call('session.connect', { identityStore: store, credential: { userName: 'frank', password: USER_PASSWORD } });
      await client.call('groupMember.add', { identityStore: store, groupIdentity: 'Team', identity: ['jdoe'] });
      expect(await recipientsSince(from, 'MemberAdded', 1)).toEqual([['frank']]);
      expect(mail.logins.slice(logins)).toEqual([{ username: 'frank@corp.example', password: USER_PASSWORD }]);
    } finally {
      await client.close();
    }
  });

  it('a change made with ldapmodify is notified by the same rules, once', async () => {
    const store = await storeWith({ notifyAddedMembers: true, notifyPublicGroupOwners: true });
    const from = mail.received.length;
    await slapd!.modify(`dn: ${groupDn('Sales')}\nchangetype: modify\nadd: member\nmember: ${userDn('frank')}\n`);
    await suite.client.call('identityStore.sync', { identity: store });
    await suite.client.call('identityStore.sync', { identity: store });
    expect(await recipientsSince(from, 'MemberAdded', 1)).toEqual([['alice', 'bob', 'frank']]);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(mail.received.slice(from)).toHaveLength(1);
  });

  it('a change found by the sync is mailed with the service account under Default SMTP authentication', async () => {
    const store = await storeWith({ notifyAddedMembers: true }, { authentication: 'Default' });
    const from = mail.received.length;
    const logins = mail.logins.length;
    await slapd!.modify(`dn: ${groupDn('Team')}\nchangetype: modify\nadd: member\nmember: ${userDn('frank')}\n`);
    await suite.client.call('identityStore.sync', { identity: store });
    expect(await recipientsSince(from, 'MemberAdded', 1)).toEqual([['frank']]);
    expect(mail.logins.slice(logins)).toEqual([{ username: SERVICE_DN, password: SERVICE_PASSWORD }]);
  });
});
