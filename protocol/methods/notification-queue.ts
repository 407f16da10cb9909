import { z } from 'zod';
import { objectName } from '../fields.js';
import { defineMethod } from '../method.js';
import { MAIL_STATUSES, MailHistoryEntry, QueuedMail } from '../settings/mail-views.js';
import { storeParam } from './smtp-server.js';

const queued: QueuedMail = {
  id: 1, identityStore: 'Corp', subject: 'Membership of Sales changed', date: '2026-11-26T09:00:00.000Z',
  to: ['sales-owners@corp.example'], cc: [], from: 'herald@corp.example', status: 'Pending', retryCount: 1,
  lastRetry: '2026-11-26T09:00:01.000Z', nextAttempt: '2026-11-26T09:05:01.000Z',
  lastError: '451 4.3.0 Mail server temporarily rejected message', kind: 'Custom', messageId: '<5d0c…@corp.example>',
};

/**
 * Addresses or directory identities, as a list or one string split at `;` (not at commas:
 * a DN has them). Identities are resolved by the daemon, in the store's directory.
 */
const recipientList = (what: string) =>
  z
    .union([z.string(), z.array(z.string())])
    .transform((value) => (Array.isArray(value) ? value : value.split(';')).map((item) => item.trim()).filter((item) => item !== ''))
    .pipe(z.array(z.string().max(1024, `${what}: an entry is too long`).refine((item) => !/[\u0000-\u001f]/.test(item), `${what} must not contain control characters`))
      .min(1, `${what} must name at least one recipient`).max(10_000, `${what} may name at most 10,000 recipients`));

const mailId = z.number().int().min(1).describe('The mail\'s Id, as Get-NotificationQueue shows it');
const optionalStore = objectName('identity store name').optional().describe('Only this store');

export const notificationQueueGet = defineMethod({
  name: 'notificationQueue.get',
  access: 'read',
  summary: 'Lists queued mails: what waits, what is being sent, what failed.',
  description: 'Without -Status, the mails still to be delivered (Pending and Sending). Newest first.',
  params: z.strictObject({
    identityStore: optionalStore,
    status: z.enum([...MAIL_STATUSES, 'All']).optional().describe('Pending, Sending, Failed, Sent, Cancelled or All'),
    first: z.number().int().min(1).max(100_000).optional().describe('At most this many (default 1000)'),
  }),
  result: z.array(QueuedMail),
  errors: ['NotFound'],
  examples: [{ name: 'waiting mail', params: { identityStore: 'Corp' }, result: [queued] }],
  cmdlet: {
    name: 'Get-NotificationQueue',
    parameters: { identityStore: { aliases: ['IdentityStoreName'], position: 0 } },
    display: ['Id', 'Subject', 'Date', 'To', 'Status', 'RetryCount', 'LastError'],
    examples: [
      { command: 'Get-NotificationQueue', description: 'Mails not delivered yet, in every store.' },
      { command: 'Get-NotificationQueue -IdentityStore Corp -Status Failed | Format-List', description: 'Corp\'s failed mails with every column.' },
    ],
  },
});

export const notificationQueueSend = defineMethod({
  name: 'notificationQueue.send',
  access: 'write',
  summary: 'Sends a queued mail now, without waiting for its next retry; a failed one is queued again.',
  description: 'A mail being sent at that moment is left to the attempt under way.',
  params: z.strictObject({ id: mailId }),
  result: QueuedMail,
  errors: ['NotFound', 'Conflict'],
  examples: [{ name: 'retry now', params: { id: 1 }, result: { ...queued, nextAttempt: '2026-11-26T09:02:00.000Z' } }],
  cmdlet: {
    name: 'Send-QueuedNotification',
    parameters: { id: { position: 0, fromPipeline: true } },
    target: 'id',
    output: 'passThru',
    examples: [
      { command: 'Send-QueuedNotification -Id 42', description: 'Tries mail 42 again now.' },
      { command: 'Get-NotificationQueue -Status Failed | Send-QueuedNotification', description: 'After fixing the SMTP settings, every failed mail again.' },
    ],
  },
});

export const notificationQueueRemove = defineMethod({
  name: 'notificationQueue.remove',
  access: 'write',
  summary: 'Cancels a queued mail: it ends Cancelled and stays in the history.',
  description: 'A mail being sent at that moment ends Cancelled unless the attempt under way delivers it.',
  params: z.strictObject({ id: mailId }),
  result: z.null(),
  errors: ['NotFound', 'Conflict'],
  examples: [{ name: 'cancel', params: { id: 1 }, result: null }],
  cmdlet: {
    name: 'Remove-QueuedNotification',
    parameters: { id: { position: 0, fromPipeline: true } },
    target: 'id',
    confirmImpact: 'High',
    output: 'none',
    examples: [{ command: 'Remove-QueuedNotification -Id 42 -Force', description: 'Cancels mail 42 without asking.' }],
  },
});

