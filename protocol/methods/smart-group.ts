import { z } from 'zod';
import { DIRECTORY_STORE_PARAMETER, IDENTITY_PARAMETER, directoryName, directoryStore, objectIdentity } from '../directory/views.js';
import { timestamp } from '../fields.js';
import { defineMethod } from '../method.js';

/**
 * Password-expiry smart groups: groups whose members are the users whose password expires
 * soon, updated daily by the scheduler (or now by Update-Group), each member warned by mail when
 * the group sends email.
 */
export const SmartGroupView = z.object({
  identityStore: z.string(),
  name: z.string(),
  guid: z.string(),
  isPasswordExpiryGroup: z.boolean(),
  domainExpiration: z.number().int().describe('Days a password lasts (the domain\'s maximum password age)'),
  domainExpirationSource: z.enum(['Parameter', 'PasswordPolicy', 'Default'])
    .describe('Where DomainExpiration comes from: Parameter (-DomainExpiration), PasswordPolicy (the directory\'s pwdMaxAge) or Default (42: the directory sets no lifetime)'),
  expirationRange: z.number().int().nullable().describe('Members: passwords expiring within this many days; null: every password not expired yet'),
  includeDisabledUsers: z.boolean(),
  includePasswordNeverExpireUsers: z.boolean(),
  sendEmail: z.boolean().describe('Each update warns every member by mail'),
  lastUpdateAt: timestamp.nullable(),
  memberCount: z.number().int(),
});
export type SmartGroupView = z.infer<typeof SmartGroupView>;

export const GroupUpdateReport = z.object({
  identityStore: z.string(),
  name: z.string(),
  added: z.array(z.string()).describe('Users who joined'),
  removed: z.array(z.string()).describe('Users who left (a changed password, an expired one)'),
  memberCount: z.number().int(),
  warnings: z.number().int().describe('Password-expiry warnings queued'),
  updatedAt: timestamp,
});
export type GroupUpdateReport = z.infer<typeof GroupUpdateReport>;

const days = (what: string, max: number) => z.number().int(`${what} must be a whole number of days`).min(1, `${what} must be at least 1 day`).max(max, `${what} must be at most ${max} days`);
const example: SmartGroupView = {
  identityStore: 'Corp', name: 'PasswordsExpiring', guid: '0e4b1c2d-3f5a-4b6c-8d7e-9f0a1b2c3d4e', isPasswordExpiryGroup: true, domainExpiration: 42, domainExpirationSource: 'Default',
  expirationRange: 14, includeDisabledUsers: false, includePasswordNeverExpireUsers: false, sendEmail: false, lastUpdateAt: '2026-11-26T09:00:00.000Z', memberCount: 0,
};
const DISPLAY = ['Name', 'DomainExpiration', 'ExpirationRange', 'SendEmail', 'LastUpdateAt', 'MemberCount'];

export const smartGroupCreate = defineMethod({
  name: 'smartGroup.create',
  access: 'write',
  summary: 'Creates a password-expiry group: its members are the users whose password expires soon.',
  description: 'Members are the enabled users with a password that expires (password last set + DomainExpiration days) within ExpirationRange days from now, not expired yet; with the switches, disabled users and users whose password never expires too. The group is filled at once, then daily. Not available in EntraId stores.',
  params: z.strictObject({
    name: directoryName('name').describe('The group\'s name (CN), unique in the store regardless of case'),
    identityStore: directoryStore,
    isPasswordExpiryGroup: z.literal(true, 'isPasswordExpiryGroup: herald\'s smart groups are password-expiry groups; give -IsPasswordExpiryGroup').describe('The kind of smart group (required)'),
    domainExpiration: days('domainExpiration', 3650).optional()
      .describe('Days a password lasts; default: an Ldap store\'s password policy (ppolicy pwdMaxAge, followed as it changes), else 42'),
    expirationRange: days('expirationRange', 3650).optional().describe('Passwords expiring within this many days'),
    includeDisabledUsers: z.boolean().default(false),
    includePasswordNeverExpireUsers: z.boolean().default(false),
    sendEmail: z.boolean().default(false).describe('Warn every member by mail after each update (needs SMTP and a password-expiry portal URL)'),
  }),
  result: SmartGroupView,
  errors: ['NotFound', 'Conflict', 'ValidationFailed'],
  examples: [{ name: 'two weeks ahead', params: { identityStore: 'Corp', name: 'PasswordsExpiring', isPasswordExpiryGroup: true, expirationRange: 14 }, result: example }],
  cmdlet: {
    name: 'New-SmartGroup',
    display: DISPLAY,
    parameters: { name: { position: 0 }, identityStore: DIRECTORY_STORE_PARAMETER },
    examples: [{ command: 'New-SmartGroup -Name PasswordsExpiring -IsPasswordExpiryGroup -ExpirationRange 14', description: 'Users whose password expires within two weeks.' }],
  },
});

