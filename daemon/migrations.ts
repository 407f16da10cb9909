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
  // 4: mail templates a store changed; a NULL part, or no row, means the built-in default, so that
  // a part nobody changed follows improvements to the defaults. No CHECK on kind: new kinds need
  // no migration.
  `CREATE TABLE notification_template (
     store_id   INTEGER NOT NULL REFERENCES identity_store(id) ON DELETE CASCADE,
     kind       TEXT NOT NULL,
     subject    TEXT,
     text_body  TEXT,
     html_body  TEXT,
     updated_at TEXT NOT NULL,
     updated_by TEXT NOT NULL,
     PRIMARY KEY (store_id, kind)
   );`,
  // 5: the builtin directory (users, groups, contacts and the links between them) and the change
  // events every change through herald records
  `CREATE TABLE directory_object (
     id                     INTEGER PRIMARY KEY,
     store_id               INTEGER NOT NULL REFERENCES identity_store(id) ON DELETE CASCADE,
     guid                   TEXT NOT NULL UNIQUE,
     kind                   TEXT NOT NULL CHECK (kind IN ('User', 'Group', 'Contact')),
     name                   TEXT NOT NULL,
     name_key               TEXT NOT NULL,
     dn                     TEXT NOT NULL,
     dn_key                 TEXT NOT NULL,
     display_name           TEXT,
     mail                   TEXT,
     mail_key               TEXT,
     enabled                INTEGER NOT NULL DEFAULT 1,
     manager_id             INTEGER REFERENCES directory_object(id) ON DELETE SET NULL,
     security_type          TEXT CHECK (security_type IN ('Private', 'SemiPrivate', 'Public')),
     password_hash          TEXT,
     password_last_set      TEXT,
     password_never_expires INTEGER NOT NULL DEFAULT 0,
     created_at             TEXT NOT NULL,
     updated_at             TEXT NOT NULL,
     UNIQUE (store_id, name_key),
     UNIQUE (store_id, dn_key)
   );
   CREATE INDEX directory_object_by_mail ON directory_object(store_id, mail_key);
   CREATE TABLE directory_link (
     kind            TEXT NOT NULL CHECK (kind IN ('Member', 'AdditionalOwner', 'AdditionalManager')),
     parent_id       INTEGER NOT NULL REFERENCES directory_object(id) ON DELETE CASCADE,
     child_id        INTEGER NOT NULL REFERENCES directory_object(id) ON DELETE CASCADE,
     type            TEXT NOT NULL DEFAULT 'Perpetual'
                     CHECK (type IN ('Perpetual', 'Temporary', 'AdditionPending', 'RemovalPending', 'TemporaryRemoved')),
     start_date      TEXT,
     end_date        TEXT,
     notify_opt_out  INTEGER NOT NULL DEFAULT 0,
     PRIMARY KEY (kind, parent_id, child_id)
   );
   CREATE INDEX directory_link_by_child ON directory_link(kind, child_id);
   CREATE TABLE change_event (
     id          INTEGER PRIMARY KEY,
     store_id    INTEGER REFERENCES identity_store(id) ON DELETE SET NULL,
     store_name  TEXT NOT NULL,
     at          TEXT NOT NULL,
     actor       TEXT NOT NULL,
     source      TEXT NOT NULL,
     kind        TEXT NOT NULL,
     object_guid TEXT NOT NULL,
     object_name TEXT NOT NULL,
     object_kind TEXT NOT NULL,
     related     TEXT,
     details     TEXT,
     mails       INTEGER NOT NULL DEFAULT 0
   );
   CREATE INDEX change_event_by_store ON change_event(store_id, id);
   CREATE INDEX change_event_by_object ON change_event(object_guid, id);`,
  // 6: per-recipient outcomes are recorded by mail and address
  `CREATE INDEX mail_recipient_by_mail_address ON mail_recipient(mail_id, address);`,
  // 7: named API tokens with roles; only a SHA-256 of each token is kept
  `CREATE TABLE api_token (
     id           INTEGER PRIMARY KEY,
     name         TEXT NOT NULL,
     name_key     TEXT NOT NULL UNIQUE,
     role         TEXT NOT NULL CHECK (role IN ('Administrator', 'Reader')),
     hash         TEXT NOT NULL UNIQUE,
     created_at   TEXT NOT NULL,
     expires_at   TEXT,
     last_used_at TEXT
   );`,
  // 8: the scheduler: life-cycle steps still to take (and taken: applied_at and reminded_at are the
  // idempotency keys, written in the transaction that applies the step or queues the reminder), the
  // password-expiry smart groups' queries, and what each schedule last did. Links are named by store and GUIDs, not row ids, so that any
  // directory provider can be driven by them.
  `CREATE TABLE lifecycle_step (
     id           INTEGER PRIMARY KEY,
     store_id     INTEGER NOT NULL REFERENCES identity_store(id) ON DELETE CASCADE,
     link_kind    TEXT NOT NULL CHECK (link_kind IN ('Member', 'AdditionalOwner', 'AdditionalManager')),
     parent_guid  TEXT NOT NULL,
     child_guid   TEXT NOT NULL,
     due_at       TEXT NOT NULL,
     to_type      TEXT CHECK (to_type IN ('Perpetual', 'Temporary', 'TemporaryRemoved')), -- NULL: the link goes
     to_start     TEXT,
     to_end       TEXT,
     leaves       INTEGER NOT NULL, -- the step takes the link out of effect: reminded X days before
     applied_at   TEXT,
     reminded_at  TEXT,
     outcome      TEXT
   );
   CREATE INDEX lifecycle_step_due ON lifecycle_step(due_at) WHERE applied_at IS NULL;
   -- Reminders still to send: a reminded or applied step leaves the index, so a day of 100,000
   -- reminders is read once, not once per batch.
   CREATE INDEX lifecycle_step_leaving ON lifecycle_step(store_id, due_at) WHERE applied_at IS NULL AND reminded_at IS NULL AND leaves = 1;
   CREATE INDEX lifecycle_step_by_link ON lifecycle_step(store_id, link_kind, parent_guid, child_guid);
   CREATE TABLE smart_group (
     store_id               INTEGER NOT NULL REFERENCES identity_store(id) ON DELETE CASCADE,
     group_guid             TEXT NOT NULL,
     kind                   TEXT NOT NULL CHECK (kind IN ('PasswordExpiry')),
     domain_expiration_days INTEGER NOT NULL,
     expiration_range_days  INTEGER, -- NULL: every password not expired yet
     include_disabled       INTEGER NOT NULL DEFAULT 0,
     include_never_expire   INTEGER NOT NULL DEFAULT 0,
     send_email             INTEGER NOT NULL DEFAULT 0,
     last_update_at         TEXT,
     PRIMARY KEY (store_id, group_guid)
   );
   -- Group attestation: a member marked inactive is removed this many days later (0: at once).
   ALTER TABLE identity_store ADD COLUMN member_inactive_period INTEGER NOT NULL DEFAULT 30;
   CREATE TABLE schedule_run (
     name        TEXT PRIMARY KEY,
     last_run_at TEXT,
     last_result TEXT,
     next_run_at TEXT
   );`,
  // 9: how Ldap and ActiveDirectory stores reach their directory server (the service-account
  // password is sealed in notification_secret as 'servicePassword'); objects read from the server
  // are kept in directory_object keyed by their GUID (entryUUID / objectGUID), with herald-only
  // data (security type, link types and dates, opt-outs) beside them.
  `CREATE TABLE directory_connection (
     store_id        INTEGER PRIMARY KEY REFERENCES identity_store(id) ON DELETE CASCADE,
     server          TEXT NOT NULL,
     port            INTEGER NOT NULL,
     encryption      TEXT NOT NULL CHECK (encryption IN ('None', 'StartTls', 'Ldaps')),
     ca_certificate  TEXT,
     base_dn         TEXT NOT NULL,
     service_account TEXT NOT NULL,
     attribute_map   TEXT NOT NULL DEFAULT '{}', -- the store's overrides of its type's defaults
     sync_mark       TEXT,                       -- highest modifyTimestamp / uSNChanged read so far
     last_sync_at    TEXT,
     updated_at      TEXT NOT NULL
   );`,
];
