import { X509Certificate } from 'node:crypto';
import {
  ALSO_NOTIFY, effectivePort, type ManagedByLifecycleView, type MembershipLifecycleView, type NotificationSettingsView,
  type PasswordExpiryView, type RecipientsView, type SmtpServerView, type StoredSettings,
} from '../../protocol/index.js';
import type { StoreFacts } from './rules.js';
import type { SecretsSet } from './settings-store.js';

/** Everything a view needs about one store. */
export interface SettingsState {
  store: StoreFacts & { id: number; name: string };
  settings: StoredSettings;
  secrets: SecretsSet;
}

function certificateSubject(pem: string | null): string | null {
  if (!pem) return null;
  try {
    return new X509Certificate(pem).subject.replace(/\n/g, ', ');
  } catch {
    return 'unreadable certificate';
  }
}

export function smtpView({ store, settings: s, secrets }: SettingsState): SmtpServerView {
  return {
    identityStore: store.name,
    configured: s.server !== null,
    server: s.server,
    port: effectivePort(s),
    from: s.from,
    sslEnabled: s.tlsMode === 'Implicit' || s.tlsMode === 'StartTls',
    tlsMode: s.tlsMode,
    skipCertificateCheck: s.skipCertificateCheck,
    caCertificate: certificateSubject(s.caCertificate),
    minTlsVersion: s.minTlsVersion,
    authentication: s.authentication,
    userName: s.userName,
    passwordSet: secrets.password,
    provider: s.provider,
    tokenEndpoint: s.tokenEndpoint,
    clientId: s.clientId,
    clientSecretSet: secrets.clientSecret,
    scope: s.scope,
    oauthFlow: s.oauthFlow,
    graphEndpoint: s.graphEndpoint,
    tenant: s.tenant,
    rateLimitPerMinute: s.rateLimitPerMinute,
    maxRecipientsPerMessage: s.maxRecipientsPerMessage,
  };
}

const ALSO_NOTIFY_FIELDS = {
  LoggedInUser: 'notifyLoggedInUser',
  ModifiedObject: 'notifyModifiedObject',
  GroupOwners: 'notifyGroupOwners',
  Managers: 'notifyManagers',
  AddedMembers: 'notifyAddedMembers',
  RemovedMembers: 'notifyRemovedMembers',
  PublicGroupOwners: 'notifyPublicGroupOwners',
} as const satisfies Record<(typeof ALSO_NOTIFY)[number], keyof StoredSettings>;
export { ALSO_NOTIFY_FIELDS };

export function recipientsView({ store, settings: s }: SettingsState): RecipientsView {
  return {
    identityStore: store.name,
    to: s.to,
    cc: s.cc,
    notifyLoggedInUser: s.notifyLoggedInUser,
    notifyModifiedObject: s.notifyModifiedObject,
    notifyGroupOwners: s.notifyGroupOwners,
    notifyManagers: s.notifyManagers,
    notifyAddedMembers: s.notifyAddedMembers,
    notifyRemovedMembers: s.notifyRemovedMembers,
    notifyPublicGroupOwners: s.notifyPublicGroupOwners,
    alsoNotify: ALSO_NOTIFY.filter((name) => s[ALSO_NOTIFY_FIELDS[name]]),
  };
}

export function passwordExpiryView({ store, settings }: SettingsState): PasswordExpiryView {
  return {
    identityStore: store.name,
    portalUrl: settings.passwordPortalUrl,
    available: store.type !== 'EntraId',
    choices: store.portals.map(({ name, url }) => ({ name, url })),
  };
}

export function membershipView({ store, settings: s }: SettingsState): MembershipLifecycleView {
  return { identityStore: store.name, onJoin: s.membershipOnJoin, onLeave: s.membershipOnLeave, daysBeforeLeave: s.membershipDaysBeforeLeave };
}

/** The Managed By values that apply: same-as-membership keeps the section's own values but applies the membership ones. */
export function effectiveManagedBy(s: StoredSettings): { onAdded: boolean; onRemoved: boolean; daysBeforeRemoval: number | null } {
  const same = s.managedBySameAsMembership;
  return {
    onAdded: same ? s.membershipOnJoin : s.managedByOnAdded,
    onRemoved: same ? s.membershipOnLeave : s.managedByOnRemoved,
    daysBeforeRemoval: same ? s.membershipDaysBeforeLeave : s.managedByDaysBeforeRemoval,
  };
}

export function managedByView({ store, settings: s }: SettingsState): ManagedByLifecycleView {
  const effective = effectiveManagedBy(s);
  return {
    identityStore: store.name,
    sameAsMembership: s.managedBySameAsMembership,
    onAdded: s.managedByOnAdded,
    onRemoved: s.managedByOnRemoved,
    daysBeforeRemoval: s.managedByDaysBeforeRemoval,
    effectiveOnAdded: effective.onAdded,
    effectiveOnRemoved: effective.onRemoved,
    effectiveDaysBeforeRemoval: effective.daysBeforeRemoval,
  };
}

export function settingsView(state: SettingsState): NotificationSettingsView {
  return {
    identityStore: state.store.name,
    smtp: smtpView(state),
    recipients: recipientsView(state),
    passwordExpiry: passwordExpiryView(state),
    membershipLifecycle: membershipView(state),
    managedByLifecycle: managedByView(state),
  };
}
