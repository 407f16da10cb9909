import { z } from 'zod';
import { mailAddress } from '../addresses.js';
import { distinguishedName } from '../directory/dn.js';
import {
  DIRECTORY_STORE_PARAMETER, EXAMPLE_SALES, GroupView, IDENTITY_PARAMETER, directoryName, directoryStore, displayName, identityList,
  identityOrPattern, objectIdentity, securityTypeParam,
} from '../directory/views.js';
import { defineMethod } from '../method.js';
import { removeObjectMethod } from './directory-remove.js';

const GROUP_DISPLAY = ['Name', 'DisplayName', 'Mail', 'SecurityType', 'ManagedBy', 'MemberCount'];

/** The multi-valued attributes Set-Group's -Add, -Remove and -Replace tables may name, as the shell spells them. */
export const GROUP_LIST_ATTRIBUTES = { additionalowners: 'additionalOwners', members: 'members', notifyoptoutadditionalowners: 'notifyOptOutAdditionalOwners' } as const;
export type GroupListAttribute = (typeof GROUP_LIST_ATTRIBUTES)[keyof typeof GROUP_LIST_ATTRIBUTES];
const ATTRIBUTE_NAMES = 'AdditionalOwners, Members or NotifyOptOutAdditionalOwners';

/**
 * A reference-style hashtable: `@{AdditionalOwners='a','b'}`. Keys are matched regardless of
 * case, a single name counts as a list of one, and $null as an empty list.
 */
const attributeTable = (what: string) =>
  z
    .record(z.string(), z.union([objectIdentity(what), z.array(objectIdentity(what)).max(1000)]).nullable())
    .superRefine((table, ctx) => {
      const seen = new Set<string>();
      for (const key of Object.keys(table)) {
        const known = key.toLowerCase() in GROUP_LIST_ATTRIBUTES;
        if (!known) ctx.addIssue({ code: 'custom', path: [key], message: `-${what} names '${key}': it takes ${ATTRIBUTE_NAMES}` });
        if (seen.has(key.toLowerCase())) ctx.addIssue({ code: 'custom', path: [key], message: `-${what} names '${key}' twice` });
        seen.add(key.toLowerCase());
      }
    })
    .transform((table) => {
      const out: Partial<Record<GroupListAttribute, string[]>> = {};
      for (const [key, value] of Object.entries(table)) {
        out[GROUP_LIST_ATTRIBUTES[key.toLowerCase() as keyof typeof GROUP_LIST_ATTRIBUTES]] = value === null ? [] : Array.isArray(value) ? value : [value];
      }
      return out;
    })
    .describe(`{ ${ATTRIBUTE_NAMES}: one name or a list }`);

export const groupCreate = defineMethod({
  name: 'group.create',
  access: 'write',
  summary: 'Creates a group in an identity store\'s directory.',
  description: 'The name and the mail address must be unused in the store. Without -SecurityType the group is Private; without -Container it goes to CN=Groups under the store\'s root.',
  params: z.strictObject({
    name: directoryName('name').describe('The group\'s name (CN), unique in the store regardless of case'),
    identityStore: directoryStore,
    displayName: displayName.optional(),
    mail: mailAddress('mail').optional(),
    securityType: securityTypeParam.optional(),
    container: distinguishedName('container').optional().describe('DN the group is created under'),
    managedBy: objectIdentity('managedBy').optional().describe('Primary owner'),
    additionalOwners: identityList('additionalOwners').optional(),
    notifyOptOutAdditionalOwners: identityList('notifyOptOutAdditionalOwners').optional().describe('Additional owners who get no notifications'),
  }),
  result: GroupView,
  errors: ['NotFound', 'Conflict', 'ValidationFailed'],
  examples: [{
    name: 'a public group',
    params: { identityStore: 'Corp', name: 'Sales', displayName: 'Sales team', mail: 'sales@corp.example', securityType: 'Public', managedBy: 'alice' },
    result: EXAMPLE_SALES,
  }],
  cmdlet: {
    name: 'New-Group',
    whatIfNotification: { kind: 'ObjectCreated', identity: 'name', objectKind: 'Group', fields: { mail: 'mail', manager: 'managedBy' } },
    display: GROUP_DISPLAY,
    parameters: {
      name: { position: 0, fromPipeline: true },
      identityStore: DIRECTORY_STORE_PARAMETER,
      mail: { aliases: ['EmailAddress'] },
      container: { aliases: ['Path', 'OrganizationalUnit'] },
      managedBy: { aliases: ['Owner'] },
    },
    target: 'name',
    examples: [
      { command: "New-Group Sales -DisplayName 'Sales team' -Mail sales@corp.example -SecurityType Public -ManagedBy alice", description: 'A public group owned by alice.' },
      { command: 'New-Group Staff -SecurityType Semi_Private -AdditionalOwners bob, carol', description: 'The reference spelling of SemiPrivate, with two additional owners.' },
    ],
  },
});

