import { z } from 'zod';
import { defineMethod, type CmdletParameter } from '../method.js';
import { FIELD_SCHEMAS, secretValue } from '../settings/fields.js';
import { NotificationSettingsView, SettingsExport } from '../settings/views.js';
import { smtpServerGet } from './smtp-server.js';
import { managedByLifecycleNotificationGet, membershipLifecycleNotificationGet } from './lifecycle-notification.js';
import { notificationRecipientsGet } from './notification-recipients.js';
import { passwordExpiryNotificationGet } from './password-expiry-notification.js';
import { STORE_PARAMETER, storeParam } from './smtp-server.js';

/**
 * The reference Management Shell's Set-Notifications / Clear-Notifications parameters, as
 * aliases of herald's field names. Its spellings (Recepients) are kept on purpose.
 */
const REFERENCE_NAMES: Record<string, CmdletParameter> = {
  to: { aliases: ['PrimaryRecepients', 'PrimaryRecipients'] },
  cc: { aliases: ['CarbonCopy'] },
  notifyLoggedInUser: { aliases: ['NotifyLoggedInUsers'] },
  notifyPublicGroupOwners: { aliases: ['NotifyPublicGroupOwner'] },
  membershipOnJoin: { aliases: ['NotifyUserGroupJoinML'] },
  membershipOnLeave: { aliases: ['NotifyUserGroupLeaveML'] },
  membershipDaysBeforeLeave: { aliases: ['XDaysBeforeLeaveNotificationML'] },
  managedByOnAdded: { aliases: ['NotifyUserGroupJoinMB'] },
  managedByOnRemoved: { aliases: ['NotifyUserGroupLeaveMB'] },
  managedByDaysBeforeRemoval: { aliases: ['XDaysBeforeLeaveNotificationMB'] },
};

/** The fields Set-Notifications and Clear-Notifications reach: everything but the SMTP server. */
const NOTIFICATION_FIELDS = [
  'to', 'cc', 'notifyLoggedInUser', 'notifyModifiedObject', 'notifyGroupOwners', 'notifyManagers', 'notifyAddedMembers',
  'notifyRemovedMembers', 'notifyPublicGroupOwners', 'passwordPortalUrl', 'membershipOnJoin', 'membershipOnLeave',
  'membershipDaysBeforeLeave', 'managedBySameAsMembership', 'managedByOnAdded', 'managedByOnRemoved', 'managedByDaysBeforeRemoval',
] as const;
export type NotificationField = (typeof NOTIFICATION_FIELDS)[number];
export { NOTIFICATION_FIELDS };

export const CLEAR_SETS = ['All', 'Recipients', 'PasswordExpiry', 'ML', 'MB'] as const;

const view: NotificationSettingsView = {
  identityStore: 'Corp',
  smtp: smtpServerGet.examples[0].result,
  recipients: notificationRecipientsGet.examples[0].result,
  passwordExpiry: passwordExpiryNotificationGet.examples[0].result,
  membershipLifecycle: membershipLifecycleNotificationGet.examples[0].result,
  managedByLifecycle: managedByLifecycleNotificationGet.examples[0].result,
};

export const notificationSettingsGet = defineMethod({
  name: 'notificationSettings.get',
  access: 'read',
  summary: 'Shows every notification setting of an identity store, section by section.',
  params: z.strictObject({ identityStore: storeParam }),
  result: NotificationSettingsView,
  errors: ['NotFound'],
  examples: [{ name: 'everything', params: { identityStore: 'Corp' }, result: view }],
  cmdlet: {
    name: 'Get-NotificationSettings',
    parameters: { identityStore: STORE_PARAMETER },
    examples: [{ command: 'Get-NotificationSettings Corp | ConvertTo-Json -Depth 4', description: 'The whole Notifications page of Corp as JSON.' }],
  },
});

export const notificationSettingsSet = defineMethod({
  name: 'notificationSettings.set',
  access: 'write',
  summary: 'Sets recipients, the password-expiry portal and life-cycle notifications in one call (the reference Set-Notifications).',
  description: 'Takes the reference Management Shell\'s parameter names. -NotifyOwners sets both group owners and managers, as the reference did.',
  params: z.strictObject({
    identityStore: storeParam,
    to: FIELD_SCHEMAS.to.optional(),
    cc: FIELD_SCHEMAS.cc.optional(),
    notifyLoggedInUser: FIELD_SCHEMAS.notifyLoggedInUser.optional(),
    notifyOwners: z.boolean().optional().describe('Group owners and managers of users, both (the reference switch)'),
    notifyModifiedObject: FIELD_SCHEMAS.notifyModifiedObject.optional(),
    notifyGroupOwners: FIELD_SCHEMAS.notifyGroupOwners.optional(),
    notifyManagers: FIELD_SCHEMAS.notifyManagers.optional(),
    notifyAddedMembers: FIELD_SCHEMAS.notifyAddedMembers.optional(),
    notifyRemovedMembers: FIELD_SCHEMAS.notifyRemovedMembers.optional(),
    notifyPublicGroupOwners: FIELD_SCHEMAS.notifyPublicGroupOwners.optional(),
    passwordPortalUrl: FIELD_SCHEMAS.passwordPortalUrl.optional(),
    membershipOnJoin: FIELD_SCHEMAS.membershipOnJoin.optional(),
    membershipOnLeave: FIELD_SCHEMAS.membershipOnLeave.optional(),
    membershipDaysBeforeLeave: FIELD_SCHEMAS.membershipDaysBeforeLeave.optional(),
    managedBySameAsMembership: FIELD_SCHEMAS.managedBySameAsMembership.optional(),
    managedByOnAdded: FIELD_SCHEMAS.managedByOnAdded.optional(),
    managedByOnRemoved: FIELD_SCHEMAS.managedByOnRemoved.optional(),
    managedByDaysBeforeRemoval: FIELD_SCHEMAS.managedByDaysBeforeRemoval.optional(),
  }),
  result: NotificationSettingsView,
  errors: ['NotFound', 'ValidationFailed'],
  examples: [{ name: 'reference style', params: { identityStore: 'Corp', to: ['admins@corp.example'], cc: ['audit@corp.example'], notifyOwners: true }, result: view }],
  cmdlet: {
    name: 'Set-Notifications',
    parameters: { identityStore: STORE_PARAMETER, ...REFERENCE_NAMES },
    target: 'identityStore',
    output: 'passThru',
    examples: [
      { command: "Set-Notifications -IdentityStoreName Corp -PrimaryRecepients 'admins@corp.example','ops@corp.example' -CarbonCopy 'audit@corp.example' -NotifyOwners $true -NotifyPublicGroupOwner $true", description: 'A reference Management Shell script line, unchanged.' },
      { command: 'Set-Notifications -IdentityStoreName Corp -NotifyUserGroupJoinML $true -XDaysBeforeLeaveNotificationML 7', description: 'Membership life cycle: notify on joining and a week before leaving.' },
    ],
  },
});

