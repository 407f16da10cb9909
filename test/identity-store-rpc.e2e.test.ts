import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HeraldError } from '../client/index.js';
import { startTestDaemon } from './helpers/daemon.js';
import { failure, useDaemon } from './helpers/suite.js';
import { openRaw, type RawSocket } from './helpers/raw-socket.js';

// Identity stores and their portals end to end: the typed client as the shell uses it, raw
// JSON-RPC for what travels on the wire, and a restart for what the database keeps.

const suite = useDaemon();


const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

describe('identity stores', () => {
  it('creates a store and returns it whole', async () => {
    const corp = await suite.client.call('identityStore.create', { name: 'Corp', type: 'Builtin', description: 'Corporate directory' });
    expect(corp).toEqual({
      id: expect.any(Number),
      name: 'Corp',
      type: 'Builtin',
      description: 'Corporate directory',
      memberInactivePeriod: 30,
      createdAt: expect.stringMatching(ISO_UTC),
      updatedAt: corp.createdAt,
    });
    const lab = await suite.client.call('identityStore.create', { name: 'Lab', type: 'Ldap' });
    // No description given: it is null, not missing or empty.
    expect(lab).toMatchObject({ name: 'Lab', type: 'Ldap', description: null });
    expect(lab.id).not.toBe(corp.id);
  });

  it('gets every store sorted by name, and one by its name in any case', async () => {
    await suite.client.call('identityStore.create', { name: 'Cloud', type: 'EntraId' });
    expect((await suite.client.call('identityStore.get')).map((s) => s.name)).toEqual(['Cloud', 'Corp', 'Lab']);
    expect(await suite.client.call('identityStore.get', { name: 'cORP' })).toMatchObject([{ name: 'Corp', description: 'Corporate directory' }]);
  });

  it('keeps names unique regardless of case: Conflict on field name', async () => {
    const error = await failure(suite.client.call('identityStore.create', { name: 'CORP', type: 'Ldap' }));
    expect(error.code).toBe(-32001);
    expect(error.errorName).toBe('Conflict');
    expect(error.data?.field).toBe('name');
    expect(error.message).toContain('CORP');
    // The original is untouched and no second store appeared.
    expect(await suite.client.call('identityStore.get', { name: 'corp' })).toMatchObject([{ name: 'Corp', type: 'Builtin' }]);
    expect(await suite.client.call('identityStore.get')).toHaveLength(3);
  });

  it('keeps names unique regardless of case for non-ASCII letters too (names may hold any letter)', async () => {
    // "Names are unique regardless of case" (identityStore.create), and objectName admits any
    // Unicode letter: Äpfel and äpfel are the same name, and äPFEL finds it.
    await suite.client.call('identityStore.create', { name: 'Äpfel', type: 'Builtin' });
    try {
      const second = await suite.client.call('identityStore.create', { name: 'äpfel', type: 'Builtin' }).then(() => 'created', (error: HeraldError) => error.code);
      const found = await suite.client.call('identityStore.get', { name: 'äPFEL' }).then((stores) => stores.map((s) => s.name), (error: HeraldError) => error.code);
      expect({ second, found }).toEqual({ second: -32001, found: ['Äpfel'] });
    } finally {
      // Leave the store list as the later tests expect it, whatever happened above.
      for (const name of ['äpfel', 'Äpfel']) await suite.client.call('identityStore.remove', { identity: name }).catch(() => undefined);
    }
  });

  it('answers an exact name that matches nothing with NotFound naming it', async () => {
    const error = await failure(suite.client.call('identityStore.get', { name: 'Atlantis' }));
    expect(error.code).toBe(-32000);
    expect(error.errorName).toBe('NotFound');
    expect(error.message).toContain("'Atlantis'");
    expect(error.data?.field).toBe('name');
  });

  it('lists the matches of a wildcard, case-insensitively, and an empty list when none match', async () => {
    expect((await suite.client.call('identityStore.get', { name: 'c*' })).map((s) => s.name)).toEqual(['Cloud', 'Corp']);
    expect((await suite.client.call('identityStore.get', { name: '?AB' })).map((s) => s.name)).toEqual(['Lab']);
    expect(await suite.client.call('identityStore.get', { name: 'zz*' })).toEqual([]);
    // SQL LIKE's own wildcards are literal characters in a name, not patterns.
    expect(await suite.client.call('identityStore.get', { name: 'C%*' })).toEqual([]);
  });

  it('patches with set: an absent description stays, null clears it', async () => {
    const described = await suite.client.call('identityStore.set', { identity: 'lab', description: 'Test lab' });
    expect(described).toMatchObject({ name: 'Lab', type: 'Ldap', description: 'Test lab' });

    // Only newName given: the description must survive the rename.
    const renamed = await suite.client.call('identityStore.set', { identity: 'Lab', newName: 'Laboratory' });
    expect(renamed).toMatchObject({ name: 'Laboratory', description: 'Test lab', id: described.id, createdAt: described.createdAt });
    expect(renamed.updatedAt >= described.updatedAt).toBe(true);
    expect(await suite.client.call('identityStore.get', { name: 'Laboratory' })).toMatchObject([{ description: 'Test lab' }]);
    await expect(suite.client.call('identityStore.get', { name: 'Lab' })).rejects.toMatchObject({ code: -32000 });

    const cleared = await suite.client.call('identityStore.set', { identity: 'Laboratory', description: null });
    expect(cleared.description).toBeNull();
    expect(await suite.client.call('identityStore.get', { name: 'Laboratory' })).toMatchObject([{ description: null }]);
  });

  it('lets a store be renamed to another case of its own name', async () => {
    const renamed = await suite.client.call('identityStore.set', { identity: 'Laboratory', newName: 'LABORATORY' });
    expect(renamed.name).toBe('LABORATORY');
  });

  it('refuses newName when another store has it (any case): Conflict on field newName, nothing changed', async () => {
    const error = await failure(suite.client.call('identityStore.set', { identity: 'Cloud', newName: 'corp', description: 'would change' }));
    expect(error.code).toBe(-32001);
    expect(error.data?.field).toBe('newName');
    expect(await suite.client.call('identityStore.get', { name: 'Cloud' })).toMatchObject([{ name: 'Cloud', description: null }]);
  });

  it('answers set on a missing store with NotFound on field identity', async () => {
    const error = await failure(suite.client.call('identityStore.set', { identity: 'Atlantis', description: 'x' }));
    expect(error.code).toBe(-32000);
    expect(error.data?.field).toBe('identity');
  });

  it('refuses a description with a control character: InvalidParams on field description', async () => {
    const onCreate = await failure(suite.client.call('identityStore.create', { name: 'Bell', type: 'Builtin', description: 'ring \u0007 ring' }));
    expect(onCreate.code).toBe(-32602);
    expect(onCreate.data?.field).toBe('description');
    const onSet = await failure(suite.client.call('identityStore.set', { identity: 'Corp', description: 'line\nbreak' }));
    expect(onSet.code).toBe(-32602);
    expect(onSet.data?.field).toBe('description');
    await expect(suite.client.call('identityStore.get', { name: 'Bell' })).rejects.toMatchObject({ code: -32000 });
    expect(await suite.client.call('identityStore.get', { name: 'Corp' })).toMatchObject([{ description: 'Corporate directory' }]);
  });

  it('removes a store: null, then NotFound on get and on a second remove', async () => {
    await suite.client.call('identityStore.create', { name: 'Doomed', type: 'Builtin' });
    expect(await suite.client.call('identityStore.remove', { identity: 'DOOMED' })).toBeNull();
    await expect(suite.client.call('identityStore.get', { name: 'Doomed' })).rejects.toMatchObject({ code: -32000, data: { field: 'name' } });
    await expect(suite.client.call('identityStore.remove', { identity: 'Doomed' })).rejects.toMatchObject({ code: -32000, data: { field: 'identity' } });
  });
});

