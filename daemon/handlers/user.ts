import type { Handler, Services } from '../context.js';
import type { DirectoryObject } from '../directory/provider.js';
import { changedAttributes, syncLinks } from './directory-edit.js';
import { findObjects, openScope, perpetual, refuse, userView, type DirectoryScope } from './directory-support.js';

function resolveManagers(scope: DirectoryScope, identities: string[], self?: DirectoryObject): DirectoryObject[] {
  const managers = scope.requireAll(identities, 'additionalManagers', ['User']);
  if (self && managers.some((manager) => manager.id === self.id)) throw refuse('additionalManagers', `'${self.name}' cannot be their own manager`);
  return managers;
}

export function userHandlers(services: Services) {
  const { db } = services;

  const create: Handler<'user.create'> = (params, caller) =>
    db.transaction(() => {
      const scope = openScope(services, params.identityStore, caller);
      const manager = params.manager === undefined ? undefined : scope.require(params.manager, 'manager', ['User']);
      const additional = resolveManagers(scope, params.additionalManagers ?? []);
      const user = scope.dir.create({
        kind: 'User', name: params.name, container: params.container, displayName: params.displayName, mail: params.mail, enabled: params.enabled,
        managerId: manager?.id, password: params.password, passwordNeverExpires: params.passwordNeverExpires,
      }, scope.now);
      scope.record('ObjectCreated', user);
      for (const other of additional) {
        scope.dir.addLink(perpetual('AdditionalManager', user.id, other.id));
        scope.record('ManagerAdded', user, { related: other });
      }
      return userView(scope, user);
    })();

  const get: Handler<'user.get'> = ({ identity, identityStore }, caller) => {
    const scope = openScope(services, identityStore, caller);
    return findObjects(scope, identity, 'User').map((user) => userView(scope, user));
  };

  const set: Handler<'user.set'> = (params, caller) =>
    db.transaction(() => {
      const scope = openScope(services, params.identityStore, caller);
      const user = scope.require(params.identity, 'identity', ['User']);
      const manager = params.manager == null ? params.manager : scope.require(params.manager, 'manager', ['User']);
      if (manager && manager.id === user.id) throw refuse('manager', `'${user.name}' cannot be their own manager`);
      const additional = params.additionalManagers === undefined ? undefined : resolveManagers(scope, params.additionalManagers ?? [], user);
      const { patch, changes } = changedAttributes(scope, user, { ...params, manager }, 'manager');
      const links = additional ? syncLinks(scope, user, 'AdditionalManager', additional) : { added: [], removed: [] };
      if (changes.length === 0 && links.added.length === 0 && links.removed.length === 0) return userView(scope, user);
      const after = scope.dir.update(user.id, patch, scope.now);
      if (changes.length) scope.record('ObjectModified', after, { changes });
      for (const other of links.removed) scope.record('ManagerRemoved', after, { related: other });
      for (const other of links.added) scope.record('ManagerAdded', after, { related: other });
      return userView(scope, after);
    })();

  const remove: Handler<'user.remove'> = ({ identity, identityStore }, caller) => {
    db.transaction(() => {
      const scope = openScope(services, identityStore, caller);
      const user = scope.require(identity, 'identity', ['User']);
      // Recorded first, while the user's groups and managers can still be found and told.
      scope.record('ObjectDeleted', user);
      scope.dir.remove(user.id);
    })();
    return null;
  };

  return { 'user.create': create, 'user.get': get, 'user.set': set, 'user.remove': remove };
}
