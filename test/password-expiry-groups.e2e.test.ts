import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HeraldClient } from '../client/index.js';
import { mailsOf, withClockedDaemon } from './helpers/lifecycle.js';
import { startMailServer, type MailServer } from './helpers/mail-server.js';
import { heraldJson, runHerald } from './helpers/shell.js';
import { failure } from './helpers/suite.js';

// Password-expiry groups on the injected clock: membership from password age and range, the
// warnings with each member's own date and the store's portal URL, a password change leaving the
// group, never-expiring users, the daily schedule, and the EntraId refusal.
let server: MailServer;
beforeAll(async () => {
  server = await startMailServer();
});
afterAll(() => server.close());

const START = '2026-12-01T09:00:00Z';
const PORTAL = 'https://portal.pwd.example/change';

/** old, never (never expires), off (disabled) and nopass set now; fresh sets its password 30 days later. */
async function passwordStore(client: HeraldClient, store: string): Promise<void> {
  await client.call('identityStore.create', { name: store, type: 'Builtin' });
  await client.call('smtpServer.set', { identityStore: store, server: '127.0.0.1', port: server.port, tlsMode: 'None', from: 'herald@corp.example' });
  const user = (name: string, extra: Record<string, unknown>) => client.call('user.create', { identityStore: store, name, mail: `${name}@${store.toLowerCase()}.example`, ...extra });
  await user('old', { password: 'Old-pass-1234' });
  await user('never', { password: 'Never-pass-1234', passwordNeverExpires: true });
  await user('off', { password: 'Off-pass-1234', enabled: false });
  await user('nopass', {});
  await user('fresh', {});
  await client.call('testClock.set', { advance: '30d' });
  await client.call('user.set', { identityStore: store, identity: 'fresh', password: 'Fresh-pass-1234' });
  await client.call('testClock.set', { advance: '5d' });
}

const memberNames = async (client: HeraldClient, store: string, group: string) =>
  (await client.call('groupMember.get', { identityStore: store, identity: group })).map((m) => m.name).sort();

