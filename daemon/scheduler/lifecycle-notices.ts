import { DAY_MS, mailTime, type NotificationKind, type StoredSettings } from '../../protocol/index.js';
import { enqueue } from '../delivery/outbox.js';
import type { DirectoryMember, DirectoryObject, LinkKind } from '../directory/provider.js';
import type { NotifierDependencies } from '../notifier/notifier.js';
import { expandPeople } from '../notifier/recipients.js';
import { effectiveManagedBy } from '../settings/views.js';
import { loadSettings } from '../settings/settings-store.js';
import { renderTemplate } from '../templates/render.js';
import { loadTemplate, storeTagValues } from '../templates/template-store.js';

export type LifecycleMoment = 'Joined' | 'Left' | 'Reminder';

/** A life-cycle notice: a link came into effect, went out of it, or goes in a few days. */
export interface LifecycleNotice {
  store: { id: number; name: string };
  moment: LifecycleMoment;
  linkKind: LinkKind;
  /** The group, or the managed user. */
  parent: DirectoryObject;
  /** The member, owner or manager. */
  child: DirectoryObject;
  at: Date;
  /** When the membership (ownership, management) ends, or the reminded step happens. */
  endDate: string | null;
}

const KINDS: Record<'Member' | 'ManagedBy', Record<LifecycleMoment, NotificationKind>> = {
  Member: { Joined: 'MembershipJoined', Left: 'MembershipLeft', Reminder: 'MembershipLeaveReminder' },
  ManagedBy: { Joined: 'ManagedByAdded', Left: 'ManagedByRemoved', Reminder: 'ManagedByRemovalReminder' },
};

export interface LifecycleRules {
  onJoin: boolean;
  onLeave: boolean;
  daysBefore: number | null;
}

/** The rules that apply to a kind of link: Managed By follows Membership when same-as-membership is on. */
export function lifecycleRules(settings: StoredSettings, linkKind: LinkKind): LifecycleRules {
  if (linkKind === 'Member') return { onJoin: settings.membershipOnJoin, onLeave: settings.membershipOnLeave, daysBefore: settings.membershipDaysBeforeLeave };
  const effective = effectiveManagedBy(settings);
  return { onJoin: effective.onAdded, onLeave: effective.onRemoved, daysBefore: effective.daysBeforeRemoval };
}


/**
 * Queues the notice if the store's rules ask for it, in the caller's transaction; returns the
 * number of mails. Membership notices go to the member (a group: its members, nested); Managed
 * By notices to the owner or manager (a group: its members) and to the primary owner or manager.
 */
export function createLifecycleNotifier(deps: NotifierDependencies): (notice: LifecycleNotice) => number {
  return (notice) => {
    const { store, parent, child } = notice;
    const settings = loadSettings(deps.db, store.id);
    const rules = lifecycleRules(settings, notice.linkKind);
    const wanted = notice.moment === 'Joined' ? rules.onJoin : notice.moment === 'Left' ? rules.onLeave : rules.daysBefore !== null;
    if (!wanted) return 0;
    const dir = deps.directory(store.id);
    const to = new Map<string, string>();
    const person = (member: DirectoryMember) => to.set(member.mail!.toLowerCase(), member.mail!);
    expandPeople(dir, child, person, () => undefined);
    if (notice.linkKind !== 'Member' && parent.managerId !== null) {
      const primary = dir.get(parent.managerId);
      if (primary) expandPeople(dir, primary, person, () => undefined);
    }
    if (to.size === 0) return 0;
    const kind = KINDS[notice.linkKind === 'Member' ? 'Member' : 'ManagedBy'][notice.moment];
    const name = (object: DirectoryObject) => object.displayName ?? object.name;
    const mail = renderTemplate(loadTemplate(deps.db, store.id, kind), {
      ...storeTagValues(deps.db, store),
      TARGETOBJECT_DisplayName: name(parent), TARGETOBJECT_Name: parent.name, TARGETOBJECT_mail: parent.mail ?? '', TARGETOBJECT_Type: parent.kind,
      MEMBER_DisplayName: name(child), MEMBER_mail: child.mail ?? '',
      GROUP_DisplayName: parent.kind === 'Group' ? name(parent) : '',
      CHANGE_Time: mailTime(notice.at.toISOString()),
      END_DATE: notice.endDate === null ? 'no end date' : mailTime(notice.endDate).replace(' 00:00 UTC', ''),
      DAYS: notice.endDate === null ? '' : String(Math.max(0, Math.ceil((Date.parse(notice.endDate) - notice.at.getTime()) / DAY_MS))),
    });
    const queued = enqueue(deps.db, {
      storeId: store.id, storeName: store.name, kind, to: [...to.values()], cc: [],
      subject: mail.subject, text: mail.text, html: mail.html, sender: settings.from ?? undefined,
      maxRecipients: settings.maxRecipientsPerMessage, now: notice.at, lifetimeMs: deps.policy.lifetimeMs,
    });
    deps.wake();
    return queued.length;
  };
}
