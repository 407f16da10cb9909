import { HeraldError, type GroupListAttribute, type ValidParamsOf } from '../../protocol/index.js';
import type { Handler, Services } from '../context.js';
import type { DirectoryObject } from '../directory/provider.js';
import { changedAttributes, linkedObjects, syncLinks } from './directory-edit.js';
import { findObjects, groupView, namesOf, openScope, perpetual, refuse, type DirectoryScope } from './directory-support.js';

type SetParams = ValidParamsOf<'group.set'>;

/**
 * A list attribute's new value from everything that may name it: the parameter of that name
 * (a whole new list), then -Remove, -Add and -Replace, in that order as Set-ADGroup applies
 * them. Undefined when nothing names it.
 */
function desiredList(scope: DirectoryScope, params: SetParams, attribute: GroupListAttribute, current: () => DirectoryObject[]): DirectoryObject[] | undefined {
  const whole = attribute === 'members' ? undefined : params[attribute];
  const { remove, add, replace } = { remove: params.remove?.[attribute], add: params.add?.[attribute], replace: params.replace?.[attribute] };
  if (whole !== undefined && replace !== undefined) {
    throw new HeraldError('InvalidParams', `give -${pascal(attribute)} or -Replace @{${pascal(attribute)}=…}, not both`, { field: attribute });
  }
  let list = whole === undefined ? undefined : scope.requireAll(whole ?? [], attribute);
  if (remove === undefined && add === undefined && replace === undefined) return list;
  list ??= current();
  if (remove !== undefined) {
    const gone = new Set(scope.requireAll(remove, `remove.${attribute}`).map((object) => object.id));
    list = list.filter((object) => !gone.has(object.id));
  }
  if (add !== undefined) {
    const present = new Set(list.map((object) => object.id));
    list = [...list, ...scope.requireAll(add, `add.${attribute}`).filter((object) => !present.has(object.id))];
  }
  if (replace !== undefined) list = scope.requireAll(replace, `replace.${attribute}`);
  return list;
}

const pascal = (name: string) => name.charAt(0).toUpperCase() + name.slice(1);

function refuseSelf(group: DirectoryObject, objects: DirectoryObject[] | undefined, field: string, what: string): void {
  if (objects?.some((object) => object.id === group.id)) throw refuse(field, `group '${group.name}' cannot be ${what} of itself`);
}

/** Opted-out owners must be additional owners: the flag lives on that link. */
function checkOptOut(group: string, owners: DirectoryObject[], optOut: DirectoryObject[]): void {
  const ids = new Set(owners.map((owner) => owner.id));
  const stray = optOut.find((object) => !ids.has(object.id));
  if (stray) {
    throw refuse('notifyOptOutAdditionalOwners', `'${stray.name}' is not an additional owner of '${group}': make it one with -AdditionalOwners or -Add @{AdditionalOwners=…} first`);
  }
}

export function groupHandlers(services: Services) {
  const { db } = services;

  const create: Handler<'group.create'> = (params, caller) =>
    db.transaction(() => {
      const scope = openScope(services, params.identityStore, caller);
      const owner = params.managedBy === undefined ? undefined : scope.require(params.managedBy, 'managedBy');
      const owners = scope.requireAll(params.additionalOwners ?? [], 'additionalOwners');
      const optOut = scope.requireAll(params.notifyOptOutAdditionalOwners ?? [], 'notifyOptOutAdditionalOwners');
      checkOptOut(params.name, owners, optOut);
      const group = scope.dir.create({
        kind: 'Group', name: params.name, container: params.container, displayName: params.displayName, mail: params.mail,
        securityType: params.securityType, managerId: owner?.id,
      }, scope.now);
      scope.record('ObjectCreated', group);
      const quiet = new Set(optOut.map((object) => object.id));
      for (const other of owners) {
        scope.dir.addLink(perpetual('AdditionalOwner', group.id, other.id, quiet.has(other.id)));
        scope.record('OwnerAdded', group, { related: other });
      }
      return groupView(scope, group);
    })();

  const get: Handler<'group.get'> = ({ identity, identityStore }, caller) => {
    const scope = openScope(services, identityStore, caller);
    return findObjects(scope, identity, 'Group').map((group) => groupView(scope, group));
  };

  const set: Handler<'group.set'> = (params, caller) =>
    db.transaction(() => {
      const scope = openScope(services, params.identityStore, caller);
      const group = scope.require(params.identity, 'identity', ['Group']);
      const owner = params.managedBy == null ? params.managedBy : scope.require(params.managedBy, 'managedBy');
      if (owner && owner.id === group.id) throw refuse('managedBy', `group '${group.name}' cannot be its own owner`);

      const currentOwners = linkedObjects(scope, 'AdditionalOwner', group.id);
      const currentOptOut = linkedObjects(scope, 'AdditionalOwner', group.id, (optOut) => optOut);
      const owners = desiredList(scope, params, 'additionalOwners', () => currentOwners);
      const optOut = desiredList(scope, params, 'notifyOptOutAdditionalOwners', () => currentOptOut);
      const members = desiredList(scope, params, 'members', () => linkedObjects(scope, 'Member', group.id));
      refuseSelf(group, owners, 'additionalOwners', 'an additional owner');
      refuseSelf(group, members, 'members', 'a member');
      const finalOwners = owners ?? currentOwners;
      const ownerIds = new Set(finalOwners.map((object) => object.id));
      if (optOut) checkOptOut(group.name, finalOwners, optOut);
      // Owners who stay keep their opt-out unless a new list is given; an owner who goes takes it along.
      const finalOptOut = optOut ?? currentOptOut.filter((object) => ownerIds.has(object.id));

      const { patch, changes } = changedAttributes(scope, group, { ...params, manager: owner }, 'managedBy');
      const before = namesOf(currentOptOut.filter((object) => ownerIds.has(object.id))).sort();
      const after = namesOf(finalOptOut).sort();
      if (before.join('\n') !== after.join('\n')) changes.push({ attribute: 'notifyOptOutAdditionalOwners', oldValue: before, newValue: after });
      const ownerLinks = owners || optOut ? syncLinks(scope, group, 'AdditionalOwner', finalOwners, new Set(finalOptOut.map((object) => object.id))) : { added: [], removed: [] };
      const memberLinks = members ? syncLinks(scope, group, 'Member', members) : { added: [], removed: [] };
      const linksChanged = [ownerLinks.added, ownerLinks.removed, memberLinks.added, memberLinks.removed].some((list) => list.length > 0);
      if (changes.length === 0 && !linksChanged) return groupView(scope, group);

      const updated = scope.dir.update(group.id, patch, scope.now);
      if (changes.length) scope.record('ObjectModified', updated, { changes });
      for (const other of ownerLinks.removed) scope.record('OwnerRemoved', updated, { related: other });
      for (const other of ownerLinks.added) scope.record('OwnerAdded', updated, { related: other });
      for (const other of memberLinks.removed) scope.record('MemberRemoved', updated, { related: other });
      for (const other of memberLinks.added) scope.record('MemberAdded', updated, { related: other });
      return groupView(scope, updated);
    })();

  const remove: Handler<'group.remove'> = ({ identity, identityStore }, caller) => {
    db.transaction(() => {
      const scope = openScope(services, identityStore, caller);
      const group = scope.require(identity, 'identity', ['Group']);
      // Recorded first, while its members and owners can still be found and told.
      scope.record('ObjectDeleted', group);
      scope.dir.remove(group.id);
    })();
    return null;
  };

  return { 'group.create': create, 'group.get': get, 'group.set': set, 'group.remove': remove };
}
