import { z } from 'zod';
import {
  DIRECTORY_STORE_PARAMETER, EXAMPLE_ALICE, EXAMPLE_JDOE, EXAMPLE_SALES, IDENTITY_PARAMETER, ManagerView, MemberView, directoryStore, exampleMember,
  identityList, objectIdentity,
} from '../directory/views.js';
import { defineMethod, type CmdletExample } from '../method.js';
import { dateTime } from '../time.js';
import { ADD_MEMBER_TYPES, REMOVE_MEMBER_TYPES } from './group-member.js';

/**
 * Additional owners of groups and additional managers of users, perpetual or temporary: the
 * same types and dates as membership, and the Managed By life-cycle notices.
 */
interface Role {
  noun: 'groupOwner' | 'userManager';
  cmdletNoun: 'GroupOwner' | 'UserManager';
  parentWord: 'group' | 'user';
  childWord: 'additional owners' | 'additional managers';
  view: typeof MemberView | typeof ManagerView;
  example: MemberView | ManagerView;
  examples: { get: CmdletExample; add: CmdletExample[]; remove: CmdletExample[] };
}

const DISPLAY = ['Name', 'Kind', 'Mail', 'Type', 'BeginningDate', 'EndingDate'];

function roleMethods(role: Role) {
  // The managed user is named as the owned group is; -UserIdentity reads better for it.
  const PARAMETERS = {
    groupIdentity: { position: 0, ...(role.parentWord === 'user' ? { aliases: ['UserIdentity'] } : {}) },
    identity: { ...IDENTITY_PARAMETER, position: 1 },
    identityStore: DIRECTORY_STORE_PARAMETER,
  };
  const parent = objectIdentity('groupIdentity').describe(`DN, GUID, name or mail of the ${role.parentWord}`);
  const children = identityList('identity').min(1, 'identity must name at least one object').describe(`The ${role.childWord}: DN, GUID, name or mail of each`);
  const dates = {
    startDate: dateTime('startDate').optional().describe('When a pending change happens (UTC unless a zone is given)'),
    endDate: dateTime('endDate').optional().describe('When a temporary role or removal ends'),
  };
  // The reference scripts say -Additional: these cmdlets handle nothing else. The primary owner
  // or manager is one object, set with Set-Group -ManagedBy or Set-User -Manager.
  const primaryCmdlet = role.parentWord === 'group' ? 'Set-Group -ManagedBy' : 'Set-User -Manager';
  const additional = z.literal(true, `additional: these cmdlets change ${role.childWord} only; the primary one is set with ${primaryCmdlet}`)
    .optional().describe(`Accepted for the reference scripts: the objects are ${role.childWord} (the primary one is set with ${primaryCmdlet})`);
  const paramsExample = { identityStore: 'Corp', groupIdentity: role.parentWord === 'group' ? 'Sales' : 'jdoe', identity: ['alice'] };
  const get = defineMethod({
    name: `${role.noun}.get`,
    access: 'read',
    summary: `Lists a ${role.parentWord}'s ${role.childWord}, with the type and dates of each.`,
    params: z.strictObject({ identity: objectIdentity('identity').describe(`DN, GUID, name or mail of the ${role.parentWord}`), identityStore: directoryStore }),
    result: z.array(role.view),
    errors: ['NotFound'],
    examples: [{ name: role.childWord, params: { identityStore: 'Corp', identity: paramsExample.groupIdentity }, result: [role.example] }],
    cmdlet: {
      name: `Get-${role.cmdletNoun}`,
      display: DISPLAY,
      parameters: { identity: { ...IDENTITY_PARAMETER, aliases: [role.parentWord === 'group' ? 'GroupIdentity' : 'UserIdentity'] }, identityStore: DIRECTORY_STORE_PARAMETER },
      examples: [role.examples.get],
    },
  });
  const add = defineMethod({
    name: `${role.noun}.add`,
    access: 'write',
    summary: `Adds ${role.childWord} to a ${role.parentWord}, for good, until a date, or from a date.`,
    description: 'Types and dates as for Add-GroupMember. The scheduler applies each date once and sends the Managed By life-cycle notices (to the object, a group meaning its members, and to the primary owner or manager).',
    params: z.strictObject({ groupIdentity: parent, identity: children, identityStore: directoryStore, type: z.enum(ADD_MEMBER_TYPES).optional().describe('Perpetual, Temporary or AdditionPending'), ...dates, additional }),
    result: z.array(role.view),
    errors: ['NotFound', 'ValidationFailed'],
    examples: [{ name: 'perpetual', params: paramsExample, result: [role.example] }],
    cmdlet: { name: `Add-${role.cmdletNoun}`, display: DISPLAY, parameters: PARAMETERS, target: 'groupIdentity', output: 'passThru', examples: role.examples.add },
  });
  const remove = defineMethod({
    name: `${role.noun}.remove`,
    access: 'write',
    summary: `Removes ${role.childWord} from a ${role.parentWord}, for good, for a while, or from a date.`,
    description: 'Types and dates as for Remove-GroupMember. Objects that are not among them are left alone.',
    params: z.strictObject({ groupIdentity: parent, identity: children, identityStore: directoryStore, type: z.enum(REMOVE_MEMBER_TYPES).optional().describe('Perpetual, RemovalPending or TemporaryRemoved'), ...dates, additional }),
    result: z.null(),
    errors: ['NotFound', 'ValidationFailed'],
    examples: [{ name: 'for good', params: paramsExample, result: null }],
    cmdlet: {
      name: `Remove-${role.cmdletNoun}`, parameters: PARAMETERS, target: 'groupIdentity', confirmImpact: 'High', confirmWhen: 'interactive', output: 'none',
      examples: role.examples.remove,
    },
  });
  return { get, add, remove };
}

