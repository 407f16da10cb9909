import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMailServer, type MailServer } from './helpers/mail-server.js';
import { runHerald } from './helpers/shell.js';
import { failure, useDaemon } from './helpers/suite.js';

// Signing in to an identity store: who changes are attributed to, and the logged-in-user rule.
const suite = useDaemon();
let server: MailServer;

beforeAll(async () => {
  server = await startMailServer();
  const { client } = suite;
  await client.call('identityStore.create', { name: 'Corp', type: 'Builtin' });
  await client.call('smtpServer.set', { identityStore: 'Corp', server: '127.0.0.1', port: server.port, tlsMode: 'None', from: 'herald@corp.example' });
  await client.call('user.create', { name: 'jdoe', mail: 'jdoe@corp.example', password: 'Right-Pa55word' });
  await client.call('user.create', { name: 'nomail', password: 'Right-Pa55word' });
  await client.call('notificationSettings.set', { identityStore: 'Corp', notifyLoggedInUser: true });
});
afterAll(() => server.close());

const lastEvent = () => {
  const db = new Database(join(suite.stateDir, 'herald.db'), { readonly: true, fileMustExist: true });
  try {
    return db.prepare('SELECT actor, kind, object_name AS object FROM change_event ORDER BY id DESC LIMIT 1').get() as { actor: string; kind: string; object: string };
  } finally {
    db.close();
  }
};

describe('Connect-IdentityStore', () => {
  it('refuses a wrong password clearly, and ever more slowly', async () => {
    const started = Date.now();
    for (let i = 0; i < 3; i++) {
      const error = await failure(suite.client.call('session.connect', { identityStore: 'Corp', credential: { userName: 'jdoe', password: 'wrong' } }));
      expect(error).toMatchObject({ errorName: 'Unauthenticated', message: "wrong user name or password for identity store 'Corp'" });
    }
    // 100 + 200 + 400 ms at least: a timer never fires early, so this bound cannot flake.
    expect(Date.now() - started).toBeGreaterThanOrEqual(700);
    expect(await suite.client.call('session.get')).toBeNull();
  });

  it('attributes changes to the signed-in user and notifies them of their own changes', async () => {
    const session = await suite.client.call('session.connect', { identityStore: 'Corp', credential: { userName: 'JDOE@corp.example', password: 'Right-Pa55word' } });
    expect(session).toMatchObject({ identityStore: 'Corp', userName: 'jdoe', mail: 'jdoe@corp.example' });
    expect(await suite.client.call('session.get')).toEqual(session);
    await suite.client.call('group.create', { name: 'Made-By-Jdoe' });
    expect(lastEvent()).toEqual({ actor: 'jdoe (Corp)', kind: 'ObjectCreated', object: 'Made-By-Jdoe' });
    const [mail] = await server.waitFor(1);
    expect(mail.to).toEqual(['jdoe@corp.example']);
    expect(mail.raw).toContain('X-Herald-Kind: ObjectCreated');
    // Default SMTP authentication: the mail jdoe caused went out under jdoe's own sign-in.
    expect(server.logins).toEqual([{ username: 'jdoe@corp.example', password: 'Right-Pa55word' }]);

    await suite.client.call('session.disconnect');
    await suite.client.call('group.create', { name: 'Made-By-Token' });
    expect(lastEvent()).toMatchObject({ actor: 'local administrator', object: 'Made-By-Token' });
  });

  it('signs a script in with the reference shell\'s parameters', async () => {
    const script = [
      '$cred = New-Object System.Management.Automation.PSCredential "nomail", (ConvertTo-SecureString "Right-Pa55word" -AsPlainText -Force)',
      'Connect-IdentityStore -IdentityStoreId 1 -Credential $cred | Out-Null',
      'New-Contact -Name Supplier -Mail supplier@partner.example | Out-Null',
      '(Get-ConnectedUser).UserName',
    ].join('\n');
    const run = await runHerald(['-OutputFormat', 'Json'], { stateDir: suite.stateDir, stdin: script });
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toEqual(['nomail']);
    expect(lastEvent()).toEqual({ actor: 'nomail (Corp)', kind: 'ObjectCreated', object: 'Supplier' });
  });
});
