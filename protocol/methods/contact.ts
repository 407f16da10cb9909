import { z } from 'zod';
import { mailAddress } from '../addresses.js';
import { distinguishedName } from '../directory/dn.js';
import {
  ContactView, DIRECTORY_STORE_PARAMETER, EXAMPLE_PARTNER, IDENTITY_PARAMETER, directoryName, directoryStore, displayName, identityOrPattern,
  objectIdentity,
} from '../directory/views.js';
import { defineMethod } from '../method.js';
import { removeObjectMethod } from './directory-remove.js';

const CONTACT_DISPLAY = ['Name', 'DisplayName', 'Mail'];

export const contactCreate = defineMethod({
  name: 'contact.create',
  access: 'write',
  summary: 'Creates a contact: someone outside the directory who may be a member and get mail.',
  description: 'The name and the mail address must be unused in the store. Without -Container the contact goes to CN=Contacts under the store\'s root.',
  params: z.strictObject({
    name: directoryName('name').describe('The contact\'s name (CN), unique in the store regardless of case'),
    identityStore: directoryStore,
    displayName: displayName.optional(),
    mail: mailAddress('mail').optional(),
    container: distinguishedName('container').optional().describe('DN the contact is created under'),
  }),
  result: ContactView,
  errors: ['NotFound', 'Conflict'],
  examples: [{ name: 'a supplier', params: { identityStore: 'Corp', name: 'partner', displayName: 'Partner Ltd', mail: 'orders@partner.example' }, result: EXAMPLE_PARTNER }],
  cmdlet: {
    name: 'New-Contact',
    whatIfNotification: { kind: 'ObjectCreated', identity: 'name', objectKind: 'Contact', fields: { mail: 'mail' } },
    display: CONTACT_DISPLAY,
    parameters: {
      name: { position: 0, fromPipeline: true },
      identityStore: DIRECTORY_STORE_PARAMETER,
      mail: { aliases: ['EmailAddress'] },
      container: { aliases: ['Path', 'OrganizationalUnit'] },
    },
    target: 'name',
    examples: [{ command: "New-Contact partner -DisplayName 'Partner Ltd' -Mail orders@partner.example", description: 'A mail-enabled contact for a supplier.' }],
  },
});

export const contactGet = defineMethod({
  name: 'contact.get',
  access: 'read',
  summary: 'Finds contacts by DN, GUID, name or mail, or lists them.',
  description: 'Without -Identity, every contact of the store; a name with * or ? lists the contacts that match.',
  params: z.strictObject({
    identity: identityOrPattern.optional(),
    identityStore: directoryStore,
  }),
  result: z.array(ContactView),
  errors: ['NotFound'],
  examples: [{ name: 'by name', params: { identityStore: 'Corp', identity: 'partner' }, result: [EXAMPLE_PARTNER] }],
  cmdlet: {
    name: 'Get-Contact',
    display: CONTACT_DISPLAY,
    parameters: { identity: IDENTITY_PARAMETER, identityStore: DIRECTORY_STORE_PARAMETER },
    examples: [
      { command: 'Get-Contact', description: 'Every contact of the only identity store.' },
      { command: 'Get-Contact orders@partner.example | Format-List', description: 'A contact found by mail, with every property.' },
    ],
  },
});

export const contactSet = defineMethod({
  name: 'contact.set',
  access: 'write',
  summary: 'Changes a contact\'s name, display name or mail.',
  description: 'Only the parameters given change; $null clears.',
  params: z.strictObject({
    identity: objectIdentity('identity').describe('DN, GUID, name or mail of the contact'),
    identityStore: directoryStore,
    newName: directoryName('newName').optional().describe('New name (the DN follows, in the same container)'),
    displayName: displayName.nullable().optional(),
    mail: mailAddress('mail').nullable().optional(),
  }),
  result: ContactView,
  errors: ['NotFound', 'Conflict'],
  examples: [{ name: 'a new display name', params: { identityStore: 'Corp', identity: 'partner', displayName: 'Partner Limited' }, result: { ...EXAMPLE_PARTNER, displayName: 'Partner Limited' } }],
  cmdlet: {
    name: 'Set-Contact',
    whatIfNotification: { kind: 'ObjectModified', identity: 'identity' },
    display: CONTACT_DISPLAY,
    parameters: { identity: IDENTITY_PARAMETER, identityStore: DIRECTORY_STORE_PARAMETER, mail: { aliases: ['EmailAddress'] } },
    target: 'identity',
    output: 'passThru',
    examples: [{ command: 'Set-Contact partner -Mail sales@partner.example -PassThru', description: 'Changes the contact\'s mail address and shows the result.' }],
  },
});

export const contactRemove = removeObjectMethod({
  kind: 'Contact',
  summary: 'Removes a contact from the directory, with its memberships.',
  exampleIdentity: 'partner',
  examples: [{ command: 'Remove-Contact partner -Force', description: 'Removes the contact without asking.' }],
});
