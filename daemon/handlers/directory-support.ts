import { HeraldError, type ContactView, type GroupView, type MemberView, type ObjectSummary, type UserView } from '../../protocol/index.js';
import type { Caller, Services } from '../context.js';
import type { DirectoryLink, DirectoryObject, DirectoryProvider, LinkKind, ObjectKind } from '../directory/provider.js';
import type { ChangeEvent, ChangeKind } from '../notifier/change-event.js';
import { typeInEffect } from '../scheduler/lifecycle-plan.js';
import { replaceSteps } from '../scheduler/lifecycle-steps.js';
import { prepared } from '../sql.js';
import { actorOf } from './session.js';
import { requireStore } from './identity-store.js';

/**
 * What every directory handler starts from: the store (named, or the only one), its directory,
 * the time of the call, and a way to record changes as the caller's. Built inside the handler's
 * transaction, so that the lookups and the changes see one state.
 */
export interface DirectoryScope {
  store: { id: number; name: string };
  dir: DirectoryProvider;
  now: string;
  /** The object an identity names, of one of the kinds, or NotFound naming the identity and the field. */
  require(identity: string, field: string, kinds?: ObjectKind[]): DirectoryObject;
  /** Each identity of a list, once, in the order given. */
  requireAll(identities: string[], field: string, kinds?: ObjectKind[]): DirectoryObject[];
  record(kind: ChangeKind, object: DirectoryObject, extra?: Pick<ChangeEvent, 'related' | 'changes'>): void;
  /** A link set or removed outside the life cycle: the steps it had planned are void. */
  forgetSteps(kind: LinkKind, parent: DirectoryObject, child: DirectoryObject): void;
}

export type AttributeChange = NonNullable<ChangeEvent['changes']>[number];

const KIND_WORD: Record<ObjectKind, string> = { User: 'user', Group: 'group', Contact: 'contact' };
/** Links in effect now: pending additions and temporary removals are not (yet, or for now). */
export function inEffect(link: DirectoryLink): boolean {
  return typeInEffect(link.type);
}

/** Reference scripts never name a store (the session's is meant): with one store, that one. */
export function directoryStoreOf(services: Services, name: string | undefined): { id: number; name: string } {
  if (name !== undefined) return requireStore(services.db, name, 'identityStore');
  const stores = prepared(services.db, 'SELECT id, name FROM identity_store ORDER BY id LIMIT 2').all() as { id: number; name: string }[];
  if (stores.length === 1) return stores[0];
  throw new HeraldError('InvalidParams', stores.length ? 'there are several identity stores: name one with -IdentityStore' : 'there is no identity store yet', {
    field: 'identityStore',
    remedy: stores.length ? 'add -IdentityStore <name>; Get-IdentityStore lists them' : 'create one with New-IdentityStore',
  });
}

export function openScope(services: Services, identityStore: string | undefined, caller: Caller): DirectoryScope {
  const store = directoryStoreOf(services, identityStore);
  const dir = services.directory(store.id);
  const require = (identity: string, field: string, kinds?: ObjectKind[]): DirectoryObject => {
    const found = dir.find(identity);
    if (!found) {
      throw new HeraldError('NotFound', `${field} '${identity}' not found in identity store '${store.name}': no object has that DN, GUID, name or mail address`, {
        field, remedy: `Get-Object -Name '${identity.replace(/'/g, "''")}*' lists objects whose name starts so`,
      });
    }
    if (kinds && !kinds.includes(found.kind)) {
      const wanted = kinds.map((k) => KIND_WORD[k]).join(' or ');
      throw new HeraldError('NotFound', `${field} '${identity}' in identity store '${store.name}' is a ${KIND_WORD[found.kind]}, not a ${wanted}`, { field });
    }
    return found;
  };
  return {
    store,
    dir,
    now: services.clock().toISOString(),
    require,
    requireAll(identities, field, kinds) {
      const seen = new Set<number>();
      return identities.map((identity) => require(identity, field, kinds)).filter((object) => !seen.has(object.id) && seen.add(object.id));
    },
    forgetSteps(kind, parent, child) {
      replaceSteps(services.db, { storeId: store.id, kind, parentGuid: parent.guid, childGuid: child.guid }, []);
    },
    record(kind, object, extra = {}) {
      services.changes.record({
        storeId: store.id, storeName: store.name, kind, object, ...extra,
        actor: actorOf(services, caller, store.id), source: 'rpc',
      });
    },
  };
}

