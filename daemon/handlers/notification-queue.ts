import { HeraldError, isMailAddress, type MailHistoryEntry, type QueuedMail } from '../../protocol/index.js';
import { expandPeople } from '../notifier/recipients.js';
import type { Handler, Services } from '../context.js';
import { enqueue, recipientsOf, type MailRow } from '../delivery/outbox.js';
import { loadSettings } from '../settings/settings-store.js';
import { prepared } from '../sql.js';
import { requireStore } from './identity-store.js';

const DEFAULT_LIMIT = 1000;

interface ListedRow extends MailRow {
  subject: string;
}

function toQueued(db: Services['db'], row: ListedRow): QueuedMail {
  const recipients = recipientsOf(db, row.id);
  return {
    id: row.id,
    identityStore: row.store_name,
    subject: row.subject,
    date: row.created_at,
    to: recipients.filter((r) => r.field === 'to').map((r) => r.address),
    cc: recipients.filter((r) => r.field === 'cc').map((r) => r.address),
    from: row.sender,
    status: row.status,
    retryCount: row.attempts,
    lastRetry: row.last_attempt_at,
    nextAttempt: row.status === 'Pending' ? row.next_attempt_at : null,
    lastError: row.last_error,
    kind: row.kind,
    messageId: row.message_id,
  };
}

function toHistory(db: Services['db'], row: ListedRow): MailHistoryEntry {
  return {
    ...toQueued(db, row),
    finishedAt: row.finished_at,
    finalReply: row.final_reply,
    recipients: recipientsOf(db, row.id).map(({ address, field, status, reply }) => ({ address, field, status, reply })),
  };
}

const SELECT = 'SELECT m.*, c.subject FROM mail m JOIN mail_content c ON c.id = m.content_id';

