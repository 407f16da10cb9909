import { z } from 'zod';
import { DIRECTORY_STORE_PARAMETER, IDENTITY_PARAMETER, directoryStore, objectIdentity } from '../directory/views.js';
import { timestamp } from '../fields.js';
import { defineMethod } from '../method.js';

export const ChangeHistoryEntry = z.object({
  id: z.number().int(),
  at: timestamp,
  identityStore: z.string(),
  actor: z.string().describe('The signed-in user, or the daemon token\'s holder'),
  source: z.string().describe('rpc, shell, schedule, import, or sync (a change made in the directory with another tool)'),
  kind: z.string().describe('ObjectCreated, ObjectModified, ObjectDeleted, MemberAdded, MemberRemoved, OwnerAdded, OwnerRemoved, ManagerAdded or ManagerRemoved'),
  object: z.string().describe('The name of the object changed (the group or user whose list changed)'),
  objectKind: z.string(),
  related: z.string().nullable().describe('The member, owner or manager added or removed'),
  details: z.array(z.object({ attribute: z.string(), oldValue: z.unknown(), newValue: z.unknown() })).nullable().describe('ObjectModified: each attribute, old and new'),
  mails: z.number().int().describe('How many mails the change caused'),
});
export type ChangeHistoryEntry = z.infer<typeof ChangeHistoryEntry>;

export const changeHistoryGet = defineMethod({
  name: 'changeHistory.get',
  access: 'read',
  summary: 'Lists directory changes newest first: who, when, what, and how many mails each caused.',
  description: 'With -Identity, the changes to that object and those that added or removed it elsewhere (as a member, owner or manager); an object since deleted is found by its name. Without -IdentityStore and -Identity, every store.',
  params: z.strictObject({
    identity: objectIdentity('identity').optional().describe('DN, GUID, name or mail of the object'),
    identityStore: directoryStore,
    since: z.string().trim().refine((text) => !Number.isNaN(Date.parse(text)), 'since must be a date or time such as 2026-11-26 or 2026-11-26T09:00:00Z').optional()
      .describe('Only changes at or after this time'),
    first: z.number().int().min(1).max(10_000).optional().describe('At most this many entries (default 100)'),
  }),
  result: z.array(ChangeHistoryEntry),
  errors: ['NotFound'],
  examples: [{
    name: 'the latest change to a group',
    params: { identityStore: 'Corp', identity: 'Sales', first: 1 },
    result: [{
      id: 12, at: '2026-11-26T09:00:00.000Z', identityStore: 'Corp', actor: 'local administrator', source: 'rpc', kind: 'MemberAdded',
      object: 'Sales', objectKind: 'Group', related: 'jdoe', details: null, mails: 3,
    }],
  }],
  cmdlet: {
    name: 'Get-ChangeHistory',
    display: ['At', 'Actor', 'Kind', 'Object', 'Related', 'Mails'],
    parameters: { identity: IDENTITY_PARAMETER, identityStore: DIRECTORY_STORE_PARAMETER },
    examples: [
      { command: 'Get-ChangeHistory -IdentityStore Corp -First 20', description: 'The last twenty changes to Corp\'s directory.' },
      { command: 'Get-ChangeHistory Sales -Since (Get-Date).AddDays(-30)', description: 'What happened to Sales (and its members) in the last 30 days.' },
      { command: 'Get-User jdoe | Get-ChangeHistory | Format-List', description: 'Every change to jdoe, with the attribute changes in full.' },
    ],
  },
});
