import { describe, expect, it } from 'vitest';
import { HeraldError, type MethodName, type ResultOf } from '../client/index.js';
import { failure, useDaemon } from './helpers/suite.js';

// The notification sections besides the SMTP server end to end through the typed client:
// recipients, the password-expiry portal, the two life cycles, clearing, export/import and the
// change history. Every test works on an identity store of its own.

const suite = useDaemon();


type StoreType = 'Builtin' | 'Ldap' | 'ActiveDirectory' | 'EntraId';
let storeCount = 0;
/** A new identity store with a name no other test uses. */
async function newStore(prefix = 'Sections', type: StoreType = 'Builtin'): Promise<string> {
  const name = `${prefix}-${++storeCount}`;
  await suite.client.call('identityStore.create', { name, type });
  return name;
}

const everything = (identityStore: string) => suite.client.call('notificationSettings.get', { identityStore });
type Settings = ResultOf<'notificationSettings.get'>;

/** Expects the call refused with `code` on `field`, and every setting of the store as it was. */
async function expectRefused(store: string, method: MethodName, params: Record<string, unknown>, field: string, code: number): Promise<HeraldError> {
  const before = await everything(store);
  const error = await failure(suite.client.callUntyped(method, { identityStore: store, ...params }));
  expect({ code: error.code, field: error.data?.field }).toEqual({ code, field });
  expect(await everything(store)).toEqual(before);
  return error;
}

/** A view with every identityStore member removed, to compare two stores' settings. */
const withoutStore = (value: unknown) => JSON.parse(JSON.stringify(value), (key, v) => (key === 'identityStore' ? undefined : v));

const PORTAL = 'https://portal.corp.example/selfservice';
const PASSWORD = 'Relay-Pa55word-sentinel';
const CLIENT_SECRET = 'Client-secret-sentinel';

/** Sets every section away from its defaults, with Basic authentication and its password. */
async function configureFully(store: string): Promise<Settings> {
  await suite.client.call('identityStorePortal.add', { identityStore: store, name: 'SelfService', url: PORTAL });
  await suite.client.call('smtpServer.set', {
    identityStore: store, server: 'smtp.corp.example', port: 2525, from: 'Directory <herald@corp.example>', sslEnabled: true,
    minTlsVersion: 'TLSv1.3', authentication: 'Basic', credential: { userName: 'relay', password: PASSWORD },
  });
  await suite.client.call('notificationRecipients.set', {
    identityStore: store, to: 'admins@corp.example; ops@corp.example', cc: ['audit@corp.example'], alsoNotify: ['ModifiedObject', 'GroupOwners', 'RemovedMembers'],
  });
  await suite.client.call('passwordExpiryNotification.set', { identityStore: store, portalUrl: PORTAL });
  await suite.client.call('membershipLifecycleNotification.set', { identityStore: store, onJoin: true, onLeave: true, daysBeforeLeave: 7 });
  await suite.client.call('managedByLifecycleNotification.set', { identityStore: store, sameAsMembership: false, onAdded: true, onRemoved: true, daysBeforeRemoval: 3 });
  return everything(store);
}

/** What each section reads once cleared (the password-expiry choices are the store's portals and stay). */
const CLEARED = {
  recipients: {
    to: [], cc: [], notifyLoggedInUser: false, notifyModifiedObject: false, notifyGroupOwners: false, notifyManagers: false,
    notifyAddedMembers: false, notifyRemovedMembers: false, notifyPublicGroupOwners: false, alsoNotify: [],
  },
  passwordExpiry: { portalUrl: null },
  membershipLifecycle: { onJoin: false, onLeave: false, daysBeforeLeave: null },
  managedByLifecycle: {
    sameAsMembership: false, onAdded: false, onRemoved: false, daysBeforeRemoval: null,
    effectiveOnAdded: false, effectiveOnRemoved: false, effectiveDaysBeforeRemoval: null,
  },
} as const;
type ClearedSection = keyof typeof CLEARED;

