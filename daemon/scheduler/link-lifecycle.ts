import type { Db } from '../database.js';
import type { DirectoryLink, DirectoryObject, DirectoryProvider, LinkKind } from '../directory/provider.js';
import type { ChangeKind, ChangeRecorder } from '../notifier/change-event.js';
import { prepared } from '../sql.js';
import type { LifecycleMoment, LifecycleNotice } from './lifecycle-notices.js';
import { typeInEffect, type LinkPlan } from './lifecycle-plan.js';
import { markApplied, markReminded, replaceSteps, type StepRow } from './lifecycle-steps.js';

/** What applying life-cycle steps needs; the directory only through its provider. */
export interface LifecycleContext {
  db: Db;
  directory(storeId: number): DirectoryProvider;
  changes: ChangeRecorder;
  notify(notice: LifecycleNotice): number;
  /** Test builds only: a named point where a fault can be injected (see faults.ts). */
  fault(point: string): void;
  /** New steps were planned: the scheduler looks again at when to run. */
  wake(): void;
}

export const LINK_EVENTS: Record<LinkKind, { added: ChangeKind; removed: ChangeKind }> = {
  Member: { added: 'MemberAdded', removed: 'MemberRemoved' },
  AdditionalOwner: { added: 'OwnerAdded', removed: 'OwnerRemoved' },
  AdditionalManager: { added: 'ManagerAdded', removed: 'ManagerRemoved' },
};

/** Who the change history names for what the life cycle does. */
export const SCHEDULE_ACTOR = { name: 'Lifecycle schedule' };

function storeOf(db: Db, storeId: number): { id: number; name: string } | undefined {
  return prepared(db, 'SELECT id, name FROM identity_store WHERE id = ?').get(storeId) as { id: number; name: string } | undefined;
}

function currentLink(dir: DirectoryProvider, kind: LinkKind, parentId: number, childId: number): DirectoryLink | undefined {
  return dir.links({ kind, parentId, childId })[0];
}

/**
 * Puts a link in the state a plan gives it now and hands its later steps to the scheduler. The
 * caller records the change event (as its own actor); this says whether the link came into or
 * went out of effect, and queues the life-cycle notice when a temporary type did it.
 */
export function setLinkPlan(
  ctx: LifecycleContext, store: { id: number; name: string }, kind: LinkKind, parent: DirectoryObject, child: DirectoryObject, plan: LinkPlan, at: Date,
): { before: boolean; after: boolean; link: DirectoryLink } {
  const dir = ctx.directory(store.id);
  const existing = currentLink(dir, kind, parent.id, child.id);
  const link: DirectoryLink = {
    kind, parentId: parent.id, childId: child.id, type: plan.type, startDate: plan.startDate, endDate: plan.endDate, notifyOptOut: existing?.notifyOptOut ?? false,
  };
  dir.addLink(link);
  replaceSteps(ctx.db, { storeId: store.id, kind, parentGuid: parent.guid, childGuid: child.guid }, plan.steps);
  if (plan.steps.length) ctx.wake();
  const before = existing !== undefined && typeInEffect(existing.type);
  const after = typeInEffect(plan.type);
  // Joining or leaving because of a temporary type is the life cycle's doing, and noticed as such.
  const moment: LifecycleMoment | undefined = !before && after && plan.type === 'Temporary' ? 'Joined' : before && !after && plan.type === 'TemporaryRemoved' ? 'Left' : undefined;
  if (moment) ctx.notify({ store, moment, linkKind: kind, parent, child, at, endDate: plan.endDate });
  return { before, after, link };
}

/** The link goes for good, with its steps to come. */
export function dropLinkPlan(ctx: LifecycleContext, store: { id: number }, kind: LinkKind, parent: DirectoryObject, child: DirectoryObject): boolean {
  replaceSteps(ctx.db, { storeId: store.id, kind, parentGuid: parent.guid, childGuid: child.guid }, []);
  return ctx.directory(store.id).removeLink(kind, parent.id, child.id);
}

/**
 * Takes one due step, in the caller's transaction: changes the link through the provider,
 * records the change, queues the notice, and marks the step taken. Taking a step is written
 * so that taking it again finds the link already changed and changes nothing.
 */
export function applyStep(ctx: LifecycleContext, step: StepRow, at: Date): number {
  const now = at.toISOString();
  const store = storeOf(ctx.db, step.store_id);
  const dir = store && ctx.directory(store.id);
  const parent = dir?.find(step.parent_guid);
  const child = dir?.find(step.child_guid);
  if (!store || !dir || !parent || !child) {
    markApplied(ctx.db, step.id, now, 'ObjectGone');
    return 0;
  }
  const existing = currentLink(dir, step.link_kind, parent.id, child.id);
  // Every type keeps a link until its last step, and a link set or removed by a call voids its
  // steps: a missing link means this removal was made already, by an attempt whose record was
  // lost (a directory server does not share herald's transaction). Anything else finds it gone.
  if (!existing && step.to_type !== null) {
    markApplied(ctx.db, step.id, now, 'LinkGone');
    return 0;
  }
  if (step.to_type === null) dir.removeLink(step.link_kind, parent.id, child.id);
  else {
    dir.addLink({
      kind: step.link_kind, parentId: parent.id, childId: child.id, type: step.to_type, startDate: step.to_start, endDate: step.to_end,
      notifyOptOut: existing?.notifyOptOut ?? false,
    });
  }
  ctx.fault('after-transition');
  // Every step takes its link into effect or out of it (the plan makes them so): what it does is
  // known from the step, not from the link, which an earlier attempt may already have changed.
  const after = step.to_type !== null && typeInEffect(step.to_type);
  const changed = dir.update(parent.id, {}, now);
  ctx.changes.record({
    storeId: store.id, storeName: store.name, kind: after ? LINK_EVENTS[step.link_kind].added : LINK_EVENTS[step.link_kind].removed,
    object: changed, related: child, actor: SCHEDULE_ACTOR, source: 'schedule',
  });
  const mails = ctx.notify({ store, moment: after ? 'Joined' : 'Left', linkKind: step.link_kind, parent: changed, child, at, endDate: step.to_end });
  markApplied(ctx.db, step.id, now, after ? 'Joined' : 'Left');
  return mails;
}

/** Queues the "X days before" reminder of a leaving step and marks it reminded, in the caller's transaction. */
export function remindStep(ctx: LifecycleContext, step: StepRow, at: Date): number {
  const store = storeOf(ctx.db, step.store_id);
  const dir = store && ctx.directory(store.id);
  const parent = dir?.find(step.parent_guid);
  const child = dir?.find(step.child_guid);
  const mails = store && parent && child ? ctx.notify({ store, moment: 'Reminder', linkKind: step.link_kind, parent, child, at, endDate: step.due_at }) : 0;
  markReminded(ctx.db, step.id, at.toISOString());
  return mails;
}
