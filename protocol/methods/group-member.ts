import { z } from 'zod';
import {
  DIRECTORY_STORE_PARAMETER, EXAMPLE_JDOE, EXAMPLE_PARTNER, IDENTITY_PARAMETER, MemberView, directoryStore, exampleMember, identityList,
  objectIdentity,
} from '../directory/views.js';
import { defineMethod } from '../method.js';
import { dateTime } from '../time.js';

/** The reference shell's -Type values, with and without their spaces. */
export const ADD_MEMBER_TYPES = ['Perpetual', 'Temporary', 'TemporaryMember', 'Temporary Member', 'AdditionPending', 'Addition Pending'] as const;
export const REMOVE_MEMBER_TYPES = ['Perpetual', 'RemovalPending', 'Removal Pending', 'TemporaryRemoved', 'Temporary Removed'] as const;
export const MEMBER_TYPES = [...ADD_MEMBER_TYPES, ...REMOVE_MEMBER_TYPES.slice(1)] as const;

const MEMBER_DISPLAY = ['Name', 'Kind', 'Mail', 'Type', 'BeginningDate', 'EndingDate', 'Group'];
const groupIdentity = objectIdentity('groupIdentity').describe('DN, GUID, name or mail of the group');
const members = identityList('identity').min(1, 'identity must name at least one object').describe('The members: DN, GUID, name or mail of each');
const startDate = dateTime('startDate').describe('When a pending change happens (UTC unless a zone is given)');
const endDate = dateTime('endDate').describe('When a temporary membership or removal ends');
// Objects piped in become -Identity, as in the reference shell; the group is always named.
const MEMBER_PARAMETERS = {
  groupIdentity: { position: 0 },
  identity: { ...IDENTITY_PARAMETER, position: 1 },
  identityStore: DIRECTORY_STORE_PARAMETER,
};

export const groupMemberGet = defineMethod({
  name: 'groupMember.get',
  access: 'read',
  summary: 'Lists a group\'s members; with -Recursive, nested groups expanded, each member once.',
  description: 'With -Recursive, the groups nested in the group are replaced by their own members, all the way down; a cycle of groups is followed once round. Only members in effect count then (not pending additions, not temporarily removed ones).',
  params: z.strictObject({
    identity: objectIdentity('identity').describe('DN, GUID, name or mail of the group'),
    identityStore: directoryStore,
    recursive: z.boolean().optional().describe('Expand nested groups'),
  }),
  result: z.array(MemberView),
  errors: ['NotFound'],
  examples: [{ name: 'direct members', params: { identityStore: 'Corp', identity: 'Sales' }, result: [exampleMember(EXAMPLE_JDOE, 'Sales'), exampleMember(EXAMPLE_PARTNER, 'Sales')] }],
  cmdlet: {
    name: 'Get-GroupMember',
    display: MEMBER_DISPLAY,
    parameters: { identity: { ...IDENTITY_PARAMETER, aliases: ['GroupIdentity'] }, identityStore: DIRECTORY_STORE_PARAMETER },
    examples: [
      { command: 'Get-GroupMember Sales', description: 'The direct members of Sales, nested groups included as groups.' },
      { command: 'Get-GroupMember -Identity Sales -Recursive | Where-Object Mail -ne $null', description: 'Everyone in Sales through nested groups who has a mail address.' },
    ],
  },
});

export const groupMemberAdd = defineMethod({
  name: 'groupMember.add',
  access: 'write',
  summary: 'Adds users, contacts or groups to a group, for good, until a date, or from a date.',
  description: 'Perpetual members already in the group stay as they are. -Type Temporary (or -EndDate alone) adds now and removes on EndDate; -Type AdditionPending (or -StartDate alone) adds on StartDate and, with EndDate, removes then. The scheduler applies each date once and sends the membership life-cycle notices. A group cannot be its own member; nesting that makes a cycle is allowed.',
  params: z.strictObject({
    groupIdentity,
    identity: members,
    identityStore: directoryStore,
    type: z.enum(ADD_MEMBER_TYPES).optional().describe("Perpetual, Temporary or AdditionPending ('Temporary Member', 'Addition Pending' too)"),
    startDate: startDate.optional(),
    endDate: endDate.optional(),
  }),
  result: z.array(MemberView),
  errors: ['NotFound', 'ValidationFailed'],
  examples: [{
    name: 'a user and a contact',
    params: { identityStore: 'Corp', groupIdentity: 'Sales', identity: ['jdoe', 'partner'] },
    result: [exampleMember(EXAMPLE_JDOE, 'Sales'), exampleMember(EXAMPLE_PARTNER, 'Sales')],
  }],
  cmdlet: {
    name: 'Add-GroupMember',
    whatIfNotification: { kind: 'MemberAdded', identity: 'groupIdentity', related: 'identity' },
    display: MEMBER_DISPLAY,
    parameters: MEMBER_PARAMETERS,
    target: 'groupIdentity',
    output: 'passThru',
    examples: [
      { command: 'Add-GroupMember -GroupIdentity Sales -Identity jdoe', description: 'Makes jdoe a member of Sales.' },
      { command: "Get-User | Where-Object Mail -like '*@emea.corp.example' | Add-GroupMember -GroupIdentity Sales", description: 'Objects piped in become -Identity.' },
      { command: 'Add-GroupMember Sales SalesEmea, SalesAmericas', description: 'Nests two groups, by position.' },
      { command: "Add-GroupMember -GroupIdentity Sales -Identity jdoe -Type 'Temporary Member' -EndDate (Get-Date).AddDays(30)", description: 'jdoe is a member for the next 30 days.' },
      { command: 'Add-GroupMember -GroupIdentity Sales -Identity jdoe -Type AdditionPending -StartDate (Get-Date).Date.AddDays(7) -EndDate (Get-Date).Date.AddDays(14)', description: 'jdoe is a member for one week, starting a week today.' },
    ],
  },
});