const ALSO_NOTIFY = {
  LoggedInUser: 'notifyLoggedInUser', ModifiedObject: 'notifyModifiedObject', GroupOwners: 'notifyGroupOwners', Managers: 'notifyManagers',
  AddedMembers: 'notifyAddedMembers', RemovedMembers: 'notifyRemovedMembers', PublicGroupOwners: 'notifyPublicGroupOwners',
} as const;
type AlsoNotify = keyof typeof ALSO_NOTIFY;

describe('recipients', () => {
  it('takes to and cc as ;/, strings or arrays, dropping empty entries and case-insensitive duplicates', async () => {
    const store = await newStore();
    const set = await suite.client.call('notificationRecipients.set', {
      identityStore: store, to: 'Admins@corp.example; ops@corp.example,, admins@CORP.example;', cc: ['audit@corp.example', 'AUDIT@corp.example', 'x@corp.example'],
    });
    expect(set).toMatchObject({ to: ['Admins@corp.example', 'ops@corp.example'], cc: ['audit@corp.example', 'x@corp.example'] });
    expect(await suite.client.call('notificationRecipients.get', { identityStore: store })).toEqual(set);
    const again = await suite.client.call('notificationRecipients.set', { identityStore: store, to: ['one@corp.example'], cc: 'two@corp.example, three@corp.example' });
    expect(again).toMatchObject({ to: ['one@corp.example'], cc: ['two@corp.example', 'three@corp.example'] });
    expect((await suite.client.call('notificationRecipients.set', { identityStore: store, cc: [] })).cc).toEqual([]);
  });

  it('refuses an invalid cc element on field cc.2', async () => {
    const store = await newStore();
    await suite.client.call('notificationRecipients.set', { identityStore: store, cc: 'keep@corp.example' });
    await expectRefused(store, 'notificationRecipients.set', { cc: ['a@corp.example', 'b@corp.example', 'nope'] }, 'cc.2', -32602);
  });

  for (const [name, field] of Object.entries(ALSO_NOTIFY) as [AlsoNotify, (typeof ALSO_NOTIFY)[AlsoNotify]][]) {
    it(`switches ${field} alone, on and off`, async () => {
      const store = await newStore();
      const on = await suite.client.call('notificationRecipients.set', { identityStore: store, [field]: true });
      const others = Object.values(ALSO_NOTIFY).filter((f) => f !== field);
      expect(on[field]).toBe(true);
      for (const other of others) expect(on[other], other).toBe(false);
      expect(on.alsoNotify).toEqual([name]);
      expect((await suite.client.call('notificationRecipients.get', { identityStore: store }))[field]).toBe(true);
      const off = await suite.client.call('notificationRecipients.set', { identityStore: store, [field]: false });
      expect(off[field]).toBe(false);
      expect(off.alsoNotify).toEqual([]);
    });
  }

  it('turns on the switches -AlsoNotify names and the others off', async () => {
    const store = await newStore();
    await suite.client.call('notificationRecipients.set', { identityStore: store, notifyLoggedInUser: true, notifyManagers: true, notifyPublicGroupOwners: true });
    const set = await suite.client.call('notificationRecipients.set', { identityStore: store, alsoNotify: ['ModifiedObject', 'AddedMembers'] });
    expect(set).toMatchObject({
      notifyLoggedInUser: false, notifyModifiedObject: true, notifyGroupOwners: false, notifyManagers: false,
      notifyAddedMembers: true, notifyRemovedMembers: false, notifyPublicGroupOwners: false, alsoNotify: ['ModifiedObject', 'AddedMembers'],
    });
    // A switch given alongside that agrees is fine; an empty list turns everything off.
    expect((await suite.client.call('notificationRecipients.set', { identityStore: store, alsoNotify: ['Managers'], notifyManagers: true })).alsoNotify).toEqual(['Managers']);
    expect((await suite.client.call('notificationRecipients.set', { identityStore: store, alsoNotify: [] })).alsoNotify).toEqual([]);
  });

  it('refuses -AlsoNotify contradicting an explicit switch: ValidationFailed on alsoNotify', async () => {
    const store = await newStore();
    await suite.client.call('notificationRecipients.set', { identityStore: store, notifyRemovedMembers: true, to: 'keep@corp.example' });
    await expectRefused(store, 'notificationRecipients.set', { alsoNotify: ['GroupOwners'], notifyGroupOwners: false }, 'alsoNotify', -32004);
    await expectRefused(store, 'notificationRecipients.set', { alsoNotify: ['GroupOwners'], notifyManagers: true }, 'alsoNotify', -32004);
  });

  it('sets group owners and managers both with notificationSettings.set -NotifyOwners', async () => {
    const store = await newStore();
    const on = await suite.client.call('notificationSettings.set', { identityStore: store, notifyOwners: true });
    expect(on.recipients).toMatchObject({ notifyGroupOwners: true, notifyManagers: true, alsoNotify: ['GroupOwners', 'Managers'] });
    const off = await suite.client.call('notificationSettings.set', { identityStore: store, notifyOwners: false });
    expect(off.recipients).toMatchObject({ notifyGroupOwners: false, notifyManagers: false, alsoNotify: [] });
    await expectRefused(store, 'notificationSettings.set', { notifyOwners: true, notifyManagers: false }, 'notifyOwners', -32004);
  });
});

