import { HeraldError, type MemberView } from '../../protocol/index.js';
import type { Handler, Services } from '../context.js';
import type { DirectoryObject } from '../directory/provider.js';
import { inEffect, memberView, openScope, perpetual, refuse, type DirectoryScope } from './directory-support.js';

/** -Type other than Perpetual, -StartDate, -EndDate: accepted by name so scripts get this message, not "no such parameter". */
function refuseTemporary(params: { type?: string; startDate?: string; endDate?: string }): void {
  const given = params.type !== undefined && params.type !== 'Perpetual' ? `-Type '${params.type}'` : params.startDate !== undefined ? '-StartDate' : params.endDate !== undefined ? '-EndDate' : undefined;
  if (given === undefined) return;
  const field = given === '-StartDate' ? 'startDate' : given === '-EndDate' ? 'endDate' : 'type';
  throw new HeraldError('InvalidParams', `${given} needs temporary membership, which comes with the membership life cycle and is not available yet: only perpetual membership can be changed now`, {
    field, remedy: 'leave out -Type, -StartDate and -EndDate',
  });
}

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
      refuseTemporary(params);
      const scope = openScope(services, params.identityStore, caller);
      const group = scope.require(params.groupIdentity, 'groupIdentity', ['Group']);
      const members = scope.requireAll(params.identity, 'identity');
      if (members.some((member) => member.id === group.id)) throw refuse('identity', `group '${group.name}' cannot be a member of itself`);
      const existing = new Map(scope.dir.links({ kind: 'Member', parentId: group.id }).map((link) => [link.childId, link]));
      // Already a member: nothing to do, as the call asks for a state, not for an event.
      const added = members.filter((member) => existing.get(member.id)?.type !== 'Perpetual');
      for (const member of added) scope.dir.addLink(perpetual('Member', group.id, member.id));
      const after = added.length ? scope.dir.update(group.id, {}, scope.now) : group;
      for (const member of added) {
        // A pending or temporarily removed member made perpetual was not in effect: now it is added.
        const link = existing.get(member.id);
        if (!link || !inEffect(link)) scope.record('MemberAdded', after, { related: member });
      }
      return members.map((member) => memberView(scope, member, after, perpetual('Member', group.id, member.id)));
    })();

  const remove: Handler<'groupMember.remove'> = (params, caller) => {
    db.transaction(() => {
      refuseTemporary(params);
      const scope = openScope(services, params.identityStore, caller);
      const group = scope.require(params.groupIdentity, 'groupIdentity', ['Group']);
      const members = scope.requireAll(params.identity, 'identity');
      // Not a member: nothing to do, as for an addition of a member.
      const removed = members.filter((member) => scope.dir.removeLink('Member', group.id, member.id));
      if (removed.length === 0) return;
      const after = scope.dir.update(group.id, {}, scope.now);
      for (const member of removed) scope.record('MemberRemoved', after, { related: member });
    })();
    return null;
  };

  return { 'groupMember.get': get, 'groupMember.add': add, 'groupMember.remove': remove };
}
