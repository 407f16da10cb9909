import type { Db } from '../database.js';
import type { Logger } from '../logger.js';
import type { SecretBox } from '../secrets.js';
import { DeliveryError, type OutgoingMessage } from './mail-transport.js';
import {
  deferStore, nextDue, requeueInFlight, settle, type AttemptResult, type MailRow,
} from './outbox.js';
import { RateLimiter } from './rate-limiter.js';
import { retryDelay, type RetryPolicy } from './retry-policy.js';
import { BatchContext } from './batch.js';
import { StoreLanes } from './store-lanes.js';
import type { TransportCache } from './transport-cache.js';

/** Mails claimed and not yet recorded, at most: also the most a crash can send twice. */
const WINDOW = 200;
/** Claim more once this many places are free, so that claims (and commits) stay batches. */
const CLAIM_AT_LEAST = 100;
/**
 * Mails handed to one store's transport at a time: enough to keep each of its pooled connections
 * busy, few enough that a message's objects die young instead of waiting in the pool's queue
 * (which made garbage collection the daemon's largest cost).
 */
const SENDING_PER_STORE = 10;
/** Outcomes recorded together when nothing is left to claim: one synced commit for many mails. */
const RECORD_EVERY = 64;
// Timers longer than this overflow; the worker simply looks again.
const LONGEST_SLEEP_MS = 60_000;

export interface WorkerDependencies {
  db: Db;
  secrets: SecretBox;
  clock: () => Date;
  log: Logger;
  transports: TransportCache;
  policy: RetryPolicy;
}

/**
 * Moves mails from the outbox to their servers: claims what is due, sends it through the
 * store's pooled transport, records each outcome. Woken when mail is queued; otherwise it
 * sleeps until the next retry is due. Every claimed mail ends Sent, Failed or back in the queue.
 */
export class DeliveryWorker {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private wakeQueued = false;
  private stopped = false;
  private readonly limiter = new RateLimiter();
  /** Signed-in users' credentials for the mails they caused (Default authentication), in memory only. */
  private readonly credentials = new Map<number, { user: string; pass: string }>();
  /** Stores whose server did not answer, until when their mail waits. */
  private readonly outages = new Map<number, { until: number; error: string }>();

  constructor(private readonly deps: WorkerDependencies) {}

  start(): void {
    const requeued = requeueInFlight(this.deps.db);
    if (requeued) this.deps.log.warn('mails left in flight by an earlier stop are queued again', { mails: requeued });
    this.wake();
  }

  /**
   * Looks for due mail soon (new mail, or a mail forced due). Never in the caller's own turn:
   * a handler wakes the worker inside its transaction, and the mail must be committed first.
   */
  wake(): void {
    if (this.stopped || this.wakeQueued) return;
    this.wakeQueued = true;
    setImmediate(() => {
      this.wakeQueued = false;
      this.run();
    });
  }

  private run(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    clearTimeout(this.timer);
    this.running = this.drain().finally(() => {
      this.running = undefined;
      if (this.again) {
        this.again = false;
        this.run();
      } else {
        this.schedule();
      }
    });
  }

  rememberCredential(mailIds: number[], credential: { user: string; pass: string }): void {
    for (const id of mailIds) this.credentials.set(id, credential);
  }

