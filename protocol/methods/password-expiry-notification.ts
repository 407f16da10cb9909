import { z } from 'zod';
import { defineMethod } from '../method.js';
import { FIELD_SCHEMAS } from '../settings/fields.js';
import { PasswordExpiryView } from '../settings/views.js';
import { STORE_PARAMETER, storeParam } from './smtp-server.js';

const view: PasswordExpiryView = {
  identityStore: 'Corp',
  portalUrl: 'https://portal.corp.example/selfservice',
  available: true,
  choices: [{ name: 'SelfService', url: 'https://portal.corp.example/selfservice' }],
};

export const passwordExpiryNotificationGet = defineMethod({
  name: 'passwordExpiryNotification.get',
  access: 'read',
  summary: 'Shows the portal URL put in password-expiry warnings, and the portals to choose from.',
  params: z.strictObject({ identityStore: storeParam }),
  result: PasswordExpiryView,
  errors: ['NotFound'],
  examples: [{ name: 'portal', params: { identityStore: 'Corp' }, result: view }],
  cmdlet: {
    name: 'Get-PasswordExpiryNotification',
    parameters: { identityStore: STORE_PARAMETER },
    display: ['IdentityStore', 'PortalUrl', 'Available'],
    examples: [{ command: 'Get-PasswordExpiryNotification Corp | Select-Object -ExpandProperty Choices', description: 'The portals Corp may point users to.' }],
  },
});

export const passwordExpiryNotificationSet = defineMethod({
  name: 'passwordExpiryNotification.set',
  access: 'write',
  summary: 'Sets the portal URL put in password-expiry warnings.',
  description: 'The URL must be one of the portals linked to the store (Add-IdentityStorePortal). Entra ID stores have no password-expiry groups.',
  params: z.strictObject({
    identityStore: storeParam,
    portalUrl: FIELD_SCHEMAS.passwordPortalUrl.describe('URL of a portal linked to the store; $null clears it'),
  }),
  result: PasswordExpiryView,
  errors: ['NotFound', 'ValidationFailed'],
  examples: [{ name: 'set the portal', params: { identityStore: 'Corp', portalUrl: 'https://portal.corp.example/selfservice' }, result: view }],
  cmdlet: {
    name: 'Set-PasswordExpiryNotification',
    parameters: { identityStore: STORE_PARAMETER, portalUrl: { aliases: ['PasswordPortalUrl'], position: 1 } },
    target: 'identityStore',
    output: 'passThru',
    display: ['IdentityStore', 'PortalUrl', 'Available'],
    examples: [{ command: 'Set-PasswordExpiryNotification -IdentityStore Corp -PortalUrl https://portal.corp.example/selfservice', description: 'Warnings send users to the self-service portal.' }],
  },
});
