import { randomUUID } from 'node:crypto';
import type { Db } from '../database.js';
import { prepared } from '../sql.js';
import type { RecipientOutcome } from './mail-transport.js';

export type MailStatus = 'Pending' | 'Sending' | 'Sent' | 'Failed' | 'Cancelled';

export interface NewMail {
  storeId: number;
  storeName: string;
  kind: string;
  to: string[];
  cc: string[];
  subject: string;
  text: string;
  html?: string;
  /** The sender when known at queue time; else fixed at the first attempt. */
  sender?: string;
  /** Recipients per message; longer lists become several identical mails. */
  maxRecipients: number;
  now: Date;
  lifetimeMs: number;
}

export interface MailRow {
  id: number;
  store_id: number | null;
  store_name: string;
  message_id: string;
  kind: string;
  sender: string | null;
  content_id: number;
  status: MailStatus;
  created_at: string;
  next_attempt_at: string;
  expires_at: string;
  attempts: number;
  last_attempt_at: string | null;
  last_error: string | null;
  final_reply: string | null;
  finished_at: string | null;
  cancel_wanted: number;
}

export interface RecipientRow {
  mail_id: number;
  position: number;
  address: string;
  field: 'to' | 'cc';
  status: 'Pending' | 'Accepted' | 'Rejected';
  reply: string | null;
}

export interface ContentRow {
  id: number;
  subject: string;
  text_body: string;
  html_body: string | null;
}

function domainOf(sender: string | undefined): string {
  const match = sender ? /@([^>\s]+)>?\s*$/.exec(sender) : null;
  return match ? match[1] : 'herald.invalid';
}

/** What queueing made, without reading it back: enough for the caller's reply. */
export interface QueuedRef {
  id: number;
  messageId: string;
  to: string[];
  cc: string[];
}

/**
 * Queues a mail in the caller's transaction: the content once, then one mail per batch of
 * recipients, each with a Message-ID fixed now so that every retry sends the same message.
 */
export function enqueue(db: Db, mail: NewMail): QueuedRef[] {
  const recipients = [
    ...mail.to.map((address) => ({ address, field: 'to' as const })),
    ...mail.cc.map((address) => ({ address, field: 'cc' as const })),
  ];
  if (recipients.length === 0) return [];
  const { id: contentId } = prepared(db, 'INSERT INTO mail_content (subject, text_body, html_body) VALUES (?, ?, ?) RETURNING id')
    .get(mail.subject, mail.text, mail.html ?? null) as { id: number };
  const now = mail.now.toISOString();
  const expires = new Date(mail.now.getTime() + mail.lifetimeMs).toISOString();
  const domain = domainOf(mail.sender);
  // Ids chosen here (the transaction holds the write lock) so that all the mails go in one
  // statement and all their recipients in another: 10,000 mails are two inserts, not 20,000.
  const { next } = prepared(db, 'SELECT COALESCE(MAX(id), 0) + 1 AS next FROM mail').get() as { next: number };
  const mails: [number, string][] = [];
  const rows: [number, number, string, 'to' | 'cc'][] = [];
  const queued: QueuedRef[] = [];
  for (let start = 0; start < recipients.length; start += mail.maxRecipients) {
    const id = next + mails.length;
    const messageId = `<${randomUUID()}@${domain}>`;
    const batch = recipients.slice(start, start + mail.maxRecipients);
    mails.push([id, messageId]);
    batch.forEach((r, position) => rows.push([id, position, r.address, r.field]));
    queued.push({ id, messageId, to: batch.filter((r) => r.field === 'to').map((r) => r.address), cc: batch.filter((r) => r.field === 'cc').map((r) => r.address) });
  }
  prepared(db, `INSERT INTO mail (id, store_id, store_name, message_id, kind, sender, content_id, status, created_at, next_attempt_at, expires_at)
    SELECT json_extract(value, '$[0]'), ?, ?, json_extract(value, '$[1]'), ?, ?, ?, 'Pending', ?, ?, ? FROM json_each(?)`)
    .run(mail.storeId, mail.storeName, mail.kind, mail.sender ?? null, contentId, now, now, expires, JSON.stringify(mails));
  prepared(db, `INSERT INTO mail_recipient (mail_id, position, address, field, status)
    SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]'), json_extract(value, '$[2]'), json_extract(value, '$[3]'), 'Pending' FROM json_each(?)`)
    .run(JSON.stringify(rows));
  return queued;
}

