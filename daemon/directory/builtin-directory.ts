import { randomUUID } from 'node:crypto';
import { HeraldError } from '../../protocol/index.js';
import { escapeDnValue, formatDn, parseDn } from '../../protocol/directory/dn.js';
import type { Db } from '../database.js';
import { foldName, isSqliteConstraint, prepared, wildcardToLike } from '../sql.js';
import { checkPassword, hashPassword } from './password.js';
import type { DirectoryLink, DirectoryMember, DirectoryObject, DirectoryProvider, LinkKind, ObjectKind, ObjectPatch } from './provider.js';

/**
 * The directory kept in herald's own database (migration 5), for stores with no directory server
 * behind them and for tests. Each object gets a random GUID and the DN `CN=<name>,<container>`;
 * without a container, users go to `CN=Users`, groups to `CN=Groups` and contacts to
 * `CN=Contacts` under `DC=<store>,DC=herald` (a dotted store name gives one DC per label). The
 * DN is fixed when the object is created, as in a real directory: renaming the store moves nothing.
 */

interface ObjectRow {
  id: number;
  guid: string;
  kind: ObjectKind;
  name: string;
  dn: string;
  display_name: string | null;
  mail: string | null;
  enabled: number;
  manager_id: number | null;
  security_type: DirectoryObject['securityType'];
  password_hash: string | null;
  password_last_set: string | null;
  password_never_expires: number;
  created_at: string;
  updated_at: string;
}

interface LinkRow {
  kind: LinkKind;
  parent_id: number;
  child_id: number;
  type: DirectoryLink['type'];
  start_date: string | null;
  end_date: string | null;
  notify_opt_out: number;
}

