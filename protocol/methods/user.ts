import { z } from 'zod';
import { mailAddress } from '../addresses.js';
import { distinguishedName } from '../directory/dn.js';
import {
  DIRECTORY_STORE_PARAMETER, EXAMPLE_ALICE, EXAMPLE_JDOE, IDENTITY_PARAMETER, UserView, directoryName, directoryStore, displayName,
  identityList, identityOrPattern, objectIdentity,
} from '../directory/views.js';
import { defineMethod } from '../method.js';
import { removeObjectMethod } from './directory-remove.js';

const password = z.string().min(1, 'password must not be empty').max(1024, 'password must be at most 1024 characters').describe('Write-only: stored as a salted scrypt hash');
const USER_DISPLAY = ['Name', 'DisplayName', 'Mail', 'Enabled', 'Manager'];

export const userCreate = defineMethod({
  name: 'user.create',
  access: 'write',
  summary: 'Creates a user in an identity store\'s directory.',
  description: 'The name and the mail address must be unused in the store. Without -Container the user goes to CN=Users under the store\'s root.',
  params: z.strictObject({
    name: directoryName('name').describe('The user\'s name (CN), unique in the store regardless of case'),
    identityStore: directoryStore,
    displayName: displayName.optional(),
    mail: mailAddress('mail').optional().describe('Without one the user is not mail-enabled and gets no notifications'),
    enabled: z.boolean().optional().describe('Disabled users are never notified (default: enabled)'),
    container: distinguishedName('container').optional().describe('DN the user is created under'),
    manager: objectIdentity('manager').optional().describe('Primary manager: a user'),
    additionalManagers: identityList('additionalManagers').optional().describe('More managers: users'),
    password: password.optional(),
    passwordNeverExpires: z.boolean().optional(),
  }),
  result: UserView,
  errors: ['NotFound', 'Conflict', 'ValidationFailed'],
  examples: [
    { name: 'a manager', params: { identityStore: 'Corp', name: 'alice', displayName: 'Alice Martin', mail: 'alice@corp.example' }, result: EXAMPLE_ALICE },
    { name: 'a user with a password', params: { identityStore: 'Corp', name: 'jdoe', displayName: 'John Doe', mail: 'jdoe@corp.example', password: 'Corp-2026-welcome' }, result: EXAMPLE_JDOE },
  ],
  cmdlet: {
    name: 'New-User',
    whatIfNotification: { kind: 'ObjectCreated', identity: 'name', objectKind: 'User', fields: { mail: 'mail', manager: 'manager' } },
    display: USER_DISPLAY,
    parameters: {
      name: { position: 0, fromPipeline: true },
      identityStore: DIRECTORY_STORE_PARAMETER,
      mail: { aliases: ['EmailAddress'] },
      container: { aliases: ['Path', 'OrganizationalUnit'] },
      password: { aliases: ['AccountPassword'], secret: true },
    },
    target: 'name',
    examples: [
      { command: "New-User -Name jdoe -DisplayName 'John Doe' -Mail jdoe@corp.example", description: 'Creates a mail-enabled user in the only identity store.' },
      { command: "New-User jsmith -IdentityStore Corp -Manager alice -Password (Read-Host -AsSecureString 'Password')", description: 'A user with a manager and a password typed without echo.' },
      { command: "'intern1', 'intern2' | New-User -Enabled $false", description: 'A disabled user for each name piped in.' },
    ],
  },
});

export const userGet = defineMethod({
  name: 'user.get',
  access: 'read',
  summary: 'Finds users by DN, GUID, name or mail, or lists them.',
  description: 'Without -Identity, every user of the store. A name with * or ? lists the users that match; anything else that matches no user is NotFound.',
  params: z.strictObject({
    identity: identityOrPattern.optional(),
    identityStore: directoryStore,
  }),
  result: z.array(UserView),
  errors: ['NotFound'],
  examples: [{ name: 'by mail', params: { identityStore: 'Corp', identity: 'jdoe@corp.example' }, result: [EXAMPLE_JDOE] }],
  cmdlet: {
    name: 'Get-User',
    display: USER_DISPLAY,
    parameters: { identity: IDENTITY_PARAMETER, identityStore: DIRECTORY_STORE_PARAMETER },
    examples: [
      { command: 'Get-User jdoe | Format-List', description: 'One user with every property.' },
      { command: "Get-User 'j*' | Where-Object Enabled -eq $false", description: 'Disabled users whose name starts with j.' },
      { command: "Get-User 'CN=jdoe,CN=Users,DC=Corp,DC=herald'", description: 'The same user by DN.' },
    ],
  },
});

export const userSet = defineMethod({
  name: 'user.set',
  access: 'write',
  summary: 'Changes a user: names, mail, enabled, managers, password.',
  description: 'Only the parameters given change; $null clears. -AdditionalManagers replaces the whole list. A password is stored hashed and never shown.',
  params: z.strictObject({
    identity: objectIdentity('identity').describe('DN, GUID, name or mail of the user'),
    identityStore: directoryStore,
    newName: directoryName('newName').optional().describe('New name (the DN follows, in the same container)'),
    displayName: displayName.nullable().optional(),
    mail: mailAddress('mail').nullable().optional(),
    enabled: z.boolean().optional(),
    manager: objectIdentity('manager').nullable().optional().describe('Primary manager: a user; $null clears'),
    additionalManagers: identityList('additionalManagers').nullable().optional().describe('The additional managers: users; $null clears'),
    password: password.optional(),
    passwordNeverExpires: z.boolean().optional(),
  }),
  result: UserView,
  errors: ['NotFound', 'Conflict', 'ValidationFailed'],
  examples: [{
    name: 'a manager and a new display name',
    params: { identityStore: 'Corp', identity: 'jdoe', manager: 'alice', displayName: 'Johnny Doe' },
    result: { ...EXAMPLE_JDOE, manager: 'alice', displayName: 'Johnny Doe' },
  }],
  cmdlet: {
    name: 'Set-User',
    whatIfNotification: { kind: 'ObjectModified', identity: 'identity' },
    display: USER_DISPLAY,
    parameters: {
      identity: IDENTITY_PARAMETER,
      identityStore: DIRECTORY_STORE_PARAMETER,
      mail: { aliases: ['EmailAddress'] },
      password: { aliases: ['AccountPassword'], secret: true },
    },
    target: 'identity',
    output: 'passThru',
    examples: [
      { command: 'Set-User jdoe -Manager alice -AdditionalManagers bob, carol', description: 'Gives jdoe a primary manager and two additional ones.' },
      { command: "Get-User 'temp*' | Set-User -Enabled $false", description: 'Disables every user whose name starts with temp.' },
      { command: 'Set-User jdoe -Mail $null -PassThru', description: 'Takes jdoe\'s mail address away and shows the result.' },
    ],
  },
});

export const userRemove = removeObjectMethod({
  kind: 'User',
  summary: 'Removes a user from the directory, with its memberships.',
  description: 'Users it managed are left without that manager; groups it owned, without that owner.',
  exampleIdentity: 'jdoe',
  examples: [
    { command: 'Remove-User jdoe', description: 'Asks at a terminal, then removes jdoe; scripts proceed, as with the reference shell.' },
    { command: "Get-User 'test*' | Remove-User -Force", description: 'Removes every user whose name starts with test, without asking.' },
  ],
});
