import { z } from 'zod';
import { pemCertificate, serverAddress } from '../addresses.js';
import { Credential } from '../methods/smtp-server.js';
import { distinguishedName } from './dn.js';

/**
 * How herald reaches the directory server behind an `Ldap` or `ActiveDirectory` store. The
 * service account's password is write-only, like the SMTP password: sealed at rest, never returned.
 */
export const ENCRYPTIONS = ['None', 'StartTls', 'Ldaps'] as const;

/**
 * What each herald attribute is called in the directory. A null value means the directory has
 * no attribute for it: herald keeps that data itself, keyed by the object's GUID.
 */
export const ATTRIBUTE_MAP_KEYS = [
  'guid', 'sid', 'userName', 'groupName', 'contactName', 'displayName', 'mail', 'member', 'managedBy', 'additionalOwners', 'manager',
  'passwordLastSet', 'accountControl', 'userClass', 'groupClass', 'contactClass',
] as const;
export type AttributeMapKey = (typeof ATTRIBUTE_MAP_KEYS)[number];
export type AttributeMap = Record<AttributeMapKey, string | null>;

const attributeName = z.string().trim().regex(/^[A-Za-z][A-Za-z0-9-]{0,63}$/, 'an attribute name is a letter followed by letters, digits and hyphens');

const KEY_BY_LOWER = new Map<string, AttributeMapKey>(ATTRIBUTE_MAP_KEYS.map((key) => [key.toLowerCase(), key]));

/** `@{ManagedBy='owner'; Member='uniqueMember'}`: keys regardless of case, as scripts write them. */
export const AttributeMapPatch = z
  .record(z.string(), attributeName.nullable())
  .superRefine((table, ctx) => {
    const seen = new Set<string>();
    for (const key of Object.keys(table)) {
      if (!KEY_BY_LOWER.has(key.toLowerCase())) ctx.addIssue({ code: 'custom', path: [key], message: `-AttributeMap names '${key}': it takes ${ATTRIBUTE_MAP_KEYS.join(', ')}` });
      if (seen.has(key.toLowerCase())) ctx.addIssue({ code: 'custom', path: [key], message: `-AttributeMap names '${key}' twice` });
      seen.add(key.toLowerCase());
    }
  })
  .transform((table) => {
    const out: Partial<AttributeMap> = {};
    for (const [key, value] of Object.entries(table)) out[KEY_BY_LOWER.get(key.toLowerCase())!] = value;
    return out;
  })
  .describe('Directory attribute names by herald attribute; $null: the directory has none (herald keeps the data)');

export const port = z.number().int('port must be a whole number').min(1, 'port must be 1–65535').max(65535, 'port must be 1–65535');

/** The connection fields New-IdentityStore and Set-IdentityStore take. */
export const connectionParams = {
  server: serverAddress('server').optional().describe('Directory server host name or IP address (Ldap and ActiveDirectory stores)'),
  port: port.optional().describe('Directory server port; default 389, or 636 with -Encryption Ldaps'),
  encryption: z.enum(ENCRYPTIONS).optional().describe('None, StartTls (the default) or Ldaps'),
  caCertificate: pemCertificate('caCertificate').optional().describe('PEM certificate(s) trusted for the directory server besides the system CAs'),
  baseDn: distinguishedName('baseDn').optional().describe('Where herald looks for users, groups and contacts'),
  serviceAccount: Credential.optional().describe('The account herald binds as (its DN or user principal name) and its password'),
};

export const ConnectionView = z.object({
  server: z.string(),
  port: z.number().int(),
  encryption: z.enum(ENCRYPTIONS),
  caCertificate: z.string().nullable(),
  baseDn: z.string(),
  serviceAccount: z.string(),
  /** The password is never returned: only whether one is stored. */
  servicePasswordSet: z.boolean(),
  attributeMap: z.record(z.string(), z.string().nullable()).describe('The attribute names in use: defaults for the store type with the store\'s overrides'),
  lastSyncAt: z.string().nullable().describe('When changes were last read from the directory'),
});
export type ConnectionView = z.infer<typeof ConnectionView>;

export const DIRECTORY_TYPES = new Set(['Ldap', 'ActiveDirectory']);
