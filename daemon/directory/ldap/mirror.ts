import { randomUUID } from 'node:crypto';
import type { Db } from '../../database.js';
import type { ChangeKind } from '../../notifier/change-event.js';
import { foldName, isSqliteConstraint, prepared } from '../../sql.js';
import { createBuiltinDirectory, dnKey } from '../builtin-directory.js';
import type { DirectoryObject, LinkKind, LinkType } from '../provider.js';
import type { DirectoryEntry } from './ldap-entries.js';

/**
 * herald's copy of a directory server's users, groups and contacts, in the tables the builtin
 * directory uses, keyed by the server's GUID. What the server has an attribute for is
 * overwritten by each sync; what it has none for (security type, link types and dates, opt-outs,
 * what the attribute map leaves unmapped) is herald's own and kept.
 */

export interface MirrorChange {
  kind: ChangeKind;
  object: DirectoryObject;
  related?: DirectoryObject;
  changes?: { attribute: string; oldValue: unknown; newValue: unknown }[];
}

export interface MirrorResult {
  added: number;
  removed: number;
  /** Name clashes and the like: entries herald could not keep, by DN. */
  skipped: string[];
  changes: MirrorChange[];
}

interface Row {
  id: number;
  manager_id: number | null;
}

/** Links the directory holds are in effect; pending additions and temporary removals are herald's alone. */
const NOT_IN_DIRECTORY = new Set<LinkType>(['AdditionPending', 'TemporaryRemoved']);

/**
 * Brings herald's copy in line with the entries read. Each change found is passed to `record`
 * as it is made, while the objects it concerns are still there (a deleted group's members can
 * still be told); nothing is recorded for objects that are new to herald.
 */
