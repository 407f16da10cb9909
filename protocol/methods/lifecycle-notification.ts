import { z } from 'zod';
import { defineMethod } from '../method.js';
import { FIELD_SCHEMAS } from '../settings/fields.js';
import { ManagedByLifecycleView, MembershipLifecycleView } from '../settings/views.js';
import { STORE_PARAMETER, storeParam } from './smtp-server.js';

const membership: MembershipLifecycleView = { identityStore: 'Corp', onJoin: true, onLeave: true, daysBeforeLeave: 2 };
const managedBy: ManagedByLifecycleView = {
  identityStore: 'Corp', sameAsMembership: true, onAdded: false, onRemoved: false, daysBeforeRemoval: null,
  effectiveOnAdded: true, effectiveOnRemoved: true, effectiveDaysBeforeRemoval: 2,
};

export const membershipLifecycleNotificationGet = defineMethod({
  name: 'membershipLifecycleNotification.get',
  access: 'read',
  summary: 'Shows when members are notified of temporary membership changes.',
  params: z.strictObject({ identityStore: storeParam }),
  result: MembershipLifecycleView,
  errors: ['NotFound'],
  examples: [{ name: 'membership life cycle', params: { identityStore: 'Corp' }, result: membership }],
  cmdlet: {
    name: 'Get-MembershipLifecycleNotification',
    parameters: { identityStore: STORE_PARAMETER },
    examples: [{ command: 'Get-MembershipLifecycleNotification Corp', description: 'On joining, on leaving, and the reminder before leaving.' }],
  },
});

export const membershipLifecycleNotificationSet = defineMethod({
  name: 'membershipLifecycleNotification.set',
  access: 'write',
  summary: 'Sets when members are notified of temporary membership changes.',
  params: z.strictObject({
    identityStore: storeParam,
    onJoin: FIELD_SCHEMAS.membershipOnJoin.optional().describe('Notify a user added to a group temporarily'),
    onLeave: FIELD_SCHEMAS.membershipOnLeave.optional().describe('Notify a user removed from a group by the life cycle'),
    daysBeforeLeave: FIELD_SCHEMAS.membershipDaysBeforeLeave.optional().describe('Remind this many days (1–365) before leaving; $null: no reminder'),
  }),
  result: MembershipLifecycleView,
  errors: ['NotFound', 'ValidationFailed'],
  examples: [{ name: 'all three', params: { identityStore: 'Corp', onJoin: true, onLeave: true, daysBeforeLeave: 2 }, result: membership }],
  cmdlet: {
    name: 'Set-MembershipLifecycleNotification',
    parameters: { identityStore: STORE_PARAMETER },
    target: 'identityStore',
    output: 'passThru',
    examples: [
      { command: 'Set-MembershipLifecycleNotification Corp -OnJoin $true -OnLeave $true -DaysBeforeLeave 2', description: 'Notify on joining and leaving, and two days before leaving.' },
      { command: 'Set-MembershipLifecycleNotification Corp -DaysBeforeLeave $null', description: 'No more reminders before leaving.' },
    ],
  },
});

export const managedByLifecycleNotificationGet = defineMethod({
  name: 'managedByLifecycleNotification.get',
  access: 'read',
  summary: 'Shows when temporary additional owners and managers are notified, stored and effective.',
  description: 'With SameAsMembership on, the membership life-cycle values apply (Effective…) and this section\'s own are kept.',
  params: z.strictObject({ identityStore: storeParam }),
  result: ManagedByLifecycleView,
  errors: ['NotFound'],
  examples: [{ name: 'same as membership', params: { identityStore: 'Corp' }, result: managedBy }],
  cmdlet: {
    name: 'Get-ManagedByLifecycleNotification',
    parameters: { identityStore: STORE_PARAMETER },
    examples: [{ command: 'Get-ManagedByLifecycleNotification Corp | Format-List', description: 'The section\'s own values and the ones that apply.' }],
  },
});

export const managedByLifecycleNotificationSet = defineMethod({
  name: 'managedByLifecycleNotification.set',
  access: 'write',
  summary: 'Sets when temporary additional owners and managers are notified.',
  params: z.strictObject({
    identityStore: storeParam,
    sameAsMembership: FIELD_SCHEMAS.managedBySameAsMembership.optional().describe('Apply the membership life-cycle values instead'),
    onAdded: FIELD_SCHEMAS.managedByOnAdded.optional().describe('Notify an object added as temporary additional owner or manager'),
    onRemoved: FIELD_SCHEMAS.managedByOnRemoved.optional().describe('Notify an object removed as additional owner or manager'),
    daysBeforeRemoval: FIELD_SCHEMAS.managedByDaysBeforeRemoval.optional().describe('Remind this many days (1–365) before removal; $null: no reminder'),
  }),
  result: ManagedByLifecycleView,
  errors: ['NotFound', 'ValidationFailed'],
  examples: [{ name: 'follow membership', params: { identityStore: 'Corp', sameAsMembership: true }, result: managedBy }],
  cmdlet: {
    name: 'Set-ManagedByLifecycleNotification',
    parameters: { identityStore: STORE_PARAMETER },
    target: 'identityStore',
    output: 'passThru',
    examples: [
      { command: 'Set-ManagedByLifecycleNotification Corp -SameAsMembership $true', description: 'Owners and managers are notified as members are.' },
      { command: 'Set-ManagedByLifecycleNotification Corp -SameAsMembership $false -OnAdded $true -DaysBeforeRemoval 3', description: 'Own rules: on being added, and three days before removal.' },
    ],
  },
});
