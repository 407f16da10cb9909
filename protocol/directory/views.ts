import { z } from 'zod';
import { freeText, objectName, timestamp } from '../fields.js';
import type { CmdletParameter } from '../method.js';

/**
 * What the directory methods share: the kinds, the way objects are named in parameters, and
 * the objects they return. Secrets never appear in a view: a user shows PasswordSet only.
 */
export const OBJECT_KINDS = ['User', 'Group', 'Contact'] as const;
export const SECURITY_TYPES = ['Private', 'SemiPrivate', 'Public'] as const;
export const LINK_TYPES = ['Perpetual', 'Temporary', 'AdditionPending', 'RemovalPending', 'TemporaryRemoved'] as const;

// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/;

/** An object named by DN, GUID, name or mail, as the reference shell's -Identity takes it. */
export const objectIdentity = (what: string) =>
  z
    .string()
    .trim()
    .min(1, `${what} must not be empty`)
    .max(2048, `${what} must be at most 2048 characters`)
    .refine((text) => !CONTROL_CHARACTERS.test(text), `${what} must not contain control characters`);

export const identityList = (what: string) => z.array(objectIdentity(what)).max(1000, `${what} may name at most 1000 objects`);

/**
 * A directory object's name (its CN). Wider than other names, since people are called
 * "O'Brien" and "Smith, John": anything printable except the `*` and `?` that Get-* read as
 * wildcards. DNs escape what they must.
 */
export const directoryName = (what: string) =>
  z
    .string()
    .trim()
    .min(1, `${what} must not be empty`)
    .max(64, `${what} must be at most 64 characters`)
    .refine((text) => !CONTROL_CHARACTERS.test(text), `${what} must not contain control characters`)
    .refine((text) => !/[*?]/.test(text), `${what} must not contain * or ?, which Get- commands read as wildcards`);

export const displayName = freeText('displayName', 256).trim();

/** A name or a wildcard pattern (`j*`), as Get-User and friends take it. */
export const identityOrPattern = objectIdentity('identity').describe('DN, GUID, name or mail; * and ? in a name are wildcards');

/** The reference shell spells it Semi_Private; herald shows SemiPrivate and takes both. */
export const securityTypeParam = z
  .enum(['Private', 'SemiPrivate', 'Semi_Private', 'Public'])
  .transform((value) => (value === 'Semi_Private' ? 'SemiPrivate' : value))
  .describe('Private, SemiPrivate (also Semi_Private) or Public');

export const directoryStore = objectName('identity store name')
  .optional()
  .describe('The identity store; may be left out when the daemon has only one');

/** -IdentityStore: not positional (reference scripts never give it), filled from piped objects' IdentityStore. */
export const DIRECTORY_STORE_PARAMETER: CmdletParameter = { aliases: ['IdentityStoreName'], fromPipeline: true };
/** -Identity: first position, and piped objects bind by Guid, Dn or Name, the most specific first. */
export const IDENTITY_PARAMETER: CmdletParameter = { position: 0, fromPipeline: true, pipelineProperties: ['Guid', 'Dn', 'Name'] };

const common = {
  identityStore: z.string(),
  guid: z.string(),
  name: z.string(),
  dn: z.string(),
  displayName: z.string().nullable(),
  mail: z.string().nullable(),
};

export const UserView = z.object({
  ...common,
  kind: z.literal('User'),
  enabled: z.boolean(),
  manager: z.string().nullable().describe('The primary manager\'s name'),
  additionalManagers: z.array(z.string()),
  passwordSet: z.boolean().describe('A password is stored for sign-in; it is never shown'),
  passwordLastSet: timestamp.nullable(),
  passwordNeverExpires: z.boolean(),
  createdAt: timestamp,
  updatedAt: timestamp,
});
export type UserView = z.infer<typeof UserView>;

export const GroupView = z.object({
  ...common,
  kind: z.literal('Group'),
  securityType: z.enum(SECURITY_TYPES),
  managedBy: z.string().nullable().describe('The primary owner\'s name'),
  additionalOwners: z.array(z.string()),
  notifyOptOutAdditionalOwners: z.array(z.string()).describe('Additional owners who get no notifications'),
  memberCount: z.number().int().describe('Direct members'),
  createdAt: timestamp,
  updatedAt: timestamp,
});
export type GroupView = z.infer<typeof GroupView>;