describe('on the wire', () => {
  let raw: RawSocket;
  beforeAll(async () => { raw = await openRaw(suite.daemon.socketUrl, { token: suite.daemon.token }); });
  afterAll(async () => { await raw?.close(); });

  it('sends a Conflict as a JSON-RPC error object with code, message and data.field', async () => {
    const reply = await raw.exchange(JSON.stringify({ jsonrpc: '2.0', method: 'identityStore.create', params: { name: 'corp', type: 'Builtin' }, id: 'dup' }));
    expect(reply).toEqual({
      jsonrpc: '2.0',
      id: 'dup',
      error: { code: -32001, message: expect.stringContaining('corp'), data: { field: 'name' } },
    });
  });

  it('sends a NotFound naming the store, with the request id', async () => {
    const reply = await raw.exchange(JSON.stringify({ jsonrpc: '2.0', method: 'identityStorePortal.get', params: { identityStore: 'Atlantis' }, id: 77 }));
    expect(reply).toMatchObject({ jsonrpc: '2.0', id: 77, error: { code: -32000, message: expect.stringContaining("'Atlantis'"), data: { field: 'identityStore' } } });
  });

  it('sends a result with exactly the documented members', async () => {
    const reply = (await raw.exchange(JSON.stringify({ jsonrpc: '2.0', method: 'identityStore.get', params: { name: 'Corp' }, id: 1 }))) as { result: object[] };
    expect(Object.keys(reply).sort()).toEqual(['id', 'jsonrpc', 'result']);
    expect(Object.keys(reply.result[0]).sort()).toEqual(['createdAt', 'description', 'id', 'memberInactivePeriod', 'name', 'type', 'updatedAt']);
  });
});

