import { DAY_MS, HeraldError, mailTime, type GroupUpdateReport } from '../../protocol/index.js';
import type { Db } from '../database.js';
import { enqueue } from '../delivery/outbox.js';
import type { DirectoryObject, DirectoryProvider } from '../directory/provider.js';
import type { Actor, ChangeEvent } from '../notifier/change-event.js';
import type { NotifierDependencies } from '../notifier/notifier.js';
import type { LifecycleContext } from '../scheduler/link-lifecycle.js';
import { loadSettings } from '../settings/settings-store.js';
import { prepared } from '../sql.js';
import { renderTemplate } from '../templates/render.js';
import { loadTemplate, storeTagValues } from '../templates/template-store.js';

/**
 * Password-expiry groups: their query is kept by herald (by store and group GUID, whatever holds
 * the directory) and run through the directory provider. An update sets the group's members to
 * the users the query finds, records who joined and left, and, when the group sends email, queues
 * each member's warning, all in one transaction with the time of the update.
 */
export interface SmartGroupRow {
  store_id: number;
  group_guid: string;
  /** FOLLOW_DIRECTORY_POLICY, or the days given with -DomainExpiration. */
  domain_expiration_days: number;
  expiration_range_days: number | null;
  include_disabled: number;
  include_never_expire: number;
  send_email: number;
  last_update_at: string | null;
}

/**
 * Stored as a group's domain expiration when none was given in a store whose directory has a
 * password policy: the group follows the policy the sync last read. Never a given value (at least 1).
 */
export const FOLLOW_DIRECTORY_POLICY = 0;
/** The domain expiration when neither the group nor the directory sets one. */
export const DEFAULT_DOMAIN_EXPIRATION_DAYS = 42;

export type DomainExpirationSource = 'Parameter' | 'PasswordPolicy' | 'Default';

/** The days a group's passwords last, and where that figure comes from. */
export function domainExpiration(row: Pick<SmartGroupRow, 'domain_expiration_days'>, dir: Pick<DirectoryProvider, 'passwordPolicy'>): { days: number; source: DomainExpirationSource } {
  if (row.domain_expiration_days !== FOLLOW_DIRECTORY_POLICY) return { days: row.domain_expiration_days, source: 'Parameter' };
  const maxAgeDays = dir.passwordPolicy?.()?.maxAgeDays ?? null;
  return maxAgeDays === null ? { days: DEFAULT_DOMAIN_EXPIRATION_DAYS, source: 'Default' } : { days: maxAgeDays, source: 'PasswordPolicy' };
}

export function smartGroupRow(db: Db, storeId: number, groupGuid: string): SmartGroupRow | undefined {
  return prepared(db, 'SELECT * FROM smart_group WHERE store_id = ? AND group_guid = ?').get(storeId, groupGuid) as SmartGroupRow | undefined;
}

/** When a user's password expires; null when it never does or was never set. */
export function passwordExpiry(user: DirectoryObject, domainExpirationDays: number): Date | null {
  if (user.passwordNeverExpires || user.passwordLastSet === null) return null;
  return new Date(Date.parse(user.passwordLastSet) + domainExpirationDays * DAY_MS);
}

/** Warnings need somewhere to send from and somewhere to send people to. */
export function refuseWithoutMail(db: Db, storeId: number, storeName: string): void {
  const settings = loadSettings(db, storeId);
  if (!settings.server) {
    throw new HeraldError('ValidationFailed', `identity store '${storeName}' has no SMTP server: password-expiry warnings cannot be sent`, {
      field: 'sendEmail', remedy: `set one with Set-SmtpServer -IdentityStore ${storeName}`,
    });
  }
  if (!settings.passwordPortalUrl) {
    throw new HeraldError('ValidationFailed', `identity store '${storeName}' has no password-expiry portal URL: the warnings would not say where to change the password`, {
      field: 'sendEmail', remedy: `set one with Set-PasswordExpiryNotification -IdentityStore ${storeName} -PortalUrl <url of a linked portal>`,
    });
  }
}

/** The users the query finds at `at`. */
function wantedMembers(users: DirectoryObject[], row: SmartGroupRow, days: number, at: Date): DirectoryObject[] {
  const horizon = row.expiration_range_days === null ? Infinity : at.getTime() + row.expiration_range_days * DAY_MS;
  return users.filter((user) => {
    if (!user.enabled && !row.include_disabled) return false;
    if (user.passwordNeverExpires) return row.include_never_expire === 1;
    const expiry = passwordExpiry(user, days);
    return expiry !== null && expiry.getTime() > at.getTime() && expiry.getTime() <= horizon;
  });
}