export const ContactView = z.object({
  ...common,
  kind: z.literal('Contact'),
  createdAt: timestamp,
  updatedAt: timestamp,
});
export type ContactView = z.infer<typeof ContactView>;

/** What Get-Object lists: the same few properties whatever the kind. */
export const ObjectSummary = z.object({ ...common, kind: z.enum(OBJECT_KINDS) });
export type ObjectSummary = z.infer<typeof ObjectSummary>;

/** A member, additional owner or additional manager: the object, and the type and dates of its link. */
const linkFields = {
  guid: z.string(),
  kind: z.enum(OBJECT_KINDS),
  name: z.string(),
  dn: z.string(),
  displayName: z.string().nullable(),
  mail: z.string().nullable(),
  enabled: z.boolean().describe('False for disabled users, who are never notified'),
  type: z.enum(LINK_TYPES),
  beginningDate: timestamp.nullable().describe('$null for perpetual links'),
  endingDate: timestamp.nullable().describe('$null for perpetual links'),
};

export const MemberView = z.object({
  identityStore: z.string(),
  group: z.string().describe('The group it is a direct member (or additional owner) of; with -Recursive, the nearest one'),
  ...linkFields,
});
export type MemberView = z.infer<typeof MemberView>;

export const ManagerView = z.object({ identityStore: z.string(), user: z.string().describe('The user it is an additional manager of'), ...linkFields });
export type ManagerView = z.infer<typeof ManagerView>;

// The examples' directory: alice manages jdoe and owns Sales, partner is an outside contact.
const at = '2026-11-26T09:00:00.000Z';
export const EXAMPLE_ALICE: UserView = {
  identityStore: 'Corp', guid: '3f0c2a8e-5b7d-4f1e-9a63-2d8b1c4e7f90', kind: 'User', name: 'alice', dn: 'CN=alice,CN=Users,DC=Corp,DC=herald',
  displayName: 'Alice Martin', mail: 'alice@corp.example', enabled: true, manager: null, additionalManagers: [],
  passwordSet: false, passwordLastSet: null, passwordNeverExpires: false, createdAt: at, updatedAt: at,
};
export const EXAMPLE_JDOE: UserView = {
  ...EXAMPLE_ALICE, guid: '9b1d4e6a-0c3f-4a7b-8e25-6f9a0d2c5b18', name: 'jdoe', dn: 'CN=jdoe,CN=Users,DC=Corp,DC=herald',
  displayName: 'John Doe', mail: 'jdoe@corp.example', passwordSet: true, passwordLastSet: at,
};
export const EXAMPLE_PARTNER: ContactView = {
  identityStore: 'Corp', guid: 'c7e8f9a0-1b2c-4d3e-8f4a-5b6c7d8e9f01', kind: 'Contact', name: 'partner', dn: 'CN=partner,CN=Contacts,DC=Corp,DC=herald',
  displayName: 'Partner Ltd', mail: 'orders@partner.example', createdAt: at, updatedAt: at,
};
export const EXAMPLE_SALES: GroupView = {
  identityStore: 'Corp', guid: '5a6b7c8d-9e0f-4a1b-9c2d-3e4f5a6b7c8d', kind: 'Group', name: 'Sales', dn: 'CN=Sales,CN=Groups,DC=Corp,DC=herald',
  displayName: 'Sales team', mail: 'sales@corp.example', securityType: 'Public', managedBy: 'alice', additionalOwners: [],
  notifyOptOutAdditionalOwners: [], memberCount: 0, createdAt: at, updatedAt: at,
};

/** A member entry as Get-GroupMember shows it, for the examples. */
export function exampleMember(object: UserView | ContactView | GroupView, group: string): MemberView {
  const { identityStore, guid, kind, name, dn, displayName: shown, mail } = object;
  return {
    identityStore, group, guid, kind, name, dn, displayName: shown, mail, enabled: object.kind === 'User' ? object.enabled : true,
    type: 'Perpetual', beginningDate: null, endingDate: null,
  };
}