/** Takes due mails for sending in one statement, so that two claims never take the same mail. */
export function claimDue(db: Db, now: Date, limit: number): MailRow[] {
  const at = now.toISOString();
  return prepared(db, `UPDATE mail SET status = 'Sending', attempts = attempts + 1, last_attempt_at = ?
    WHERE id IN (SELECT id FROM mail WHERE status = 'Pending' AND next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT ?)
    RETURNING *`).all(at, at, limit) as MailRow[];
}

/** After a crash, mails caught in flight go back to the queue (they may be sent twice, same Message-ID). */
export function requeueInFlight(db: Db): number {
  prepared(db, "UPDATE mail SET status = 'Cancelled', finished_at = last_attempt_at WHERE status = 'Sending' AND cancel_wanted = 1").run();
  return prepared(db, "UPDATE mail SET status = 'Pending' WHERE status = 'Sending'").run().changes;
}

export function nextDue(db: Db): string | undefined {
  const row = prepared(db, "SELECT MIN(next_attempt_at) AS at FROM mail WHERE status = 'Pending'").get() as { at: string | null };
  return row.at ?? undefined;
}

export function recipientsOf(db: Db, mailId: number): RecipientRow[] {
  return prepared(db, 'SELECT * FROM mail_recipient WHERE mail_id = ? ORDER BY position').all(mailId) as RecipientRow[];
}

export function mailById(db: Db, id: number): MailRow | undefined {
  return prepared(db, 'SELECT * FROM mail WHERE id = ?').get(id) as MailRow | undefined;
}

/** The outcome of one attempt, to be written with others in one transaction. */
/** Recipients a server deferred (4xx) while taking the mail for others: they get a mail of their own. */
export interface FollowUp {
  addresses: string[];
  nextAttemptAt: string;
}

export type AttemptResult =
  | { mailId: number; kind: 'sent'; sender: string; reply: string; recipients: RecipientOutcome[]; followUp?: FollowUp }
  | { mailId: number; kind: 'failed'; sender: string | null; error: string; recipients?: RecipientOutcome[]; followUp?: FollowUp }
  | { mailId: number; kind: 'retry'; sender: string | null; error: string; nextAttemptAt: string }
  /** Not an attempt (rate limit, a store known to be down): back in the queue without counting. */
  | { mailId: number; kind: 'deferred'; nextAttemptAt: string; error?: string };

