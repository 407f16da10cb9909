import { z } from 'zod';
import { defineMethod } from '../method.js';
import { httpUrl, objectName, timestamp } from '../fields.js';

export const Portal = z.object({
  identityStore: z.string(),
  name: z.string(),
  url: z.string(),
  createdAt: timestamp,
});
export type Portal = z.infer<typeof Portal>;

const selfService: Portal = {
  identityStore: 'Corp',
  name: 'SelfService',
  url: 'https://portal.corp.example/selfservice',
  createdAt: '2026-11-26T09:00:00.000Z',
};

const identityStore = objectName('identity store name').describe('Name of the identity store');
const storeParameter = { aliases: ['IdentityStoreName'], position: 0 };

export const identityStorePortalAdd = defineMethod({
  name: 'identityStorePortal.add',
  access: 'write',
  summary: 'Links a portal to an identity store.',
  description: 'Password-expiry warnings point users to one of the portals linked to their store.',
  params: z.strictObject({
    identityStore,
    name: objectName('portal name').describe('Portal name, unique within the store'),
    url: httpUrl('url').describe('Address users open in a browser'),
  }),
  result: Portal,
  errors: ['NotFound', 'Conflict'],
  examples: [{ name: 'link a portal', params: { identityStore: 'Corp', name: 'SelfService', url: selfService.url }, result: selfService }],
  cmdlet: {
    name: 'Add-IdentityStorePortal',
    display: ['IdentityStore', 'Name', 'Url'],
    parameters: { identityStore: storeParameter, name: { position: 1 }, url: { position: 2 } },
    target: 'name',
    examples: [
      { command: 'Add-IdentityStorePortal -IdentityStore Corp -Name SelfService -Url https://portal.corp.example/selfservice', description: 'Links the self-service portal to Corp.' },
    ],
  },
});

export const identityStorePortalGet = defineMethod({
  name: 'identityStorePortal.get',
  access: 'read',
  summary: 'Lists the portals linked to an identity store.',
  params: z.strictObject({
    identityStore,
    name: z.string().trim().min(1).max(64).optional().describe('Portal name; * and ? are wildcards'),
  }),
  result: z.array(Portal),
  errors: ['NotFound'],
  examples: [{ name: 'all portals of a store', params: { identityStore: 'Corp' }, result: [selfService] }],
  cmdlet: {
    name: 'Get-IdentityStorePortal',
    display: ['IdentityStore', 'Name', 'Url'],
    // A piped store object names the store by its Name; a piped portal by its IdentityStore.
    parameters: { identityStore: { ...storeParameter, fromPipeline: true, pipelineProperties: ['Name'] }, name: { aliases: ['PortalName'], position: 1 } },
    examples: [
      { command: 'Get-IdentityStorePortal Corp', description: 'Lists the portals linked to Corp.' },
      { command: 'Get-IdentityStore | Get-IdentityStorePortal', description: 'Lists the portals of every store.' },
    ],
  },
});

export const identityStorePortalRemove = defineMethod({
  name: 'identityStorePortal.remove',
  access: 'write',
  summary: 'Unlinks a portal from an identity store.',
  params: z.strictObject({
    identityStore,
    name: objectName('portal name').describe('Name of the portal to unlink'),
  }),
  result: z.null(),
  errors: ['NotFound'],
  examples: [{ name: 'unlink', params: { identityStore: 'Corp', name: 'SelfService' }, result: null }],
  cmdlet: {
    name: 'Remove-IdentityStorePortal',
    parameters: { identityStore: { ...storeParameter, fromPipeline: true }, name: { position: 1, fromPipeline: true } },
    target: 'name',
    confirmImpact: 'High',
    output: 'none',
    examples: [{ command: 'Remove-IdentityStorePortal -IdentityStore Corp -Name SelfService -Force', description: 'Unlinks the portal without asking.' }],
  },
});
