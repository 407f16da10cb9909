import type { ManagerView, MemberView } from '../../protocol/index.js';
import type { Handler, Services } from '../context.js';
import type { DirectoryLink, DirectoryObject } from '../directory/provider.js';
import { memberView, openScope, refuse, type DirectoryScope } from './directory-support.js';
import { addLinks, removeLinks } from './link-plans.js';

/** Additional owners of groups (users or groups) and additional managers of users (users), with types and dates. */
export function additionalLinkHandlers(services: Services) {
  const { db } = services;
  const managerView = (scope: DirectoryScope, child: DirectoryObject, user: DirectoryObject, link: DirectoryLink): ManagerView => {
    const { group: _group, ...fields } = memberView(scope, child, user, link);
    return { ...fields, user: user.name };
  };
  const listed = <V>(scope: DirectoryScope, kind: 'AdditionalOwner' | 'AdditionalManager', parent: DirectoryObject, view: (s: DirectoryScope, c: DirectoryObject, p: DirectoryObject, l: DirectoryLink) => V): V[] =>
    scope.dir.links({ kind, parentId: parent.id }).flatMap((link) => {
      const child = scope.dir.get(link.childId);
      return child ? [view(scope, child, parent, link)] : [];
    });
  const notSelf = (parent: DirectoryObject, children: DirectoryObject[], what: string) => {
    if (children.some((child) => child.id === parent.id)) throw refuse('identity', `'${parent.name}' cannot be ${what} of itself`);
  };

  const ownersGet: Handler<'groupOwner.get'> = ({ identity, identityStore }, caller) => {
    const scope = openScope(services, identityStore, caller);
    return listed<MemberView>(scope, 'AdditionalOwner', scope.require(identity, 'identity', ['Group']), memberView);
  };
  const ownersAdd: Handler<'groupOwner.add'> = (params, caller) =>
    db.transaction(() => {
      const scope = openScope(services, params.identityStore, caller);
      const group = scope.require(params.groupIdentity, 'groupIdentity', ['Group']);
      const owners = scope.requireAll(params.identity, 'identity', ['User', 'Group']);
      notSelf(group, owners, 'an additional owner');
      return addLinks(services, scope, 'AdditionalOwner', group, owners, params).map(({ child, link }) => memberView(scope, child, group, link));
    })();
  const ownersRemove: Handler<'groupOwner.remove'> = (params, caller) => {
    db.transaction(() => {
      const scope = openScope(services, params.identityStore, caller);
      const group = scope.require(params.groupIdentity, 'groupIdentity', ['Group']);
      removeLinks(services, scope, 'AdditionalOwner', group, scope.requireAll(params.identity, 'identity'), params);
    })();
    return null;
  };

  const managersGet: Handler<'userManager.get'> = ({ identity, identityStore }, caller) => {
    const scope = openScope(services, identityStore, caller);
    return listed(scope, 'AdditionalManager', scope.require(identity, 'identity', ['User']), managerView);
  };
  const managersAdd: Handler<'userManager.add'> = (params, caller) =>
    db.transaction(() => {
      const scope = openScope(services, params.identityStore, caller);
      const user = scope.require(params.groupIdentity, 'groupIdentity', ['User']);
      const managers = scope.requireAll(params.identity, 'identity', ['User']);
      notSelf(user, managers, 'an additional manager');
      return addLinks(services, scope, 'AdditionalManager', user, managers, params).map(({ child, link }) => managerView(scope, child, user, link));
    })();
  const managersRemove: Handler<'userManager.remove'> = (params, caller) => {
    db.transaction(() => {
      const scope = openScope(services, params.identityStore, caller);
      const user = scope.require(params.groupIdentity, 'groupIdentity', ['User']);
      removeLinks(services, scope, 'AdditionalManager', user, scope.requireAll(params.identity, 'identity'), params);
    })();
    return null;
  };

  return {
    'groupOwner.get': ownersGet, 'groupOwner.add': ownersAdd, 'groupOwner.remove': ownersRemove,
    'userManager.get': managersGet, 'userManager.add': managersAdd, 'userManager.remove': managersRemove,
  };
}