export const groupMemberRemove = defineMethod({
  name: 'groupMember.remove',
  access: 'write',
  summary: 'Removes members from a group, for good, for a while, or from a date.',
  description: 'Objects that are not members are left alone. -Type TemporaryRemoved removes now and restores on EndDate; -Type RemovalPending removes on StartDate and, with EndDate, restores then.',
  params: z.strictObject({
    groupIdentity,
    identity: members,
    identityStore: directoryStore,
    type: z.enum(REMOVE_MEMBER_TYPES).optional().describe("Perpetual, RemovalPending or TemporaryRemoved ('Removal Pending', 'Temporary Removed' too)"),
    startDate: startDate.optional(),
    endDate: endDate.optional(),
  }),
  result: z.null(),
  errors: ['NotFound', 'ValidationFailed'],
  examples: [{ name: 'a contact', params: { identityStore: 'Corp', groupIdentity: 'Sales', identity: ['partner'] }, result: null }],
  cmdlet: {
    name: 'Remove-GroupMember',
    whatIfNotification: { kind: 'MemberRemoved', identity: 'groupIdentity', related: 'identity' },
    parameters: MEMBER_PARAMETERS,
    target: 'groupIdentity',
    confirmImpact: 'High',
    confirmWhen: 'interactive',
    output: 'none',
    examples: [
      { command: 'Remove-GroupMember -GroupIdentity Sales -Identity jdoe', description: 'Asks at a terminal, then removes jdoe from Sales; scripts proceed.' },
      { command: 'Get-GroupMember Sales | Where-Object Kind -eq Contact | Remove-GroupMember -GroupIdentity Sales -Force', description: 'Removes every contact from Sales without asking.' },
      { command: "Remove-GroupMember -GroupIdentity Sales -Identity jdoe -Type 'Temporary Removed' -EndDate (Get-Date).AddDays(10) -Force", description: 'jdoe is out of Sales for ten days, then a member again.' },
    ],
  },
});

export const groupMemberSet = defineMethod({
  name: 'groupMember.set',
  access: 'write',
  summary: 'Changes the type and dates of memberships: make one temporary, move its end, make it perpetual.',
  description: 'Only what is given changes; $null clears a date. The result is checked as Add-GroupMember and Remove-GroupMember check theirs, and the scheduler follows the new dates. -Inactive (group attestation) is a pending removal after the store\'s member-inactive period (Set-IdentityStore -MemberInactivePeriod), reminded as any leaving is.',
  params: z.strictObject({
    groupIdentity,
    identity: members,
    identityStore: directoryStore,
    type: z.enum(MEMBER_TYPES).optional().describe('Perpetual, Temporary, AdditionPending, RemovalPending or TemporaryRemoved (spellings with spaces too)'),
    startDate: startDate.nullable().optional(),
    endDate: endDate.nullable().optional(),
    inactive: z.boolean().optional().describe('Marks the member for removal after the store\'s member-inactive period (0: at once); $false keeps it'),
  }),
  result: z.array(MemberView),
  errors: ['NotFound', 'ValidationFailed'],
  examples: [{
    name: 'perpetual again',
    params: { identityStore: 'Corp', groupIdentity: 'Sales', identity: ['jdoe'], type: 'Perpetual' },
    result: [exampleMember(EXAMPLE_JDOE, 'Sales')],
  }],
  cmdlet: {
    name: 'Set-GroupMember',
    display: MEMBER_DISPLAY,
    parameters: MEMBER_PARAMETERS,
    target: 'groupIdentity',
    output: 'passThru',
    examples: [
      { command: 'Set-GroupMember -GroupIdentity Sales -Identity jdoe -EndDate (Get-Date).AddDays(60)', description: 'jdoe\'s temporary membership now ends 60 days from now.' },
      { command: 'Set-GroupMember -GroupIdentity Sales -Identity jdoe -Type Perpetual', description: 'jdoe stays for good.' },
      { command: 'Set-GroupMember -Identity jdoe -GroupIdentity Sales -Inactive', description: 'jdoe leaves Sales after the store\'s member-inactive period.' },
    ],
  },
});
