import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestDaemon, tempDir, type TestDaemon } from './helpers/daemon.js';
import { heraldJson, runHerald } from './helpers/shell.js';

// The reference Management Shell's documented examples, as administrators saved them in
// script files: they must run unchanged through `herald -File`.
let daemon: TestDaemon;
const temp = tempDir();

beforeAll(async () => {
  daemon = await startTestDaemon({ stateDir: temp.dir });
  const setup = await runHerald(['-Command', 'New-IdentityStore Corp ActiveDirectory | Out-Null'], { stateDir: temp.dir });
  expect(setup.code).toBe(0);
});

afterAll(async () => {
  expect(await daemon.stop()).toBe(0);
  temp.cleanup();
});

async function runScript(name: string, lines: string[]) {
  const file = join(temp.dir, name);
  writeFileSync(file, lines.join('\r\n') + '\r\n'); // saved on Windows, as most of them were
  return runHerald(['-File', file], { stateDir: temp.dir });
}

const settings = async () => (await heraldJson('Get-NotificationSettings -IdentityStore Corp', temp.dir)).objects[0] as Record<string, Record<string, unknown>>;

describe('reference Management Shell scripts', () => {
  it('Set-SmtpServer with -ToEmail', async () => {
    const run = await runScript('smtp.ps1', [
      'Set-SmtpServer -IdentityStoreName "Corp" -SmtpServer "smtp.corp.example" -FromEmail "directory@corp.example" -ToEmail "helpdesk@corp.example" -Port 25',
    ]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const { Smtp, Recipients } = await settings();
    expect(Smtp).toMatchObject({ Server: 'smtp.corp.example', Port: 25, From: 'directory@corp.example', Authentication: 'Default', SslEnabled: false });
    expect(Recipients.To).toEqual(['helpdesk@corp.example']);
  });

  it('Set-SmtpServer with -UseSmptUserAuthentication -SslEnabled -Credential $creds', async () => {
    const run = await runScript('smtp-auth.ps1', [
      '$password = ConvertTo-SecureString "Relay-Pa55!" -AsPlainText -Force',
      '$creds = New-Object System.Management.Automation.PSCredential ("relay@corp.example", $password)',
      'Set-SmtpServer -IdentityStoreName "Corp" -SmtpServer "mail.corp.example" -FromEmail "directory@corp.example" -ToEmail "helpdesk@corp.example" -Port 587 -UseSmptUserAuthentication -SslEnabled -Credential $creds',
    ]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const { Smtp } = await settings();
    expect(Smtp).toMatchObject({ Server: 'mail.corp.example', Port: 587, TlsMode: 'StartTls', SslEnabled: true, Authentication: 'Basic', UserName: 'relay@corp.example', PasswordSet: true });
    expect(JSON.stringify(await settings())).not.toContain('Relay-Pa55!');
  });

  it('Set-Notifications with recipients and owners', async () => {
    const run = await runScript('recipients.ps1', [
      "Set-Notifications -IdentityStoreName Corp -PrimaryRecepients 'admin@corp.example','ops@corp.example' -CarbonCopy 'audit@corp.example' -NotifyOwners $true -NotifyPublicGroupOwner $true",
    ]);
    expect(run.stderr).toBe('');
    const { Recipients } = await settings();
    expect(Recipients).toMatchObject({
      To: ['admin@corp.example', 'ops@corp.example'], Cc: ['audit@corp.example'],
      NotifyGroupOwners: true, NotifyManagers: true, NotifyPublicGroupOwners: true, NotifyModifiedObject: false,
    });
  });

  it('Set-Notifications with membership life-cycle parameters', async () => {
    const run = await runScript('lifecycle.ps1', ['Set-Notifications –IdentityStoreName Corp –NotifyUserGroupJoinML $true –XDaysBeforeLeaveNotificationML 7']);
    expect(run.stderr).toBe('');
    const { MembershipLifecycle, Recipients } = await settings();
    expect(MembershipLifecycle).toMatchObject({ OnJoin: true, OnLeave: false, DaysBeforeLeave: 7 });
    expect(Recipients.To).toEqual(['admin@corp.example', 'ops@corp.example']);
  });

  it('Clear-Notifications -ClearSet Recipients, without being asked', async () => {
    const run = await runScript('clear-recipients.ps1', ['Clear-Notifications -IdentityStoreName Corp -ClearSet Recipients']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const { Recipients, MembershipLifecycle, Smtp } = await settings();
    expect(Recipients).toMatchObject({ To: [], Cc: [], NotifyGroupOwners: false, NotifyPublicGroupOwners: false });
    expect(MembershipLifecycle.DaysBeforeLeave).toBe(7);
    expect(Smtp.Server).toBe('mail.corp.example');
  });

  it('Clear-SmtpServer, which clears every section', async () => {
    const run = await runScript('clear-smtp.ps1', ['Clear-SmtpServer -IdentityStoreName Corp']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const { Smtp, MembershipLifecycle } = await settings();
    expect(Smtp).toMatchObject({ Configured: false, Server: null, PasswordSet: false, Authentication: 'Default' });
    expect(MembershipLifecycle).toMatchObject({ OnJoin: false, DaysBeforeLeave: null });
  });
});