describe('password-expiry groups', () => {
  it('holds the users whose password expires within the range; the switches add disabled and never-expiring users', async () => {
    await withClockedDaemon(START, async (_daemon, client, stateDir) => {
      await passwordStore(client, 'Pwd');
      // 35 days on: old's password (42 days) expires in 7, fresh's in 37.
      const created = await heraldJson('New-SmartGroup -IdentityStore Pwd -Name Expiring -IsPasswordExpiryGroup -ExpirationRange 10', stateDir);
      expect(created.stderr).toBe('');
      expect(created.objects[0]).toMatchObject({ Name: 'Expiring', DomainExpiration: 42, ExpirationRange: 10, SendEmail: false, MemberCount: 1 });
      expect(await memberNames(client, 'Pwd', 'Expiring')).toEqual(['old']);
      await client.call('smartGroup.create', { identityStore: 'Pwd', name: 'All', isPasswordExpiryGroup: true, includeDisabledUsers: true, includePasswordNeverExpireUsers: true });
      expect(await memberNames(client, 'Pwd', 'All')).toEqual(['fresh', 'never', 'off', 'old']);
      await client.call('smartGroup.create', { identityStore: 'Pwd', name: 'Short', isPasswordExpiryGroup: true, domainExpiration: 30, expirationRange: 30 });
      // With 30-day passwords old's has expired; fresh's expires in 25 days.
      expect(await memberNames(client, 'Pwd', 'Short')).toEqual(['fresh']);
      const wider = await client.call('smartGroup.set', { identityStore: 'Pwd', identity: 'Expiring', expirationRange: 40 });
      expect(wider).toMatchObject({ expirationRange: 40, memberCount: 2 });
      expect(await mailsOf(client, 'Pwd')).toEqual([]);
    });
  });

  it('warns each member once per update with their own date and the portal URL; a password change leaves the group; the daily schedule updates', async () => {
    await withClockedDaemon(START, async (_daemon, client) => {
      await passwordStore(client, 'Warn');
      await client.call('smartGroup.create', { identityStore: 'Warn', name: 'Expiring', isPasswordExpiryGroup: true, expirationRange: 10, includePasswordNeverExpireUsers: true });
      const noPortal = await failure(client.call('smartGroup.set', { identityStore: 'Warn', identity: 'Expiring', sendEmail: true }));
      expect(noPortal).toMatchObject({ errorName: 'ValidationFailed', data: { field: 'sendEmail' } });
      expect(noPortal.message).toContain('no password-expiry portal URL');
      await client.call('identityStorePortal.add', { identityStore: 'Warn', name: 'Self', url: PORTAL });
      await client.call('passwordExpiryNotification.set', { identityStore: 'Warn', portalUrl: PORTAL });
      await client.call('smartGroup.set', { identityStore: 'Warn', identity: 'Expiring', sendEmail: true });
      // never is a member but its password never expires: no warning.
      expect(await memberNames(client, 'Warn', 'Expiring')).toEqual(['never', 'old']);
      expect(await mailsOf(client, 'Warn')).toEqual(['PasswordExpiryWarning old@warn.example']);
      // The only mail this file's server receives before this point.
      await server.waitFor(1);
      const warning = server.received.find((m) => m.to.includes('old@warn.example'))!;
      expect(warning.subject).toBe('Your password expires on 2027-01-12 09:00 UTC');
      expect(warning.raw).toContain(PORTAL);

      // A day later the schedule updates the group and warns again; then old changes its password and leaves.
      await client.call('testClock.set', { advance: '1d' });
      expect(await mailsOf(client, 'Warn')).toEqual(['PasswordExpiryWarning old@warn.example', 'PasswordExpiryWarning old@warn.example']);
      const [daily] = await client.call('schedule.get', { name: 'PasswordExpiryGroups' });
      expect(daily).toMatchObject({ lastRunAt: '2027-01-06T09:00:00.000Z', lastResult: '1 group update applied, 1 mail queued' });
      await client.call('user.set', { identityStore: 'Warn', identity: 'old', password: 'Old-pass-5678' });
      const report = await client.call('group.update', { identityStore: 'Warn', identity: 'Expiring' });
      expect(report).toMatchObject({ name: 'Expiring', added: [], removed: ['old'], memberCount: 1, warnings: 0 });
      expect(await memberNames(client, 'Warn', 'Expiring')).toEqual(['never']);
    });
  });

  it('refuses EntraId stores, warnings without SMTP, updates of ordinary groups, and temporary members', async () => {
    await withClockedDaemon(START, async (_daemon, client, stateDir) => {
      await client.call('identityStore.create', { name: 'Cloud', type: 'EntraId' });
      const entra = await failure(client.call('smartGroup.create', { identityStore: 'Cloud', name: 'Expiring', isPasswordExpiryGroup: true }));
      expect(entra).toMatchObject({ errorName: 'ValidationFailed', data: { field: 'identityStore' } });
      expect(entra.message).toContain('Microsoft Entra ID');
      expect(await client.call('group.get', { identityStore: 'Cloud' })).toEqual([]);
      await client.call('identityStore.create', { name: 'NoMail', type: 'Builtin' });
      const noSmtp = await failure(client.call('smartGroup.create', { identityStore: 'NoMail', name: 'Expiring', isPasswordExpiryGroup: true, sendEmail: true }));
      expect(noSmtp.message).toContain('no SMTP server');
      await client.call('smartGroup.create', { identityStore: 'NoMail', name: 'Expiring', isPasswordExpiryGroup: true });
      await client.call('user.create', { identityStore: 'NoMail', name: 'jdoe' });
      await client.call('group.create', { identityStore: 'NoMail', name: 'Plain' });
      const plain = await failure(client.call('group.update', { identityStore: 'NoMail', identity: 'Plain' }));
      expect(plain.message).toContain('is not a smart group');
      const temporary = await runHerald(['-Command', 'Add-GroupMember -IdentityStore NoMail Expiring jdoe -EndDate 2026-12-31'], { stateDir });
      expect(temporary.code).toBe(1);
      expect(temporary.stderr).toContain("group 'Expiring' is a smart group");
      const missing = await runHerald(['-Command', 'New-SmartGroup -IdentityStore NoMail -Name Other'], { stateDir });
      expect(missing.code).toBe(1);
      expect(missing.stderr).toContain('-IsPasswordExpiryGroup');
    });
  });
});
