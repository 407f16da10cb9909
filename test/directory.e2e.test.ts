import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failure, useDaemon } from './helpers/suite.js';

// The builtin directory end to end through the typed client: objects and their lookups, the
// rules a change must pass, and the change event each change leaves in the daemon's database
// (read through a second, read-only connection, which WAL allows while the daemon writes).

const suite = useDaemon();
let db: Database.Database;

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const PASSWORD = 'Tr0ub4dor&3-horse';

interface EventRow {
  kind: string;
  object_name: string;
  object_kind: string;
  object_guid: string;
  related: string | null;
  details: string | null;
  actor: string;
  source: string;
  store_name: string;
}

const lastEventId = () => (db.prepare('SELECT coalesce(max(id), 0) AS id FROM change_event').get() as { id: number }).id;

/** The events an action recorded, in order, in a form that reads well in an assertion. */
async function eventsOf(action: () => Promise<unknown>) {
  const since = lastEventId();
  await action();
  return (db.prepare('SELECT * FROM change_event WHERE id > ? ORDER BY id').all(since) as EventRow[]).map((row) => ({
    kind: row.kind,
    object: row.object_name,
    ...(row.related ? { related: (JSON.parse(row.related) as { name: string }).name } : {}),
    ...(row.details ? { changes: JSON.parse(row.details) as unknown } : {}),
  }));
}

beforeAll(async () => {
  await suite.client.call('identityStore.create', { name: 'Corp', type: 'Builtin' });
  db = new Database(join(suite.stateDir, 'herald.db'), { readonly: true, fileMustExist: true });
});

afterAll(() => db?.close());

