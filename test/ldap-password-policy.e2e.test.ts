import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DAY_MS } from '../protocol/index.js';
import { startMailServer, type MailServer } from './helpers/mail-server.js';
import { heraldJson } from './helpers/shell.js';
import {
  BASE_DN, groupEntry, POLICY_DN, policyEntry, SERVICE_DN, SERVICE_PASSWORD, startSlapd, userDn, userEntry, type Slapd,
} from './helpers/slapd.js';
import { useDaemon } from './helpers/suite.js';

// Password-expiry groups in an Ldap store follow the directory's password policy: the ppolicy
// default policy's pwdMaxAge (30 days here) against each user's pwdChangedTime, on a real slapd.

const suite = useDaemon({ extraArgs: ['--directory-sync', '0'] });
let slapd: Slapd;
let mail: MailServer;
const PORTAL = 'https://portal.corp.example/password';

/** Generalized time, as the directory keeps pwdChangedTime. */
const generalized = (date: Date) => date.toISOString().replace(/[-:T]/g, '').replace(/\.\d+Z$/, 'Z');
const changed = (daysAgo: number) => new Date(Math.floor((Date.now() - daysAgo * DAY_MS) / 1000) * 1000);
// With 30-day passwords soon's expires in 5 days, later's in 25; with 42-day ones in 17 and 37.
const soonChanged = changed(25);
const laterChanged = changed(5);
const withChange = (entry: string, at: Date) => entry.replace(/\n$/, `\npwdChangedTime: ${generalized(at)}\n`);

beforeAll(async () => {
  slapd = await startSlapd({
    ldif: [
      policyEntry(30 * 86_400),
      withChange(userEntry('soon'), soonChanged),
      withChange(userEntry('later'), laterChanged),
      // groupOfNames needs a member: each starts with the one its query keeps.
      groupEntry('Expiring', [userDn('soon')]),
      groupEntry('Explicit', [userDn('later')]),
    ].join('\n'),
  });
  mail = await startMailServer();
});
afterAll(async () => {
  await slapd?.destroy();
  await mail?.close();
});

const membersInDirectory = async (group: string) =>
  (await slapd.search(`(cn=${group})`, ['member'], `ou=Groups,${BASE_DN}`)).split('\n').filter((line) => line.startsWith('member: ')).map((line) => line.slice(8)).sort();

describe('password lifetime from the ppolicy default policy', () => {
  it('a group created without -DomainExpiration uses pwdMaxAge in days and warns the user whose password expires within the range', async () => {
    const { client } = suite;
    await client.call('identityStore.create', {
      name: 'Lab', type: 'Ldap', server: 'localhost', port: slapd.port, encryption: 'StartTls', caCertificate: slapd.certificates.caPem, baseDn: BASE_DN,
      serviceAccount: { userName: SERVICE_DN, password: SERVICE_PASSWORD },
    });
    await client.call('smtpServer.set', { identityStore: 'Lab', server: '127.0.0.1', port: mail.port, tlsMode: 'None', from: 'herald@corp.example' });
    await client.call('identityStorePortal.add', { identityStore: 'Lab', name: 'Self', url: PORTAL });
    await client.call('passwordExpiryNotification.set', { identityStore: 'Lab', portalUrl: PORTAL });

    const group = await client.call('smartGroup.create', { identityStore: 'Lab', name: 'Expiring', isPasswordExpiryGroup: true, expirationRange: 10, sendEmail: true });
    expect(group).toMatchObject({ domainExpiration: 30, domainExpirationSource: 'PasswordPolicy', memberCount: 1 });
    expect(await membersInDirectory('Expiring')).toEqual([userDn('soon')]);
    await mail.waitFor(1);
    const [warning] = mail.received;
    expect(warning.to).toContain('soon@corp.example');
    const expires = new Date(soonChanged.getTime() + 30 * DAY_MS).toISOString();
    expect(warning.subject).toBe(`Your password expires on ${expires.slice(0, 10)} ${expires.slice(11, 16)} UTC`);

    // The shell shows where the figure comes from.
    const shown = await heraldJson('Get-SmartGroup -IdentityStore Lab Expiring', suite.stateDir);
    expect(shown.objects[0]).toMatchObject({ DomainExpiration: 30, DomainExpirationSource: 'PasswordPolicy' });
  });

  it('an explicit -DomainExpiration wins over the policy', async () => {
    const group = await suite.client.call('smartGroup.create', { identityStore: 'Lab', name: 'Explicit', isPasswordExpiryGroup: true, domainExpiration: 20, expirationRange: 30 });
    // With 20-day passwords soon's has expired; later's expires in 15 days.
    expect(group).toMatchObject({ domainExpiration: 20, domainExpirationSource: 'Parameter', memberCount: 1 });
    expect(await membersInDirectory('Explicit')).toEqual([userDn('later')]);
  });

  it('pwdMaxAge 0 (passwords never expire by policy): after the next sync the group falls back to 42 days and says so', async () => {
    await slapd.modify(`dn: ${POLICY_DN}\nchangetype: modify\nreplace: pwdMaxAge\npwdMaxAge: 0\n`);
    await suite.client.call('identityStore.sync', { identity: 'Lab' });
    const [group] = await suite.client.call('smartGroup.get', { identityStore: 'Lab', identity: 'Expiring' });
    expect(group).toMatchObject({ domainExpiration: 42, domainExpirationSource: 'Default' });
  });
});
