/**
 * Schema changes, numbered from 1 and applied in order; PRAGMA user_version records the last
 * one applied. Never edit a released migration: add the next one.
 */
export const MIGRATIONS: string[] = [
  // 1: identity stores and their portals
  `CREATE TABLE identity_store (
     id          INTEGER PRIMARY KEY,
     name        TEXT NOT NULL,
     name_key    TEXT NOT NULL UNIQUE, -- foldName(name): unique regardless of case, in every script
     type        TEXT NOT NULL CHECK (type IN ('Builtin', 'Ldap', 'ActiveDirectory', 'EntraId')),
     description TEXT,
     created_at  TEXT NOT NULL,
     updated_at  TEXT NOT NULL
   );
   CREATE TABLE identity_store_portal (
     id         INTEGER PRIMARY KEY,
     store_id   INTEGER NOT NULL REFERENCES identity_store(id) ON DELETE CASCADE,
     name       TEXT NOT NULL,
     name_key   TEXT NOT NULL,
     url        TEXT NOT NULL,
     created_at TEXT NOT NULL,
     UNIQUE (store_id, name_key)
   );`,
  // 2: notification settings (one JSON document per store), encrypted secrets, change history
  `CREATE TABLE notification_settings (
     store_id   INTEGER PRIMARY KEY REFERENCES identity_store(id) ON DELETE CASCADE,
     settings   TEXT NOT NULL,
     updated_at TEXT NOT NULL
   );
   CREATE TABLE notification_secret (
     store_id INTEGER NOT NULL REFERENCES identity_store(id) ON DELETE CASCADE,
     name     TEXT NOT NULL,
     sealed   TEXT NOT NULL, -- AES-256-GCM, bound to the store and the field
     PRIMARY KEY (store_id, name)
   );
   CREATE TABLE settings_history (
     id         INTEGER PRIMARY KEY,
     store_id   INTEGER REFERENCES identity_store(id) ON DELETE SET NULL,
     store_name TEXT NOT NULL,
     at         TEXT NOT NULL,
     actor      TEXT NOT NULL,
     method     TEXT NOT NULL,
     section    TEXT NOT NULL,
     field      TEXT NOT NULL,
     old_value  TEXT,
     new_value  TEXT,
     secret     INTEGER NOT NULL
   );
   CREATE INDEX settings_history_by_store ON settings_history(store_id, id);`,
];