describe('users', () => {
  it('creates users with a GUID and a DN in the default container, the store named or not (there is one)', async () => {
    const alice = await suite.client.call('user.create', { name: 'alice', displayName: 'Alice Martin', mail: 'alice@corp.example' });
    expect(alice).toEqual({
      identityStore: 'Corp', guid: expect.stringMatching(GUID), kind: 'User', name: 'alice', dn: 'CN=alice,CN=Users,DC=Corp,DC=herald',
      displayName: 'Alice Martin', mail: 'alice@corp.example', enabled: true, manager: null, additionalManagers: [],
      passwordSet: false, passwordLastSet: null, passwordNeverExpires: false,
      createdAt: expect.stringMatching(ISO_UTC), updatedAt: alice.createdAt,
    });
    const jdoe = await suite.client.call('user.create', { identityStore: 'corp', name: 'jdoe', displayName: 'John Doe', mail: 'jdoe@corp.example', manager: 'alice', password: PASSWORD });
    expect(jdoe).toMatchObject({ name: 'jdoe', manager: 'alice', passwordSet: true, passwordLastSet: expect.stringMatching(ISO_UTC) });
    expect(jdoe.guid).not.toBe(alice.guid);
    await suite.client.call('user.create', { name: 'bob', mail: 'bob@corp.example' });
    await suite.client.call('user.create', { name: 'carol', mail: 'carol@corp.example', enabled: false });
  });

  it('never returns a password, and stores it as a salted scrypt hash', async () => {
    await suite.client.call('user.create', { name: 'twin', password: PASSWORD });
    for (const user of await suite.client.call('user.get')) expect(JSON.stringify(user)).not.toContain(PASSWORD);
    const rows = db.prepare("SELECT name, password_hash FROM directory_object WHERE name IN ('jdoe', 'twin') ORDER BY name").all() as { name: string; password_hash: string }[];
    for (const { password_hash: hash } of rows) {
      expect(hash).toMatch(/^scrypt\$16384\$8\$1\$[A-Za-z0-9+/]+=*\$[A-Za-z0-9+/]+=*$/);
      expect(Buffer.from(hash.split('$')[4], 'base64')).toHaveLength(16);
      expect(hash).not.toContain(PASSWORD);
    }
    // The same password, a different salt: the hashes differ.
    expect(rows[0].password_hash).not.toBe(rows[1].password_hash);
    // Nothing else in the database holds it either (the change history says only that it was set).
    const dump = JSON.stringify(db.prepare('SELECT * FROM change_event').all()) + JSON.stringify(db.prepare('SELECT * FROM directory_object').all());
    expect(dump).not.toContain(PASSWORD);
    await suite.client.call('user.remove', { identity: 'twin' });
  });

  it('finds a user by DN, GUID, name or mail, regardless of case and spacing', async () => {
    const [jdoe] = await suite.client.call('user.get', { identity: 'jdoe' });
    for (const identity of ['cn=JDOE, cn=users, dc=corp, dc=HERALD', jdoe.guid.toUpperCase(), `{${jdoe.guid}}`, 'JDoe', 'JDOE@Corp.Example']) {
      expect((await suite.client.call('user.get', { identity })).map((u) => u.guid), identity).toEqual([jdoe.guid]);
    }
    expect((await suite.client.call('user.get', { identity: '*o*' })).map((u) => u.name)).toEqual(['bob', 'carol', 'jdoe']);
    expect((await suite.client.call('user.get')).map((u) => u.name)).toEqual(['alice', 'bob', 'carol', 'jdoe']);
  });

  it('answers NotFound naming the identity and the parameter', async () => {
    const missing = await failure(suite.client.call('user.get', { identity: 'nobody' }));
    expect(missing.errorName).toBe('NotFound');
    expect(missing.message).toContain("'nobody'");
    expect(missing.data?.field).toBe('identity');
    const manager = await failure(suite.client.call('user.set', { identity: 'jdoe', manager: 'ghost@corp.example' }));
    expect(manager).toMatchObject({ errorName: 'NotFound', data: { field: 'manager' } });
    expect(manager.message).toContain("manager 'ghost@corp.example' not found in identity store 'Corp'");
  });

  it('keeps names and mail addresses unique in the store, whatever the case and the kind', async () => {
    const name = await failure(suite.client.call('group.create', { name: 'ALICE' }));
    expect(name).toMatchObject({ errorName: 'Conflict', message: "identity store 'Corp' already has a user named 'alice'", data: { field: 'name' } });
    const mail = await failure(suite.client.call('contact.create', { name: 'alice-ext', mail: 'Alice@corp.example' }));
    expect(mail).toMatchObject({ errorName: 'Conflict', data: { field: 'mail' } });
    expect(mail.message).toContain("already belongs to the user 'alice'");
    const rename = await failure(suite.client.call('user.set', { identity: 'bob', newName: 'Carol' }));
    expect(rename).toMatchObject({ errorName: 'Conflict', data: { field: 'newName' } });
    const remail = await failure(suite.client.call('user.set', { identity: 'bob', mail: 'CAROL@corp.example' }));
    expect(remail).toMatchObject({ errorName: 'Conflict', data: { field: 'mail' } });
  });

  it('sets only what is given, renames with the DN, and records the attributes old -> new', async () => {
    const events = await eventsOf(() => suite.client.call('user.set', { identity: 'bob', newName: 'robert', displayName: 'Robert Smith', mail: null }));
    expect(events).toEqual([{
      kind: 'ObjectModified', object: 'robert',
      changes: [
        { attribute: 'name', oldValue: 'bob', newValue: 'robert' },
        { attribute: 'displayName', oldValue: null, newValue: 'Robert Smith' },
        { attribute: 'mail', oldValue: 'bob@corp.example', newValue: null },
      ],
    }]);
    const [robert] = await suite.client.call('user.get', { identity: 'CN=robert,CN=Users,DC=Corp,DC=herald' });
    expect(robert).toMatchObject({ name: 'robert', displayName: 'Robert Smith', mail: null, enabled: true });
    // A change to nothing changes nothing: no event, no new updatedAt.
    expect(await eventsOf(() => suite.client.call('user.set', { identity: 'robert', displayName: 'Robert Smith', enabled: true }))).toEqual([]);
    expect((await suite.client.call('user.get', { identity: 'robert' }))[0].updatedAt).toBe(robert.updatedAt);
  });

  it('records a password change without its value', async () => {
    const events = await eventsOf(() => suite.client.call('user.set', { identity: 'jdoe', password: `${PASSWORD}-2`, passwordNeverExpires: true }));
    expect(events).toEqual([{
      kind: 'ObjectModified', object: 'jdoe',
      changes: [{ attribute: 'passwordNeverExpires', oldValue: false, newValue: true }, { attribute: 'password' }],
    }]);
  });

  it('sets managers: the primary one as an attribute, additional ones as manager events', async () => {
    const events = await eventsOf(() => suite.client.call('user.set', { identity: 'jdoe', manager: 'robert', additionalManagers: ['alice', 'carol'] }));
    expect(events).toEqual([
      { kind: 'ObjectModified', object: 'jdoe', changes: [{ attribute: 'manager', oldValue: 'alice', newValue: 'robert' }] },
      { kind: 'ManagerAdded', object: 'jdoe', related: 'alice' },
      { kind: 'ManagerAdded', object: 'jdoe', related: 'carol' },
    ]);
    expect((await suite.client.call('user.get', { identity: 'jdoe' }))[0]).toMatchObject({ manager: 'robert', additionalManagers: ['alice', 'carol'] });
    expect(await eventsOf(() => suite.client.call('user.set', { identity: 'jdoe', additionalManagers: ['carol'] }))).toEqual([
      { kind: 'ManagerRemoved', object: 'jdoe', related: 'alice' },
    ]);
    expect(await eventsOf(() => suite.client.call('user.set', { identity: 'jdoe', additionalManagers: null }))).toEqual([
      { kind: 'ManagerRemoved', object: 'jdoe', related: 'carol' },
    ]);
  });

  it('refuses a user as their own manager, and a manager who is not a user', async () => {
    expect(await failure(suite.client.call('user.set', { identity: 'jdoe', manager: 'JDOE@corp.example' }))).toMatchObject({ errorName: 'ValidationFailed', data: { field: 'manager' } });
    expect(await failure(suite.client.call('user.set', { identity: 'jdoe', additionalManagers: ['alice', 'jdoe'] }))).toMatchObject({ errorName: 'ValidationFailed', data: { field: 'additionalManagers' } });
    await suite.client.call('group.create', { name: 'Managers' });
    const group = await failure(suite.client.call('user.set', { identity: 'jdoe', manager: 'Managers' }));
    expect(group).toMatchObject({ errorName: 'NotFound', data: { field: 'manager' } });
    expect(group.message).toContain('is a group, not a user');
    await suite.client.call('group.remove', { identity: 'Managers' });
  });
});