describe('portals', () => {
  it('adds portals and lists them by store, sorted, or by name', async () => {
    const portal = await suite.client.call('identityStorePortal.add', { identityStore: 'corp', name: 'SelfService', url: 'https://portal.corp.example/selfservice' });
    // The store is reported under its own spelling, not the caller's.
    expect(portal).toEqual({ identityStore: 'Corp', name: 'SelfService', url: 'https://portal.corp.example/selfservice', createdAt: expect.stringMatching(ISO_UTC) });
    await suite.client.call('identityStorePortal.add', { identityStore: 'Corp', name: 'Helpdesk', url: 'http://helpdesk.corp.example/' });
    expect((await suite.client.call('identityStorePortal.get', { identityStore: 'Corp' })).map((p) => p.name)).toEqual(['Helpdesk', 'SelfService']);
    expect(await suite.client.call('identityStorePortal.get', { identityStore: 'Corp', name: 'selfservice' })).toEqual([portal]);
    expect((await suite.client.call('identityStorePortal.get', { identityStore: 'Corp', name: 'Self*' })).map((p) => p.name)).toEqual(['SelfService']);
    expect(await suite.client.call('identityStorePortal.get', { identityStore: 'Corp', name: 'zz*' })).toEqual([]);
    // Another store has no portals of its own.
    expect(await suite.client.call('identityStorePortal.get', { identityStore: 'Cloud' })).toEqual([]);
  });

  it('refuses a second portal of the same name in a store (any case), allows it in another store', async () => {
    const error = await failure(suite.client.call('identityStorePortal.add', { identityStore: 'Corp', name: 'SELFSERVICE', url: 'https://other.example/' }));
    expect(error.code).toBe(-32001);
    expect(error.data?.field).toBe('name');
    expect(await suite.client.call('identityStorePortal.get', { identityStore: 'Corp', name: 'SelfService' })).toMatchObject([{ url: 'https://portal.corp.example/selfservice' }]);
    const elsewhere = await suite.client.call('identityStorePortal.add', { identityStore: 'Cloud', name: 'SelfService', url: 'https://cloud.example/sspr' });
    expect(elsewhere.identityStore).toBe('Cloud');
  });

  for (const url of ['ftp://x', 'javascript:alert(1)', 'portal.corp.example', 'https://']) {
    it(`refuses the url ${JSON.stringify(url)}: InvalidParams on field url`, async () => {
      const error = await failure(suite.client.call('identityStorePortal.add', { identityStore: 'Corp', name: 'Bad', url }));
      expect(error.code).toBe(-32602);
      expect(error.data?.field).toBe('url');
    });
  }

  it('created none of the refused portals', async () => {
    await expect(suite.client.call('identityStorePortal.get', { identityStore: 'Corp', name: 'Bad' })).rejects.toMatchObject({ code: -32000, data: { field: 'name' } });
  });

  it('answers a portal call on a missing store with NotFound on field identityStore', async () => {
    const error = await failure(suite.client.call('identityStorePortal.add', { identityStore: 'Atlantis', name: 'X', url: 'https://x.example/' }));
    expect(error.code).toBe(-32000);
    expect(error.data?.field).toBe('identityStore');
    expect(error.message).toContain("'Atlantis'");
  });

  it('removes a portal: null, then NotFound by name and on a second remove', async () => {
    expect(await suite.client.call('identityStorePortal.remove', { identityStore: 'Corp', name: 'helpdesk' })).toBeNull();
    await expect(suite.client.call('identityStorePortal.get', { identityStore: 'Corp', name: 'Helpdesk' })).rejects.toMatchObject({ code: -32000, data: { field: 'name' } });
    await expect(suite.client.call('identityStorePortal.remove', { identityStore: 'Corp', name: 'Helpdesk' })).rejects.toMatchObject({ code: -32000, data: { field: 'name' } });
    expect((await suite.client.call('identityStorePortal.get', { identityStore: 'Corp' })).map((p) => p.name)).toEqual(['SelfService']);
  });

  it('removes the portals with their store: a store recreated under the same name has none', async () => {
    await suite.client.call('identityStore.create', { name: 'Temp', type: 'Builtin' });
    await suite.client.call('identityStorePortal.add', { identityStore: 'Temp', name: 'Old', url: 'https://old.example/' });
    await suite.client.call('identityStorePortal.add', { identityStore: 'Temp', name: 'Older', url: 'https://older.example/' });
    expect(await suite.client.call('identityStore.remove', { identity: 'Temp' })).toBeNull();
    await suite.client.call('identityStore.create', { name: 'Temp', type: 'Builtin' });
    expect(await suite.client.call('identityStorePortal.get', { identityStore: 'Temp' })).toEqual([]);
    // The old portal names are free again in the new store.
    await suite.client.call('identityStorePortal.add', { identityStore: 'Temp', name: 'Old', url: 'https://new.example/' });
    expect(await suite.client.call('identityStorePortal.get', { identityStore: 'Temp' })).toMatchObject([{ name: 'Old', url: 'https://new.example/' }]);
  });
});