describe('password-expiry portal', () => {
  it('takes a linked portal, lists the portals as choices, and clears with null', async () => {
    const store = await newStore();
    await suite.client.call('identityStorePortal.add', { identityStore: store, name: 'SelfService', url: PORTAL });
    await suite.client.call('identityStorePortal.add', { identityStore: store, name: 'Helpdesk', url: 'https://helpdesk.corp.example/' });
    const choices = [{ name: 'Helpdesk', url: 'https://helpdesk.corp.example/' }, { name: 'SelfService', url: PORTAL }];
    expect(await suite.client.call('passwordExpiryNotification.get', { identityStore: store })).toEqual({ identityStore: store, portalUrl: null, available: true, choices });
    expect(await suite.client.call('passwordExpiryNotification.set', { identityStore: store, portalUrl: PORTAL })).toEqual({ identityStore: store, portalUrl: PORTAL, available: true, choices });
    expect((await suite.client.call('passwordExpiryNotification.get', { identityStore: store })).portalUrl).toBe(PORTAL);
    expect((await suite.client.call('passwordExpiryNotification.set', { identityStore: store, portalUrl: null })).portalUrl).toBeNull();
    expect((await suite.client.call('passwordExpiryNotification.get', { identityStore: store })).portalUrl).toBeNull();
  });

  it('refuses a URL that is not a linked portal, listing the linked ones', async () => {
    const store = await newStore();
    await suite.client.call('identityStorePortal.add', { identityStore: store, name: 'SelfService', url: PORTAL });
    await suite.client.call('passwordExpiryNotification.set', { identityStore: store, portalUrl: PORTAL });
    const error = await expectRefused(store, 'passwordExpiryNotification.set', { portalUrl: 'https://elsewhere.example/sspr' }, 'passwordPortalUrl', -32004);
    expect(error.message).toContain(PORTAL);
    // The one-call form checks the same.
    await expectRefused(store, 'notificationSettings.set', { passwordPortalUrl: 'https://elsewhere.example/sspr' }, 'passwordPortalUrl', -32004);
  });

  it('refuses a portal URL for an Entra ID store, which has no password-expiry groups', async () => {
    const store = await newStore('Cloud', 'EntraId');
    await suite.client.call('identityStorePortal.add', { identityStore: store, name: 'SelfService', url: PORTAL });
    const error = await expectRefused(store, 'passwordExpiryNotification.set', { portalUrl: PORTAL }, 'passwordPortalUrl', -32004);
    expect(error.message).toContain('Entra ID');
    expect(await suite.client.call('passwordExpiryNotification.get', { identityStore: store })).toEqual({
      identityStore: store, portalUrl: null, available: false, choices: [{ name: 'SelfService', url: PORTAL }],
    });
    expect((await suite.client.call('passwordExpiryNotification.set', { identityStore: store, portalUrl: null })).portalUrl).toBeNull();
  });

  // The URL chosen may be spelled differently from the portal's (the daemon compares them as URLs).
  for (const [linked, chosen] of [[PORTAL, PORTAL], ['https://PORTAL.corp.example:443/selfservice', PORTAL]]) {
    it(`does not let removing the chosen portal (${linked}) block unrelated changes to the store`, async () => {
      const store = await newStore();
      await suite.client.call('identityStorePortal.add', { identityStore: store, name: 'SelfService', url: linked });
      await suite.client.call('passwordExpiryNotification.set', { identityStore: store, portalUrl: chosen });
      // Whether removing a portal in use is refused or clears the URL, the store must stay usable.
      await suite.client.call('identityStorePortal.remove', { identityStore: store, name: 'SelfService' }).catch(() => null);
      const changed = await suite.client.call('membershipLifecycleNotification.set', { identityStore: store, onJoin: true }).catch((e: HeraldError) => `${e.code} ${e.message}`);
      expect(changed).toMatchObject({ onJoin: true });
      // And the URL shown is one of the portals shown, or none.
      const portal = await suite.client.call('passwordExpiryNotification.get', { identityStore: store });
      expect(portal.portalUrl === null || portal.choices.length > 0, JSON.stringify(portal)).toBe(true);
    });
  }
});