  /** Stops taking mail and waits for the mails under way to be recorded. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  private schedule(): void {
    if (this.stopped) return;
    const due = nextDue(this.deps.db);
    if (due === undefined) return;
    const wait = Math.min(LONGEST_SLEEP_MS, Math.max(0, Date.parse(due) - this.deps.clock().getTime()));
    this.timer = setTimeout(() => this.run(), wait);
    this.timer.unref();
  }

  /**
   * Keeps up to WINDOW mails claimed: new ones are claimed while others are still being sent, so
   * that the connections never wait for the slowest mail of a batch. Outcomes are recorded in the
   * same transaction as the next claim: each synced commit blocks the event loop for a disk
   * flush, so a round of a hundred mails costs one flush, not two.
   */
  private async drain(): Promise<void> {
    const lanes = new StoreLanes(SENDING_PER_STORE);
    let done: { mail: MailRow; result: AttemptResult }[] = [];
    let exhausted = false;
    const start = (mail: MailRow, batch: BatchContext): Promise<void> => this.attempt(mail, batch)
      .catch((error: unknown): AttemptResult => {
        // Whatever went wrong, the mail goes back to the queue rather than being lost.
        this.deps.log.error('unexpected error while sending', { mail: mail.id, error });
        return { mailId: mail.id, kind: 'deferred', nextAttemptAt: new Date(this.deps.clock().getTime() + this.deps.policy.firstMs).toISOString(), error: 'unexpected error: see the daemon log' };
      })
      .then((result) => { done.push({ mail, result }); });
    for (;;) {
      const room = WINDOW - lanes.size;
      const claiming = !this.stopped && !exhausted && (room >= CLAIM_AT_LEAST || lanes.size === 0);
      if (claiming || done.length >= RECORD_EVERY || (lanes.size === 0 && done.length > 0)) {
        const finished = done;
        done = [];
        const mails = settle(this.deps.db, finished.map((d) => d.result), this.deps.clock(), claiming ? room : 0);
        this.afterRecording(finished);
        // Fewer than asked for: nothing else is due. Mail queued meanwhile wakes the worker again.
        if (claiming) exhausted = mails.length < room;
        const batch = new BatchContext(this.deps.db, this.deps.secrets, mails);
        for (const mail of mails) lanes.add(mail.store_id ?? 0, () => start(mail, batch));
      }
      if (lanes.size === 0 && done.length === 0) break;
      if (lanes.size > 0) await lanes.next();
    }
  }

  private afterRecording(finished: { mail: MailRow; result: AttemptResult }[]): void {
    for (const { result } of finished) if (result.kind === 'sent' || result.kind === 'failed') this.credentials.delete(result.mailId);
    this.logOutcomes(finished.map((d) => d.mail), finished.map((d) => d.result));
  }

  private noteOutage(storeId: number, until: number, error: string, storeName: string): void {
    const known = this.outages.get(storeId);
    if (!known || known.until < until) this.outages.set(storeId, { until, error });
    const waiting = deferStore(this.deps.db, storeId, new Date(until).toISOString(), error);
    if (!known) this.deps.log.warn('mail server unreachable: the store\'s mail waits', { store: storeName, until: new Date(until).toISOString(), mails: waiting, reason: error });
  }

  /** One line per outcome: failures for the admin, deliveries for debugging. Never content. */
  private logOutcomes(mails: MailRow[], results: AttemptResult[]): void {
    results.forEach((result, i) => {
      const mail = { mail: result.mailId, store: mails[i].store_name, messageId: mails[i].message_id };
      if (result.kind === 'sent') this.deps.log.debug('mail sent', { ...mail, reply: result.reply });
      else if (result.kind === 'failed') this.deps.log.warn('mail failed', { ...mail, reason: result.error });
      else if (result.kind === 'retry') this.deps.log.info('mail deferred', { ...mail, reason: result.error, next: result.nextAttemptAt });
    });
  }

