import { z } from 'zod';
import { DIRECTORY_STORE_PARAMETER, directoryStore } from '../directory/views.js';
import { defineMethod } from '../method.js';

export const IMPORT_FORMATS = ['Ldif', 'Csv'] as const;

export const ImportReport = z.object({
  identityStore: z.string(),
  format: z.enum(IMPORT_FORMATS),
  users: z.number().int().describe('Users created'),
  groups: z.number().int().describe('Groups created'),
  contacts: z.number().int().describe('Contacts created'),
  links: z.number().int().describe('Memberships, managers and owners set'),
  skipped: z.number().int().describe('Records left alone because an object of that name existed (-SkipExisting)'),
});
export type ImportReport = z.infer<typeof ImportReport>;

// A group and two users in their own container, so the example adds to a store without touching what is there.
const EXAMPLE_LDIF = [
  'version: 1',
  '',
  'dn: CN=mlopez,OU=Imported,DC=Corp,DC=herald',
  'objectClass: user',
  'displayName: Maria Lopez',
  'mail: mlopez@corp.example',
  '',
  'dn: CN=tkim,OU=Imported,DC=Corp,DC=herald',
  'objectClass: user',
  'mail: tkim@corp.example',
  'manager: CN=mlopez,OU=Imported,DC=Corp,DC=herald',
  '',
  'dn: CN=Support,OU=Imported,DC=Corp,DC=herald',
  'objectClass: group',
  'managedBy: CN=mlopez,OU=Imported,DC=Corp,DC=herald',
  'member: CN=tkim,OU=Imported,DC=Corp,DC=herald',
  '',
].join('\n');

export const directoryObjectImport = defineMethod({
  name: 'directoryObject.import',
  access: 'write',
  summary: 'Creates users, groups and contacts from an LDIF or CSV export, all or nothing, and reports what it created.',
  description: [
    'Objects are created first, then memberships, managers and owners, which may name objects of the file (by DN or name) or of the store.',
    'The whole file is one transaction: on any error nothing is imported, and the error names the line.',
    'LDIF: content records with dn, objectClass (user, person, inetOrgPerson; group, groupOfNames; contact), cn, displayName, mail,',
    'userAccountControl (the disabled bit), manager, managedBy, owner (additional owners) and member; base64 values and folded lines are read;',
    'other attributes are ignored. CSV: a header row naming some of ObjectType, Name, DisplayName, Mail, Enabled, Manager, ManagedBy,',
    'AdditionalOwners and Members (lists separated by ;). Without -Format the content says which it is.',
    'Each object and link is recorded in the change history (source import) without sending notifications.',
  ].join(' '),
  params: z.strictObject({
    content: z.string().min(1, 'content must not be empty').max(1_000_000, 'content must be at most 1,000,000 characters: split the file').describe('The LDIF or CSV text (the shell reads it from -Path)'),
    identityStore: directoryStore,
    format: z.enum(IMPORT_FORMATS).optional().describe('Ldif or Csv; by default, recognised from the content'),
    skipExisting: z.boolean().optional().describe('Leave records whose name is taken in the store alone instead of failing'),
  }),
  result: ImportReport,
  errors: ['NotFound', 'Conflict', 'ValidationFailed'],
  examples: [{
    name: 'two users and a group',
    params: { identityStore: 'Corp', content: EXAMPLE_LDIF, format: 'Ldif' },
    result: { identityStore: 'Corp', format: 'Ldif', users: 2, groups: 1, contacts: 0, links: 3, skipped: 0 },
  }],
  cmdlet: {
    name: 'Import-DirectoryObject',
    view: 'list',
    parameters: {
      content: { aliases: ['Path'], position: 0, file: 'text' },
      identityStore: DIRECTORY_STORE_PARAMETER,
    },
    target: 'content',
    examples: [
      { command: 'Import-DirectoryObject -IdentityStore Corp -Path examples/sample-directory.ldif', description: 'Loads the sample directory that ships with herald.' },
      { command: 'Import-DirectoryObject -Path staff.csv -SkipExisting', description: 'Adds the people of a CSV export who are not in the store yet.' },
      { command: 'Import-DirectoryObject -Path export.txt -Format Ldif -WhatIf', description: 'Names the file that would be imported, without reading or importing it.' },
    ],
  },
});
