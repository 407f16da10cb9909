import { DEFAULT_SETTINGS, type FieldName, type StoredSettings } from '../../protocol/index.js';
import type { Caller, Services } from '../context.js';
import { requireStore } from '../handlers/identity-store.js';
import { prepared } from '../sql.js';
import { checkSettings, type StoreFacts } from './rules.js';
import { loadSettings, saveSettings, secretsSet, type SecretPatch } from './settings-store.js';
import type { SettingsState } from './views.js';

export type SettingsPatch = Partial<{ [K in FieldName]: StoredSettings[K] }>;

function storeFacts(services: Services, storeName: string, field: string): StoreFacts & { id: number; name: string } {
  const store = requireStore(services.db, storeName, field);
  const portals = prepared(services.db, 'SELECT name, url FROM identity_store_portal WHERE store_id = ? ORDER BY name_key').all(store.id) as { name: string; url: string }[];
  return { id: store.id, name: store.name, type: store.type, portals };
}

/** The current settings of a store, for reads. */
export function readState(services: Services, storeName: string): SettingsState {
  const store = storeFacts(services, storeName, 'identityStore');
  return { store, settings: loadSettings(services.db, store.id), secrets: secretsSet(services.db, store.id) };
}

/**
 * Applies a change to a store's settings in one transaction: computes the new settings from
 * the current ones, checks them whole, writes them with their history. A refused change
 * changes nothing.
 */
export function changeSettings(
  services: Services,
  caller: Caller,
  method: string,
  storeName: string,
  change: (current: StoredSettings) => { patch: SettingsPatch; secrets?: SecretPatch; reset?: boolean },
): SettingsState & { warnings: string[] } {
  const { db, secrets: box, clock } = services;
  return db.transaction(() => {
    const store = storeFacts(services, storeName, 'identityStore');
    const before = loadSettings(db, store.id);
    const { patch, secrets = {}, reset } = change(before);
    const after: StoredSettings = { ...(reset ? structuredClone(DEFAULT_SETTINGS) : before), ...patch };
    const currentSecrets = secretsSet(db, store.id);
    const secretsAfter = { ...currentSecrets };
    for (const [field, value] of Object.entries(secrets)) secretsAfter[field as keyof typeof secretsAfter] = value !== null;
    const warnings = checkSettings(after, secretsAfter, store);
    saveSettings(db, box, store, before, after, secrets, { actor: caller.actor, method, at: clock().toISOString() });
    return { store, settings: after, secrets: secretsAfter, warnings };
  })();
}