export const notificationHistoryGet = defineMethod({
  name: 'notificationHistory.get',
  access: 'read',
  summary: 'Lists delivered, failed and cancelled mails with their Message-ID, recipients and the server\'s reply.',
  params: z.strictObject({
    identityStore: optionalStore,
    recipient: z.string().trim().min(1).max(254).optional().describe('Only mails to this address'),
    since: z.iso.datetime({ offset: true }).optional().describe('Only mails finished since this time (ISO 8601)'),
    first: z.number().int().min(1).max(100_000).optional().describe('At most this many (default 1000)'),
  }),
  result: z.array(MailHistoryEntry),
  errors: ['NotFound'],
  examples: [{
    name: 'delivered',
    params: { identityStore: 'Corp', recipient: 'sales-owners@corp.example' },
    result: [{ ...queued, status: 'Sent', nextAttempt: null, lastError: null, finishedAt: '2026-11-26T09:05:02.000Z', finalReply: '250 2.0.0 Ok: queued as 4F2A1', recipients: [{ address: 'sales-owners@corp.example', field: 'to', status: 'Accepted', reply: null }] }],
  }],
  cmdlet: {
    name: 'Get-NotificationHistory',
    parameters: { identityStore: { aliases: ['IdentityStoreName'], position: 0 } },
    display: ['Id', 'Subject', 'FinishedAt', 'To', 'Status', 'FinalReply'],
    examples: [
      { command: 'Get-NotificationHistory -Recipient jane@corp.example', description: 'Every mail sent to Jane, with the server\'s answers.' },
      { command: 'Get-NotificationHistory Corp -Since (Get-Date).Date | Where-Object Status -eq Failed', description: 'What failed today (UTC) in Corp.' },
    ],
  },
});

export const notificationSend = defineMethod({
  name: 'notification.send',
  access: 'write',
  summary: 'Queues a mail to addresses through an identity store\'s SMTP settings.',
  description: 'Every mail is queued and delivered by the outbox, so none is lost when the server is down (-QueueEmail is accepted and changes nothing). Until the directory is available, -Identity takes mail addresses.',
  params: z.strictObject({
    identityStore: storeParam.optional().describe('The store whose SMTP settings send it; may be left out when there is only one'),
    to: recipientList('to').describe('Recipients: mail addresses, or directory users, contacts and groups (a group means its members)'),
    cc: recipientList('cc').optional(),
    subject: z.string().trim().min(1, 'subject must not be empty').max(998, 'subject must be at most 998 characters')
      .refine((s) => !/[\r\n]/.test(s), 'subject must be one line'),
    body: z.string().max(1_000_000).optional().describe('Plain text body'),
    html: z.string().max(1_000_000).optional().describe('HTML body'),
    queueEmail: z.boolean().optional().describe('Accepted for reference scripts; every mail is queued'),
  }).refine((p) => p.body !== undefined || p.html !== undefined, { message: 'give -Body or -TemplateFile', path: ['body'] }),
  result: z.array(QueuedMail),
  errors: ['NotFound'],
  examples: [{
    name: 'a note to the owners',
    params: { identityStore: 'Corp', to: ['sales-owners@corp.example'], subject: 'Membership of Sales changed', body: 'Two members joined Sales today.' },
    result: [{ ...queued, retryCount: 0, lastRetry: null, nextAttempt: '2026-11-26T09:00:00.000Z', lastError: null, from: null }],
  }],
  cmdlet: {
    name: 'Send-Notification',
    parameters: {
      identityStore: { aliases: ['IdentityStoreName'] },
      to: { aliases: ['Identity'], position: 0 },
      html: { aliases: ['TemplateFile'], file: 'text' },
    },
    target: 'to',
    examples: [
      { command: "Send-Notification -IdentityStore Corp -Identity sales-owners@corp.example -Subject 'Quarterly review' -Body 'Please review the Sales membership.'", description: 'A plain text mail.' },
      { command: "Send-Notification -IdentityStore Corp -Identity jane@corp.example -Subject 'Welcome' -TemplateFile welcome.html -QueueEmail", description: 'A reference script line: the template file is the HTML body.' },
    ],
  },
});
