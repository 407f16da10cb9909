import { z } from 'zod';
import { defineMethod } from '../method.js';
import { objectName } from '../fields.js';
import { ENCRYPTIONS } from '../directory/connection.js';

export const DIRECTORY_TEST_STEPS = ['connect', 'tls', 'bind', 'search'] as const;

const storeIdentity = objectName('identity store name').describe('Name of an Ldap or ActiveDirectory identity store');

export const DirectoryTestStep = z.object({
  step: z.enum(DIRECTORY_TEST_STEPS),
  ok: z.boolean(),
  /** What happened, for a person: `connected to 192.0.2.10:389`, `bound as cn=herald,…`, `49 invalid credentials`. */
  detail: z.string(),
  durationMs: z.number(),
});

export const DirectoryTestReport = z.object({
  identityStore: z.string(),
  server: z.string(),
  port: z.number().int(),
  encryption: z.enum(ENCRYPTIONS),
  success: z.boolean(),
  steps: z.array(DirectoryTestStep),
  /** The sample search: how many users and groups the first page under the base DN holds. */
  sample: z.object({ users: z.number().int(), groups: z.number().int() }).nullable(),
  totalMs: z.number(),
  error: z.string().nullable(),
  remedy: z.string().nullable(),
});
export type DirectoryTestReport = z.infer<typeof DirectoryTestReport>;

export const identityStoreTestConnection = defineMethod({
  name: 'identityStore.testConnection',
  access: 'read',
  summary: 'Tests the connection to an identity store\'s directory server step by step.',
  description: 'Connects, sets up TLS (StartTls or Ldaps), binds as the service account and runs a sample search under the base DN. Each step is reported; a failed one comes with a remedy. Nothing is changed.',
  params: z.strictObject({ identity: storeIdentity }),
  result: DirectoryTestReport,
  errors: ['NotFound', 'InvalidParams'],
  examples: [{
    name: 'a working directory',
    params: { identity: 'Lab' },
    result: {
      identityStore: 'Lab', server: 'ldap.lab.example', port: 389, encryption: 'StartTls', success: true,
      steps: [
        { step: 'connect', ok: true, detail: 'connected to ldap.lab.example port 389', durationMs: 2 },
        { step: 'tls', ok: true, detail: 'StartTLS: certificate verified', durationMs: 6 },
        { step: 'bind', ok: true, detail: 'bound as cn=herald,ou=Services,dc=lab,dc=example', durationMs: 3 },
        { step: 'search', ok: true, detail: '12 users and 4 groups under dc=lab,dc=example', durationMs: 5 },
      ],
      sample: { users: 12, groups: 4 }, totalMs: 16, error: null, remedy: null,
    },
  }],
  cmdlet: {
    name: 'Test-IdentityStoreConnection',
    parameters: { identity: { aliases: ['Name', 'IdentityStoreName', 'IdentityStore'], position: 0, fromPipeline: true } },
    target: 'identity',
    display: ['IdentityStore', 'Server', 'Port', 'Encryption', 'Success', 'TotalMs', 'Error', 'Remedy'],
    view: 'list',
    examples: [
      { command: 'Test-IdentityStoreConnection Lab', description: 'Says whether herald can reach, trust, bind to and search Lab\'s directory, and if not, what to do.' },
      { command: 'Test-IdentityStoreConnection Lab | Select-Object -ExpandProperty Steps', description: 'Every step with its outcome and time.' },
    ],
  },
});

export const SyncReport = z.object({
  identityStore: z.string(),
  /** Full: every object was read (deletions are found too); Incremental: only those changed since the last sync. */
  mode: z.enum(['Full', 'Incremental']),
  objectsRead: z.number().int(),
  objectsAdded: z.number().int(),
  objectsRemoved: z.number().int(),
  /** Entries herald could not keep: a name another object of the store has, or an object another store already holds (the daemon log names them). */
  objectsSkipped: z.number().int(),
  /** Change events raised for changes made outside herald. */
  changes: z.number().int(),
  durationMs: z.number(),
});

export const identityStoreSync = defineMethod({
  name: 'identityStore.sync',
  access: 'write',
  summary: 'Reads the changes made in an identity store\'s directory outside herald now.',
  description: [
    'herald reads the changes made with other tools periodically (by modifyTimestamp, or uSNChanged on Active Directory) and raises the same change events as for its own changes, so their notifications go out.',
    'This runs that sync now. -Full reads every object, which also finds deleted ones.',
  ].join(' '),
  params: z.strictObject({ identity: storeIdentity, full: z.boolean().optional().describe('Read every object, not only the changed ones') }),
  result: SyncReport,
  errors: ['NotFound', 'InvalidParams', 'DirectoryUnavailable'],
  examples: [{
    name: 'after a change made with ldapmodify',
    params: { identity: 'Lab' },
    result: { identityStore: 'Lab', mode: 'Incremental', objectsRead: 1, objectsAdded: 0, objectsRemoved: 0, objectsSkipped: 0, changes: 1, durationMs: 4 },
  }],
  cmdlet: {
    name: 'Sync-IdentityStore',
    parameters: { identity: { aliases: ['Name', 'IdentityStoreName', 'IdentityStore'], position: 0, fromPipeline: true } },
    target: 'identity',
    display: ['IdentityStore', 'Mode', 'ObjectsRead', 'ObjectsAdded', 'ObjectsRemoved', 'Changes', 'DurationMs'],
    examples: [
      { command: 'Sync-IdentityStore Lab', description: 'Reads the changes made in Lab\'s directory since the last sync and notifies them.' },
      { command: 'Sync-IdentityStore Lab -Full', description: 'Reads every object again; objects deleted in the directory leave herald too.' },
    ],
  },
});