describe('life cycles', () => {
  const cases = [
    { method: 'membershipLifecycleNotification.set', field: 'daysBeforeLeave' },
    { method: 'managedByLifecycleNotification.set', field: 'daysBeforeRemoval' },
  ] as const;
  for (const { method, field } of cases) {
    it(`${method}: ${field} takes 1–365; 0 and null mean none`, async () => {
      const store = await newStore();
      const set = (days: number | null) => suite.client.callUntyped(method, { identityStore: store, [field]: days }) as Promise<Record<string, unknown>>;
      expect((await set(1))[field]).toBe(1);
      expect((await set(365))[field]).toBe(365);
      expect((await set(0))[field]).toBeNull();
      await set(30);
      expect((await set(null))[field]).toBeNull();
    });

    it(`${method}: refuses ${field} 366, -1 and 1.5`, async () => {
      const store = await newStore();
      await suite.client.callUntyped(method, { identityStore: store, [field]: 10 });
      for (const days of [366, -1, 1.5]) await expectRefused(store, method, { [field]: days }, field, -32602);
    });
  }

  it('applies the membership values to managed-by when sameAsMembership is on, keeping its own', async () => {
    const store = await newStore();
    await suite.client.call('membershipLifecycleNotification.set', { identityStore: store, onJoin: true, onLeave: false, daysBeforeLeave: 2 });
    const own = { onAdded: false, onRemoved: true, daysBeforeRemoval: 9 };
    await suite.client.call('managedByLifecycleNotification.set', { identityStore: store, ...own });
    const same = await suite.client.call('managedByLifecycleNotification.set', { identityStore: store, sameAsMembership: true });
    expect(same).toEqual({ identityStore: store, sameAsMembership: true, ...own, effectiveOnAdded: true, effectiveOnRemoved: false, effectiveDaysBeforeRemoval: 2 });
    expect(await suite.client.call('managedByLifecycleNotification.get', { identityStore: store })).toEqual(same);
    const apart = await suite.client.call('managedByLifecycleNotification.set', { identityStore: store, sameAsMembership: false });
    expect(apart).toEqual({ identityStore: store, sameAsMembership: false, ...own, effectiveOnAdded: false, effectiveOnRemoved: true, effectiveDaysBeforeRemoval: 9 });
  });
});