export function recordResults(db: Db, results: AttemptResult[], now: Date): void {
  const at = now.toISOString();
  const finish = prepared(db, `UPDATE mail SET status = ?, sender = COALESCE(sender, ?), final_reply = ?, last_error = ?, finished_at = ? WHERE id = ?`);
  // A mail cancelled while it was being sent ends Cancelled instead of going back to the queue.
  const retry = prepared(db, `UPDATE mail SET status = CASE cancel_wanted WHEN 1 THEN 'Cancelled' ELSE 'Pending' END,
    finished_at = CASE cancel_wanted WHEN 1 THEN ? END, sender = COALESCE(sender, ?), last_error = ?, next_attempt_at = ? WHERE id = ?`);
  const defer = prepared(db, `UPDATE mail SET status = CASE cancel_wanted WHEN 1 THEN 'Cancelled' ELSE 'Pending' END,
    finished_at = CASE cancel_wanted WHEN 1 THEN ? END, attempts = attempts - 1, next_attempt_at = ?, last_error = COALESCE(?, last_error) WHERE id = ?`);
  const recipient = prepared(db, 'UPDATE mail_recipient SET status = ?, reply = ? WHERE mail_id = ? AND address = ?');
  const allAccepted = prepared(db, "UPDATE mail_recipient SET status = 'Accepted', reply = NULL WHERE mail_id = ?");
  db.transaction(() => {
    for (const result of results) {
      if (result.kind === 'sent') finish.run('Sent', result.sender, result.reply, null, at, result.mailId);
      else if (result.kind === 'failed') finish.run('Failed', result.sender, null, result.error, at, result.mailId);
      else if (result.kind === 'retry') retry.run(at, result.sender, result.error, result.nextAttemptAt, result.mailId);
      else defer.run(at, result.nextAttemptAt, result.error ?? null, result.mailId);
      if ((result.kind === 'sent' || result.kind === 'failed') && result.recipients) {
        const followUpId = result.followUp ? enqueueFollowUp(db, result.mailId, result.followUp) : undefined;
        // The common case in one statement: a hundred recipients need not be a hundred updates.
        if (followUpId === undefined && result.recipients.every((r) => r.accepted)) {
          allAccepted.run(result.mailId);
          continue;
        }
        for (const r of result.recipients) {
          const deferred = followUpId !== undefined && result.followUp!.addresses.includes(r.address);
          recipient.run(r.accepted ? 'Accepted' : 'Rejected', deferred ? `${r.reply ?? ''} (retried as mail ${followUpId})`.trim() : r.reply ?? null, result.mailId, r.address);
        }
      }
    }
  })();
}

/**
 * A copy of a mail for the recipients the server deferred: same content, sender and lifetime,
 * its own Message-ID (the original was delivered to the others under theirs).
 */
function enqueueFollowUp(db: Db, mailId: number, followUp: FollowUp): number {
  const original = mailById(db, mailId)!;
  const { id } = prepared(db, `INSERT INTO mail (store_id, store_name, message_id, kind, sender, content_id, status, created_at, next_attempt_at, expires_at, attempts)
    VALUES (?, ?, ?, ?, ?, ?, 'Pending', ?, ?, ?, 0) RETURNING id`)
    .get(original.store_id, original.store_name, `<${randomUUID()}@${domainOf(original.sender ?? undefined)}>`, original.kind, original.sender,
      original.content_id, original.created_at, followUp.nextAttemptAt, original.expires_at) as { id: number };
  const fields = new Map(recipientsOf(db, mailId).map((r) => [r.address, r.field]));
  followUp.addresses.forEach((address, i) =>
    prepared(db, "INSERT INTO mail_recipient (mail_id, position, address, field, status) VALUES (?, ?, ?, ?, 'Pending')").run(id, i, address, fields.get(address) ?? 'to'));
  return id;
}

/**
 * Records finished attempts and claims up to `limit` due mails in one transaction, so that a
 * round of the worker costs one synced commit.
 */
export function settle(db: Db, results: AttemptResult[], now: Date, limit: number): MailRow[] {
  return db.transaction(() => {
    if (results.length) recordResults(db, results, now);
    return limit > 0 ? claimDue(db, now, limit) : [];
  })();
}

/** Forgets finished mails older than the cutoff, and content no mail uses any more. */
export function pruneHistory(db: Db, finishedBefore: Date): number {
  return db.transaction(() => {
    const { changes } = prepared(db, "DELETE FROM mail WHERE status IN ('Sent', 'Failed', 'Cancelled') AND finished_at < ?").run(finishedBefore.toISOString());
    prepared(db, 'DELETE FROM mail_content WHERE id NOT IN (SELECT content_id FROM mail)').run();
    return changes;
  })();
}

/** A store's server is down: all its waiting mail waits until `until`, in one statement. */
export function deferStore(db: Db, storeId: number, until: string, error: string): number {
  return prepared(db, "UPDATE mail SET next_attempt_at = ?, last_error = ? WHERE store_id = ? AND status = 'Pending' AND next_attempt_at < ?")
    .run(until, error, storeId, until).changes;
}