/** Updates one group, in the caller's transaction. */
export function updatePasswordExpiryGroup(
  ctx: LifecycleContext & { notifier: Pick<NotifierDependencies, 'policy' | 'wake'> }, store: { id: number; name: string }, row: SmartGroupRow, at: Date,
  actor: Actor, source: ChangeEvent['source'],
): GroupUpdateReport | undefined {
  const dir = ctx.directory(store.id);
  const group = dir.find(row.group_guid, 'Group');
  if (!group) {
    // The group was deleted: its query goes with it.
    prepared(ctx.db, 'DELETE FROM smart_group WHERE store_id = ? AND group_guid = ?').run(store.id, row.group_guid);
    return undefined;
  }
  if (row.send_email) refuseWithoutMail(ctx.db, store.id, store.name);
  const now = at.toISOString();
  const { days } = domainExpiration(row, dir);
  const wanted = wantedMembers(dir.search({ kind: 'User' }), row, days, at);
  const wantedIds = new Set(wanted.map((user) => user.id));
  const current = new Set(dir.links({ kind: 'Member', parentId: group.id }).map((link) => link.childId));
  const removed = [...current].filter((id) => !wantedIds.has(id)).map((id) => dir.get(id)).filter((user): user is DirectoryObject => user !== undefined);
  const added = wanted.filter((user) => !current.has(user.id));
  for (const user of removed) dir.removeLink('Member', group.id, user.id);
  for (const user of added) dir.addLink({ kind: 'Member', parentId: group.id, childId: user.id, type: 'Perpetual', startDate: null, endDate: null, notifyOptOut: false });
  const updated = added.length || removed.length ? dir.update(group.id, {}, now) : group;
  const record = (kind: ChangeEvent['kind'], related: DirectoryObject) => ctx.changes.record({ storeId: store.id, storeName: store.name, kind, object: updated, related, actor, source });
  for (const user of removed) record('MemberRemoved', user);
  for (const user of added) record('MemberAdded', user);
  let warnings = 0;
  if (row.send_email) {
    const settings = loadSettings(ctx.db, store.id);
    const template = loadTemplate(ctx.db, store.id, 'PasswordExpiryWarning');
    const storeTags = storeTagValues(ctx.db, store);
    for (const user of wanted) {
      const expiry = passwordExpiry(user, days);
      // Never-expiring passwords, disabled users and users without mail get no warning.
      if (!expiry || !user.enabled || !user.mail) continue;
      const mail = renderTemplate(template, {
        ...storeTags, PORTAL_URL: settings.passwordPortalUrl ?? '',
        TARGETOBJECT_DisplayName: user.displayName ?? user.name, TARGETOBJECT_Name: user.name, TARGETOBJECT_mail: user.mail, TARGETOBJECT_Type: 'User',
        DAYS: String(Math.max(0, Math.ceil((expiry.getTime() - at.getTime()) / DAY_MS))), PASSWORD_EXPIRES: mailTime(expiry.toISOString()),
      });
      warnings += enqueue(ctx.db, {
        storeId: store.id, storeName: store.name, kind: 'PasswordExpiryWarning', to: [user.mail], cc: [], subject: mail.subject, text: mail.text, html: mail.html,
        sender: settings.from ?? undefined, maxRecipients: settings.maxRecipientsPerMessage, now: at, lifetimeMs: ctx.notifier.policy.lifetimeMs,
      }).length;
    }
    if (warnings) ctx.notifier.wake();
  }
  prepared(ctx.db, 'UPDATE smart_group SET last_update_at = ? WHERE store_id = ? AND group_guid = ?').run(now, store.id, row.group_guid);
  return {
    identityStore: store.name, name: group.name, added: added.map((user) => user.name), removed: removed.map((user) => user.name),
    memberCount: wanted.length, warnings, updatedAt: now,
  };
}

/** Groups not updated for a day, oldest first: the daily schedule's work. */
export function groupsDue(db: Db, at: Date, limit: number): (SmartGroupRow & { store_name: string })[] {
  const dayAgo = new Date(at.getTime() - DAY_MS + 1).toISOString();
  return prepared(db, `SELECT g.*, s.name AS store_name FROM smart_group g JOIN identity_store s ON s.id = g.store_id
    WHERE g.last_update_at IS NULL OR g.last_update_at < ? ORDER BY g.last_update_at, g.group_guid LIMIT ?`).all(dayAgo, limit) as (SmartGroupRow & { store_name: string })[];
}

/** When the next group falls due for its daily update; undefined when there is none. */
export function nextGroupDue(db: Db, at: Date): string | undefined {
  const row = prepared(db, 'SELECT count(*) AS never FROM smart_group WHERE last_update_at IS NULL').get() as { never: number };
  if (row.never > 0) return at.toISOString();
  const oldest = (prepared(db, 'SELECT min(last_update_at) AS oldest FROM smart_group').get() as { oldest: string | null }).oldest;
  return oldest === null ? undefined : new Date(Date.parse(oldest) + DAY_MS).toISOString();
}

/**
 * The daily schedule's batch: the group updated longest ago, in a transaction of its own. A
 * group that sends email in a store that can no longer send is still updated, without warnings,
 * and the reason logged: the membership must not stop following the passwords.
 */
export function passwordExpiryBatch(
  ctx: Parameters<typeof updatePasswordExpiryGroup>[0], at: Date, warn: (message: string, fields: Record<string, unknown>) => void,
): { applied: number; reminders: number; mails: number } | undefined {
  return ctx.db.transaction(() => {
    const [row] = groupsDue(ctx.db, at, 1);
    if (!row) return undefined;
    const store = { id: row.store_id, name: row.store_name };
    const actor = { name: 'Password expiry schedule' };
    let report;
    try {
      report = updatePasswordExpiryGroup(ctx, store, row, at, actor, 'schedule');
    } catch (error) {
      if (!(error instanceof HeraldError)) throw error;
      warn('password-expiry warnings not sent', { store: store.name, group: row.group_guid, reason: error.message });
      report = updatePasswordExpiryGroup(ctx, store, { ...row, send_email: 0 }, at, actor, 'schedule');
    }
    return { applied: 1, reminders: 0, mails: report?.warnings ?? 0 };
  })();
}
