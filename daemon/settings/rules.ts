import { effectivePort, HeraldError, isOffice365Host, type StoredSettings } from '../../protocol/index.js';
import type { SecretsSet } from './settings-store.js';

export interface StoreFacts {
  type: string;
  portals: { name: string; url: string }[];
}

function refuse(field: string, message: string, remedy: string): never {
  throw new HeraldError('ValidationFailed', message, { field, remedy });
}

/** URLs compare as the browser would open them: `https://Host:443/x` is `https://host/x`. */
export function sameUrl(a: string, b: string): boolean {
  try {
    return new URL(a).href === new URL(b).href;
  } catch {
    return a === b;
  }
}

/**
 * Checks the settings as they would be after a change, as a whole: a change that would leave
 * them inconsistent is refused before anything is written. Returns warnings for the admin.
 */
export function checkSettings(settings: StoredSettings, secrets: SecretsSet, store: StoreFacts): string[] {
  const warnings: string[] = [];
  const { authentication, server } = settings;
  if (authentication === 'Basic') {
    if (server && isOffice365Host(server)) {
      refuse('authentication', `Basic authentication to ${server} fails: Office 365 / Exchange Online enforces multifactor authentication, which SMTP basic authentication cannot pass`,
        'use -Authentication OAuth2 with -TokenEndpoint, -ClientId, -ClientSecret and -Scope');
    }
    if (!settings.userName || !secrets.password) {
      refuse(settings.userName ? 'password' : 'userName', 'Basic authentication needs a user name and a password', 'give -Credential (Get-Credential), or -UserName and -Password');
    }
  }
  if (authentication === 'OAuth2') {
    const missing = (['tokenEndpoint', 'clientId', 'scope'] as const).find((field) => !settings[field]);
    if (missing) refuse(missing, `OAuth2 needs -${missing[0].toUpperCase()}${missing.slice(1)}`, 'give -TokenEndpoint, -ClientId, -ClientSecret and -Scope together');
    if (!secrets.clientSecret) refuse('clientSecret', 'OAuth2 needs -ClientSecret', 'give the client secret of the registered application');
    if (settings.oauthFlow === 'Password' && (!settings.userName || !secrets.password)) {
      refuse('credential', 'the OAuth2 password flow needs the user\'s name and password', 'give -Credential, or use -OAuthFlow ClientCredentials (app-only)');
    }
  }
  if (settings.provider === 'Office365Graph' && authentication !== 'OAuth2') {
    refuse('provider', 'the Office365Graph provider sends through Microsoft Graph, which needs OAuth2', 'add -Authentication OAuth2 with its settings');
  }
  if (settings.passwordPortalUrl !== null) {
    if (store.type === 'EntraId') {
      refuse('passwordPortalUrl', 'Entra ID identity stores have no password-expiry groups, so no portal URL applies', 'leave the portal URL empty for this store');
    }
    if (!store.portals.some((portal) => sameUrl(portal.url, settings.passwordPortalUrl!))) {
      const choices = store.portals.map((p) => `${p.url} (${p.name})`).join(', ');
      refuse('passwordPortalUrl', `${settings.passwordPortalUrl} is not a portal linked to this store${choices ? `; the linked portals are: ${choices}` : '; it has no portals yet'}`,
        'link the portal first with Add-IdentityStorePortal, or choose one of the linked portals');
    }
  }
  if (server && !settings.from) {
    warnings.push(`no -From address: mails are sent as herald@${server}; most servers want a real mailbox there`);
  }
  if (settings.skipCertificateCheck) {
    warnings.push('certificate verification is off: anyone on the network path can read and change the mail and the credentials');
  }
  if (settings.tlsMode === 'None' && authentication !== 'Default' && server) {
    warnings.push('TLS is off: credentials and mail cross the network in plain text');
  }
  const port = effectivePort(settings);
  if (server && settings.tlsMode === 'Implicit' && (port === 25 || port === 587)) {
    warnings.push(`port ${port} usually speaks STARTTLS, not implicit TLS: check -TlsMode or -Port`);
  }
  if (server && settings.tlsMode === 'StartTls' && port === 465) {
    warnings.push('port 465 usually expects implicit TLS: -SslEnabled on port 465 sets -TlsMode Implicit');
  }
  return warnings;
}