describe('contacts', () => {
  it('creates, finds, changes and removes a contact', async () => {
    const created = await suite.client.call('contact.create', { name: 'partner', displayName: 'Partner Ltd', mail: 'orders@partner.example' });
    expect(created).toEqual({
      identityStore: 'Corp', guid: expect.stringMatching(GUID), kind: 'Contact', name: 'partner', dn: 'CN=partner,CN=Contacts,DC=Corp,DC=herald',
      displayName: 'Partner Ltd', mail: 'orders@partner.example', createdAt: expect.stringMatching(ISO_UTC), updatedAt: created.createdAt,
    });
    expect(await suite.client.call('contact.get', { identity: 'ORDERS@partner.example' })).toEqual([created]);
    const changed = await suite.client.call('contact.set', { identity: created.guid, displayName: 'Partner Limited' });
    expect(changed.displayName).toBe('Partner Limited');
    expect(await failure(suite.client.call('contact.get', { identity: 'jdoe' }))).toMatchObject({ errorName: 'NotFound', message: expect.stringContaining('is a user, not a contact') });
    await suite.client.call('contact.create', { name: 'supplier', mail: 'sales@supplier.example' });
    const events = await eventsOf(() => suite.client.call('contact.remove', { identity: 'supplier' }));
    expect(events).toEqual([{ kind: 'ObjectDeleted', object: 'supplier' }]);
    expect(await failure(suite.client.call('contact.get', { identity: 'supplier' }))).toMatchObject({ errorName: 'NotFound' });
  });
});

