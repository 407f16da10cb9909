import {
  DEFAULT_SETTINGS, FIELD_NAMES, FIELD_SECTION, SECRET_FIELDS, type SecretField, type StoredSettings,
} from '../../protocol/index.js';
import type { Db } from '../database.js';
import type { SecretBox } from '../secrets.js';
import { prepared } from '../sql.js';

export type SecretPatch = Partial<Record<SecretField, string | null>>;
export type SecretsSet = Record<SecretField, boolean>;

/** Who changed settings, through which method, when: written to the history with each field. */
export interface ChangeContext {
  actor: string;
  method: string;
  at: string;
}

export function loadSettings(db: Db, storeId: number): StoredSettings {
  const row = prepared(db, 'SELECT settings FROM notification_settings WHERE store_id = ?').get(storeId) as { settings: string } | undefined;
  // Fields added by later versions take their defaults in documents written before them.
  return { ...DEFAULT_SETTINGS, ...(row ? (JSON.parse(row.settings) as Partial<StoredSettings>) : {}) };
}

export function secretsSet(db: Db, storeId: number): SecretsSet {
  const names = new Set((prepared(db, 'SELECT name FROM notification_secret WHERE store_id = ?').all(storeId) as { name: string }[]).map((r) => r.name));
  return Object.fromEntries(SECRET_FIELDS.map((field) => [field, names.has(field)])) as SecretsSet;
}

/** Opens one secret for a transport; never for a reply. */
export function readSecret(db: Db, box: SecretBox, storeId: number, field: SecretField): string | undefined {
  const row = prepared(db, 'SELECT sealed FROM notification_secret WHERE store_id = ? AND name = ?').get(storeId, field) as { sealed: string } | undefined;
  return row ? box.open(row.sealed, secretContext(storeId, field)) : undefined;
}

const secretContext = (storeId: number, field: SecretField) => `store:${storeId}:${field}`;

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * Writes a store's new settings and secrets, with one history entry per changed field, in the
 * caller's transaction. Returns the fields that changed.
 */
export function saveSettings(
  db: Db,
  box: SecretBox,
  store: { id: number; name: string },
  before: StoredSettings,
  after: StoredSettings,
  secrets: SecretPatch,
  context: ChangeContext,
): string[] {
  const history = prepared(db, `INSERT INTO settings_history (store_id, store_name, at, actor, method, section, field, old_value, new_value, secret)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const changed: string[] = [];
  for (const field of FIELD_NAMES) {
    if (same(before[field], after[field])) continue;
    changed.push(field);
    history.run(store.id, store.name, context.at, context.actor, context.method, FIELD_SECTION[field], field,
      JSON.stringify(before[field]), JSON.stringify(after[field]), 0);
  }
  prepared(db, `INSERT INTO notification_settings (store_id, settings, updated_at) VALUES (?, ?, ?)
    ON CONFLICT (store_id) DO UPDATE SET settings = excluded.settings, updated_at = excluded.updated_at`)
    .run(store.id, JSON.stringify(after), context.at);
  for (const field of SECRET_FIELDS) {
    const value = secrets[field];
    if (value === undefined) continue;
    if (value === null) {
      const { changes } = prepared(db, 'DELETE FROM notification_secret WHERE store_id = ? AND name = ?').run(store.id, field);
      if (changes === 0) continue;
    } else {
      prepared(db, `INSERT INTO notification_secret (store_id, name, sealed) VALUES (?, ?, ?)
        ON CONFLICT (store_id, name) DO UPDATE SET sealed = excluded.sealed`).run(store.id, field, box.seal(value, secretContext(store.id, field)));
    }
    changed.push(field);
    // A secret's history says that it changed, never what it was or became.
    history.run(store.id, store.name, context.at, context.actor, context.method, FIELD_SECTION[field], field, null, null, 1);
  }
  return changed;
}