const CONTAINER_BY_KIND: Record<ObjectKind, string> = { User: 'Users', Group: 'Groups', Contact: 'Contacts' };
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function toObject(row: ObjectRow): DirectoryObject {
  return {
    id: row.id,
    guid: row.guid,
    kind: row.kind,
    name: row.name,
    dn: row.dn,
    displayName: row.display_name,
    mail: row.mail,
    enabled: row.enabled === 1,
    managerId: row.manager_id,
    securityType: row.security_type,
    passwordSet: row.password_hash !== null,
    passwordLastSet: row.password_last_set,
    passwordNeverExpires: row.password_never_expires === 1,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function toLink(row: LinkRow): DirectoryLink {
  return {
    kind: row.kind, parentId: row.parent_id, childId: row.child_id, type: row.type,
    startDate: row.start_date, endDate: row.end_date, notifyOptOut: row.notify_opt_out === 1,
  };
}

/**
 * The key a DN is compared by: attribute types lower-cased, values folded like names and escaped
 * one way, spaces around separators gone. `cn=Users, dc=corp` and `CN=users,DC=Corp` are one DN.
 */
export function dnKey(dn: string): string | undefined {
  const rdns = parseDn(dn);
  return rdns?.map((rdn) => `${rdn.type.toLowerCase()}=${escapeDnValue(foldName(rdn.value))}`).join(',');
}

/** `{B3E1…}` and upper-case GUIDs, as Windows tools print them, are the same GUID. */
function guidKey(text: string): string | undefined {
  const bare = text.replace(/^\{(.*)\}$/, '$1').toLowerCase();
  return GUID.test(bare) ? bare : undefined;
}

const KIND_WORD: Record<ObjectKind, string> = { User: 'user', Group: 'group', Contact: 'contact' };

export function createBuiltinDirectory(db: Db, storeId: number): DirectoryProvider {
  const byId = prepared(db, 'SELECT * FROM directory_object WHERE id = ? AND store_id = ?');
  const byDn = prepared(db, 'SELECT * FROM directory_object WHERE store_id = ? AND dn_key = ?');
  const byGuid = prepared(db, 'SELECT * FROM directory_object WHERE store_id = ? AND guid = ?');
  const byName = prepared(db, 'SELECT * FROM directory_object WHERE store_id = ? AND name_key = ?');
  const byMail = prepared(db, 'SELECT * FROM directory_object WHERE store_id = ? AND mail_key = ? ORDER BY id LIMIT 1');

  const storeName = () => (prepared(db, 'SELECT name FROM identity_store WHERE id = ?').get(storeId) as { name: string } | undefined)?.name ?? String(storeId);

  function defaultContainer(kind: ObjectKind): string {
    const labels = storeName().split('.').filter((label) => label !== '');
    return formatDn([{ type: 'CN', value: CONTAINER_BY_KIND[kind] }, ...labels.map((value) => ({ type: 'DC', value })), { type: 'DC', value: 'herald' }]);
  }

  function row(id: number): ObjectRow | undefined {
    return byId.get(id, storeId) as ObjectRow | undefined;
  }

  /** Names and mail addresses identify objects, so each belongs to one object of the store. */
  function nameTaken(name: string, field: string): HeraldError {
    const holder = byName.get(storeId, foldName(name)) as ObjectRow | undefined;
    const what = holder ? `a ${KIND_WORD[holder.kind]} named '${holder.name}'` : `an object named '${name}'`;
    return new HeraldError('Conflict', `identity store '${storeName()}' already has ${what}`, { field });
  }

  function checkMailFree(mail: string | null | undefined, selfId: number | undefined): void {
    if (!mail) return;
    const holder = byMail.get(storeId, foldName(mail)) as ObjectRow | undefined;
    if (holder && holder.id !== selfId) {
      throw new HeraldError('Conflict', `mail address '${mail}' already belongs to the ${KIND_WORD[holder.kind]} '${holder.name}' in identity store '${storeName()}'`, { field: 'mail' });
    }
  }

  // The method schemas keep these fields off the wrong kinds: getting here is a bug, so a plain
  // Error (logged, InternalError to the caller) rather than a message for the user.
  function checkKindFields(kind: ObjectKind, fields: { password?: string; securityType?: unknown }): void {
    if (fields.password !== undefined && kind !== 'User') throw new Error(`a ${KIND_WORD[kind]} has no password`);
    if (fields.securityType != null && kind !== 'Group') throw new Error(`a ${KIND_WORD[kind]} has no security type`);
  }

  const provider: DirectoryProvider = {
    find(identity, kind) {
      const text = identity.trim();
      let found: ObjectRow | undefined;
      // Most specific first: a DN or a GUID names one object whatever the names and addresses.
      const dn = text.includes('=') ? dnKey(text) : undefined;
      if (dn !== undefined) found = byDn.get(storeId, dn) as ObjectRow | undefined;
      const guid = found ? undefined : guidKey(text);
      if (guid !== undefined) found = byGuid.get(storeId, guid) as ObjectRow | undefined;
      found ??= byName.get(storeId, foldName(text)) as ObjectRow | undefined;
      if (!found && text.includes('@')) found = byMail.get(storeId, foldName(text)) as ObjectRow | undefined;
      if (!found || (kind !== undefined && found.kind !== kind)) return undefined;
      return toObject(found);
    },

    get(id) {
      const found = row(id);
      return found && toObject(found);
    },

    search({ container, kind, name }) {
      let suffix: string | null = null;
      if (container !== undefined) {
        const key = dnKey(container);
        if (key === undefined) return [];
        suffix = ',' + key;
      }
      const rows = prepared(db, `SELECT * FROM directory_object WHERE store_id = @store
          AND (@suffix IS NULL OR substr(dn_key, -length(@suffix)) = @suffix)
          AND (@kind IS NULL OR kind = @kind)
          AND (@name IS NULL OR name_key LIKE @name ESCAPE '\\')
        ORDER BY name_key`)
        .all({ store: storeId, suffix, kind: kind ?? null, name: name === undefined ? null : wildcardToLike(name) }) as ObjectRow[];
      return rows.map(toObject);
    },

    create(object, now) {
      checkKindFields(object.kind, object);
      const container = object.container ?? defaultContainer(object.kind);
      const containerRdns = parseDn(container);
      if (!containerRdns) throw new HeraldError('InvalidParams', `'${container}' is not a distinguished name`, { field: 'container' });
      const dn = formatDn([{ type: 'CN', value: object.name }, ...containerRdns]);
      checkMailFree(object.mail, undefined);
      const hash = object.password === undefined ? null : hashPassword(object.password);
      try {
        const inserted = prepared(db, `INSERT INTO directory_object (store_id, guid, kind, name, name_key, dn, dn_key, display_name, mail, mail_key,
            enabled, manager_id, security_type, password_hash, password_last_set, password_never_expires, created_at, updated_at)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING *`).get(
          storeId, randomUUID(), object.kind, object.name, foldName(object.name), dn, dnKey(dn), object.displayName ?? null,
          object.mail ?? null, object.mail ? foldName(object.mail) : null, object.enabled === false ? 0 : 1, object.managerId ?? null,
          object.kind === 'Group' ? object.securityType ?? 'Private' : null, hash, hash ? now : null, object.passwordNeverExpires ? 1 : 0, now, now,
        ) as ObjectRow;
        return toObject(inserted);
      } catch (error) {
        if (isSqliteConstraint(error, 'UNIQUE')) throw nameTaken(object.name, 'name');
        throw error;
      }
    },

    update(id, patch: ObjectPatch, now) {
      const current = row(id);
      if (!current) throw new Error(`directory object ${id} is not in store ${storeId}`);
      checkKindFields(current.kind, patch);
      const name = patch.newName ?? patch.name ?? current.name;
      let dn = current.dn;
      if (name !== current.name) {
        // A rename keeps the object where it is: same container, new first component.
        const rdns = parseDn(current.dn) ?? [];
        dn = formatDn([{ type: 'CN', value: name }, ...rdns.slice(1)]);
      }
      const mail = patch.mail === undefined ? current.mail : patch.mail;
      checkMailFree(mail, id);
      const hash = patch.password === undefined ? current.password_hash : hashPassword(patch.password);
      try {
        const updated = prepared(db, `UPDATE directory_object SET name = ?, name_key = ?, dn = ?, dn_key = ?, display_name = ?, mail = ?, mail_key = ?,
            enabled = ?, manager_id = ?, security_type = ?, password_hash = ?, password_last_set = ?, password_never_expires = ?, updated_at = ?
          WHERE id = ? RETURNING *`).get(
          name, foldName(name), dn, dnKey(dn), patch.displayName === undefined ? current.display_name : patch.displayName,
          mail, mail ? foldName(mail) : null,
          patch.enabled === undefined ? current.enabled : patch.enabled ? 1 : 0,
          patch.managerId === undefined ? current.manager_id : patch.managerId,
          patch.securityType === undefined || patch.securityType === null ? current.security_type : patch.securityType,
          hash, patch.password === undefined ? current.password_last_set : now,
          patch.passwordNeverExpires === undefined ? current.password_never_expires : patch.passwordNeverExpires ? 1 : 0,
          now, id,
        ) as ObjectRow;
        return toObject(updated);
      } catch (error) {
        if (isSqliteConstraint(error, 'UNIQUE')) throw nameTaken(name, 'newName');
        throw error;
      }
    },

    remove(id) {
      prepared(db, 'DELETE FROM directory_object WHERE id = ? AND store_id = ?').run(id, storeId);
    },

    currentMembers(groupId) {
      // Only the columns fan-out reads, as plain rows: a 100,000-member group is 100,000 of them.
      return (prepared(db, `SELECT o.id, o.kind, o.name, o.mail, o.enabled FROM directory_link l JOIN directory_object o ON o.id = l.child_id
        WHERE l.kind = 'Member' AND l.parent_id = ? AND o.store_id = ? AND l.type NOT IN ('AdditionPending', 'TemporaryRemoved')
        ORDER BY l.rowid`).all(groupId, storeId) as { id: number; kind: DirectoryMember['kind']; name: string; mail: string | null; enabled: number }[])
        .map((row) => ({ id: row.id, kind: row.kind, name: row.name, mail: row.mail, enabled: row.enabled === 1 }));
    },
    links({ kind, parentId, childId }) {
      // One statement per filter: an `(? IS NULL OR col = ?)` test would keep SQLite from using the indexes.
      const where = [parentId !== undefined ? 'l.parent_id = @parent' : '', childId !== undefined ? 'l.child_id = @child' : ''].filter(Boolean);
      const rows = prepared(db, `SELECT l.* FROM directory_link l JOIN directory_object p ON p.id = l.parent_id
        WHERE l.kind = @kind AND p.store_id = @store${where.map((w) => ` AND ${w}`).join('')} ORDER BY l.rowid`)
        .all({ kind, store: storeId, ...(parentId !== undefined ? { parent: parentId } : {}), ...(childId !== undefined ? { child: childId } : {}) }) as LinkRow[];
      return rows.map(toLink);
    },

    addLink(link) {
      prepared(db, `INSERT INTO directory_link (kind, parent_id, child_id, type, start_date, end_date, notify_opt_out) VALUES (?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (kind, parent_id, child_id) DO UPDATE SET type = excluded.type, start_date = excluded.start_date,
          end_date = excluded.end_date, notify_opt_out = excluded.notify_opt_out`)
        .run(link.kind, link.parentId, link.childId, link.type, link.startDate, link.endDate, link.notifyOptOut ? 1 : 0);
    },

    removeLink(kind, parentId, childId) {
      return prepared(db, 'DELETE FROM directory_link WHERE kind = ? AND parent_id = ? AND child_id = ?').run(kind, parentId, childId).changes > 0;
    },

    verifyPassword(userId, password) {
      const found = row(userId);
      if (!found || found.kind !== 'User' || found.password_hash === null) return false;
      return checkPassword(found.password_hash, password);
    },
  };
  return provider;
}
