import { z } from 'zod';
import {
  DIRECTORY_STORE_PARAMETER, EXAMPLE_JDOE, EXAMPLE_PARTNER, IDENTITY_PARAMETER, MemberView, directoryStore, exampleMember, identityList,
  objectIdentity,
} from '../directory/views.js';
import { defineMethod } from '../method.js';

/** The reference shell's -Type values, with and without their spaces; only Perpetual works until temporary membership comes. */
export const ADD_MEMBER_TYPES = ['Perpetual', 'Temporary', 'TemporaryMember', 'Temporary Member', 'AdditionPending', 'Addition Pending'] as const;
export const REMOVE_MEMBER_TYPES = ['Perpetual', 'RemovalPending', 'Removal Pending', 'TemporaryRemoved', 'Temporary Removed'] as const;

const MEMBER_DISPLAY = ['Name', 'Kind', 'Mail', 'Type', 'BeginningDate', 'EndingDate', 'Group'];
const groupIdentity = objectIdentity('groupIdentity').describe('DN, GUID, name or mail of the group');
const members = identityList('identity').min(1, 'identity must name at least one object').describe('The members: DN, GUID, name or mail of each');
const laterDate = z.string().trim().max(64).describe('Comes with temporary membership (not available yet)');
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
  summary: 'Adds users, contacts or groups to a group (perpetual membership).',
  description: 'Members already in the group stay as they are. Temporary and pending membership (-Type, -StartDate, -EndDate) come with the membership life cycle and are refused until then. A group cannot be its own member; nesting that makes a cycle is allowed.',
  params: z.strictObject({
    groupIdentity,
    identity: members,
    identityStore: directoryStore,
    type: z.enum(ADD_MEMBER_TYPES).optional().describe('Perpetual (the default); the others come with temporary membership'),
    startDate: laterDate.optional(),
    endDate: laterDate.optional(),
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
    ],
  },
});

export const groupMemberRemove = defineMethod({
  name: 'groupMember.remove',
  access: 'write',
  summary: 'Removes members from a group (perpetual removal).',
  description: 'Objects that are not members are left alone. Pending and temporary removal (-Type, -StartDate, -EndDate) come with the membership life cycle and are refused until then.',
  params: z.strictObject({
    groupIdentity,
    identity: members,
    identityStore: directoryStore,
    type: z.enum(REMOVE_MEMBER_TYPES).optional().describe('Perpetual (the default); the others come with temporary membership'),
    startDate: laterDate.optional(),
    endDate: laterDate.optional(),
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
    ],
  },
});