export const smartGroupGet = defineMethod({
  name: 'smartGroup.get',
  access: 'read',
  summary: 'Lists the password-expiry groups, or one, with their query and last update.',
  params: z.strictObject({ identity: objectIdentity('identity').optional().describe('DN, GUID or name of the group'), identityStore: directoryStore }),
  result: z.array(SmartGroupView),
  errors: ['NotFound'],
  examples: [{ name: 'all', params: { identityStore: 'Corp' }, result: [example] }],
  cmdlet: {
    name: 'Get-SmartGroup',
    display: DISPLAY,
    parameters: { identity: IDENTITY_PARAMETER, identityStore: DIRECTORY_STORE_PARAMETER },
    examples: [{ command: 'Get-SmartGroup | Format-List', description: 'Every password-expiry group and its query.' }],
  },
});

export const smartGroupSet = defineMethod({
  name: 'smartGroup.set',
  access: 'write',
  summary: 'Changes a password-expiry group\'s query, or whether it warns its members by mail.',
  description: '-SendEmail $true is refused while the store has no SMTP server or no password-expiry portal URL. The group is updated at once.',
  params: z.strictObject({
    identity: objectIdentity('identity').describe('DN, GUID or name of the group'),
    identityStore: directoryStore,
    domainExpiration: days('domainExpiration', 3650).optional(),
    expirationRange: days('expirationRange', 3650).nullable().optional().describe('$null: every password not expired yet'),
    includeDisabledUsers: z.boolean().optional(),
    includePasswordNeverExpireUsers: z.boolean().optional(),
    sendEmail: z.boolean().optional().describe('Warn every member by mail after each update'),
  }),
  result: SmartGroupView,
  errors: ['NotFound', 'ValidationFailed'],
  examples: [{ name: 'three weeks', params: { identityStore: 'Corp', identity: 'PasswordsExpiring', expirationRange: 21 }, result: { ...example, expirationRange: 21 } }],
  cmdlet: {
    name: 'Set-SmartGroup',
    display: DISPLAY,
    parameters: { identity: IDENTITY_PARAMETER, identityStore: DIRECTORY_STORE_PARAMETER },
    target: 'identity',
    output: 'passThru',
    examples: [{ command: 'Set-SmartGroup PasswordsExpiring -SendEmail $true', description: 'Each update warns every member, with their expiry date and the portal URL.' }],
  },
});

export const groupUpdate = defineMethod({
  name: 'group.update',
  access: 'write',
  summary: 'Runs a smart group\'s query now: members join and leave, and warnings go out if it sends email.',
  params: z.strictObject({ identity: objectIdentity('identity').describe('DN, GUID or name of the smart group'), identityStore: directoryStore }),
  result: GroupUpdateReport,
  errors: ['NotFound', 'ValidationFailed'],
  examples: [{
    name: 'update now', params: { identityStore: 'Corp', identity: 'PasswordsExpiring' },
    result: { identityStore: 'Corp', name: 'PasswordsExpiring', added: [], removed: [], memberCount: 0, warnings: 0, updatedAt: '2026-11-26T09:00:00.000Z' },
  }],
  cmdlet: {
    name: 'Update-Group',
    parameters: { identity: IDENTITY_PARAMETER, identityStore: DIRECTORY_STORE_PARAMETER },
    target: 'identity',
    examples: [{ command: 'Update-Group PasswordsExpiring', description: 'Updates the group now rather than at the daily run.' }],
  },
});
