import { z } from 'zod';
import { defineMethod } from '../method.js';
import { freeText, objectName, timestamp } from '../fields.js';

export const IDENTITY_STORE_TYPES = ['Builtin', 'Ldap', 'ActiveDirectory', 'EntraId'] as const;

export const IdentityStore = z.object({
  id: z.number().int().describe('Numeric id, as the reference shell\'s -IdentityStoreId'),
  name: z.string(),
  type: z.enum(IDENTITY_STORE_TYPES),
  description: z.string().nullable(),
  memberInactivePeriod: z.number().int().describe('Days before a member marked inactive (Set-GroupMember -Inactive) is removed; 0: at once'),
  createdAt: timestamp,
  updatedAt: timestamp,
});
export type IdentityStore = z.infer<typeof IdentityStore>;

const corp: IdentityStore = {
  id: 1,
  name: 'Corp',
  type: 'Builtin',
  description: 'Corporate directory',
  memberInactivePeriod: 30,
  createdAt: '2026-11-26T09:00:00.000Z',
  updatedAt: '2026-11-26T09:00:00.000Z',
};

const storeIdentity = objectName('identity store name').describe('Name of the identity store (case-insensitive)');

export const identityStoreCreate = defineMethod({
  name: 'identityStore.create',
  access: 'write',
  summary: 'Creates an identity store.',
  description: 'Names are unique regardless of case. Notification settings start empty.',
  params: z.strictObject({
    name: objectName('identity store name').describe('Unique name of the new identity store'),
    type: z.enum(IDENTITY_STORE_TYPES).describe('Kind of directory behind the store'),
    description: freeText('description').optional().describe('Free text shown to administrators'),
  }),
  result: IdentityStore,
  errors: ['Conflict'],
  examples: [{ name: 'a builtin store', params: { name: 'Corp', type: 'Builtin', description: 'Corporate directory' }, result: corp }],
  cmdlet: {
    name: 'New-IdentityStore',
    display: ['Name', 'Type', 'Description'],
    parameters: {
      name: { aliases: ['IdentityStoreName'], position: 0 },
      type: { position: 1 },
    },
    target: 'name',
    examples: [
      { command: "New-IdentityStore -Name Corp -Type Builtin -Description 'Corporate directory'", description: 'Creates a store whose directory lives in herald\'s own database.' },
      { command: 'New-IdentityStore Lab Builtin', description: 'The same, with positional parameters.' },
    ],
  },
});

export const identityStoreGet = defineMethod({
  name: 'identityStore.get',
  access: 'read',
  summary: 'Lists identity stores, or finds them by name.',
  description: 'Without a name, every store. A name with * or ? wildcards lists the stores that match; an exact name that matches nothing is NotFound.',
  params: z.strictObject({
    name: z.string().trim().min(1).max(64).optional().describe('Store name, case-insensitive; * and ? are wildcards'),
  }),
  result: z.array(IdentityStore),
  errors: ['NotFound'],
  examples: [{ name: 'one store', params: { name: 'corp' }, result: [corp] }],
  cmdlet: {
    name: 'Get-IdentityStore',
    display: ['Name', 'Type', 'Description'],
    parameters: { name: { aliases: ['IdentityStoreName', 'Identity'], position: 0, fromPipeline: true } },
    examples: [
      { command: 'Get-IdentityStore', description: 'Lists every identity store.' },
      { command: 'Get-IdentityStore corp | Format-List', description: 'Shows one store with all its properties.' },
      { command: "Get-IdentityStore -Name 'c*' | Select-Object Name, Type", description: 'Stores whose name starts with c.' },
    ],
  },
});

export const identityStoreSet = defineMethod({
  name: 'identityStore.set',
  access: 'write',
  summary: 'Renames an identity store, or changes its description or member-inactive period.',
  description: 'Only the fields given change; a null description clears it. The type cannot change.',
  params: z.strictObject({
    identity: storeIdentity,
    newName: objectName('new name').optional().describe('New unique name'),
    description: freeText('description').nullable().optional().describe('New description; null clears it'),
    memberInactivePeriod: z.number().int('memberInactivePeriod must be a whole number of days').min(0, 'memberInactivePeriod must be 0 or more days').max(3650, 'memberInactivePeriod must be at most 3650 days')
      .optional().describe('Days before a member marked inactive is removed (0: at once)'),
  }),
  result: IdentityStore,
  errors: ['NotFound', 'Conflict'],
  examples: [{ name: 'rename', params: { identity: 'Corp', newName: 'Corporate' }, result: { ...corp, name: 'Corporate' } }],
  cmdlet: {
    name: 'Set-IdentityStore',
    display: ['Name', 'Type', 'Description'],
    parameters: { identity: { aliases: ['Name', 'IdentityStoreName'], position: 0, fromPipeline: true } },
    target: 'identity',
    output: 'passThru',
    examples: [
      { command: "Set-IdentityStore Corp -Description 'Head office directory'", description: 'Changes the description.' },
      { command: 'Set-IdentityStore Corp -NewName Corporate -PassThru', description: 'Renames the store and shows the result.' },
      { command: 'Set-IdentityStore Corp -MemberInactivePeriod 14', description: 'Members marked inactive leave their group two weeks later.' },
    ],
  },
});

export const identityStoreRemove = defineMethod({
  name: 'identityStore.remove',
  access: 'write',
  summary: 'Removes an identity store with its portals and settings.',
  params: z.strictObject({ identity: storeIdentity }),
  result: z.null(),
  errors: ['NotFound'],
  examples: [{ name: 'remove', params: { identity: 'Lab' }, result: null }],
  cmdlet: {
    name: 'Remove-IdentityStore',
    parameters: { identity: { aliases: ['Name', 'IdentityStoreName'], position: 0, fromPipeline: true } },
    target: 'identity',
    confirmImpact: 'High',
    output: 'none',
    examples: [
      { command: 'Remove-IdentityStore Lab', description: 'Asks for confirmation, then removes the store.' },
      { command: "Get-IdentityStore 'test*' | Remove-IdentityStore -Force", description: 'Removes every store whose name starts with test, without asking.' },
    ],
  },
});
