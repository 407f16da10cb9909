import { HeraldError } from '../../../protocol/index.js';
import type { Db } from '../../database.js';
import { createBuiltinDirectory } from '../builtin-directory.js';
import type { DirectoryLink, DirectoryProvider, LinkKind, LinkType, PasswordPolicy } from '../provider.js';
import type { DirectoryConnection } from './connection-store.js';
import type { WriteJournal } from './write-journal.js';

const IN_EFFECT = new Set<LinkType>(['Perpetual', 'Temporary', 'RemovalPending']);

function notHere(connection: DirectoryConnection, what: string, field: string): HeraldError {
  return new HeraldError('InvalidParams', `${what} in identity store '${connection.storeName}' is done in the directory itself (${connection.server}): herald reads the result at the next sync`, {
    field, remedy: `make the change with your directory tools, then Sync-IdentityStore '${connection.storeName}'`,
  });
}

/**
 * The directory of an Ldap or ActiveDirectory store: reads come from herald's copy, which the sync
 * keeps up to date; each change is made to the copy and recorded in the journal, and the
 * write-through runner sends the journal to the server before the copy's change is committed.
 * Data the attribute map has no attribute for changes in herald only.
 */
export function createLdapDirectory(
  db: Db, connection: DirectoryConnection, journal: WriteJournal, bindUser: (dn: string, password: string) => Promise<boolean>,
  passwordPolicy: () => PasswordPolicy | undefined = () => undefined,
): DirectoryProvider {
  const copy = createBuiltinDirectory(db, connection.storeId);
  const map = connection.attributeMap;
  const storeId = connection.storeId;
  const dnOf = (id: number) => {
    const object = copy.get(id);
    if (!object) throw new Error(`directory object ${id} is not in store ${storeId}`);
    return object.dn;
  };
  const linkAttribute = (kind: LinkKind) => (kind === 'Member' ? map.member : kind === 'AdditionalOwner' ? map.additionalOwners : null);
  const existingLink = (kind: LinkKind, parentId: number, childId: number): DirectoryLink | undefined =>
    copy.links({ kind, parentId, childId }).find((link) => link.childId === childId);

  return {
    ...copy,

    create() {
      throw notHere(connection, 'creating objects', 'name');
    },

    remove() {
      throw notHere(connection, 'removing objects', 'identity');
    },

    update(id, patch, now) {
      const before = copy.get(id);
      if (!before) throw new Error(`directory object ${id} is not in store ${storeId}`);
      if ((patch.newName ?? patch.name) !== undefined && (patch.newName ?? patch.name) !== before.name) throw notHere(connection, 'renaming objects', 'newName');
      if (patch.password !== undefined) throw notHere(connection, 'setting passwords', 'password');
      if (patch.enabled !== undefined && map.accountControl !== null) throw notHere(connection, 'enabling and disabling accounts', 'enabled');
      const replace = (attribute: string | null, values: string[]) => {
        if (attribute) journal.push({ storeId, dn: before.dn, operation: 'replace', attribute, values });
      };
      if (patch.displayName !== undefined && patch.displayName !== before.displayName) replace(map.displayName, patch.displayName ? [patch.displayName] : []);
      if (patch.mail !== undefined && patch.mail !== before.mail) replace(map.mail, patch.mail ? [patch.mail] : []);
      if (patch.managerId !== undefined && patch.managerId !== before.managerId) {
        replace(before.kind === 'Group' ? map.managedBy : map.manager, patch.managerId === null ? [] : [dnOf(patch.managerId)]);
      }
      return copy.update(id, patch, now);
    },

    addLink(link) {
      const attribute = linkAttribute(link.kind);
      if (attribute) {
        const before = existingLink(link.kind, link.parentId, link.childId);
        const was = before !== undefined && IN_EFFECT.has(before.type);
        const will = IN_EFFECT.has(link.type);
        if (was !== will) journal.push({ storeId, dn: dnOf(link.parentId), operation: will ? 'add' : 'delete', attribute, values: [dnOf(link.childId)] });
      }
      copy.addLink(link);
    },

    removeLink(kind, parentId, childId) {
      const attribute = linkAttribute(kind);
      const before = existingLink(kind, parentId, childId);
      if (attribute && before && IN_EFFECT.has(before.type)) journal.push({ storeId, dn: dnOf(parentId), operation: 'delete', attribute, values: [dnOf(childId)] });
      return copy.removeLink(kind, parentId, childId);
    },

    verifyPassword(userId, password) {
      const user = copy.get(userId);
      // An empty password would be an anonymous bind, which every server accepts.
      if (!user || user.kind !== 'User' || password === '') return false;
      return bindUser(user.dn, password);
    },

    passwordPolicy,
  };
}