export const groupGet = defineMethod({
  name: 'group.get',
  access: 'read',
  summary: 'Finds groups by DN, GUID, name or mail, or lists them.',
  description: 'Without -Identity, every group of the store; a name with * or ? lists the groups that match.',
  params: z.strictObject({
    identity: identityOrPattern.optional(),
    identityStore: directoryStore,
  }),
  result: z.array(GroupView),
  errors: ['NotFound'],
  examples: [{ name: 'by name', params: { identityStore: 'Corp', identity: 'sales' }, result: [EXAMPLE_SALES] }],
  cmdlet: {
    name: 'Get-Group',
    display: GROUP_DISPLAY,
    parameters: { identity: IDENTITY_PARAMETER, identityStore: DIRECTORY_STORE_PARAMETER },
    examples: [
      { command: 'Get-Group Sales | Format-List', description: 'One group with its owners and member count.' },
      { command: 'Get-Group | Where-Object SecurityType -eq Public', description: 'The public groups.' },
    ],
  },
});

export const groupSet = defineMethod({
  name: 'group.set',
  access: 'write',
  summary: 'Changes a group: names, mail, security type, owners; -Add, -Remove and -Replace take reference hashtables.',
  description: [
    'Only the parameters given change; $null clears. -AdditionalOwners and -NotifyOptOutAdditionalOwners replace their lists.',
    `-Add, -Remove and -Replace take @{${ATTRIBUTE_NAMES}=…} and are applied in that order: remove, add, replace.`,
    'Opted-out owners must be additional owners. A group cannot own itself or be its own member.',
  ].join(' '),
  params: z.strictObject({
    identity: objectIdentity('identity').describe('DN, GUID, name or mail of the group'),
    identityStore: directoryStore,
    newName: directoryName('newName').optional().describe('New name (the DN follows, in the same container)'),
    displayName: displayName.nullable().optional(),
    mail: mailAddress('mail').nullable().optional(),
    securityType: securityTypeParam.optional(),
    managedBy: objectIdentity('managedBy').nullable().optional().describe('Primary owner; $null clears'),
    additionalOwners: identityList('additionalOwners').nullable().optional().describe('The additional owners; $null clears'),
    notifyOptOutAdditionalOwners: identityList('notifyOptOutAdditionalOwners').nullable().optional().describe('Additional owners who get no notifications; $null: all do'),
    add: attributeTable('Add').optional(),
    remove: attributeTable('Remove').optional(),
    replace: attributeTable('Replace').optional(),
  }),
  result: GroupView,
  errors: ['NotFound', 'Conflict', 'ValidationFailed'],
  examples: [
    { name: 'an additional owner, reference style', params: { identityStore: 'Corp', identity: 'Sales', add: { AdditionalOwners: ['jdoe'] } }, result: { ...EXAMPLE_SALES, additionalOwners: ['jdoe'] } },
    { name: 'the reference spelling of SemiPrivate', params: { identityStore: 'Corp', identity: 'Sales', securityType: 'Semi_Private' }, result: { ...EXAMPLE_SALES, additionalOwners: ['jdoe'], securityType: 'SemiPrivate' } },
  ],
  cmdlet: {
    name: 'Set-Group',
    whatIfNotification: { kind: 'ObjectModified', identity: 'identity' },
    display: GROUP_DISPLAY,
    parameters: {
      identity: IDENTITY_PARAMETER,
      identityStore: DIRECTORY_STORE_PARAMETER,
      mail: { aliases: ['EmailAddress'] },
      managedBy: { aliases: ['Owner'] },
    },
    target: 'identity',
    output: 'passThru',
    examples: [
      { command: "Set-Group Sales -Add @{AdditionalOwners='alice','bob'}", description: 'Adds two additional owners, as reference scripts write it.' },
      { command: "Set-Group -Identity Sales -Remove @{AdditionalOwners='bob'} -Replace @{NotifyOptOutAdditionalOwners='alice'}", description: 'Removes an owner, and leaves alice as the only owner who opted out of notifications.' },
      { command: 'Set-Group Sales -SecurityType Semi_Private -ManagedBy carol -PassThru', description: 'A new security type and primary owner, and the result.' },
    ],
  },
});

export const groupRemove = removeObjectMethod({
  kind: 'Group',
  summary: 'Removes a group from the directory; its members stay, without this membership.',
  exampleIdentity: 'Sales',
  examples: [{ command: 'Remove-Group Sales -Force', description: 'Removes the group without asking.' }],
});
