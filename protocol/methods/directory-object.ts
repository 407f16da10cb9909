import { z } from 'zod';
import { distinguishedName } from '../directory/dn.js';
import { DIRECTORY_STORE_PARAMETER, EXAMPLE_ALICE, EXAMPLE_JDOE, OBJECT_KINDS, ObjectSummary, directoryStore, type UserView } from '../directory/views.js';
import { defineMethod } from '../method.js';

const summary = ({ identityStore, guid, kind, name, dn, displayName, mail }: UserView): ObjectSummary => ({ identityStore, guid, kind, name, dn, displayName, mail });

export const directoryObjectSearch = defineMethod({
  name: 'directoryObject.search',
  access: 'read',
  summary: 'Lists directory objects under a container, of a kind, by name: users, groups and contacts alike.',
  description: 'Every filter is optional: without any, every object of the store. The container search covers its whole subtree.',
  params: z.strictObject({
    searchContainer: distinguishedName('searchContainer').optional().describe('DN to search under, e.g. CN=Users,DC=Corp,DC=herald'),
    identityStore: directoryStore,
    objectType: z.enum(OBJECT_KINDS).optional().describe('User, Group or Contact'),
    name: z.string().trim().min(1).max(64).optional().describe('Name; * and ? are wildcards'),
  }),
  result: z.array(ObjectSummary),
  errors: ['NotFound'],
  examples: [{
    name: 'the users of a container',
    params: { identityStore: 'Corp', searchContainer: 'CN=Users,DC=Corp,DC=herald', objectType: 'User' },
    result: [summary(EXAMPLE_ALICE), summary(EXAMPLE_JDOE)],
  }],
  cmdlet: {
    name: 'Get-Object',
    display: ['Kind', 'Name', 'Mail', 'Dn'],
    parameters: {
      searchContainer: { aliases: ['SearchBase'], position: 0 },
      identityStore: DIRECTORY_STORE_PARAMETER,
      objectType: { aliases: ['Type'] },
    },
    examples: [
      { command: "Get-Object -SearchContainer 'CN=Users,DC=Corp,DC=herald' -ObjectType User", description: 'The users under a container, as reference scripts ask for them.' },
      { command: "Get-Object -Name 's*' | Format-Table Kind, Name, Dn", description: 'Every object whose name starts with s, whatever its kind.' },
    ],
  },
});
