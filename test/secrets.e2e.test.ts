import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HeraldClient } from '../client/index.js';
import { startTestDaemon, tempDir, type TestDaemon } from './helpers/daemon.js';
import { runHerald, type ShellRun } from './helpers/shell.js';

// Known secret values go in through every door; afterwards no file, reply or output may
// hold them in plain text (nor base64 of them).
const SECRETS = ['Smtp-Pa55-Plain-7731', 'Client-Secret-Plain-9924', 'Oauth-User-Pa55-4410', 'Import-Pa55-2202'];
const encodings = (secret: string) => [secret, Buffer.from(secret).toString('base64'), Buffer.from(secret).toString('base64url')];

let daemon: TestDaemon;
let client: HeraldClient;
const temp = tempDir();
const seen: string[] = [];
const record = (run: ShellRun) => {
  seen.push(run.stdout, run.stderr);
  return run;
};
const herald = async (command: string) => record(await runHerald(['-Command', command], { stateDir: temp.dir }));
const heraldJson = async (command: string) => record(await runHerald(['-OutputFormat', 'Json', '-Command', command], { stateDir: temp.dir }));

beforeAll(async () => {
  daemon = await startTestDaemon({ stateDir: temp.dir });
  client = await daemon.client();
  await client.call('identityStore.create', { name: 'Vault', type: 'Builtin' });
  await client.call('identityStore.create', { name: 'Copy', type: 'Builtin' });
});

afterAll(async () => {
  await client.close();
  expect(await daemon.stop()).toBe(0);
  temp.cleanup();
});

describe('secrets', () => {
  it('never come back, wherever they went in', async () => {
    const cred = `(New-Object PSCredential "relay", (ConvertTo-SecureString "${SECRETS[0]}" -AsPlainText -Force))`;
    expect((await herald(`Set-SmtpServer Vault -Server smtp.corp.example -UseSmtpUserAuthentication -Credential ${cred} -PassThru`)).code).toBe(0);
    await herald(`Set-SmtpServer Vault -Password (ConvertTo-SecureString "${SECRETS[0]}" -AsPlainText -Force) -WhatIf`);
    await heraldJson('Get-SmtpServer Vault; Get-NotificationSettings Vault; Get-SettingsHistory');
    // A refused change carrying a secret: the error must not echo it.
    const refused = await herald(`Set-SmtpServer Vault -Server smtp.office365.com -Credential ${cred}`);
    expect(refused.code).toBe(1);

    seen.push(JSON.stringify(await client.call('smtpServer.set', {
      identityStore: 'Vault', authentication: 'OAuth2', tokenEndpoint: 'https://login.corp.example/token', clientId: 'herald',
      clientSecret: SECRETS[1], scope: 'https://outlook.office365.com/.default', credential: { userName: 'svc', password: SECRETS[2] },
    })));
    seen.push(JSON.stringify(await client.call('notificationSettings.get', { identityStore: 'Vault' })));
    seen.push(JSON.stringify(await client.call('settingsHistory.get', {})));
    const exported = await client.call('notificationSettings.export', { identityStore: 'Vault' });
    seen.push(JSON.stringify(exported));
    expect(exported.secretsSet).toEqual({ password: true, clientSecret: true });
    seen.push(JSON.stringify(await client.call('notificationSettings.import', { identityStore: 'Copy', settings: exported, password: SECRETS[3], clientSecret: SECRETS[1] })));
    await herald(`Export-NotificationSettings Vault -Path ${join(temp.dir, 'vault.json')}`);
    try {
      await client.call('smtpServer.set', { identityStore: 'Vault', password: 'x'.repeat(5000) });
    } catch (error) {
      seen.push(JSON.stringify(error), (error as Error).message);
    }

    const views = await client.call('smtpServer.get', { identityStore: 'Vault' });
    expect(views).toMatchObject({ passwordSet: true, clientSecretSet: true, userName: 'svc' });

    const files = readdirSync(temp.dir).filter((name) => !name.endsWith('.sock')).map((name) => join(temp.dir, name));
    expect(files.some((file) => file.endsWith('vault.json'))).toBe(true);
    expect(files.some((file) => file.endsWith('herald.db'))).toBe(true);
    expect(files.some((file) => file.endsWith('herald.log'))).toBe(true);
    const haystacks = [...seen, ...files.map((file) => readFileSync(file).toString('latin1')), daemon.stderr()];
    for (const secret of SECRETS) {
      for (const encoded of encodings(secret)) {
        for (const text of haystacks) expect(text.includes(encoded), `found ${secret} as ${encoded}`).toBe(false);
      }
    }
  });

  it('are sealed under the key file, which is private to the daemon\'s user', () => {
    const key = join(temp.dir, 'secret.key');
    expect(readFileSync(key, 'utf8').trim()).toMatch(/^[A-Za-z0-9+/_-]{43}=?$/);
    expect(statSync(key).mode & 0o777).toBe(0o600);
  });
});
