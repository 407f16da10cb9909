import type { Services } from '../context.js';
import type { DirectoryLink, DirectoryObject, LinkKind } from '../directory/provider.js';
import { planLink, typeInEffect, type LinkPlan, type LinkRequest } from '../scheduler/lifecycle-plan.js';
import { dropLinkPlan, LINK_EVENTS, setLinkPlan } from '../scheduler/link-lifecycle.js';
import { smartGroupRow } from '../smart-groups/password-expiry.js';
import { refuse, type DirectoryScope } from './directory-support.js';

/**
 * Adding and removing members, additional owners and additional managers, perpetual or with a
 * type and dates: one way for the three. A link that comes into or goes out of effect now is
 * recorded as the caller's change; its later steps go to the scheduler.
 */
export interface LinkChange {
  child: DirectoryObject;
  link: DirectoryLink;
}

export function existingLinks(scope: DirectoryScope, kind: LinkKind, parent: DirectoryObject): Map<number, DirectoryLink> {
  return new Map(scope.dir.links({ kind, parentId: parent.id }).map((link) => [link.childId, link]));
}

/** Puts each child's link in the state its plan gives (none: left alone), then records what came and went. */
export function applyLinkPlans(
  services: Services, scope: DirectoryScope, kind: LinkKind, parent: DirectoryObject, children: DirectoryObject[],
  planFor: (child: DirectoryObject) => LinkPlan | undefined,
): LinkChange[] {
  const at = services.clock();
  const done: (LinkChange & { event?: 'added' | 'removed' })[] = [];
  const smart = kind === 'Member' && smartGroupRow(services.db, scope.store.id, parent.guid) !== undefined;
  for (const child of children) {
    const plan = planFor(child);
    if (!plan) continue;
    if (smart && plan.type !== 'Perpetual') {
      throw refuse('type', `group '${parent.name}' is a smart group: its members follow its query, and cannot be temporary or pending`, 'change the query with Set-SmartGroup');
    }
    const { before, after, link } = setLinkPlan(services.lifecycle, scope.store, kind, parent, child, plan, at);
    done.push({ child, link, event: before === after ? undefined : after ? 'added' : 'removed' });
  }
  if (done.length === 0) return [];
  const updated = scope.dir.update(parent.id, {}, scope.now);
  for (const { child, event } of done) if (event) scope.record(LINK_EVENTS[kind][event], updated, { related: child });
  return done;
}

/** Add-…: perpetual links that are perpetual already stay as they are (the call asks for a state, not an event). */
export function addLinks(services: Services, scope: DirectoryScope, kind: LinkKind, parent: DirectoryObject, children: DirectoryObject[], request: LinkRequest): LinkChange[] {
  const plan = planLink(request, 'add', scope.now);
  const existing = existingLinks(scope, kind, parent);
  const changed = new Map(applyLinkPlans(services, scope, kind, parent, children, (child) =>
    (plan.type === 'Perpetual' && existing.get(child.id)?.type === 'Perpetual' ? undefined : plan)).map((change) => [change.child.id, change]));
  return children.map((child) => changed.get(child.id) ?? { child, link: existing.get(child.id)! });
}

/** Remove-…: for good, or with a type and dates; objects without a link are left alone. */
export function removeLinks(services: Services, scope: DirectoryScope, kind: LinkKind, parent: DirectoryObject, children: DirectoryObject[], request: LinkRequest): void {
  const plan = planLink(request, 'remove', scope.now);
  const existing = existingLinks(scope, kind, parent);
  if (plan.type !== 'Perpetual') {
    for (const child of children) {
      const link = existing.get(child.id);
      // Removing for a while what is not there yet (or not any more) would put it there.
      if (link && !typeInEffect(link.type)) {
        throw refuse('identity', `'${child.name}' is ${link.type === 'AdditionPending' ? 'only pending' : 'temporarily removed'}: a ${plan.type === 'RemovalPending' ? 'pending' : 'temporary'} removal needs a link in effect`,
          'remove it for good (leave out -Type), or change its dates');
      }
    }
    applyLinkPlans(services, scope, kind, parent, children, (child) => (existing.has(child.id) ? plan : undefined));
    return;
  }
  const removed = children.filter((child) => dropLinkPlan(services.lifecycle, scope.store, kind, parent, child));
  if (removed.length === 0) return;
  const after = scope.dir.update(parent.id, {}, scope.now);
  // A pending addition or a temporary removal was not in effect: its end changes nobody's rights.
  for (const child of removed) if (typeInEffect(existing.get(child.id)!.type)) scope.record(LINK_EVENTS[kind].removed, after, { related: child });
}
