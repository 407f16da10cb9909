import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCompleter } from '../shell/completion.js';
import { nonInteractivePrompter } from '../shell/prompter.js';
import { Shell } from '../shell/shell.js';
import { startTestDaemon, tempDir, type TestDaemon } from './helpers/daemon.js';

// Tab completion against a real daemon: what a person gets after pressing Tab on each line.
let daemon: TestDaemon;
let shell: Shell;
let complete: (line: string) => Promise<[string[], string]>;
const temp = tempDir();

beforeAll(async () => {
  daemon = await startTestDaemon({ stateDir: temp.dir });
  const client = await daemon.client();
  await client.call('identityStore.create', { name: 'Corp', type: 'Builtin' });
  await client.call('identityStore.create', { name: 'Cloud', type: 'EntraId' });
  await client.call('identityStorePortal.add', { identityStore: 'Corp', name: 'Reset', url: 'https://reset.corp.example/' });
  await client.close();
  shell = new Shell({ target: { stateDir: temp.dir, autoStart: false }, prompter: nonInteractivePrompter(), outputFormat: 'Default', inform: () => undefined, warn: () => undefined });
  complete = createCompleter(shell.session);
});

afterAll(async () => {
  await shell.close();
  expect(await daemon.stop()).toBe(0);
  temp.cleanup();
});

describe('Tab completion', () => {
  it('completes command names and aliases at the start of each pipeline element', async () => {
    expect(await complete('Get-IdentityStoreP')).toEqual([['Get-IdentityStorePortal'], 'Get-IdentityStoreP']);
    expect((await complete('Get-IdentityStore | Format-'))[0]).toEqual(['Format-List', 'Format-Table']);
  });

  it('completes parameter names, aliases excluded', async () => {
    expect(await complete('Set-SmtpServer Corp -Sk')).toEqual([['-SkipCertificateCheck'], '-Sk']);
    expect((await complete('New-IdentityStore -'))[0]).toEqual([
      '-AttributeMap', '-BaseDn', '-CaCertificate', '-Confirm', '-Description', '-Encryption', '-Name', '-Port', '-Server', '-ServiceAccount', '-Type', '-WhatIf',
    ]);
  });

  it('completes enum values, also inside a comma list', async () => {
    expect(await complete('New-IdentityStore Lab -Type ')).toEqual([['ActiveDirectory', 'Builtin', 'EntraId', 'Ldap'], '']);
    expect(await complete('Set-NotificationRecipients Corp -AlsoNotify GroupOwners,Man')).toEqual([['GroupOwners,Managers'], 'GroupOwners,Man']);
  });

  it('completes identity-store names and linked portal URLs from the daemon', async () => {
    expect(await complete('Get-SmtpServer C')).toEqual([['Cloud', 'Corp'], 'C']);
    expect(await complete('Set-SmtpServer -IdentityStore co')).toEqual([['Corp'], 'co']);
    expect(await complete('Set-PasswordExpiryNotification Corp -PortalUrl ')).toEqual([['https://reset.corp.example/'], '']);
    expect(await complete('Set-PasswordExpiryNotification Cloud -PortalUrl ')).toEqual([[], '']);
  });
});