describe('clearing', () => {
  const SETS: ['All' | 'Recipients' | 'PasswordExpiry' | 'ML' | 'MB', ClearedSection[]][] = [
    ['Recipients', ['recipients']],
    ['PasswordExpiry', ['passwordExpiry']],
    ['ML', ['membershipLifecycle']],
    ['MB', ['managedByLifecycle']],
    ['All', ['recipients', 'passwordExpiry', 'membershipLifecycle', 'managedByLifecycle']],
  ];
  for (const [clearSet, sections] of SETS) {
    it(`clearSet ${clearSet} resets exactly ${sections.join(', ')}`, async () => {
      const store = await newStore();
      const before = await configureFully(store);
      const expected: Record<string, unknown> = structuredClone(before);
      for (const section of sections) expected[section] = { ...before[section], ...CLEARED[section] };
      const cleared = await suite.client.call('notificationSettings.clear', { identityStore: store, clearSet });
      expect(cleared).toEqual(expected);
      expect(await everything(store)).toEqual(expected);
      expect((await everything(store)).smtp).toEqual(before.smtp);
    });
  }

  it('clears one setting by its switch: cc: true empties cc only', async () => {
    const store = await newStore();
    const before = await configureFully(store);
    const cleared = await suite.client.call('notificationSettings.clear', { identityStore: store, cc: true });
    expect(cleared).toEqual({ ...before, recipients: { ...before.recipients, cc: [] } });
  });

  it('refuses a clear that names nothing: InvalidParams', async () => {
    const store = await newStore();
    await configureFully(store);
    await expectRefused(store, 'notificationSettings.clear', {}, 'clearSet', -32602);
    await expectRefused(store, 'notificationSettings.clear', { cc: false }, 'clearSet', -32602);
  });

  it('smtpServer.clear resets every section and the secrets', async () => {
    const store = await newStore();
    const before = await configureFully(store);
    expect(before.smtp.passwordSet).toBe(true);
    const blank = await everything(await newStore());
    expect(await suite.client.call('smtpServer.clear', { identityStore: store })).toBeNull();
    const after = await everything(store);
    expect(after.smtp).toEqual({ ...blank.smtp, identityStore: store });
    expect(after.smtp).toMatchObject({ passwordSet: false, clientSecretSet: false, userName: null, server: null, configured: false });
    for (const section of Object.keys(CLEARED) as ClearedSection[]) expect(after[section], section).toMatchObject(CLEARED[section]);
    // The portals themselves are no setting: they stay linked.
    expect(after.passwordExpiry.choices).toEqual(before.passwordExpiry.choices);
  });
});