describe('groups', () => {
  it('creates a group: Private unless told, the reference Semi_Private accepted, owners resolved', async () => {
    const plain = await suite.client.call('group.create', { name: 'Plain' });
    expect(plain).toMatchObject({ kind: 'Group', dn: 'CN=Plain,CN=Groups,DC=Corp,DC=herald', securityType: 'Private', managedBy: null, memberCount: 0 });
    const events = await eventsOf(async () => {
      const sales = await suite.client.call('group.create', {
        name: 'Sales', mail: 'sales@corp.example', securityType: 'Semi_Private', managedBy: 'alice', additionalOwners: ['robert', 'carol'], notifyOptOutAdditionalOwners: ['carol'],
      });
      expect(sales).toMatchObject({ securityType: 'SemiPrivate', managedBy: 'alice', additionalOwners: ['carol', 'robert'], notifyOptOutAdditionalOwners: ['carol'] });
    });
    expect(events).toEqual([
      { kind: 'ObjectCreated', object: 'Sales' },
      { kind: 'OwnerAdded', object: 'Sales', related: 'robert' },
      { kind: 'OwnerAdded', object: 'Sales', related: 'carol' },
    ]);
  });

  it('applies -Add, -Remove and -Replace tables with keys in any case, recording owner events', async () => {
    const added = await eventsOf(() => suite.client.call('group.set', { identity: 'Sales', add: { additionalowners: ['jdoe', 'robert'] } }));
    expect(added).toEqual([{ kind: 'OwnerAdded', object: 'Sales', related: 'jdoe' }]);
    const removed = await eventsOf(() => suite.client.call('group.set', { identity: 'Sales', remove: { AdditionalOwners: 'robert' } }));
    expect(removed).toEqual([{ kind: 'OwnerRemoved', object: 'Sales', related: 'robert' }]);
    const replaced = await eventsOf(async () => {
      const sales = await suite.client.call('group.set', { identity: 'Sales', replace: { AdditionalOwners: ['jdoe', 'carol'], NotifyOptOutAdditionalOwners: null } });
      expect(sales).toMatchObject({ additionalOwners: ['carol', 'jdoe'], notifyOptOutAdditionalOwners: [] });
    });
    expect(replaced).toEqual([{ kind: 'ObjectModified', object: 'Sales', changes: [{ attribute: 'notifyOptOutAdditionalOwners', oldValue: ['carol'], newValue: [] }] }]);
  });

  it('refuses unknown table keys, a list given twice, stray opt-outs and a group owning itself', async () => {
    const unknown = await failure(suite.client.call('group.set', { identity: 'Sales', add: { Colour: 'blue' } }));
    expect(unknown).toMatchObject({ errorName: 'InvalidParams', data: { field: 'add.Colour' } });
    expect(unknown.message).toContain('AdditionalOwners, Members or NotifyOptOutAdditionalOwners');
    expect(await failure(suite.client.call('group.set', { identity: 'Sales', additionalOwners: ['jdoe'], replace: { AdditionalOwners: 'carol' } })))
      .toMatchObject({ errorName: 'InvalidParams', data: { field: 'additionalOwners' } });
    expect(await failure(suite.client.call('group.set', { identity: 'Sales', notifyOptOutAdditionalOwners: ['alice'] })))
      .toMatchObject({ errorName: 'ValidationFailed', data: { field: 'notifyOptOutAdditionalOwners' } });
    expect(await failure(suite.client.call('group.set', { identity: 'Sales', managedBy: 'sales@corp.example' })))
      .toMatchObject({ errorName: 'ValidationFailed', data: { field: 'managedBy' } });
    expect(await failure(suite.client.call('group.set', { identity: 'Sales', add: { AdditionalOwners: 'Sales' } })))
      .toMatchObject({ errorName: 'ValidationFailed', data: { field: 'additionalOwners' } });
    const missing = await failure(suite.client.call('group.set', { identity: 'Sales', add: { AdditionalOwners: ['ghost'] } }));
    expect(missing).toMatchObject({ errorName: 'NotFound', data: { field: 'add.additionalOwners' } });
    // Nothing of a refused call was applied.
    expect((await suite.client.call('group.get', { identity: 'Sales' }))[0]).toMatchObject({ managedBy: 'alice', additionalOwners: ['carol', 'jdoe'] });
  });

  it('changes the primary owner and the security type as attributes', async () => {
    const events = await eventsOf(() => suite.client.call('group.set', { identity: 'Sales', managedBy: 'robert', securityType: 'Public' }));
    expect(events).toEqual([{
      kind: 'ObjectModified', object: 'Sales',
      changes: [{ attribute: 'securityType', oldValue: 'SemiPrivate', newValue: 'Public' }, { attribute: 'managedBy', oldValue: 'alice', newValue: 'robert' }],
    }]);
  });
});

