import { DAY_MS, type MemberView } from '../../protocol/index.js';
import type { Handler, Services } from '../context.js';
import type { DirectoryObject } from '../directory/provider.js';
import { planLink } from '../scheduler/lifecycle-plan.js';
import { prepared } from '../sql.js';
import { inEffect, memberView, openScope, refuse, type DirectoryScope } from './directory-support.js';
import { addLinks, applyLinkPlans, existingLinks, removeLinks } from './link-plans.js';

/**
 * Every member of a group through nested groups, each once, in breadth-first order (so each is
 * reported with the nearest group that holds it). A group already expanded is not expanded
 * again, which is what ends cycles. Only links in effect count.
 */
function recursiveMembers(scope: DirectoryScope, group: DirectoryObject): MemberView[] {
  const { dir } = scope;
  const expanded = new Set([group.id]);
  const reported = new Set<number>();
  const queue = [group];
  const out: MemberView[] = [];
  for (let next = 0; next < queue.length; next++) {
    const parent = queue[next];
    for (const link of dir.links({ kind: 'Member', parentId: parent.id })) {
      if (!inEffect(link)) continue;
      const member = dir.get(link.childId);
      if (!member) continue;
      if (member.kind === 'Group') {
        if (!expanded.has(member.id)) {
          expanded.add(member.id);
          queue.push(member);
        }
        continue;
      }
      if (reported.has(member.id)) continue;
      reported.add(member.id);
      out.push(memberView(scope, member, parent, link));
    }
  }
  return out;
}

export function groupMemberHandlers(services: Services) {
  const { db } = services;

  const get: Handler<'groupMember.get'> = ({ identity, identityStore, recursive }, caller) => {
    const scope = openScope(services, identityStore, caller);
    const group = scope.require(identity, 'identity', ['Group']);
    if (recursive) return recursiveMembers(scope, group);
    return scope.dir.links({ kind: 'Member', parentId: group.id }).flatMap((link) => {
      const member = scope.dir.get(link.childId);
      return member ? [memberView(scope, member, group, link)] : [];
    });
  };

  const add: Handler<'groupMember.add'> = (params, caller) =>
    db.transaction(() => {
      const scope = openScope(services, params.identityStore, caller);
      const group = scope.require(params.groupIdentity, 'groupIdentity', ['Group']);
      const members = scope.requireAll(params.identity, 'identity');
      if (members.some((member) => member.id === group.id)) throw refuse('identity', `group '${group.name}' cannot be a member of itself`);
      return addLinks(services, scope, 'Member', group, members, params).map(({ child, link }) => memberView(scope, child, group, link));
    })();

  const remove: Handler<'groupMember.remove'> = (params, caller) => {
    db.transaction(() => {
      const scope = openScope(services, params.identityStore, caller);
      const group = scope.require(params.groupIdentity, 'groupIdentity', ['Group']);
      removeLinks(services, scope, 'Member', group, scope.requireAll(params.identity, 'identity'), params);
    })();
    return null;
  };

  /**
   * Group attestation's verdict: the members leave after the store's member-inactive period, as
   * a pending removal the scheduler takes and reminds of; a period of 0 removes them now.
   */
  const markInactive = (scope: DirectoryScope, group: DirectoryObject, members: DirectoryObject[], params: { type?: string; startDate?: string | null; endDate?: string | null }): MemberView[] => {
    if (params.type !== undefined || params.startDate !== undefined || params.endDate !== undefined) {
      throw refuse('inactive', '-Inactive sets the removal date from the store\'s member-inactive period: leave out -Type, -StartDate and -EndDate');
    }
    const period = (prepared(db, 'SELECT member_inactive_period AS days FROM identity_store WHERE id = ?').get(scope.store.id) as { days: number }).days;
    if (period > 0) {
      const plan = planLink({ type: 'RemovalPending', startDate: new Date(services.clock().getTime() + period * DAY_MS).toISOString() }, 'remove', scope.now);
      return applyLinkPlans(services, scope, 'Member', group, members, () => plan).map(({ child, link }) => memberView(scope, child, group, link));
    }
    const at = services.clock();
    removeLinks(services, scope, 'Member', group, members, {});
    for (const member of members) services.lifecycle.notify({ store: scope.store, moment: 'Left', linkKind: 'Member', parent: group, child: member, at, endDate: null });
    return [];
  };

  const set: Handler<'groupMember.set'> = (params, caller) =>
    db.transaction(() => {
      const scope = openScope(services, params.identityStore, caller);
      const group = scope.require(params.groupIdentity, 'groupIdentity', ['Group']);
      const members = scope.requireAll(params.identity, 'identity');
      const existing = existingLinks(scope, 'Member', group);
      for (const member of members) {
        if (!existing.has(member.id)) throw refuse('identity', `'${member.name}' is not a member of group '${group.name}': Add-GroupMember adds it`);
      }
      if (params.inactive === true) return markInactive(scope, group, members, params);
      return applyLinkPlans(services, scope, 'Member', group, members, (member) => {
        const link = existing.get(member.id)!;
        const type = params.type ?? link.type;
        // A patch: dates not given stay, except that a perpetual membership has none.
        const keep = (given: string | null | undefined, current: string | null) => (given !== undefined ? given : type === 'Perpetual' && params.type !== undefined ? null : current);
        return planLink({ type, startDate: keep(params.startDate, link.startDate), endDate: keep(params.endDate, link.endDate) }, 'add', scope.now);
      }).map(({ child, link }) => memberView(scope, child, group, link));
    })();

  return { 'groupMember.get': get, 'groupMember.add': add, 'groupMember.remove': remove, 'groupMember.set': set };
}
