import { z } from 'zod';
import { defineMethod } from '../method.js';
import { ALSO_NOTIFY, FIELD_SCHEMAS } from '../settings/fields.js';
import { RecipientsView } from '../settings/views.js';
import { STORE_PARAMETER, storeParam } from './smtp-server.js';

const recipients: RecipientsView = {
  identityStore: 'Corp', to: ['admins@corp.example'], cc: ['audit@corp.example'],
  notifyLoggedInUser: false, notifyModifiedObject: true, notifyGroupOwners: true, notifyManagers: true,
  notifyAddedMembers: true, notifyRemovedMembers: false, notifyPublicGroupOwners: false,
  alsoNotify: ['ModifiedObject', 'GroupOwners', 'Managers', 'AddedMembers'],
};

export const notificationRecipientsGet = defineMethod({
  name: 'notificationRecipients.get',
  access: 'read',
  summary: 'Shows who is notified of changes in an identity store.',
  params: z.strictObject({ identityStore: storeParam }),
  result: RecipientsView,
  errors: ['NotFound'],
  examples: [{ name: 'recipients', params: { identityStore: 'Corp' }, result: recipients }],
  cmdlet: {
    name: 'Get-NotificationRecipients',
    parameters: { identityStore: STORE_PARAMETER },
    display: ['IdentityStore', 'To', 'Cc', 'AlsoNotify'],
    examples: [{ command: 'Get-NotificationRecipients Corp | Format-List', description: 'The To and CC lists and every Also-notify switch of Corp.' }],
  },
});

export const notificationRecipientsSet = defineMethod({
  name: 'notificationRecipients.set',
  access: 'write',
  summary: 'Sets the To and CC recipients and the Also-notify switches of an identity store.',
  description: 'Addresses are given as a list or as one string separated by ; or ,. -AlsoNotify sets all seven switches at once: those named are on, the others off.',
  params: z.strictObject({
    identityStore: storeParam,
    to: FIELD_SCHEMAS.to.optional().describe('Receive every notification of the store'),
    cc: FIELD_SCHEMAS.cc.optional().describe('Copied on every notification'),
    notifyLoggedInUser: FIELD_SCHEMAS.notifyLoggedInUser.optional().describe('The signed-in user, for their own changes (mail-enabled users only)'),
    notifyModifiedObject: FIELD_SCHEMAS.notifyModifiedObject.optional().describe('The object changed (a group: all its members)'),
    notifyGroupOwners: FIELD_SCHEMAS.notifyGroupOwners.optional().describe('Primary and additional owners of the group changed'),
    notifyManagers: FIELD_SCHEMAS.notifyManagers.optional().describe('Managers of the user changed'),
    notifyAddedMembers: FIELD_SCHEMAS.notifyAddedMembers.optional().describe('Objects added to a group'),
    notifyRemovedMembers: FIELD_SCHEMAS.notifyRemovedMembers.optional().describe('Objects removed from a group'),
    notifyPublicGroupOwners: FIELD_SCHEMAS.notifyPublicGroupOwners.optional().describe('Owners of a public group, on membership changes'),
    alsoNotify: z.array(z.enum(ALSO_NOTIFY)).optional().describe('The switches to turn on; the others go off'),
  }),
  result: RecipientsView,
  errors: ['NotFound', 'ValidationFailed'],
  examples: [{
    name: 'to, cc and owners',
    params: { identityStore: 'Corp', to: 'admins@corp.example', cc: ['audit@corp.example'], alsoNotify: ['ModifiedObject', 'GroupOwners', 'Managers', 'AddedMembers'] },
    result: recipients,
  }],
  cmdlet: {
    name: 'Set-NotificationRecipients',
    parameters: { identityStore: STORE_PARAMETER },
    target: 'identityStore',
    output: 'passThru',
    display: ['IdentityStore', 'To', 'Cc', 'AlsoNotify'],
    examples: [
      { command: "Set-NotificationRecipients Corp -To 'admins@corp.example; ops@corp.example' -Cc audit@corp.example", description: 'Two To recipients in one string, one CC.' },
      { command: 'Set-NotificationRecipients Corp -NotifyGroupOwners $true -NotifyManagers $true', description: 'Also notify owners of changed groups and managers of changed users.' },
      { command: 'Set-NotificationRecipients Corp -AlsoNotify ModifiedObject, AddedMembers, RemovedMembers', description: 'Exactly these three Also-notify switches on, the others off.' },
    ],
  },
});
