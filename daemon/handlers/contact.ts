import type { Handler, Services } from '../context.js';
import { changedAttributes } from './directory-edit.js';
import { contactView, findObjects, openScope } from './directory-support.js';

export function contactHandlers(services: Services) {
  const { db } = services;

  const create: Handler<'contact.create'> = (params, caller) =>
    db.transaction(() => {
      const scope = openScope(services, params.identityStore, caller);
      const contact = scope.dir.create({ kind: 'Contact', name: params.name, container: params.container, displayName: params.displayName, mail: params.mail }, scope.now);
      scope.record('ObjectCreated', contact);
      return contactView(scope, contact);
    })();

  const get: Handler<'contact.get'> = ({ identity, identityStore }, caller) => {
    const scope = openScope(services, identityStore, caller);
    return findObjects(scope, identity, 'Contact').map((contact) => contactView(scope, contact));
  };

  const set: Handler<'contact.set'> = (params, caller) =>
    db.transaction(() => {
      const scope = openScope(services, params.identityStore, caller);
      const contact = scope.require(params.identity, 'identity', ['Contact']);
      const { patch, changes } = changedAttributes(scope, contact, params, 'manager');
      if (changes.length === 0) return contactView(scope, contact);
      const after = scope.dir.update(contact.id, patch, scope.now);
      scope.record('ObjectModified', after, { changes });
      return contactView(scope, after);
    })();

  const remove: Handler<'contact.remove'> = ({ identity, identityStore }, caller) => {
    db.transaction(() => {
      const scope = openScope(services, identityStore, caller);
      const contact = scope.require(identity, 'identity', ['Contact']);
      // Recorded first, while the groups it belonged to can still be found.
      scope.record('ObjectDeleted', contact);
      scope.dir.remove(contact.id);
    })();
    return null;
  };

  return { 'contact.create': create, 'contact.get': get, 'contact.set': set, 'contact.remove': remove };
}