describe('persistence', () => {
  it('keeps stores and portals across a daemon restart', async () => {
    const stores = await suite.client.call('identityStore.get');
    const portals = Object.fromEntries(await Promise.all(stores.map(async (s) => [s.name, await suite.client.call('identityStorePortal.get', { identityStore: s.name })] as const)));
    expect(stores.map((s) => s.name)).toEqual(['Cloud', 'Corp', 'LABORATORY', 'Temp']);
    expect(Object.values(portals).flat()).toHaveLength(3);

    await suite.client.close();
    expect(await suite.daemon.stop()).toBe(0);
    suite.daemon = await startTestDaemon({ stateDir: suite.stateDir });
    suite.client = await suite.daemon.client();

    expect(await suite.client.call('identityStore.get')).toEqual(stores);
    for (const store of stores) {
      expect(await suite.client.call('identityStorePortal.get', { identityStore: store.name }), store.name).toEqual(portals[store.name]);
    }
    // And the restarted daemon still enforces what the first one did.
    await expect(suite.client.call('identityStore.create', { name: 'cloud', type: 'Builtin' })).rejects.toMatchObject({ code: -32001 });
  });
});

describe('a portal that password-expiry warnings point to', () => {
  it('cannot be unlinked until the warnings point elsewhere', async () => {
    await suite.client.call('identityStore.create', { name: 'Warned', type: 'ActiveDirectory' });
    await suite.client.call('identityStorePortal.add', { identityStore: 'Warned', name: 'Reset', url: 'https://reset.corp.example/' });
    await suite.client.call('passwordExpiryNotification.set', { identityStore: 'Warned', portalUrl: 'https://reset.corp.example/' });
    await expect(suite.client.call('identityStorePortal.remove', { identityStore: 'Warned', name: 'reset' }))
      .rejects.toMatchObject({ code: -32001, data: { field: 'name', remedy: expect.stringContaining('Set-PasswordExpiryNotification') } });
    expect(await suite.client.call('identityStorePortal.get', { identityStore: 'Warned' })).toHaveLength(1);
    await suite.client.call('passwordExpiryNotification.set', { identityStore: 'Warned', portalUrl: null });
    expect(await suite.client.call('identityStorePortal.remove', { identityStore: 'Warned', name: 'Reset' })).toBeNull();
  });
});