/** Get-User, Get-Group, Get-Contact: one by identity, those whose name matches a pattern, or all. */
export function findObjects(scope: DirectoryScope, identity: string | undefined, kind: DirectoryObject['kind']): DirectoryObject[] {
  if (identity === undefined) return scope.dir.search({ kind });
  if (/[*?]/.test(identity)) return scope.dir.search({ kind, name: identity });
  return [scope.require(identity, 'identity', [kind])];
}

export const refuse = (field: string, message: string, remedy?: string): HeraldError => new HeraldError('ValidationFailed', message, { field, ...(remedy ? { remedy } : {}) });

const nameOf = (dir: DirectoryProvider, id: number | null): string | null => (id === null ? null : dir.get(id)?.name ?? null);

/** The names of the children of an object's links of a kind, sorted as names are compared. */
export function linkedNames(dir: DirectoryProvider, kind: LinkKind, parentId: number, filter: (link: DirectoryLink) => boolean = () => true): string[] {
  return dir.links({ kind, parentId }).filter(filter).map((link) => dir.get(link.childId)?.name).filter((name): name is string => name !== undefined)
    .sort((a, b) => a.localeCompare(b, undefined, { sensitivity: 'base' }));
}

export function userView(scope: DirectoryScope, user: DirectoryObject): UserView {
  const { dir } = scope;
  return {
    identityStore: scope.store.name, guid: user.guid, kind: 'User', name: user.name, dn: user.dn, displayName: user.displayName, mail: user.mail,
    enabled: user.enabled, manager: nameOf(dir, user.managerId), additionalManagers: linkedNames(dir, 'AdditionalManager', user.id),
    passwordSet: user.passwordSet, passwordLastSet: user.passwordLastSet, passwordNeverExpires: user.passwordNeverExpires,
    createdAt: user.createdAt, updatedAt: user.updatedAt,
  };
}

export function groupView(scope: DirectoryScope, group: DirectoryObject): GroupView {
  const { dir } = scope;
  return {
    identityStore: scope.store.name, guid: group.guid, kind: 'Group', name: group.name, dn: group.dn, displayName: group.displayName, mail: group.mail,
    securityType: group.securityType ?? 'Private', managedBy: nameOf(dir, group.managerId),
    additionalOwners: linkedNames(dir, 'AdditionalOwner', group.id),
    notifyOptOutAdditionalOwners: linkedNames(dir, 'AdditionalOwner', group.id, (link) => link.notifyOptOut),
    memberCount: dir.links({ kind: 'Member', parentId: group.id }).filter(inEffect).length,
    createdAt: group.createdAt, updatedAt: group.updatedAt,
  };
}

export function contactView(scope: DirectoryScope, contact: DirectoryObject): ContactView {
  return {
    identityStore: scope.store.name, guid: contact.guid, kind: 'Contact', name: contact.name, dn: contact.dn, displayName: contact.displayName,
    mail: contact.mail, createdAt: contact.createdAt, updatedAt: contact.updatedAt,
  };
}

export function summaryView(scope: DirectoryScope, object: DirectoryObject): ObjectSummary {
  return { identityStore: scope.store.name, guid: object.guid, kind: object.kind, name: object.name, dn: object.dn, displayName: object.displayName, mail: object.mail };
}

export function memberView(scope: DirectoryScope, member: DirectoryObject, group: DirectoryObject, link: DirectoryLink): MemberView {
  return {
    identityStore: scope.store.name, group: group.name, guid: member.guid, kind: member.kind, name: member.name, dn: member.dn,
    displayName: member.displayName, mail: member.mail, enabled: member.enabled, type: link.type, beginningDate: link.startDate, endingDate: link.endDate,
  };
}

export function perpetual(kind: LinkKind, parentId: number, childId: number, notifyOptOut = false): DirectoryLink {
  return { kind, parentId, childId, type: 'Perpetual', startDate: null, endDate: null, notifyOptOut };
}

/**
 * Lists by name, for the change history: a list attribute's old and new value. Names, not
 * GUIDs, because people read the history and the mails made from it.
 */
export function namesOf(objects: DirectoryObject[]): string[] {
  return objects.map((object) => object.name);
}
