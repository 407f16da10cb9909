import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BASE_DN, groupEntry, SERVICE_DN, SERVICE_PASSWORD, startSlapd, userDn, userEntry, type Slapd } from './helpers/slapd.js';
import { useDaemon } from './helpers/suite.js';

// A 10,000-member group on a real OpenLDAP server whose size limit is 500 entries per search:
// herald must read it page by page, and resolve a change's recipients from all of it.

const MEMBERS = 10_000;
const suite = useDaemon({ extraArgs: ['--directory-sync', '0'] });
let slapd: Slapd;

beforeAll(async () => {
  const users = Array.from({ length: MEMBERS }, (_, i) => userEntry(`u${String(i).padStart(5, '0')}`));
  slapd = await startSlapd({ ldif: [...users, userEntry('owner'), groupEntry('Everyone', users.map((_, i) => userDn(`u${String(i).padStart(5, '0')}`)), { owners: [userDn('owner')] })].join('\n') });
}, 120_000);
afterAll(() => slapd?.destroy());

describe('a 10,000-member group', () => {
  it('is read whole, past the server\'s size limit, by paged searches', async () => {
    await suite.client.call('identityStore.create', {
      name: 'Big', type: 'Ldap', server: 'localhost', port: slapd.port, encryption: 'StartTls', caCertificate: slapd.certificates.caPem, baseDn: BASE_DN,
      serviceAccount: { userName: SERVICE_DN, password: SERVICE_PASSWORD },
    });
    const members = await suite.client.call('groupMember.get', { identityStore: 'Big', identity: 'Everyone' });
    expect(members).toHaveLength(MEMBERS);
  }, 120_000);

  it('resolves every member as a recipient of a change to the group', async () => {
    await suite.client.call('notificationSettings.set', { identityStore: 'Big', notifyModifiedObject: true });
    const resolved = await suite.client.call('notification.resolve', { identityStore: 'Big', kind: 'ObjectModified', identity: 'Everyone' });
    const addresses = new Set(resolved.recipients.map((recipient: { address: string }) => recipient.address));
    expect(addresses.size).toBe(MEMBERS);
    expect(addresses.has('u09999@corp.example')).toBe(true);
  }, 60_000);

  it('a member added with ldapmodify to the large group is found by the sync once', async () => {
    await slapd.modify(`dn: cn=Everyone,ou=Groups,${BASE_DN}\nchangetype: modify\nadd: member\nmember: ${userDn('owner')}\n`);
    expect(await suite.client.call('identityStore.sync', { identity: 'Big' })).toMatchObject({ changes: 1 });
    expect(await suite.client.call('identityStore.sync', { identity: 'Big' })).toMatchObject({ changes: 0 });
  }, 60_000);
});
