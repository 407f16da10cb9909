import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from './helpers/daemon.js';
import { startMailServer, type MailServer } from './helpers/mail-server.js';
import { heraldJson, runHerald } from './helpers/shell.js';
import { failure, useDaemon } from './helpers/suite.js';

// Import-DirectoryObject and Get-ChangeHistory end to end: the sample directory through the
// shell from the repository root (as the README's quick start runs it), CSV, the all-or-nothing
// rule with the line of the fault, and the history that changes leave.

const suite = useDaemon();
const SAMPLE = join(ROOT, 'examples', 'sample-directory.ldif');
let mailServer: MailServer;

const shell = (command: string) => runHerald(['-Command', command], { stateDir: suite.stateDir });
async function json(command: string): Promise<Record<string, unknown>[]> {
  const result = await heraldJson(command, suite.stateDir);
  expect(result.stderr, command).toBe('');
  expect(result.code, command).toBe(0);
  return result.objects as Record<string, unknown>[];
}

/** How many objects of each kind a store holds: equal before and after a failed import means nothing was imported. */
async function census(identityStore: string) {
  const objects = await suite.client.call('directoryObject.search', { identityStore });
  return { objects: objects.length, events: (await suite.client.call('changeHistory.get', { identityStore, first: 10_000 })).length };
}

beforeAll(async () => {
  mailServer = await startMailServer();
  for (const name of ['Corp', 'Csv', 'Bad', 'Encoded', 'History']) await suite.client.call('identityStore.create', { name, type: 'Builtin' });
});

afterAll(async () => {
  await mailServer?.close();
});

describe('the sample directory', () => {
  it('imports through the shell, with the report counting what the file holds', async () => {
    const text = readFileSync(SAMPLE, 'utf8');
    const classes = (name: string) => text.split(/\n\n+/).filter((record) => new RegExp(`^objectClass: ${name}$`, 'm').test(record)).length;
    const contacts = classes('contact');
    const links = text.match(/^(manager|managedBy|owner|member):/gm)!.length;
    // The path is relative to the working directory, the repository root here as in the quick start.
    expect(process.cwd()).toBe(resolve(ROOT));
    const run = await runHerald(['-OutputFormat', 'Json', '-Command', 'Import-DirectoryObject -IdentityStore Corp -Path examples/sample-directory.ldif'], { stateDir: suite.stateDir });
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toEqual([{
      IdentityStore: 'Corp', Format: 'Ldif', Users: classes('user'), Groups: classes('group'), Contacts: contacts, Links: links, Skipped: 0,
    }]);
    expect(classes('user')).toBeGreaterThanOrEqual(30);
    expect(contacts).toBeGreaterThan(0);
  });

  it('keeps the attributes: DN, base64 display name, mail or none, disabled, managers and owners', async () => {
    const [hanna] = await suite.client.call('user.get', { identityStore: 'Corp', identity: 'hmuller' });
    expect(hanna).toMatchObject({ dn: 'CN=hmuller,OU=People,DC=corp,DC=example', displayName: 'Hanna Müller', mail: 'hmuller@corp.example', manager: 'smorgan', enabled: true });
    const [kiosk] = await suite.client.call('user.get', { identityStore: 'Corp', identity: 'kiosk1' });
    expect(kiosk.mail).toBeNull();
    const [gone] = await suite.client.call('user.get', { identityStore: 'Corp', identity: 'jgold' });
    expect(gone.enabled).toBe(false);
    const [sales] = await suite.client.call('group.get', { identityStore: 'Corp', identity: 'Sales' });
    expect(sales).toMatchObject({ managedBy: 'smorgan', additionalOwners: ['hmuller'], memberCount: 5 });
  });

  it('expands nested groups through a cycle once round, through the shell', async () => {
    const members = await json('Get-GroupMember Engineering -IdentityStore Corp -Recursive');
    const names = members.map((member) => member.Name as string);
    expect(new Set(names).size).toBe(names.length);
    expect(names.sort()).toEqual(['nsato', 'oali', 'pwright', 'qzhang', 'rpatel', 'rsilva', 'tcooper', 'uevans', 'vlarsen', 'xmartin']);
    const sales = await json('Get-GroupMember -Identity Sales -IdentityStore Corp -Recursive');
    expect(sales).toHaveLength(13);
  });

  it('recorded the import in the change history without sending a mail', async () => {
    const history = await suite.client.call('changeHistory.get', { identityStore: 'Corp', identity: 'Sales' });
    expect(history.length).toBeGreaterThan(0);
    expect(history.every((entry) => entry.source === 'import' && entry.mails === 0)).toBe(true);
    expect(history.map((entry) => entry.kind)).toContain('ObjectCreated');
  });

  it('fails on a second import naming the line, and skips existing objects with -SkipExisting', async () => {
    const error = await failure(suite.client.call('directoryObject.import', { identityStore: 'Corp', content: readFileSync(SAMPLE, 'utf8') }));
    expect(error.errorName).toBe('Conflict');
    expect(error.message).toMatch(/^line 12: identity store 'Corp' already has a user named 'epark'/);
    const again = await suite.client.call('directoryObject.import', { identityStore: 'Corp', content: readFileSync(SAMPLE, 'utf8'), skipExisting: true });
    expect(again).toMatchObject({ users: 0, groups: 0, contacts: 0, links: 0, skipped: 47 });
  });
});

