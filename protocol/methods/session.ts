import { z } from 'zod';
import { defineMethod } from '../method.js';
import { Credential } from './smtp-server.js';

export const ConnectedUser = z.object({
  identityStore: z.string(),
  userName: z.string(),
  displayName: z.string().nullable(),
  mail: z.string().nullable(),
  connectedAt: z.string(),
});
export type ConnectedUser = z.infer<typeof ConnectedUser>;

const jdoe: ConnectedUser = { identityStore: 'Corp', userName: 'jdoe', displayName: 'John Doe', mail: 'jdoe@corp.example', connectedAt: '2026-11-26T09:00:00.000Z' };

export const sessionConnect = defineMethod({
  name: 'session.connect',
  access: 'write',
  summary: 'Signs this connection in to an identity store as one of its users.',
  description: 'Changes made afterwards on this connection are attributed to that user, and the logged-in-user rule notifies them. Repeated wrong passwords are answered ever more slowly.',
  params: z.strictObject({
    identityStore: z.string().trim().min(1).max(64).optional().describe('The store to sign in to; may be left out when there is only one'),
    identityStoreId: z.number().int().min(1).optional().describe('The store by its Id (the reference shell\'s parameter)'),
    credential: Credential.describe('The directory user\'s name (or mail) and password'),
  }),
  result: ConnectedUser,
  errors: ['NotFound', 'Unauthenticated'],
  examples: [{ name: 'sign in', params: { identityStore: 'Corp', credential: { userName: 'jdoe', password: 'Corp-2026-welcome' } }, result: jdoe }],
  cmdlet: {
    name: 'Connect-IdentityStore',
    parameters: { identityStore: { aliases: ['Name', 'IdentityStoreName'], position: 0 }, credential: { credential: true } },
    target: 'identityStore',
    examples: [
      { command: 'Connect-IdentityStore -Name Corp -Credential (Get-Credential jdoe)', description: 'Signs in as jdoe; the password is asked for, hidden.' },
      { command: 'Connect-IdentityStore -IdentityStoreId 1 -Credential $cred', description: 'The reference shell\'s form.' },
    ],
  },
});

export const sessionGet = defineMethod({
  name: 'session.get',
  access: 'read',
  summary: 'Shows who this connection is signed in as, if anyone.',
  params: z.strictObject({}),
  result: ConnectedUser.nullable(),
  examples: [{ name: 'signed in', params: {}, result: jdoe }],
  cmdlet: {
    name: 'Get-ConnectedUser',
    examples: [{ command: 'Get-ConnectedUser', description: 'The directory user changes are attributed to, or nothing.' }],
  },
});

export const sessionDisconnect = defineMethod({
  name: 'session.disconnect',
  access: 'write',
  summary: 'Signs this connection out of its identity store.',
  params: z.strictObject({}),
  result: z.null(),
  examples: [{ name: 'sign out', params: {}, result: null }],
  cmdlet: {
    name: 'Disconnect-IdentityStore',
    output: 'none',
    examples: [{ command: 'Disconnect-IdentityStore', description: 'Changes are the token holder\'s again.' }],
  },
});