describe('export and import', () => {
  it('round-trips every setting to another store, secrets given again', async () => {
    const a = await newStore('ExportA');
    const b = await newStore('ImportB');
    await configureFully(a);
    // Both secrets: the OAuth2 password flow uses the credential and the client secret.
    await suite.client.call('smtpServer.set', {
      identityStore: a, authentication: 'OAuth2', oauthFlow: 'Password', provider: 'ExchangeOnline',
      tokenEndpoint: 'https://login.corp.example/token', clientId: 'herald-app', clientSecret: CLIENT_SECRET, scope: 'https://outlook.office365.com/.default',
    });
    await suite.client.call('identityStorePortal.add', { identityStore: b, name: 'SelfService', url: PORTAL });
    const exported = await suite.client.call('notificationSettings.export', { identityStore: a });
    const text = JSON.stringify(exported);
    expect(text).not.toContain(PASSWORD);
    expect(text).not.toContain(CLIENT_SECRET);
    expect(exported).toMatchObject({ format: 'herald-notification-settings', version: 1, identityStore: a, secretsSet: { password: true, clientSecret: true } });
    expect(exported.settings).toMatchObject({ server: 'smtp.corp.example', port: 2525, authentication: 'OAuth2', passwordPortalUrl: PORTAL });
    expect(exported.settings).not.toHaveProperty('password');
    expect(exported.settings).not.toHaveProperty('clientSecret');

    const imported = await suite.client.call('notificationSettings.import', { identityStore: b, settings: JSON.parse(text), password: PASSWORD, clientSecret: CLIENT_SECRET });
    const source = await everything(a);
    expect(imported.identityStore).toBe(b);
    expect(withoutStore(imported)).toEqual(withoutStore(source));
    expect(withoutStore(await everything(b))).toEqual(withoutStore(source));
  });

  it('refuses an import that lacks a secret the target needs, changing nothing', async () => {
    const a = await newStore('ExportA');
    await configureFully(a);
    const exported = await suite.client.call('notificationSettings.export', { identityStore: a });
    expect(exported.secretsSet.password).toBe(true);
    const b = await newStore('ImportB');
    await suite.client.call('identityStorePortal.add', { identityStore: b, name: 'SelfService', url: PORTAL });
    await suite.client.call('notificationRecipients.set', { identityStore: b, to: 'keep@corp.example' });
    const error = await expectRefused(b, 'notificationSettings.import', { settings: exported }, 'password', -32004);
    expect(error.errorName).toBe('ValidationFailed');
  });

  it('keeps a secret the target store already has when the import gives none', async () => {
    const a = await newStore('ExportA');
    await configureFully(a);
    const exported = await suite.client.call('notificationSettings.export', { identityStore: a });
    const b = await newStore('ImportB');
    await suite.client.call('identityStorePortal.add', { identityStore: b, name: 'SelfService', url: PORTAL });
    await suite.client.call('smtpServer.set', { identityStore: b, userName: 'someone', password: 'B-own-password' });
    const imported = await suite.client.call('notificationSettings.import', { identityStore: b, settings: exported });
    expect(imported.smtp).toMatchObject({ authentication: 'Basic', userName: 'relay', passwordSet: true });
  });

  for (const [what, change, field] of [
    ['an invalid value', { port: 70000 }, 'settings.settings.port'],
    ['an unknown key', { colour: 'blue' }, 'settings.settings.colour'],
  ] as const) {
    it(`refuses an export with ${what}: InvalidParams, nothing changed`, async () => {
      const a = await newStore('ExportA');
      await suite.client.call('smtpServer.set', { identityStore: a, server: 'smtp.corp.example', port: 25 });
      const exported = await suite.client.call('notificationSettings.export', { identityStore: a });
      const b = await newStore('ImportB');
      await suite.client.call('smtpServer.set', { identityStore: b, server: 'smtp.keep.example', from: 'keep@corp.example' });
      await suite.client.call('notificationRecipients.set', { identityStore: b, cc: 'keep@corp.example' });
      await expectRefused(b, 'notificationSettings.import', { settings: { ...exported, settings: { ...exported.settings, ...change } } }, field, -32602);
    });
  }
});