  private async attempt(mail: MailRow, batch: BatchContext): Promise<AttemptResult> {
    const { clock, log, transports, policy } = this.deps;
    const now = clock();
    const retryOrGiveUp = (error: string, sender: string | null): AttemptResult => {
      const next = now.getTime() + retryDelay(policy, mail.attempts);
      if (next > Date.parse(mail.expires_at)) {
        return { mailId: mail.id, kind: 'failed', sender, error: `gave up after ${mail.attempts} attempts: ${error}` };
      }
      return { mailId: mail.id, kind: 'retry', sender, error, nextAttemptAt: new Date(next).toISOString() };
    };
    if (mail.store_id === null) return { mailId: mail.id, kind: 'failed', sender: mail.sender, error: 'the identity store was removed' };
    const storeId = mail.store_id;
    // The store's server is known to be down: wait with the rest instead of knocking again.
    const outage = this.outages.get(storeId);
    if (outage && outage.until > now.getTime()) {
      return { mailId: mail.id, kind: 'deferred', nextAttemptAt: new Date(outage.until).toISOString(), error: outage.error };
    }
    let config;
    try {
      const store = batch.store(storeId, mail.store_name);
      config = store.config;
      if (!config) return retryOrGiveUp(`identity store '${mail.store_name}' has no SMTP server: set one with Set-SmtpServer`, mail.sender);
      const slot = this.limiter.take(storeId, store.settings.rateLimitPerMinute, now.getTime());
      if (!slot.ok) return { mailId: mail.id, kind: 'deferred', nextAttemptAt: new Date(slot.retryAt).toISOString() };
    } catch (error) {
      log.error('cannot prepare a mail for sending', { mail: mail.id, error });
      return retryOrGiveUp('the store\'s settings could not be read: see the daemon log', mail.sender);
    }
    const sender = mail.sender ?? config.from;
    const content = batch.content(mail.content_id);
    const recipients = batch.recipientsOf(mail.id);
    const message: OutgoingMessage = {
      messageId: mail.message_id,
      from: sender,
      to: recipients.filter((r) => r.field === 'to').map((r) => r.address),
      cc: recipients.filter((r) => r.field === 'cc').map((r) => r.address),
      subject: content.subject,
      text: content.text_body,
      ...(content.html_body ? { html: content.html_body } : {}),
      headers: { 'X-Herald-Kind': mail.kind },
      date: new Date(mail.created_at),
      contentKey: String(mail.content_id),
    };
    try {
      const credential = config.auth.kind === 'none' ? this.credentials.get(mail.id) : undefined;
      const sendAs = credential ? { ...config, auth: { kind: 'basic' as const, ...credential } } : config;
      const outcome = await (await transports.get(storeId, sendAs, credential?.user)).send(message);
      this.outages.delete(storeId);
      // A 4xx for some recipients means "not now" for them only: they get a mail of their own.
      const deferred = outcome.recipients.filter((r) => !r.accepted && /^4\d\d/.test(r.reply ?? '')).map((r) => r.address);
      const accepted = outcome.recipients.some((r) => r.accepted);
      if (!accepted && deferred.length === outcome.recipients.length) return retryOrGiveUp(outcome.recipients[0].reply ?? 'deferred', sender);
      const followUp = deferred.length
        ? { addresses: deferred, nextAttemptAt: new Date(now.getTime() + retryDelay(policy, 1)).toISOString() }
        : undefined;
      if (accepted) return { mailId: mail.id, kind: 'sent', sender, reply: outcome.response, recipients: outcome.recipients, followUp };
      return { mailId: mail.id, kind: 'failed', sender, error: 'every recipient was refused', recipients: outcome.recipients, followUp };
    } catch (error) {
      if (!(error instanceof DeliveryError)) {
        log.error('unexpected delivery error', { mail: mail.id, error });
        return retryOrGiveUp('unexpected error: see the daemon log', sender);
      }
      const reason = error.details.response ?? error.message;
      if (error.transient && error.details.responseCode === undefined) {
        // No server answered (refused, timed out, token endpoint down): the store's other mails
        // would meet the same fate, so they wait for this one's retry time.
        const result = retryOrGiveUp(reason, sender);
        if (result.kind === 'retry') this.noteOutage(storeId, Date.parse(result.nextAttemptAt), reason, mail.store_name);
        return result;
      }
      if (error.transient) return retryOrGiveUp(reason, sender);
      return { mailId: mail.id, kind: 'failed', sender, error: reason, recipients: error.details.recipients };
    }
  }
}
