import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BASE_DN, groupDn, groupEntry, SERVICE_DN, SERVICE_PASSWORD, startSlapd, userDn, userEntry, type Slapd } from './helpers/slapd.js';
import { useDaemon } from './helpers/suite.js';

// The daemon's own sync, on a short interval: a change made with ldapmodify shows up in the
// change history by itself, once, however many syncs run after it.

const suite = useDaemon({ extraArgs: ['--directory-sync', '0.2'] });
let slapd: Slapd;

beforeAll(async () => {
  slapd = await startSlapd({ ldif: [userEntry('alice'), userEntry('bob'), groupEntry('Sales', [userDn('alice')])].join('\n') });
});
afterAll(() => slapd?.destroy());

describe('the periodic sync', () => {
  it('notices an outside change by itself and records it once', async () => {
    await suite.client.call('identityStore.create', {
      name: 'Lab', type: 'Ldap', server: 'localhost', port: slapd.port, encryption: 'StartTls', caCertificate: slapd.certificates.caPem, baseDn: BASE_DN,
      serviceAccount: { userName: SERVICE_DN, password: SERVICE_PASSWORD },
    });
    await slapd.modify(`dn: ${groupDn('Sales')}\nchangetype: modify\nadd: member\nmember: ${userDn('bob')}\n`);
    const added = async () => (await suite.client.call('changeHistory.get', { identityStore: 'Lab', identity: 'Sales' })).filter((entry) => entry.kind === 'MemberAdded');
    for (let i = 0; i < 200 && (await added()).length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 50));
    const first = await suite.client.call('identityStore.get', { name: 'Lab' });
    // Let several more syncs run: the change is not recorded again.
    for (let i = 0; i < 100; i++) {
      const now = await suite.client.call('identityStore.get', { name: 'Lab' });
      if (now[0].connection!.lastSyncAt! > first[0].connection!.lastSyncAt! && i > 10) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect((await added()).map((entry) => [entry.related, entry.source])).toEqual([['bob', 'sync']]);
  });
});
