import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BASE_DN, groupEntry, SERVICE_DN, SERVICE_PASSWORD, startSlapd, userDn, userEntry, type Slapd } from './helpers/slapd.js';
import { failure, useDaemon } from './helpers/suite.js';

// What herald does when the directory server fails: killed in the middle of a change, refusing
// part of one, or no longer accepting the service account's password.

const BATCH = 1000;
const suite = useDaemon({ extraArgs: ['--directory-sync', '0'] });
let slapd: Slapd;
const names = Array.from({ length: BATCH }, (_, i) => `m${String(i).padStart(4, '0')}`);

beforeAll(async () => {
  slapd = await startSlapd({
    ldif: [...names.map((name) => userEntry(name)), userEntry('keeper'), userEntry('other'), groupEntry('Crowd', [userDn('keeper')]), groupEntry('Pair', [userDn('keeper'), userDn('other')])].join('\n'),
  });
  await suite.client.call('identityStore.create', {
    name: 'Lab', type: 'Ldap', server: 'localhost', port: slapd.port, encryption: 'StartTls', caCertificate: slapd.certificates.caPem, baseDn: BASE_DN,
    serviceAccount: { userName: SERVICE_DN, password: SERVICE_PASSWORD },
  });
}, 60_000);
afterAll(() => slapd?.destroy());

const membersInDirectory = async (group: string) => (await slapd.search(`(cn=${group})`, ['member'])).split('\n').filter((line) => line.startsWith('member: ')).length;
const membersInHerald = async (group: string) => (await suite.client.call('groupMember.get', { identityStore: 'Lab', identity: group })).length;
const memberEvents = async (group: string) =>
  (await suite.client.call('changeHistory.get', { identityStore: 'Lab', identity: group, first: 10_000 })).filter((entry) => entry.kind === 'MemberAdded');

describe('a server killed in the middle of a change', () => {
  it('fails the change clearly, leaves herald unchanged, and the change can be repeated: each member notified once', async () => {
    const change = suite.client.call('groupMember.add', { identityStore: 'Lab', groupIdentity: 'Crowd', identity: names });
    // Killed once the server has some of the members and not yet all.
    let seen = 1;
    while (seen <= 1) seen = await membersInDirectory('Crowd');
    await slapd.kill();
    const error = await failure(change);
    expect(error.errorName).toBe('DirectoryUnavailable');
    expect(error.data?.remedy).toContain('repeat the change');
    expect(await membersInHerald('Crowd')).toBe(1);
    expect(await memberEvents('Crowd')).toHaveLength(0);

    await slapd.start();
    const partial = await membersInDirectory('Crowd') - 1;
    expect(partial).toBeGreaterThan(0);
    expect(partial).toBeLessThan(BATCH);
    // The sync finds what reached the server; the repeated change adds the rest.
    expect(await suite.client.call('identityStore.sync', { identity: 'Lab' })).toMatchObject({ changes: partial });
    await suite.client.call('groupMember.add', { identityStore: 'Lab', groupIdentity: 'Crowd', identity: names });
    expect(await membersInDirectory('Crowd')).toBe(BATCH + 1);
    expect(await membersInHerald('Crowd')).toBe(BATCH + 1);
    const events = await memberEvents('Crowd');
    expect(events).toHaveLength(BATCH);
    expect(new Set(events.map((event) => event.related)).size).toBe(BATCH);
    expect(await suite.client.call('identityStore.sync', { identity: 'Lab' })).toMatchObject({ changes: 0 });
  }, 120_000);
});

describe('a server that refuses part of a change', () => {
  it('says what the server said; herald keeps its members, and the sync reports what the server did take', async () => {
    // A groupOfNames must keep a member: the second removal is refused after the first went through.
    const error = await failure(suite.client.call('group.set', { identityStore: 'Lab', identity: 'Pair', remove: { Members: ['keeper', 'other'] } }));
    expect(error.errorName).toBe('ValidationFailed');
    expect(error.message).toContain('object class violation');
    expect(error.data?.remedy).toContain('nothing was changed in herald');
    expect(await membersInHerald('Pair')).toBe(2);
    expect(await suite.client.call('identityStore.sync', { identity: 'Lab' })).toMatchObject({ changes: 1 });
    expect(await membersInHerald('Pair')).toBe(1);
  });
});

describe('a service-account password the server no longer accepts', () => {
  it('makes sync and changes fail naming the service account, Test-IdentityStoreConnection shows the bind step, and a new password mends it', async () => {
    await slapd.modify(`dn: ${SERVICE_DN}\nchangetype: modify\nreplace: userPassword\nuserPassword: rotated-secret\n`);
    // Connections bound with the old password stay bound: a restart of the server ends them, as a rotation does in practice.
    await slapd.stop();
    await slapd.start();
    const error = await failure(suite.client.call('identityStore.sync', { identity: 'Lab' }));
    expect(error.errorName).toBe('DirectoryUnavailable');
    expect(error.data?.field).toBe('serviceAccount');
    expect(error.data?.remedy).toContain('Set-IdentityStore');
    const report = await suite.client.call('identityStore.testConnection', { identity: 'Lab' });
    expect(report.steps.map((step) => [step.step, step.ok])).toEqual([['connect', true], ['tls', true], ['bind', false]]);
    expect(report.remedy).toContain('-ServiceAccount');
    await suite.client.call('identityStore.set', { identity: 'Lab', serviceAccount: { userName: SERVICE_DN, password: 'rotated-secret' } });
    expect((await suite.client.call('identityStore.testConnection', { identity: 'Lab' })).success).toBe(true);
  });
});
