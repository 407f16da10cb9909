import type { NotificationKind } from '../../protocol/index.js';
import type { Db } from '../database.js';
import { enqueue } from '../delivery/outbox.js';
import type { RetryPolicy } from '../delivery/retry-policy.js';
import type { DirectoryObject, DirectoryProvider } from '../directory/provider.js';
import { loadSettings } from '../settings/settings-store.js';
import { renderTemplate, type TagValues } from '../templates/render.js';
import { loadTemplate, storeTagValues } from '../templates/template-store.js';
import type { ChangeEvent } from './change-event.js';
import { resolveRecipients } from './recipients.js';

export interface NotifierDependencies {
  db: Db;
  directory: (storeId: number) => DirectoryProvider;
  clock: () => Date;
  policy: RetryPolicy;
  /** Tells the outbox that mail is waiting (it looks once the transaction has committed). */
  wake: () => void;
  rememberCredential: (mailIds: number[], credential: { user: string; pass: string }) => void;
}

const displayName = (object: DirectoryObject | undefined) => (object ? object.displayName ?? object.name : '');

function describeChanges(event: ChangeEvent): string {
  return (event.changes ?? [])
    .map(({ attribute, oldValue, newValue }) => `${attribute}: ${format(oldValue)} -> ${format(newValue)}`)
    .join('\n');
}

function format(value: unknown): string {
  if (value === null || value === undefined || value === '') return '(none)';
  return Array.isArray(value) ? value.join(', ') : String(value);
}

/** The values a change's mail is filled with. */
export function changeTagValues(db: Db, event: ChangeEvent, at: Date): TagValues {
  const { object, related, actor } = event;
  const group = object.kind === 'Group' ? object : related?.kind === 'Group' ? related : undefined;
  return {
    ...storeTagValues(db, { id: event.storeId, name: event.storeName }),
    TARGETOBJECT_DisplayName: displayName(object),
    TARGETOBJECT_Name: object.name,
    TARGETOBJECT_mail: object.mail ?? '',
    TARGETOBJECT_Type: object.kind,
    REQUESTER_DisplayName: actor.user ? displayName(actor.user) : actor.name,
    REQUESTER_mail: actor.user?.mail ?? '',
    MEMBER_DisplayName: displayName(related),
    MEMBER_mail: related?.mail ?? '',
    GROUP_DisplayName: displayName(group),
    CHANGE_Time: at.toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC'),
    CHANGE_Details: describeChanges(event),
  };
}

/**
 * Turns a change into the mails the store's settings ask for, queued in the caller's
 * transaction so that a change and its notification stand or fall together. Returns the number
 * of mails queued.
 */
export function createNotifier(deps: NotifierDependencies): (event: ChangeEvent) => number {
  return (event) => {
    const settings = loadSettings(deps.db, event.storeId);
    const { recipients } = resolveRecipients(event, settings, deps.directory(event.storeId));
    if (recipients.length === 0) return 0;
    const now = deps.clock();
    const mail = renderTemplate(loadTemplate(deps.db, event.storeId, event.kind as NotificationKind), changeTagValues(deps.db, event, now));
    const queued = enqueue(deps.db, {
      storeId: event.storeId,
      storeName: event.storeName,
      kind: event.kind,
      to: recipients.filter((r) => r.field === 'to').map((r) => r.address),
      cc: recipients.filter((r) => r.field === 'cc').map((r) => r.address),
      subject: mail.subject,
      text: mail.text,
      html: mail.html,
      sender: settings.from ?? undefined,
      maxRecipients: settings.maxRecipientsPerMessage,
      now,
      lifetimeMs: deps.policy.lifetimeMs,
    });
    // Default authentication means "as the signed-in user": their mails go out under their name.
    if (settings.authentication === 'Default' && event.actor.smtpCredential) {
      deps.rememberCredential(queued.map((mail) => mail.id), event.actor.smtpCredential);
    }
    deps.wake();
    return queued.length;
  };
}
