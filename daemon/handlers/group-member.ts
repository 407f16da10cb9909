import type { MemberView } from '../../protocol/index.js';
import type { Handler, Services } from '../context.js';
import type { DirectoryObject } from '../directory/provider.js';
import { planLink } from '../scheduler/lifecycle-plan.js';
import { dropLinkPlan, setLinkPlan } from '../scheduler/link-lifecycle.js';
import { inEffect, memberView, openScope, refuse, type DirectoryScope } from './directory-support.js';

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

  /**
   * Puts each member's link in the state the request asks for. Membership that comes into or
   * goes out of effect now is recorded as the caller's change; later steps go to the scheduler.
   */
  const applyPlans = (scope: DirectoryScope, group: DirectoryObject, members: DirectoryObject[], planFor: (member: DirectoryObject) => ReturnType<typeof planLink> | undefined): MemberView[] => {
    const at = services.clock();
    const results: { member: DirectoryObject; change?: 'MemberAdded' | 'MemberRemoved' }[] = [];
    const views: MemberView[] = [];
    let changed = false;
    for (const member of members) {
      const plan = planFor(member);
      if (!plan) continue;
      const { before, after, link } = setLinkPlan(services.lifecycle, scope.store, 'Member', group, member, plan, at);
      changed = true;
      results.push({ member, change: before === after ? undefined : after ? 'MemberAdded' : 'MemberRemoved' });
      views.push(memberView(scope, member, group, link));
    }
    const updated = changed ? scope.dir.update(group.id, {}, scope.now) : group;
    for (const { member, change } of results) if (change) scope.record(change, updated, { related: member });
    return views;
  };

  const existingLinks = (scope: DirectoryScope, group: DirectoryObject) => new Map(scope.dir.links({ kind: 'Member', parentId: group.id }).map((link) => [link.childId, link]));

  const add: Handler<'groupMember.add'> = (params, caller) =>
    db.transaction(() => {
      const scope = openScope(services, params.identityStore, caller);
      const group = scope.require(params.groupIdentity, 'groupIdentity', ['Group']);
      const members = scope.requireAll(params.identity, 'identity');
      if (members.some((member) => member.id === group.id)) throw refuse('identity', `group '${group.name}' cannot be a member of itself`);
      const plan = planLink(params, 'add', scope.now);
      const existing = existingLinks(scope, group);
      // Already a perpetual member and asked to be one: nothing to do, as the call asks for a state, not for an event.
      const unchanged = (member: DirectoryObject) => plan.type === 'Perpetual' && existing.get(member.id)?.type === 'Perpetual';
      const views = applyPlans(scope, group, members, (member) => (unchanged(member) ? undefined : plan));
      const byGuid = new Map(views.map((view) => [view.guid, view]));
      return members.map((member) => byGuid.get(member.guid) ?? memberView(scope, member, group, existing.get(member.id)!));
    })();

  const remove: Handler<'groupMember.remove'> = (params, caller) => {
    db.transaction(() => {
      const scope = openScope(services, params.identityStore, caller);
      const group = scope.require(params.groupIdentity, 'groupIdentity', ['Group']);
      const members = scope.requireAll(params.identity, 'identity');
      const plan = planLink(params, 'remove', scope.now);
      const existing = existingLinks(scope, group);
      if (plan.type !== 'Perpetual') {
        // Not a member: nothing to do, as for a removal for good.
        applyPlans(scope, group, members, (member) => (existing.has(member.id) ? plan : undefined));
        return;
      }
      const removed = members.filter((member) => dropLinkPlan(services.lifecycle, scope.store, 'Member', group, member));
      if (removed.length === 0) return;
      const after = scope.dir.update(group.id, {}, scope.now);
      for (const member of removed) scope.record('MemberRemoved', after, { related: member });
    })();
    return null;
  };

  const set: Handler<'groupMember.set'> = (params, caller) =>
    db.transaction(() => {
      const scope = openScope(services, params.identityStore, caller);
      const group = scope.require(params.groupIdentity, 'groupIdentity', ['Group']);
      const members = scope.requireAll(params.identity, 'identity');
      const existing = existingLinks(scope, group);
      for (const member of members) {
        if (!existing.has(member.id)) throw refuse('identity', `'${member.name}' is not a member of group '${group.name}': Add-GroupMember adds it`);
      }
      return applyPlans(scope, group, members, (member) => {
        const link = existing.get(member.id)!;
        const type = params.type ?? link.type;
        // A patch: dates not given stay, except that a perpetual membership has none.
        const keep = (given: string | null | undefined, current: string | null) => (given !== undefined ? given : type === 'Perpetual' && params.type !== undefined ? null : current);
        return planLink({ type, startDate: keep(params.startDate, link.startDate), endDate: keep(params.endDate, link.endDate) }, 'add', scope.now);
      });
    })();

  return { 'groupMember.get': get, 'groupMember.add': add, 'groupMember.remove': remove, 'groupMember.set': set };
}
