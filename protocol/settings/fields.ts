import { z } from 'zod';
import { addressList, httpsUrl, mailbox, pemCertificate, serverAddress } from '../addresses.js';
import { freeText, httpUrl } from '../fields.js';

/**
 * Every notification setting of an identity store, named once. Sections group them as the
 * Notifications page does; the flat names are what Set-Notifications and the history use.
 */
export const TLS_MODES = ['Implicit', 'StartTls', 'Opportunistic', 'None'] as const;
export const TLS_VERSIONS = ['TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'] as const;
export const AUTHENTICATIONS = ['Default', 'Basic', 'OAuth2'] as const;
export const OAUTH_FLOWS = ['Password', 'ClientCredentials'] as const;
export const PROVIDERS = ['Generic', 'ExchangeOnline', 'Office365Graph'] as const;
export const ALSO_NOTIFY = [
  'LoggedInUser', 'ModifiedObject', 'GroupOwners', 'Managers', 'AddedMembers', 'RemovedMembers', 'PublicGroupOwners',
] as const;

export const SECTIONS = ['Smtp', 'Recipients', 'PasswordExpiry', 'MembershipLifecycle', 'ManagedByLifecycle'] as const;
export type Section = (typeof SECTIONS)[number];

/** A reminder some days ahead: 1–365, or null for none. 0 also means none, as reference scripts write it. */
const reminderDays = (what: string) =>
  z
    .number()
    .int(`${what} must be a whole number of days`)
    .min(0, `${what} must be 1–365 days, or $null for no reminder`)
    .max(365, `${what} must be 1–365 days, or $null for no reminder`)
    .nullable()
    .transform((days) => (days === 0 ? null : days));

const text = (what: string, max = 256) => freeText(what, max).trim().min(1, `${what} must not be empty`);

/** The schema of each stored field, as a patch value (null clears where clearing makes sense). */
export const FIELD_SCHEMAS = {
  // SMTP server
  server: serverAddress('server').nullable(),
  port: z.number().int('port must be a whole number').min(1, 'port must be 1–65535').max(65535, 'port must be 1–65535').nullable(),
  from: mailbox('from').nullable(),
  tlsMode: z.enum(TLS_MODES),
  skipCertificateCheck: z.boolean(),
  caCertificate: pemCertificate('caCertificate').nullable(),
  minTlsVersion: z.enum(TLS_VERSIONS),
  authentication: z.enum(AUTHENTICATIONS),
  userName: text('userName').nullable(),
  provider: z.enum(PROVIDERS),
  tokenEndpoint: httpsUrl('tokenEndpoint').nullable(),
  clientId: text('clientId').nullable(),
  scope: text('scope', 1024).nullable(),
  oauthFlow: z.enum(OAUTH_FLOWS),
  graphEndpoint: httpsUrl('graphEndpoint').nullable(),
  tenant: text('tenant').nullable(),
  rateLimitPerMinute: z.number().int('rateLimitPerMinute must be a whole number').min(1, 'rateLimitPerMinute must be at least 1, or $null for no limit').max(100_000).nullable(),
  maxRecipientsPerMessage: z.number().int('maxRecipientsPerMessage must be a whole number').min(1, 'maxRecipientsPerMessage must be 1–1000').max(1000, 'maxRecipientsPerMessage must be 1–1000'),
  // Recipients
  to: addressList('to'),
  cc: addressList('cc'),
  notifyLoggedInUser: z.boolean(),
  notifyModifiedObject: z.boolean(),
  notifyGroupOwners: z.boolean(),
  notifyManagers: z.boolean(),
  notifyAddedMembers: z.boolean(),
  notifyRemovedMembers: z.boolean(),
  notifyPublicGroupOwners: z.boolean(),
  // Password expiry group notifications
  passwordPortalUrl: httpUrl('passwordPortalUrl').nullable(),
  // Membership life cycle
  membershipOnJoin: z.boolean(),
  membershipOnLeave: z.boolean(),
  membershipDaysBeforeLeave: reminderDays('membershipDaysBeforeLeave'),
  // Managed-by life cycle
  managedBySameAsMembership: z.boolean(),
  managedByOnAdded: z.boolean(),
  managedByOnRemoved: z.boolean(),
  managedByDaysBeforeRemoval: reminderDays('managedByDaysBeforeRemoval'),
} as const;

