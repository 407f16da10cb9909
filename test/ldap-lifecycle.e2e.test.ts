import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { linkEventsOf, mailsOf, startClockedDaemon } from './helpers/lifecycle.js';
import { startMailServer, type MailServer } from './helpers/mail-server.js';
import { runHeraldOk } from './helpers/shell.js';
import { BASE_DN, groupEntry, SERVICE_DN, SERVICE_PASSWORD, startSlapd, userDn, userEntry, type Slapd } from './helpers/slapd.js';
import { tempDir, type TestDaemon } from './helpers/daemon.js';

// Temporary membership on a directory server: a change in effect reaches the server when it is
// made or when its date comes (the scheduler's step goes through the same write-through as a
// call), a pending one stays herald's until then, and each notice goes out once, the sync of
// herald's own changes adding none.

let slapd: Slapd;
let mail: MailServer;
let daemon: TestDaemon;
const state = tempDir();

beforeAll(async () => {
  slapd = await startSlapd({ ldif: [userEntry('alice'), userEntry('bob'), userEntry('carol'), groupEntry('Sales', [userDn('bob')])].join('\n') });
  mail = await startMailServer();
  daemon = await startClockedDaemon(state.dir, '2026-12-01T09:00:00Z', { extraArgs: ['--directory-sync', '0'] });
});
afterAll(async () => {
  await daemon?.stop();
  await slapd?.destroy();
  await mail?.close();
  state.cleanup();
});

const membersOnServer = async () =>
  (await slapd.search('(cn=Sales)', ['member'], `ou=Groups,${BASE_DN}`)).split('\n').filter((line) => line.startsWith('member: ')).map((line) => line.slice(8).split(',')[0]).sort();

describe('temporary membership on an Ldap store', () => {
  it('adds on the day, removes on the end date, on the server, each notice once', async () => {
    const client = await daemon.client();
    await client.call('identityStore.create', {
      name: 'Lab', type: 'Ldap', server: 'localhost', port: slapd.port, encryption: 'StartTls', caCertificate: slapd.certificates.caPem,
      baseDn: BASE_DN, serviceAccount: { userName: SERVICE_DN, password: SERVICE_PASSWORD },
    });
    await client.call('smtpServer.set', { identityStore: 'Lab', server: '127.0.0.1', port: mail.port, tlsMode: 'None', from: 'herald@corp.example' });
    await client.call('membershipLifecycleNotification.set', { identityStore: 'Lab', onJoin: true, onLeave: true, daysBeforeLeave: 2 });

    await runHeraldOk("Add-GroupMember -IdentityStore Lab -GroupIdentity Sales -Identity alice -Type 'Temporary Member' -EndDate 2026-12-10", state.dir);
    await runHeraldOk("Add-GroupMember -IdentityStore Lab -GroupIdentity Sales -Identity carol -Type 'Addition Pending' -StartDate 2026-12-05", state.dir);
    // alice's membership is in effect: on the server now; carol's waits in herald for its date.
    expect(await membersOnServer()).toEqual(['uid=alice', 'uid=bob']);

    await client.call('testClock.set', { now: '2026-12-06T00:00:00Z' });
    expect(await membersOnServer()).toEqual(['uid=alice', 'uid=bob', 'uid=carol']);

    await client.call('testClock.set', { now: '2026-12-11T00:00:00Z' });
    expect(await membersOnServer()).toEqual(['uid=bob', 'uid=carol']);

    // Reading the server back finds herald's own changes: nothing new to tell anyone.
    await client.call('identityStore.sync', { identity: 'Lab', full: true });
    expect(await mailsOf(client, 'Lab')).toEqual([
      'MembershipJoined alice@corp.example', 'MembershipJoined carol@corp.example', 'MembershipLeaveReminder alice@corp.example', 'MembershipLeft alice@corp.example',
    ]);
    expect(await linkEventsOf(client, 'Lab')).toEqual(['MemberAdded Sales alice rpc', 'MemberAdded Sales carol schedule', 'MemberRemoved Sales alice schedule']);
    await client.close();
  });
});
