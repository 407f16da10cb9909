import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../database.js';
import type { Db } from '../../database.js';
import type { DirectoryLink, DirectoryProvider } from '../provider.js';
import { loadConnection, saveConnection } from './connection-store.js';
import { createLdapDirectory } from './ldap-directory.js';
import { applyEntries } from './mirror.js';
import type { DirectoryEntry } from './ldap-entries.js';
import { WriteJournal } from './write-journal.js';

// Which changes to herald's copy of a directory become changes for the server: links in effect
// (perpetual, temporary, pending removal) are in the server's member list, pending additions and
// temporary removals are herald's alone until their dates. Real SQLite; no server is needed, as
// the journal is what would be sent.

let dir: string;
let db: Db;
let journal: WriteJournal;
let provider: DirectoryProvider;
const ids: Record<string, number> = {};

const entry = (name: string, kind: DirectoryEntry['kind'], n: number): DirectoryEntry => ({
  guid: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`, sid: null, dn: `cn=${name},dc=lab`, kind, name, displayName: null, mail: null,
  enabled: null, passwordNeverExpires: null, passwordLastSet: null, managerDn: undefined, memberDns: [], ownerDns: kind === 'Group' ? [] : undefined, mark: null,
});

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'herald-ldap-directory-'));
  db = openDatabase(join(dir, 'herald.db'));
  const now = '2026-11-26T09:00:00.000Z';
  const { id: storeId } = db.prepare("INSERT INTO identity_store (name, name_key, type, created_at, updated_at) VALUES ('Lab', 'lab', 'Ldap', ?, ?) RETURNING id").get(now, now) as { id: number };
  saveConnection(db, { storeId, server: 'ldap.lab', port: 389, encryption: 'StartTls', caCertificate: null, baseDn: 'dc=lab', serviceAccount: 'cn=herald,dc=lab', overrides: {}, syncMark: null, lastSyncAt: null, updatedAt: now });
  const entries = [entry('team', 'Group', 1), entry('alice', 'User', 2)];
  applyEntries(db, storeId, entries, { full: true, now });
  for (const { name } of entries) ids[name] = (db.prepare('SELECT id FROM directory_object WHERE name = ?').get(name) as { id: number }).id;
  journal = new WriteJournal();
  provider = createLdapDirectory(db, loadConnection(db, storeId)!, journal, async () => false);
  journal.begin();
});

afterEach(() => {
  journal?.end();
  db?.close();
  rmSync(dir, { recursive: true, force: true });
  for (const key of Object.keys(ids)) delete ids[key];
});

const link = (type: DirectoryLink['type']): DirectoryLink => ({ kind: 'Member', parentId: ids.team, childId: ids.alice, type, startDate: null, endDate: null, notifyOptOut: false });
const sent = () => journal.end().map(({ operation, attribute, values }) => `${operation} ${attribute} ${values.join(';')}`);

describe('temporary records on a directory server', () => {
  it('a pending addition is herald\'s alone; on its start date it reaches the server', () => {
    provider.addLink(link('AdditionPending'));
    expect(sent()).toEqual([]);
    journal.begin();
    provider.addLink(link('Temporary'));
    expect(sent()).toEqual(['add member cn=alice,dc=lab']);
  });

  it('a temporary member leaves the server at its end; a temporary removal comes back on its date', () => {
    provider.addLink(link('Temporary'));
    journal.end();
    journal.begin();
    provider.removeLink('Member', ids.team, ids.alice);
    expect(sent()).toEqual(['delete member cn=alice,dc=lab']);
    journal.begin();
    provider.addLink(link('TemporaryRemoved'));
    expect(sent()).toEqual([]);
    journal.begin();
    provider.addLink(link('Perpetual'));
    expect(sent()).toEqual(['add member cn=alice,dc=lab']);
  });

  it('additional managers have no attribute in OpenLDAP: herald keeps them without a word to the server', () => {
    provider.addLink({ kind: 'AdditionalManager', parentId: ids.alice, childId: ids.alice, type: 'Perpetual', startDate: null, endDate: null, notifyOptOut: false });
    expect(sent()).toEqual([]);
  });
});
