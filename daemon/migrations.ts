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
];