export type FieldName = keyof typeof FIELD_SCHEMAS;
export type StoredSettings = { [K in FieldName]: z.output<(typeof FIELD_SCHEMAS)[K]> };

/** Write-only values: stored encrypted, shown only as `…Set: true`. */
export const SECRET_FIELDS = ['password', 'clientSecret'] as const;
export type SecretField = (typeof SECRET_FIELDS)[number];
export const secretValue = (what: string) =>
  z.string().min(1, `${what} must not be empty`).max(4096, `${what} is too long`).nullable();

export const FIELD_SECTION: Record<FieldName | SecretField, Section> = {
  server: 'Smtp', port: 'Smtp', from: 'Smtp', tlsMode: 'Smtp', skipCertificateCheck: 'Smtp', caCertificate: 'Smtp',
  minTlsVersion: 'Smtp', authentication: 'Smtp', userName: 'Smtp', password: 'Smtp', provider: 'Smtp', tokenEndpoint: 'Smtp',
  clientId: 'Smtp', clientSecret: 'Smtp', scope: 'Smtp', oauthFlow: 'Smtp', graphEndpoint: 'Smtp', tenant: 'Smtp',
  rateLimitPerMinute: 'Smtp', maxRecipientsPerMessage: 'Smtp',
  to: 'Recipients', cc: 'Recipients', notifyLoggedInUser: 'Recipients', notifyModifiedObject: 'Recipients',
  notifyGroupOwners: 'Recipients', notifyManagers: 'Recipients', notifyAddedMembers: 'Recipients',
  notifyRemovedMembers: 'Recipients', notifyPublicGroupOwners: 'Recipients',
  passwordPortalUrl: 'PasswordExpiry',
  membershipOnJoin: 'MembershipLifecycle', membershipOnLeave: 'MembershipLifecycle', membershipDaysBeforeLeave: 'MembershipLifecycle',
  managedBySameAsMembership: 'ManagedByLifecycle', managedByOnAdded: 'ManagedByLifecycle', managedByOnRemoved: 'ManagedByLifecycle',
  managedByDaysBeforeRemoval: 'ManagedByLifecycle',
};

/** A store's settings before anyone set them. */
export const DEFAULT_SETTINGS: StoredSettings = {
  server: null, port: null, from: null, tlsMode: 'Opportunistic', skipCertificateCheck: false, caCertificate: null,
  minTlsVersion: 'TLSv1.2', authentication: 'Default', userName: null, provider: 'Generic', tokenEndpoint: null,
  clientId: null, scope: null, oauthFlow: 'Password', graphEndpoint: null, tenant: null,
  rateLimitPerMinute: null, maxRecipientsPerMessage: 100,
  to: [], cc: [], notifyLoggedInUser: false, notifyModifiedObject: false, notifyGroupOwners: false, notifyManagers: false,
  notifyAddedMembers: false, notifyRemovedMembers: false, notifyPublicGroupOwners: false,
  passwordPortalUrl: null,
  membershipOnJoin: false, membershipOnLeave: false, membershipDaysBeforeLeave: null,
  managedBySameAsMembership: false, managedByOnAdded: false, managedByOnRemoved: false, managedByDaysBeforeRemoval: null,
};

export const FIELD_NAMES = Object.keys(FIELD_SCHEMAS) as FieldName[];

/** Port used when none is set: 465 for implicit TLS, else the submission port. */
export function effectivePort(settings: Pick<StoredSettings, 'port' | 'tlsMode'>): number {
  return settings.port ?? (settings.tlsMode === 'Implicit' ? 465 : 587);
}