export const notificationSettingsClear = defineMethod({
  name: 'notificationSettings.clear',
  access: 'write',
  summary: 'Clears notification settings: named ones, or a whole set (the reference Clear-Notifications).',
  description: '-ClearSet All clears every section but the SMTP server (Clear-SmtpServer clears that, and everything). A switch per setting clears that one. At a terminal the shell asks first (-Force skips); scripts proceed, as reference scripts expect.',
  params: z.strictObject({
    identityStore: storeParam,
    clearSet: z.enum(CLEAR_SETS).optional().describe('All, Recipients, PasswordExpiry, ML (membership life cycle) or MB (managed by)'),
    ...Object.fromEntries(NOTIFICATION_FIELDS.map((field) => [field, z.boolean().optional()])) as Record<NotificationField, z.ZodOptional<z.ZodBoolean>>,
    notifyOwners: z.boolean().optional(),
  }),
  result: NotificationSettingsView,
  errors: ['NotFound', 'ValidationFailed'],
  examples: [{ name: 'clear the recipients', params: { identityStore: 'Corp', clearSet: 'Recipients' }, result: view }],
  cmdlet: {
    name: 'Clear-Notifications',
    parameters: { identityStore: STORE_PARAMETER, ...REFERENCE_NAMES },
    target: 'identityStore',
    confirmImpact: 'High',
    confirmWhen: 'interactive',
    output: 'passThru',
    examples: [
      { command: 'Clear-Notifications -IdentityStoreName Corp -ClearSet Recipients -Force', description: 'Empties To and CC and turns every Also-notify switch off.' },
      { command: 'Clear-Notifications -IdentityStoreName Corp -CarbonCopy -Confirm:$false', description: 'Clears only the CC list.' },
    ],
  },
});

export const notificationSettingsExport = defineMethod({
  name: 'notificationSettings.export',
  access: 'read',
  summary: 'Exports the notification settings of an identity store, without secrets.',
  params: z.strictObject({ identityStore: storeParam }),
  result: SettingsExport,
  errors: ['NotFound'],
  examples: [{
    name: 'export',
    params: { identityStore: 'Corp' },
    result: { format: 'herald-notification-settings', version: 1, identityStore: 'Corp', exportedAt: '2026-11-26T09:00:00.000Z', settings: { server: 'smtp.corp.example', port: 587 }, secretsSet: { password: true, clientSecret: false } },
  }],
  cmdlet: {
    name: 'Export-NotificationSettings',
    parameters: { identityStore: STORE_PARAMETER },
    saveResultTo: 'Path',
    examples: [{ command: 'Export-NotificationSettings -IdentityStore Corp -Path corp-notifications.json', description: 'Writes Corp\'s settings to a JSON file; secrets are left out.' }],
  },
});

export const notificationSettingsImport = defineMethod({
  name: 'notificationSettings.import',
  access: 'write',
  summary: 'Imports notification settings exported from a store: all checked before anything changes.',
  description: 'Secrets are not in exports: give -Password / -ClientSecret, or keep the ones the store already has.',
  params: z.strictObject({
    identityStore: storeParam,
    settings: SettingsExport.describe('The exported document'),
    password: secretValue('password').optional(),
    clientSecret: secretValue('clientSecret').optional(),
  }),
  result: NotificationSettingsView,
  errors: ['NotFound', 'ValidationFailed'],
  examples: [{ name: 'import', params: { identityStore: 'Corp', settings: notificationSettingsExport.examples[0].result, password: 's3cret' }, result: view }],
  cmdlet: {
    name: 'Import-NotificationSettings',
    parameters: { identityStore: STORE_PARAMETER, settings: { aliases: ['Path'], file: 'json' }, password: { secret: true }, clientSecret: { secret: true } },
    target: 'identityStore',
    output: 'passThru',
    examples: [{ command: 'Import-NotificationSettings -IdentityStore Lab -Path corp-notifications.json -Password (Read-Host -AsSecureString)', description: 'Copies Corp\'s exported settings to Lab, asking for the SMTP password.' }],
  },
});
