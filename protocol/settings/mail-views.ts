import { z } from 'zod';
import { timestamp } from '../fields.js';

export const MAIL_STATUSES = ['Pending', 'Sending', 'Sent', 'Failed', 'Cancelled'] as const;

/** One queued mail, with the reference queue view's columns. */
export const QueuedMail = z.object({
  id: z.number().int(),
  identityStore: z.string(),
  subject: z.string(),
  date: timestamp.describe('When it was queued'),
  to: z.array(z.string()),
  cc: z.array(z.string()),
  from: z.string().nullable().describe('Fixed at the first attempt when not known at queue time'),
  status: z.enum(MAIL_STATUSES),
  retryCount: z.number().int().describe('Attempts so far'),
  lastRetry: timestamp.nullable(),
  nextAttempt: timestamp.nullable().describe('When the next attempt is due (Pending only)'),
  lastError: z.string().nullable(),
  kind: z.string(),
  messageId: z.string(),
});
export type QueuedMail = z.infer<typeof QueuedMail>;

export const RECIPIENT_STATUSES = ['Pending', 'Accepted', 'Rejected'] as const;

/** A finished mail: who got it, and what the server said. */
export const MailHistoryEntry = QueuedMail.extend({
  finishedAt: timestamp.nullable(),
  finalReply: z.string().nullable().describe('The server\'s reply to the message (often with its queue id)'),
  recipients: z.array(z.object({
    address: z.string(),
    field: z.enum(['to', 'cc']),
    status: z.enum(RECIPIENT_STATUSES),
    reply: z.string().nullable(),
  })),
});
export type MailHistoryEntry = z.infer<typeof MailHistoryEntry>;