describe('membership', () => {
  it('adds members once, recording one event each, and lists them as perpetual', async () => {
    const events = await eventsOf(async () => {
      const added = await suite.client.call('groupMember.add', { groupIdentity: 'Sales', identity: ['jdoe', 'partner', 'JDOE@corp.example'] });
      expect(added.map((m) => [m.name, m.kind, m.type, m.beginningDate, m.endingDate])).toEqual([['jdoe', 'User', 'Perpetual', null, null], ['partner', 'Contact', 'Perpetual', null, null]]);
    });
    expect(events).toEqual([{ kind: 'MemberAdded', object: 'Sales', related: 'jdoe' }, { kind: 'MemberAdded', object: 'Sales', related: 'partner' }]);
    // Already a member: nothing happens.
    expect(await eventsOf(() => suite.client.call('groupMember.add', { groupIdentity: 'Sales', identity: ['jdoe'] }))).toEqual([]);
    expect((await suite.client.call('group.get', { identity: 'Sales' }))[0].memberCount).toBe(2);
  });

  it('expands nested groups with -Recursive, following a cycle once round, each member once', async () => {
    await suite.client.call('group.create', { name: 'Emea' });
    await suite.client.call('group.create', { name: 'Paris' });
    await suite.client.call('groupMember.add', { groupIdentity: 'Sales', identity: ['Emea'] });
    await suite.client.call('groupMember.add', { groupIdentity: 'Emea', identity: ['Paris', 'carol'] });
    // Paris holds Sales again: Sales > Emea > Paris > Sales.
    await suite.client.call('groupMember.add', { groupIdentity: 'Paris', identity: ['Sales', 'robert', 'jdoe'] });
    const direct = await suite.client.call('groupMember.get', { identity: 'Sales' });
    expect(direct.map((m) => m.name)).toEqual(['jdoe', 'partner', 'Emea']);
    const all = await suite.client.call('groupMember.get', { identity: 'Sales', recursive: true });
    expect(all.map((m) => [m.name, m.group])).toEqual([['jdoe', 'Sales'], ['partner', 'Sales'], ['carol', 'Emea'], ['robert', 'Paris']]);
    expect(all.find((m) => m.name === 'carol')?.enabled).toBe(false);
  });

  it('refuses a group as its own member, and temporary membership without a date to come', async () => {
    const self = await failure(suite.client.call('groupMember.add', { groupIdentity: 'Sales', identity: ['sales@corp.example'] }));
    expect(self).toMatchObject({ errorName: 'ValidationFailed', data: { field: 'identity' } });
    const temporary = await failure(suite.client.call('groupMember.add', { groupIdentity: 'Sales', identity: ['alice'], type: 'Temporary Member' }));
    expect(temporary).toMatchObject({ errorName: 'ValidationFailed', data: { field: 'endDate' } });
    expect(temporary.message).toContain('needs an EndDate');
    const dated = await failure(suite.client.call('groupMember.remove', { groupIdentity: 'Sales', identity: ['jdoe'], endDate: '2020-01-01' }));
    expect(dated).toMatchObject({ errorName: 'ValidationFailed', data: { field: 'endDate' } });
    const notGroup = await failure(suite.client.call('groupMember.add', { groupIdentity: 'jdoe', identity: ['alice'] }));
    expect(notGroup).toMatchObject({ errorName: 'NotFound', data: { field: 'groupIdentity' } });
    // Perpetual, spelled out, is what the default is.
    await suite.client.call('groupMember.add', { groupIdentity: 'Plain', identity: ['alice'], type: 'Perpetual' });
  });

  it('removes members, recording MemberRemoved for those that were members only', async () => {
    const events = await eventsOf(() => suite.client.call('groupMember.remove', { groupIdentity: 'Sales', identity: ['partner', 'alice'] }));
    expect(events).toEqual([{ kind: 'MemberRemoved', object: 'Sales', related: 'partner' }]);
    const set = await eventsOf(() => suite.client.call('group.set', { identity: 'Sales', add: { Members: 'alice' }, remove: { members: ['jdoe'] } }));
    expect(set).toEqual([{ kind: 'MemberRemoved', object: 'Sales', related: 'jdoe' }, { kind: 'MemberAdded', object: 'Sales', related: 'alice' }]);
    expect((await suite.client.call('groupMember.get', { identity: 'Sales' })).map((m) => m.name)).toEqual(['Emea', 'alice']);
  });
});

