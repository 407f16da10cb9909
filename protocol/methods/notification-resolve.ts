import { z } from 'zod';
import { objectName } from '../fields.js';
import { defineMethod } from '../method.js';

export const CHANGE_KIND_NAMES = [
  'ObjectCreated', 'ObjectModified', 'ObjectDeleted', 'MemberAdded', 'MemberRemoved',
  'OwnerAdded', 'OwnerRemoved', 'ManagerAdded', 'ManagerRemoved',
] as const;

const RecipientView = z.object({
  address: z.string(),
  name: z.string().nullable().describe('The directory object behind the address, if any'),
  field: z.enum(['to', 'cc']),
  reasons: z.array(z.string()).describe('To, Cc, or the Also-notify rules that name this recipient'),
});

export const RecipientResolution = z.object({
  identityStore: z.string(),
  kind: z.enum(CHANGE_KIND_NAMES),
  object: z.string(),
  related: z.string().nullable(),
  recipients: z.array(RecipientView),
  skipped: z.array(z.object({ name: z.string(), reason: z.string(), why: z.string() })).describe('Named by a rule but not mailed: no address, or disabled'),
});
export type RecipientResolution = z.infer<typeof RecipientResolution>;

export const notificationResolve = defineMethod({
  name: 'notification.resolve',
  access: 'read',
  summary: 'Shows who would be notified of a change, and by which rule, without changing or sending anything.',
  description: 'Follows the store\'s To/CC lists and Also-notify switches exactly as a real change would: groups expanded to their members, people without mail and disabled users skipped, each person once.',
  params: z.strictObject({
    identityStore: objectName('identity store name').optional().describe('May be left out when there is only one store'),
    kind: z.enum(CHANGE_KIND_NAMES).describe('The change: MemberAdded, ObjectModified, …'),
    identity: z.string().trim().min(1).max(1024).describe('The object changed (a group for member changes): DN, GUID, name or mail'),
    related: z.string().trim().min(1).max(1024).optional().describe('The member, owner or manager added or removed'),
    actor: z.string().trim().min(1).max(1024).optional().describe('The directory user making the change, for the logged-in-user rule'),
    objectKind: z.enum(['User', 'Group', 'Contact']).optional().describe('ObjectCreated of an object that does not exist yet: what it would be'),
    mail: z.string().trim().max(254).optional().describe('ObjectCreated: the new object\'s mail address'),
    manager: z.string().trim().min(1).max(1024).optional().describe('ObjectCreated: the new user\'s manager, or the new group\'s owner'),
  }),
  result: RecipientResolution,
  errors: ['NotFound'],
  examples: [{
    name: 'a member joins a public group',
    params: { identityStore: 'Corp', kind: 'MemberAdded', identity: 'Sales', related: 'jdoe' },
    result: {
      identityStore: 'Corp', kind: 'MemberAdded', object: 'Sales', related: 'jdoe',
      recipients: [
        { address: 'admins@corp.example', name: null, field: 'to', reasons: ['To'] },
        { address: 'jdoe@corp.example', name: 'jdoe', field: 'to', reasons: ['AddedMembers', 'ModifiedObject'] },
      ],
      skipped: [{ name: 'kiosk', reason: 'ModifiedObject', why: 'no mail address' }],
    },
  }],
  cmdlet: {
    name: 'Resolve-NotificationRecipient',
    parameters: { identity: { position: 0 }, kind: { position: 1 }, identityStore: { aliases: ['IdentityStoreName'] } },
    examples: [
      { command: 'Resolve-NotificationRecipient -Identity Sales -Kind MemberAdded -Related jdoe', description: 'Who hears that jdoe joined Sales, and why.' },
      { command: 'Resolve-NotificationRecipient Sales ObjectModified | Select-Object -ExpandProperty Recipients', description: 'The recipients of a change to Sales, one per line.' },
    ],
  },
});