export function notificationQueueHandlers(services: Services) {
  const { db, clock, delivery } = services;
  const listed = (id: number): ListedRow => {
    const row = prepared(db, `${SELECT} WHERE m.id = ?`).get(id) as ListedRow | undefined;
    if (!row) throw new HeraldError('NotFound', `no queued mail has Id ${id}`, { field: 'id', remedy: 'Get-NotificationQueue -Status All lists them' });
    return row;
  };
  const storeFilter = (name: string | undefined) => (name === undefined ? undefined : requireStore(db, name, 'identityStore').id);

  const get: Handler<'notificationQueue.get'> = ({ identityStore, status, first = DEFAULT_LIMIT }) => {
    const storeId = storeFilter(identityStore);
    const statuses = status === undefined ? ['Pending', 'Sending'] : status === 'All' ? ['Pending', 'Sending', 'Sent', 'Failed', 'Cancelled'] : [status];
    const rows = prepared(db, `${SELECT} WHERE m.status IN (SELECT value FROM json_each(?)) AND (? IS NULL OR m.store_id = ?) ORDER BY m.id DESC LIMIT ?`)
      .all(JSON.stringify(statuses), storeId ?? null, storeId ?? null, first) as ListedRow[];
    return rows.map((row) => toQueued(db, row));
  };

  const send: Handler<'notificationQueue.send'> = ({ id }) => {
    const row = listed(id);
    if (row.status === 'Sending') return toQueued(db, row);
    if (row.status === 'Sent' || row.status === 'Cancelled') {
      throw new HeraldError('Conflict', `mail ${id} is ${row.status}: only Pending and Failed mails can be sent again`, { field: 'id' });
    }
    const now = clock();
    // A failed mail gets a new lifetime: the admin asked for it after fixing something.
    const expires = row.status === 'Failed' ? new Date(now.getTime() + delivery.policy.lifetimeMs).toISOString() : row.expires_at;
    prepared(db, "UPDATE mail SET status = 'Pending', next_attempt_at = ?, expires_at = ?, finished_at = NULL WHERE id = ?").run(now.toISOString(), expires, id);
    prepared(db, "UPDATE mail_recipient SET status = 'Pending', reply = NULL WHERE mail_id = ? AND status = 'Rejected'").run(id);
    delivery.wake();
    return toQueued(db, listed(id));
  };

  const remove: Handler<'notificationQueue.remove'> = ({ id }) => {
    const row = listed(id);
    if (row.status === 'Sent' || row.status === 'Cancelled') {
      throw new HeraldError('Conflict', `mail ${id} is already ${row.status}`, { field: 'id' });
    }
    // One being sent right now cannot be called back: it ends Cancelled unless this attempt delivers it.
    prepared(db, `UPDATE mail SET cancel_wanted = 1,
        status = CASE status WHEN 'Sending' THEN 'Sending' ELSE 'Cancelled' END,
        finished_at = CASE status WHEN 'Sending' THEN NULL ELSE ? END
      WHERE id = ?`).run(clock().toISOString(), id);
    return null;
  };

  const history: Handler<'notificationHistory.get'> = ({ identityStore, recipient, since, first = DEFAULT_LIMIT }) => {
    const storeId = storeFilter(identityStore);
    const rows = prepared(db, `${SELECT} WHERE m.status IN ('Sent', 'Failed', 'Cancelled')
        AND (? IS NULL OR m.store_id = ?)
        AND (? IS NULL OR m.finished_at >= ?)
        AND (? IS NULL OR EXISTS (SELECT 1 FROM mail_recipient r WHERE r.mail_id = m.id AND r.address = ? COLLATE NOCASE))
      ORDER BY m.finished_at DESC, m.id DESC LIMIT ?`)
      .all(storeId ?? null, storeId ?? null, since ? new Date(since).toISOString() : null, since ? new Date(since).toISOString() : null, recipient ?? null, recipient ?? null, first) as ListedRow[];
    return rows.map((row) => toHistory(db, row));
  };

  const sendNotification: Handler<'notification.send'> = (params) => {
    const stores = prepared(db, 'SELECT name FROM identity_store ORDER BY name_key').all() as { name: string }[];
    const storeName = params.identityStore ?? (stores.length === 1 ? stores[0].name : undefined);
    if (storeName === undefined) {
      throw new HeraldError('InvalidParams', 'name the identity store whose SMTP settings send the mail', { field: 'identityStore', remedy: 'add -IdentityStore <name>' });
    }
    const { store, sender, queued, now } = db.transaction(() => {
      const store = requireStore(db, storeName, 'identityStore');
      const settings = loadSettings(db, store.id);
      const now = clock();
      const queued = enqueue(db, {
        storeId: store.id,
        storeName: store.name,
        kind: 'Custom',
        to: mailAddressesOf(services, store, params.to, 'to'),
        cc: mailAddressesOf(services, store, params.cc ?? [], 'cc'),
        subject: params.subject,
        text: params.body ?? htmlToText(params.html ?? ''),
        html: params.html,
        sender: settings.from ?? undefined,
        maxRecipients: settings.maxRecipientsPerMessage,
        now,
        lifetimeMs: delivery.policy.lifetimeMs,
      });
      return { store, sender: settings.from, queued, now: now.toISOString() };
    })();
    delivery.wake();
    // Built from what was queued, not read back: a 10,000-recipient call stays cheap.
    return queued.map((mail): QueuedMail => ({
      id: mail.id, identityStore: store.name, subject: params.subject, date: now, to: mail.to, cc: mail.cc, from: sender,
      status: 'Pending', retryCount: 0, lastRetry: null, nextAttempt: now, lastError: null, kind: 'Custom', messageId: mail.messageId,
    }));
  };

  return {
    'notificationQueue.get': get,
    'notificationQueue.send': send,
    'notificationQueue.remove': remove,
    'notificationHistory.get': history,
    'notification.send': sendNotification,
  };
}

/**
 * Mail addresses stay as given; anything else names a directory object of the store: a user
 * or contact means its address, a group its members' (nested, each once). An object that
 * leaves nobody to mail is an error naming it, not a silent gap.
 */
function mailAddressesOf(services: Services, store: { id: number; name: string }, entries: string[], field: string): string[] {
  const addresses = new Map<string, string>();
  const directory = services.directory(store.id);
  for (const entry of entries) {
    if (isMailAddress(entry)) {
      addresses.set(entry.toLowerCase(), entry);
      continue;
    }
    const object = directory.find(entry);
    if (!object) {
      throw new HeraldError('InvalidParams', `${field}: '${entry}' is neither a mail address nor an object of identity store '${store.name}'`, { field });
    }
    let reached = 0;
    expandPeople(directory, object, (person) => {
      reached++;
      addresses.set(person.mail!.toLowerCase(), person.mail!);
    }, () => undefined);
    if (reached === 0) {
      throw new HeraldError('ValidationFailed', `${field}: ${object.kind.toLowerCase()} '${object.name}' leaves nobody to mail (no address, or disabled)`, { field });
    }
  }
  return [...addresses.values()];
}

/** A readable text part for an HTML-only mail: tags dropped, entities of the common kind decoded. */
function htmlToText(html: string): string {
  return html
    .replace(/<(br|\/p|\/div|\/h\d|\/li|\/tr)\b[^>]*>/gi, '\n')
    .replace(/<[^>]+>/g, '')
    .replace(/&nbsp;/g, ' ').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