describe('search and containers', () => {
  it('creates in a container and searches a subtree by kind and name', async () => {
    const ops = await suite.client.call('user.create', { name: 'Smith, John', container: 'OU=Ops, OU=Staff,DC=Corp,DC=herald' });
    expect(ops.dn).toBe('CN=Smith\\, John,OU=Ops,OU=Staff,DC=Corp,DC=herald');
    expect((await suite.client.call('user.get', { identity: 'cn=smith\\, john,ou=ops,ou=staff,dc=corp,dc=herald' }))[0].guid).toBe(ops.guid);
    expect((await suite.client.call('directoryObject.search', { searchContainer: 'ou=staff,DC=Corp,DC=herald' })).map((o) => o.name)).toEqual(['Smith, John']);
    const users = await suite.client.call('directoryObject.search', { searchContainer: 'CN=Users,DC=Corp,DC=herald', objectType: 'User' });
    expect(users.map((o) => o.name)).toEqual(['alice', 'carol', 'jdoe', 'robert']);
    expect(Object.keys(users[0]).sort()).toEqual(['displayName', 'dn', 'guid', 'identityStore', 'kind', 'mail', 'name']);
    const everything = await suite.client.call('directoryObject.search', { searchContainer: 'DC=Corp,DC=herald', name: 'p*' });
    expect(everything.map((o) => [o.kind, o.name])).toEqual([['Group', 'Paris'], ['Contact', 'partner'], ['Group', 'Plain']]);
    expect(await suite.client.call('directoryObject.search', { searchContainer: 'DC=Other,DC=herald' })).toEqual([]);
    expect(await failure(suite.client.call('directoryObject.search', { searchContainer: 'not a dn' }))).toMatchObject({ errorName: 'InvalidParams', data: { field: 'searchContainer' } });
  });
});

describe('removal', () => {
  it('records ObjectDeleted before the object goes, and its links go with it', async () => {
    const [robert] = await suite.client.call('user.get', { identity: 'robert' });
    const events = await eventsOf(() => suite.client.call('user.remove', { identity: robert.dn }));
    expect(events).toEqual([{ kind: 'ObjectDeleted', object: 'robert' }]);
    const row = db.prepare("SELECT object_guid, object_kind, actor, source, store_name FROM change_event WHERE kind = 'ObjectDeleted' AND object_name = 'robert'").get();
    expect(row).toEqual({ object_guid: robert.guid, object_kind: 'User', actor: expect.any(String), source: 'rpc', store_name: 'Corp' });
    // jdoe's manager and Sales' owner are gone with him; Paris lost a member.
    expect((await suite.client.call('user.get', { identity: 'jdoe' }))[0].manager).toBeNull();
    expect((await suite.client.call('group.get', { identity: 'Sales' }))[0].managedBy).toBeNull();
    expect((await suite.client.call('groupMember.get', { identity: 'Paris' })).map((m) => m.name)).toEqual(['Sales', 'jdoe']);
    expect(await failure(suite.client.call('user.remove', { identity: 'robert' }))).toMatchObject({ errorName: 'NotFound', data: { field: 'identity' } });
  });

  it('records every change with the caller as actor and rpc as source', () => {
    const rows = db.prepare('SELECT DISTINCT actor, source FROM change_event').all();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ source: 'rpc' });
  });
});

describe('several identity stores', () => {
  it('needs -IdentityStore once there are two, and keeps each store\'s directory apart', async () => {
    await suite.client.call('identityStore.create', { name: 'Lab', type: 'Builtin' });
    const unnamed = await failure(suite.client.call('user.get', {}));
    expect(unnamed).toMatchObject({ errorName: 'InvalidParams', data: { field: 'identityStore' } });
    const labAlice = await suite.client.call('user.create', { identityStore: 'Lab', name: 'alice' });
    expect(labAlice.dn).toBe('CN=alice,CN=Users,DC=Lab,DC=herald');
    expect((await suite.client.call('user.get', { identityStore: 'Lab' })).map((u) => u.guid)).toEqual([labAlice.guid]);
    expect(await failure(suite.client.call('user.get', { identityStore: 'Lab', identity: 'jdoe' }))).toMatchObject({ errorName: 'NotFound' });
    expect(await failure(suite.client.call('user.get', { identityStore: 'Nowhere' }))).toMatchObject({ errorName: 'NotFound', data: { field: 'identityStore' } });
    await suite.client.call('identityStore.remove', { identity: 'Lab' });
  });
});