export function applyEntries(db: Db, storeId: number, entries: DirectoryEntry[], options: { full: boolean; now: string; record?: (change: MirrorChange) => void }): MirrorResult {
  const dir = createBuiltinDirectory(db, storeId);
  const byGuid = prepared(db, 'SELECT id, manager_id FROM directory_object WHERE store_id = ? AND guid = ?');
  const byDnKey = prepared(db, 'SELECT id FROM directory_object WHERE store_id = ? AND dn_key = ?');
  const result: MirrorResult = { added: 0, removed: 0, skipped: [], changes: [] };
  const ids = new Map<DirectoryEntry, { id: number; managerBefore: number | null; isNew: boolean }>();
  const emit = (change: MirrorChange) => {
    result.changes.push(change);
    options.record?.(change);
  };

  for (const entry of entries) {
    const existing = byGuid.get(storeId, entry.guid) as Row | undefined;
    const key = dnKey(entry.dn) ?? entry.dn.toLowerCase();
    const values = {
      store: storeId, guid: entry.guid, kind: entry.kind, name: entry.name, nameKey: foldName(entry.name), dn: entry.dn, dnKey: key,
      displayName: entry.displayName, mail: entry.mail, mailKey: entry.mail ? foldName(entry.mail) : null,
      enabled: entry.enabled === null ? null : entry.enabled ? 1 : 0, never: entry.passwordNeverExpires === null ? null : entry.passwordNeverExpires ? 1 : 0,
      passwordLastSet: entry.passwordLastSet, now: options.now,
    };
    try {
      // A DN now held by another GUID: that object was deleted and replaced, or moved away.
      prepared(db, 'UPDATE directory_object SET dn_key = ? WHERE store_id = ? AND dn_key = ? AND guid <> ?').run(`moved:${randomUUID()}`, storeId, key, entry.guid);
      if (existing) {
        prepared(db, `UPDATE directory_object SET kind = @kind, name = @name, name_key = @nameKey, dn = @dn, dn_key = @dnKey, display_name = @displayName,
            mail = @mail, mail_key = @mailKey, enabled = coalesce(@enabled, enabled), password_never_expires = coalesce(@never, password_never_expires),
            password_last_set = @passwordLastSet, updated_at = @now WHERE store_id = @store AND guid = @guid`).run(values);
        ids.set(entry, { id: existing.id, managerBefore: existing.manager_id, isNew: false });
      } else {
        const { id } = prepared(db, `INSERT INTO directory_object (store_id, guid, kind, name, name_key, dn, dn_key, display_name, mail, mail_key, enabled,
            security_type, password_last_set, password_never_expires, created_at, updated_at)
          VALUES (@store, @guid, @kind, @name, @nameKey, @dn, @dnKey, @displayName, @mail, @mailKey, coalesce(@enabled, 1),
            CASE WHEN @kind = 'Group' THEN 'Private' END, @passwordLastSet, coalesce(@never, 0), @now, @now) RETURNING id`).get(values) as { id: number };
        ids.set(entry, { id, managerBefore: null, isNew: true });
        result.added++;
      }
    } catch (error) {
      if (!isSqliteConstraint(error, 'UNIQUE')) throw error;
      result.skipped.push(entry.dn);
    }
  }

  // Member lists name objects by DN, usually spelt as the entries' own: a plain map finds those
  // (parsing 10,000 DNs costs a quarter of a second), the DN key the other spellings.
  let byDn: Map<string, number> | undefined;
  const idOfDn = (dn: string): number | undefined => {
    byDn ??= new Map((prepared(db, 'SELECT id, dn FROM directory_object WHERE store_id = ?').all(storeId) as { id: number; dn: string }[]).map((row) => [row.dn.toLowerCase(), row.id]));
    return byDn.get(dn.toLowerCase()) ?? (byDnKey.get(storeId, dnKey(dn) ?? dn.toLowerCase()) as { id: number } | undefined)?.id;
  };

  for (const [entry, { id, managerBefore, isNew }] of ids) {
    const object = () => dir.get(id)!;
    if (entry.managerDn !== undefined) {
      const managerId = entry.managerDn === null ? null : idOfDn(entry.managerDn) ?? null;
      if (managerId !== managerBefore) {
        prepared(db, 'UPDATE directory_object SET manager_id = ? WHERE id = ?').run(managerId, id);
        if (!isNew) {
          const name = (other: number | null) => (other === null ? null : dir.get(other)?.name ?? null);
          emit({ kind: 'ObjectModified', object: object(), changes: [{ attribute: entry.kind === 'Group' ? 'managedBy' : 'manager', oldValue: name(managerBefore), newValue: name(managerId) }] });
        }
      }
    }
    if (entry.kind !== 'Group') continue;
    const lists: [LinkKind, string[] | undefined, ChangeKind, ChangeKind][] = [
      ['Member', entry.memberDns, 'MemberAdded', 'MemberRemoved'],
      ['AdditionalOwner', entry.ownerDns, 'OwnerAdded', 'OwnerRemoved'],
    ];
    for (const [linkKind, dns, addedKind, removedKind] of lists) {
      if (dns === undefined) continue;
      const wanted = new Set(dns.map(idOfDn).filter((child): child is number => child !== undefined && child !== id));
      const current = new Map(dir.links({ kind: linkKind, parentId: id }).map((link) => [link.childId, link]));
      for (const [childId, link] of current) {
        if (wanted.has(childId) || NOT_IN_DIRECTORY.has(link.type)) continue;
        const child = dir.get(childId);
        dir.removeLink(linkKind, id, childId);
        if (!isNew && child) emit({ kind: removedKind, object: object(), related: child });
      }
      for (const childId of wanted) {
        const link = current.get(childId);
        if (link && !NOT_IN_DIRECTORY.has(link.type)) continue;
        dir.addLink({ kind: linkKind, parentId: id, childId, type: 'Perpetual', startDate: null, endDate: null, notifyOptOut: link?.notifyOptOut ?? false });
        if (!isNew) emit({ kind: addedKind, object: object(), related: dir.get(childId)! });
      }
    }
  }

  if (options.full) {
    const seen = new Set(entries.map((entry) => entry.guid));
    const rows = prepared(db, 'SELECT id, guid FROM directory_object WHERE store_id = ?').all(storeId) as { id: number; guid: string }[];
    for (const row of rows) {
      if (seen.has(row.guid)) continue;
      const gone = dir.get(row.id);
      if (gone) emit({ kind: 'ObjectDeleted', object: gone });
      dir.remove(row.id);
      result.removed++;
    }
  }
  return result;
}