describe('CSV', () => {
  it('imports users, groups and contacts with quoted fields, managers, owners and members by name', async () => {
    const csv = [
      'ObjectType,Name,DisplayName,Mail,Manager,ManagedBy,Members',
      'Group,Ops,"Operations, night shift",ops@csv.example,,ann,"bob; Partners"',
      'User,ann,"Ann ""The Boss"" Lee",ann@csv.example,,,',
      'User,bob,Bob,bob@csv.example,ann,,',
      'Contact,vendor,Vendor,vendor@vendor.example,,,',
      'Group,Partners,,,,,vendor',
      '',
    ].join('\r\n');
    const path = join(suite.stateDir, 'people.csv');
    writeFileSync(path, csv);
    const [report] = await json(`Import-DirectoryObject -IdentityStore Csv -Path '${path}'`);
    expect(report).toEqual({ IdentityStore: 'Csv', Format: 'Csv', Users: 2, Groups: 2, Contacts: 1, Links: 5, Skipped: 0 });
    const [ops] = await suite.client.call('group.get', { identityStore: 'Csv', identity: 'Ops' });
    expect(ops).toMatchObject({ displayName: 'Operations, night shift', managedBy: 'ann', memberCount: 2 });
    const [ann] = await suite.client.call('user.get', { identityStore: 'Csv', identity: 'ann' });
    expect(ann.displayName).toBe('Ann "The Boss" Lee');
    const [bob] = await suite.client.call('user.get', { identityStore: 'Csv', identity: 'bob' });
    expect(bob.manager).toBe('ann');
  });
});

describe('a bad file', () => {
  const ldif = (badMember: string) => [
    'version: 1',                                   // 1
    '',                                             // 2
    'dn: CN=one,OU=People,DC=bad,DC=example',       // 3
    'objectClass: user',                            // 4
    'mail: one@bad.example',                        // 5
    '',                                             // 6
    'dn: CN=Team,OU=Groups,DC=bad,DC=example',      // 7
    'objectClass: groupOfNames',                    // 8
    'member: CN=one,OU=People,DC=bad,DC=example',   // 9
    `member: ${badMember}`,                         // 10
    '',
  ].join('\n');

  it('imports nothing and names the line of an unknown member', async () => {
    const before = await census('Bad');
    const error = await failure(suite.client.call('directoryObject.import', { identityStore: 'Bad', content: ldif('CN=Nobody,OU=People,DC=bad,DC=example') }));
    expect(error.errorName).toBe('NotFound');
    expect(error.message).toBe("line 10: member 'CN=Nobody,OU=People,DC=bad,DC=example' not found in the file or in identity store 'Bad'");
    expect(await census('Bad')).toEqual(before);
  });

  it('says so through the shell, and a CSV fault names its line too', async () => {
    const path = join(suite.stateDir, 'bad.csv');
    writeFileSync(path, 'ObjectType,Name,Mail\nUser,one,one@bad.example\nUser,two,not-a-mail\n');
    const run = await shell(`Import-DirectoryObject -IdentityStore Bad -Path '${path}'`);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain('line 3: mail');
    expect((await census('Bad')).objects).toBe(0);
  });

  it('refuses a file that is neither, and an unknown CSV column', async () => {
    const error = await failure(suite.client.call('directoryObject.import', { identityStore: 'Bad', content: 'Kind,Name\nUser,x\n' }));
    expect(error.message).toMatch(/^line 1: unknown column 'Kind'/);
  });
});

