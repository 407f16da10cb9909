import { z } from 'zod';
import { defineMethod } from '../method.js';
import { objectName, timestamp } from '../fields.js';

/** Administrator: every method. Reader: the methods whose access is `read`. */
export const TokenRole = z.enum(['Administrator', 'Reader']);
export type TokenRole = z.infer<typeof TokenRole>;

export const ApiToken = z.object({
  name: z.string(),
  role: TokenRole,
  createdAt: timestamp,
  expiresAt: timestamp.nullable().describe('null: never expires'),
  lastUsedAt: timestamp.nullable().describe('When a connection last presented it; null: never'),
});
export type ApiToken = z.infer<typeof ApiToken>;

const automation: ApiToken = {
  name: 'nightly-report',
  role: 'Reader',
  createdAt: '2026-11-26T09:00:00.000Z',
  expiresAt: '2027-02-24T09:00:00.000Z',
  lastUsedAt: null,
};

export const apiTokenCreate = defineMethod({
  name: 'apiToken.create',
  access: 'write',
  summary: 'Makes a named token for remote access; the token is shown this once and stored only as a hash.',
  description: 'Present it as `Authorization: Bearer <token>` or as a `bearer.<token>` WebSocket subprotocol entry. An expired token is refused with its own error.',
  params: z.strictObject({
    name: objectName('token name').describe('Unique name: who or what uses the token'),
    role: TokenRole.describe('Administrator may call every method; Reader only the read methods'),
    expiresInDays: z.number().int().min(1).max(3650).optional().describe('Days until the token stops working; default: never'),
  }),
  result: ApiToken.extend({ token: z.string().describe('The secret: shown once, never again') }),
  errors: ['Conflict'],
  examples: [{
    name: 'a reader token for 90 days',
    params: { name: 'nightly-report', role: 'Reader', expiresInDays: 90 },
    result: { ...automation, token: 'herald_q6y0tZp3mA8kR1xV9cL2bN5sD7fH4jW0eU3iO6aG1yT' },
  }],
  cmdlet: {
    name: 'New-ApiToken',
    view: 'list',
    display: ['Name', 'Role', 'ExpiresAt', 'Token'],
    parameters: { name: { position: 0 }, role: { position: 1 } },
    target: 'name',
    examples: [
      { command: 'New-ApiToken -Name nightly-report -Role Reader -ExpiresInDays 90', description: 'A read-only token for a script, valid 90 days; copy the Token now, it is not shown again.' },
      { command: 'New-ApiToken -Name remote-admin -Role Administrator', description: 'A token that may change everything, until removed.' },
    ],
  },
});

export const apiTokenGet = defineMethod({
  name: 'apiToken.get',
  access: 'read',
  summary: 'Lists the API tokens: name, role, created, expires, last used; never the secrets.',
  params: z.strictObject({
    name: z.string().trim().min(1).max(64).optional().describe('Token name; * and ? are wildcards'),
  }),
  result: z.array(ApiToken),
  examples: [{ name: 'every token', params: {}, result: [automation] }],
  cmdlet: {
    name: 'Get-ApiToken',
    display: ['Name', 'Role', 'CreatedAt', 'ExpiresAt', 'LastUsedAt'],
    parameters: { name: { position: 0 } },
    examples: [
      { command: 'Get-ApiToken', description: 'Every token, without its secret.' },
      { command: 'Get-ApiToken | Where-Object LastUsedAt -eq $null', description: 'Tokens nobody has used yet.' },
    ],
  },
});

export const apiTokenRemove = defineMethod({
  name: 'apiToken.remove',
  access: 'write',
  summary: 'Revokes an API token: it is refused from now on and its open connections are closed.',
  params: z.strictObject({
    name: objectName('token name').describe('Name of the token to revoke'),
  }),
  result: z.null(),
  errors: ['NotFound'],
  examples: [{ name: 'revoke', params: { name: 'nightly-report' }, result: null }],
  cmdlet: {
    name: 'Remove-ApiToken',
    parameters: { name: { position: 0, fromPipeline: true } },
    target: 'name',
    confirmImpact: 'High',
    output: 'none',
    examples: [{ command: 'Remove-ApiToken nightly-report -Force', description: 'Revokes the token without asking.' }],
  },
});
