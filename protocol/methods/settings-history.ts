import { z } from 'zod';
import { objectName } from '../fields.js';
import { defineMethod } from '../method.js';
import { SettingsHistoryEntry } from '../settings/views.js';

export const settingsHistoryGet = defineMethod({
  name: 'settingsHistory.get',
  access: 'read',
  summary: 'Lists changes to notification settings: who, when, which store, which field, old and new.',
  description: 'Newest first. Secrets appear only as changed, never with values.',
  params: z.strictObject({
    identityStore: objectName('identity store name').optional().describe('Only this store'),
    first: z.number().int().min(1).max(10_000).optional().describe('At most this many entries (default 100)'),
  }),
  result: z.array(SettingsHistoryEntry),
  errors: ['NotFound'],
  examples: [{
    name: 'latest change',
    params: { identityStore: 'Corp', first: 1 },
    result: [{ id: 7, at: '2026-11-26T09:00:00.000Z', identityStore: 'Corp', actor: 'local administrator', method: 'smtpServer.set', section: 'Smtp', field: 'port', oldValue: 25, newValue: 587, secret: false }],
  }],
  cmdlet: {
    name: 'Get-SettingsHistory',
    parameters: { identityStore: { aliases: ['IdentityStoreName'], position: 0 } },
    display: ['At', 'IdentityStore', 'Actor', 'Field', 'OldValue', 'NewValue'],
    examples: [
      { command: 'Get-SettingsHistory -IdentityStore Corp -First 20', description: 'The last twenty changes to Corp\'s settings.' },
      { command: "Get-SettingsHistory | Where-Object Field -eq 'password'", description: 'When SMTP passwords were changed, in any store.' },
    ],
  },
});