const ALICE_LINK = exampleMember(EXAMPLE_ALICE, EXAMPLE_SALES.name);
const owners = roleMethods({
  noun: 'groupOwner', cmdletNoun: 'GroupOwner', parentWord: 'group', childWord: 'additional owners', view: MemberView, example: ALICE_LINK,
  examples: {
    get: { command: 'Get-GroupOwner Sales', description: 'The additional owners of Sales, with their types and dates.' },
    add: [
      { command: 'Add-GroupOwner -GroupIdentity Sales -Identity jdoe -EndDate (Get-Date).Date.AddDays(90)', description: 'jdoe co-owns Sales for the next 90 days (until midnight UTC).' },
      { command: "Add-GroupOwner Sales Helpdesk -Type 'Addition Pending' -StartDate (Get-Date).Date.AddDays(7)", description: 'The Helpdesk group co-owns Sales from a week today.' },
    ],
    remove: [
      { command: 'Remove-GroupOwner -GroupIdentity Sales -Identity jdoe -Force', description: 'jdoe no longer co-owns Sales.' },
      { command: 'Remove-GroupOwner -GroupIdentity Sales -Identity jdoe -Additional -Force', description: 'The same, as the reference scripts write it.' },
    ],
  },
});
const { group: _group, ...MANAGER_FIELDS } = exampleMember(EXAMPLE_ALICE, EXAMPLE_JDOE.name);
const managers = roleMethods({
  noun: 'userManager', cmdletNoun: 'UserManager', parentWord: 'user', childWord: 'additional managers', view: ManagerView,
  example: { ...MANAGER_FIELDS, user: EXAMPLE_JDOE.name },
  examples: {
    get: { command: 'Get-UserManager jdoe', description: 'The additional managers of jdoe, with their types and dates.' },
    add: [{ command: 'Add-UserManager -UserIdentity jdoe -Identity alice -EndDate (Get-Date).AddMonths(2)', description: 'alice also manages jdoe for the next two months.' }],
    remove: [{ command: "Remove-UserManager jdoe alice -Type 'Removal Pending' -StartDate (Get-Date).Date.AddDays(14) -Force", description: 'alice stops managing jdoe two weeks from today.' }],
  },
});

export const groupOwnerGet = owners.get;
export const groupOwnerAdd = owners.add;
export const groupOwnerRemove = owners.remove;
export const userManagerGet = managers.get;
export const userManagerAdd = managers.add;
export const userManagerRemove = managers.remove;