describe('settings history', () => {
  const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
  const summary = (entries: ResultOf<'settingsHistory.get'>) => entries.map(({ identityStore, actor, method, section, field, oldValue, newValue, secret }) =>
    ({ identityStore, actor, method, section, field, oldValue, newValue, secret }));

  it('lists a store\'s changes newest first: who, which method, section, field, old and new value', async () => {
    const store = await newStore('History');
    await suite.client.call('smtpServer.set', { identityStore: store, server: 'smtp.one.example', port: 25 });
    await suite.client.call('smtpServer.set', { identityStore: store, port: 587 });
    await suite.client.call('notificationRecipients.set', { identityStore: store, cc: 'audit@corp.example' });
    await suite.client.call('membershipLifecycleNotification.set', { identityStore: store, daysBeforeLeave: 5 });
    // A refused change leaves no entry.
    await failure(suite.client.call('smtpServer.set', { identityStore: store, port: 26, authentication: 'Basic' }));

    const actor = 'local administrator';
    const latest = await suite.client.call('settingsHistory.get', { identityStore: store, first: 3 });
    expect(summary(latest)).toEqual([
      { identityStore: store, actor, method: 'membershipLifecycleNotification.set', section: 'MembershipLifecycle', field: 'membershipDaysBeforeLeave', oldValue: null, newValue: 5, secret: false },
      { identityStore: store, actor, method: 'notificationRecipients.set', section: 'Recipients', field: 'cc', oldValue: [], newValue: ['audit@corp.example'], secret: false },
      { identityStore: store, actor, method: 'smtpServer.set', section: 'Smtp', field: 'port', oldValue: 25, newValue: 587, secret: false },
    ]);
    const all = await suite.client.call('settingsHistory.get', { identityStore: store });
    expect(all.map((e) => e.field).sort()).toEqual(['cc', 'membershipDaysBeforeLeave', 'port', 'port', 'server'].sort());
    expect(all.map((e) => e.id)).toEqual([...all.map((e) => e.id)].sort((x, y) => y - x));
    for (const entry of all) expect(entry.at).toMatch(ISO_UTC);
    expect(all.slice(0, 3)).toEqual(latest);
    expect(all.find((e) => e.field === 'server')).toMatchObject({ oldValue: null, newValue: 'smtp.one.example' });
  });

  it('records secret changes as changed, never with their values', async () => {
    const store = await newStore('History');
    await suite.client.call('smtpServer.set', { identityStore: store, server: 'smtp.corp.example', authentication: 'Basic', credential: { userName: 'relay', password: PASSWORD } });
    await suite.client.call('smtpServer.set', { identityStore: store, password: `${PASSWORD}-2` });
    await suite.client.call('smtpServer.set', { identityStore: store, authentication: 'OAuth2', oauthFlow: 'ClientCredentials', tokenEndpoint: 'https://login.corp.example/token', clientId: 'app', scope: 'mail', clientSecret: CLIENT_SECRET });
    const entries = await suite.client.call('settingsHistory.get', { identityStore: store });
    const secrets = entries.filter((e) => e.secret);
    expect(secrets.map((e) => e.field)).toEqual(['clientSecret', 'password', 'password']);
    for (const entry of secrets) {
      expect(entry).toMatchObject({ section: 'Smtp', secret: true, oldValue: null, method: 'smtpServer.set' });
      expect(entry.newValue).not.toBe(PASSWORD);
    }
    expect(entries.find((e) => e.field === 'userName')).toMatchObject({ secret: false, oldValue: null, newValue: 'relay' });
    const text = JSON.stringify(await suite.client.call('settingsHistory.get', { first: 10_000 }));
    expect(text).not.toContain(PASSWORD);
    expect(text).not.toContain(CLIENT_SECRET);
  });

  it('covers every store when no store is named', async () => {
    const one = await newStore('History');
    const two = await newStore('History');
    await suite.client.call('smtpServer.set', { identityStore: one, server: 'smtp.one.example' });
    await suite.client.call('smtpServer.set', { identityStore: two, server: 'smtp.two.example' });
    const latest = await suite.client.call('settingsHistory.get', { first: 2 });
    expect(summary(latest).map((e) => [e.identityStore, e.newValue])).toEqual([[two, 'smtp.two.example'], [one, 'smtp.one.example']]);
    const all = await suite.client.call('settingsHistory.get', { first: 10_000 });
    expect(all.some((e) => e.identityStore === one) && all.some((e) => e.identityStore === two)).toBe(true);
    expect(all.map((e) => e.id)).toEqual([...all.map((e) => e.id)].sort((x, y) => y - x));
  });

  it('keeps a removed store\'s entries, under its name', async () => {
    const store = await newStore('Removed');
    await suite.client.call('smtpServer.set', { identityStore: store, server: 'smtp.gone.example', port: 2525 });
    await suite.client.call('notificationRecipients.set', { identityStore: store, to: 'gone@corp.example' });
    const before = await suite.client.call('settingsHistory.get', { identityStore: store });
    expect(before).toHaveLength(3);
    expect(await suite.client.call('identityStore.remove', { identity: store })).toBeNull();
    const all = await suite.client.call('settingsHistory.get', { first: 10_000 });
    expect(all.filter((e) => e.identityStore === store)).toEqual(before);
    // The store itself is gone: asking for it by name is NotFound.
    const error = await failure(suite.client.call('settingsHistory.get', { identityStore: store }));
    expect({ code: error.code, field: error.data?.field }).toEqual({ code: -32000, field: 'identityStore' });
  });
});