describe('LDIF encodings', () => {
  it('reads base64 values, folded lines and comments', async () => {
    const content = [
      '# a comment that is',
      '  folded over two lines',
      'dn: CN=zoe,OU=People,DC=enc,DC=example',
      'objectClass: inetOrgPerson',
      `displayName:: ${Buffer.from('Zoë Ångström').toString('base64')}`,
      'mail: zoe@enc.exa',
      ' mple',
      '',
      'dn:: ' + Buffer.from('CN=Équipe,OU=Groups,DC=enc,DC=example').toString('base64'),
      'objectClass: group',
      'member: CN=zoe,OU=Peop',
      ' le,DC=enc,DC=example',
      '',
    ].join('\n');
    const report = await suite.client.call('directoryObject.import', { identityStore: 'Encoded', content });
    expect(report).toMatchObject({ format: 'Ldif', users: 1, groups: 1, links: 1 });
    const [zoe] = await suite.client.call('user.get', { identityStore: 'Encoded', identity: 'zoe@enc.example' });
    expect(zoe).toMatchObject({ displayName: 'Zoë Ångström', dn: 'CN=zoe,OU=People,DC=enc,DC=example' });
    const members = await suite.client.call('groupMember.get', { identityStore: 'Encoded', identity: 'Équipe' });
    expect(members.map((member) => member.name)).toEqual(['zoe']);
  });
});

describe('change history', () => {
  it('lists changes newest first with actor, kind, related, details and the mails each caused', async () => {
    const store = 'History';
    await suite.client.call('smtpServer.set', { identityStore: store, server: '127.0.0.1', port: mailServer.port, tlsMode: 'None', from: 'herald@corp.example' });
    await suite.client.call('user.create', { identityStore: store, name: 'alice', mail: 'alice@history.example' });
    await suite.client.call('group.create', { identityStore: store, name: 'Ops', managedBy: 'alice' });
    await suite.client.call('notificationRecipients.set', { identityStore: store, to: 'admins@history.example' });
    await suite.client.call('groupMember.add', { identityStore: store, groupIdentity: 'Ops', identity: ['alice'] });
    await suite.client.call('group.set', { identityStore: store, identity: 'Ops', displayName: 'Operations' });

    const history = await suite.client.call('changeHistory.get', { identityStore: store });
    expect(history.map((entry) => entry.kind)).toEqual(['ObjectModified', 'MemberAdded', 'ObjectCreated', 'ObjectCreated']);
    const [modified, added] = history;
    expect(modified).toMatchObject({
      identityStore: store, actor: expect.any(String), source: 'rpc', object: 'Ops', objectKind: 'Group', related: null,
      details: [{ attribute: 'displayName', oldValue: null, newValue: 'Operations' }], mails: 1,
    });
    expect(modified.actor).not.toBe('');
    expect(added).toMatchObject({ kind: 'MemberAdded', object: 'Ops', related: 'alice', details: null, mails: 1 });
    // Before To was set, nobody was told.
    expect(history[2]).toMatchObject({ object: 'Ops', mails: 0 });
    expect(history[0].id).toBeGreaterThan(history[1].id);

    // -Identity: the object's own changes and those that added it somewhere.
    const alice = await suite.client.call('changeHistory.get', { identityStore: store, identity: 'alice' });
    expect(alice.map((entry) => `${entry.kind} ${entry.object}`)).toEqual(['MemberAdded Ops', 'ObjectCreated alice']);
  });

  it('filters by -Since and -First through the shell', async () => {
    const all = await suite.client.call('changeHistory.get', { identityStore: 'History' });
    const cut = all[1].at;
    const later = await json(`Get-ChangeHistory -IdentityStore History -Since '${cut}'`);
    expect(later.map((entry) => entry.Id)).toEqual(all.filter((entry) => entry.at >= cut).map((entry) => entry.id));
    expect(await json("Get-ChangeHistory -IdentityStore History -Since '2999-01-01'")).toEqual([]);
    const [latest] = await json('Get-ChangeHistory -IdentityStore History -First 1');
    expect(latest).toMatchObject({ Kind: 'ObjectModified', Object: 'Ops', Mails: 1 });
    const bad = await shell("Get-ChangeHistory -IdentityStore History -Since 'last tuesday'");
    expect(bad.stderr).toContain('since must be a date');
  });
});
