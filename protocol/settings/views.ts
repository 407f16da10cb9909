import { z } from 'zod';
import { timestamp } from '../fields.js';
import { ALSO_NOTIFY, AUTHENTICATIONS, OAUTH_FLOWS, PROVIDERS, SECTIONS, TLS_MODES, TLS_VERSIONS } from './fields.js';

/** What reads return: secrets only as `…Set` flags, derived values spelled out. */
export const SmtpServerView = z.object({
  identityStore: z.string(),
  configured: z.boolean().describe('A server is set'),
  server: z.string().nullable(),
  port: z.number().int().describe('The port used: the one set, else 465 for implicit TLS and 587 otherwise'),
  from: z.string().nullable(),
  sslEnabled: z.boolean().describe('TLS is required (Implicit or StartTls)'),
  tlsMode: z.enum(TLS_MODES),
  skipCertificateCheck: z.boolean(),
  caCertificate: z.string().nullable().describe('Subject of the trusted CA certificate, when one is set'),
  minTlsVersion: z.enum(TLS_VERSIONS),
  authentication: z.enum(AUTHENTICATIONS),
  userName: z.string().nullable(),
  passwordSet: z.boolean(),
  provider: z.enum(PROVIDERS),
  tokenEndpoint: z.string().nullable(),
  clientId: z.string().nullable(),
  clientSecretSet: z.boolean(),
  scope: z.string().nullable(),
  oauthFlow: z.enum(OAUTH_FLOWS),
  graphEndpoint: z.string().nullable(),
  tenant: z.string().nullable(),
  rateLimitPerMinute: z.number().int().nullable().describe('Mails per minute at most; null: no limit'),
  maxRecipientsPerMessage: z.number().int().describe('Larger recipient lists are split into several identical mails'),
  warnings: z.array(z.string()).optional().describe('Things the administrator should know about the values just set'),
});
export type SmtpServerView = z.infer<typeof SmtpServerView>;

export const RecipientsView = z.object({
  identityStore: z.string(),
  to: z.array(z.string()),
  cc: z.array(z.string()),
  notifyLoggedInUser: z.boolean(),
  notifyModifiedObject: z.boolean(),
  notifyGroupOwners: z.boolean(),
  notifyManagers: z.boolean(),
  notifyAddedMembers: z.boolean(),
  notifyRemovedMembers: z.boolean(),
  notifyPublicGroupOwners: z.boolean(),
  alsoNotify: z.array(z.enum(ALSO_NOTIFY)).describe('The Also-notify switches that are on'),
});
export type RecipientsView = z.infer<typeof RecipientsView>;

export const PasswordExpiryView = z.object({
  identityStore: z.string(),
  portalUrl: z.string().nullable(),
  available: z.boolean().describe('False for Entra ID stores, which have no password-expiry groups'),
  choices: z.array(z.object({ name: z.string(), url: z.string() })).describe('The portals linked to the store'),
});
export type PasswordExpiryView = z.infer<typeof PasswordExpiryView>;

export const MembershipLifecycleView = z.object({
  identityStore: z.string(),
  onJoin: z.boolean(),
  onLeave: z.boolean(),
  daysBeforeLeave: z.number().int().nullable(),
});
export type MembershipLifecycleView = z.infer<typeof MembershipLifecycleView>;

export const ManagedByLifecycleView = z.object({
  identityStore: z.string(),
  sameAsMembership: z.boolean(),
  onAdded: z.boolean(),
  onRemoved: z.boolean(),
  daysBeforeRemoval: z.number().int().nullable(),
  effectiveOnAdded: z.boolean().describe('What applies: the membership values when sameAsMembership is on'),
  effectiveOnRemoved: z.boolean(),
  effectiveDaysBeforeRemoval: z.number().int().nullable(),
});
export type ManagedByLifecycleView = z.infer<typeof ManagedByLifecycleView>;

export const NotificationSettingsView = z.object({
  identityStore: z.string(),
  smtp: SmtpServerView,
  recipients: RecipientsView,
  passwordExpiry: PasswordExpiryView,
  membershipLifecycle: MembershipLifecycleView,
  managedByLifecycle: ManagedByLifecycleView,
});
export type NotificationSettingsView = z.infer<typeof NotificationSettingsView>;

export const SettingsHistoryEntry = z.object({
  id: z.number().int(),
  at: timestamp,
  identityStore: z.string(),
  actor: z.string().describe('Who made the change'),
  method: z.string().describe('The JSON-RPC method that made it'),
  section: z.enum(SECTIONS),
  field: z.string(),
  oldValue: z.unknown().describe('Secrets never appear: see `secret`'),
  newValue: z.unknown(),
  secret: z.boolean().describe('A secret changed; its values are not recorded'),
});
export type SettingsHistoryEntry = z.infer<typeof SettingsHistoryEntry>;

/** What Export-NotificationSettings writes and Import-NotificationSettings reads. */
export const SETTINGS_EXPORT_FORMAT = 'herald-notification-settings';
export const SettingsExport = z.object({
  format: z.literal(SETTINGS_EXPORT_FORMAT),
  version: z.literal(1),
  identityStore: z.string(),
  exportedAt: timestamp,
  settings: z.record(z.string(), z.unknown()).describe('Every setting but the secrets'),
  secretsSet: z.object({ password: z.boolean(), clientSecret: z.boolean() }).describe('Which secrets the store had: an import needs them again'),
});
export type SettingsExport = z.infer<typeof SettingsExport>;
