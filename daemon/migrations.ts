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
  // 3: the outbox: every mail, its recipients' outcomes, and content shared by identical mails
  `CREATE TABLE mail_content (
     id        INTEGER PRIMARY KEY,
     subject   TEXT NOT NULL,
     text_body TEXT NOT NULL,
     html_body TEXT
   );
   CREATE TABLE mail (
     id              INTEGER PRIMARY KEY,
     store_id        INTEGER REFERENCES identity_store(id) ON DELETE SET NULL,
     store_name      TEXT NOT NULL,
     message_id      TEXT NOT NULL UNIQUE,
     kind            TEXT NOT NULL,
     sender          TEXT,
     content_id      INTEGER NOT NULL REFERENCES mail_content(id),
     status          TEXT NOT NULL CHECK (status IN ('Pending', 'Sending', 'Sent', 'Failed', 'Cancelled')),
     created_at      TEXT NOT NULL,
     next_attempt_at TEXT NOT NULL,
     expires_at      TEXT NOT NULL,
     attempts        INTEGER NOT NULL DEFAULT 0,
     last_attempt_at TEXT,
     last_error      TEXT,
     final_reply     TEXT,
     finished_at     TEXT,
     cancel_wanted   INTEGER NOT NULL DEFAULT 0 -- cancelled while being sent: ends Cancelled unless delivered
   );
   CREATE INDEX mail_due ON mail(next_attempt_at) WHERE status = 'Pending';
   CREATE INDEX mail_by_store ON mail(store_id, id);
   CREATE TABLE mail_recipient (
     mail_id  INTEGER NOT NULL REFERENCES mail(id) ON DELETE CASCADE,
     position INTEGER NOT NULL,
     address  TEXT NOT NULL,
     field    TEXT NOT NULL CHECK (field IN ('to', 'cc')),
     status   TEXT NOT NULL CHECK (status IN ('Pending', 'Accepted', 'Rejected')),
     reply    TEXT,
     PRIMARY KEY (mail_id, position)
   );
   CREATE INDEX mail_recipient_by_address ON mail_recipient(address);`,
];
