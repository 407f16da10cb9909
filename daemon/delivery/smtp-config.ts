import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { rootCertificates, type ConnectionOptions } from 'node:tls';
import { effectivePort, type StoredSettings } from '../../protocol/index.js';

/** How a store authenticates to its mail server, secrets opened, ready for a transport. */
export type SmtpAuth =
  | { kind: 'none' }
  | { kind: 'basic'; user: string; pass: string }
  | {
      kind: 'oauth2';
      provider: StoredSettings['provider'];
      tokenEndpoint: string;
      clientId: string;
      clientSecret: string;
      scope: string;
      flow: StoredSettings['oauthFlow'];
      /** The mailbox: the password-flow user, or the sender for app-only tokens. */
      user: string;
      pass?: string;
      graphEndpoint: string;
      tenant: string | null;
    };

/** Everything needed to send as one store: built from its settings, never returned over RPC. */
export interface SmtpConfig {
  storeName: string;
  server: string;
  port: number;
  tlsMode: StoredSettings['tlsMode'];
  skipCertificateCheck: boolean;
  caCertificate: string | null;
  minTlsVersion: StoredSettings['minTlsVersion'];
  from: string;
  auth: SmtpAuth;
}

export const DEFAULT_GRAPH_ENDPOINT = 'https://graph.microsoft.com/v1.0';

/** Without a From setting: herald at the server's domain, or at its address literal. */
function defaultSender(server: string): string {
  const host = server.replace(/^\[|\]$/g, '');
  if (isIP(host) === 4) return `herald@[${host}]`;
  if (isIP(host) === 6) return `herald@[IPv6:${host}]`;
  return `herald@${host}`;
}

/** The sender address inside a `Name <address>` mailbox. */
export function addressOf(mailbox: string): string {
  const match = /<([^<>]+)>\s*$/.exec(mailbox);
  return (match ? match[1] : mailbox).trim();
}

/**
 * Builds a store's sending configuration from its settings and secrets; undefined when no
 * server is configured. Default authentication has no signed-in user here, so it sends
 * without AUTH (a relay that trusts the host).
 */
export function smtpConfig(storeName: string, s: StoredSettings, secret: (field: 'password' | 'clientSecret') => string | undefined): SmtpConfig | undefined {
  if (!s.server) return undefined;
  const from = s.from ?? defaultSender(s.server);
  let auth: SmtpAuth = { kind: 'none' };
  if (s.authentication === 'Basic') auth = { kind: 'basic', user: s.userName ?? '', pass: secret('password') ?? '' };
  if (s.authentication === 'OAuth2') {
    auth = {
      kind: 'oauth2',
      provider: s.provider,
      tokenEndpoint: s.tokenEndpoint ?? '',
      clientId: s.clientId ?? '',
      clientSecret: secret('clientSecret') ?? '',
      scope: s.scope ?? '',
      flow: s.oauthFlow,
      user: s.oauthFlow === 'Password' && s.userName ? s.userName : addressOf(from),
      pass: s.oauthFlow === 'Password' ? secret('password') : undefined,
      graphEndpoint: s.graphEndpoint ?? DEFAULT_GRAPH_ENDPOINT,
      tenant: s.tenant,
    };
  }
  return {
    storeName,
    server: s.server.replace(/^\[|\]$/g, ''),
    port: effectivePort(s),
    tlsMode: s.tlsMode,
    skipCertificateCheck: s.skipCertificateCheck,
    caCertificate: s.caCertificate,
    minTlsVersion: s.minTlsVersion,
    from,
    auth,
  };
}

let extra: string[] | undefined;
/**
 * An explicit CA list replaces Node's defaults, NODE_EXTRA_CA_CERTS included: read that file
 * too, so that the admin's extra CAs keep working next to a store's own.
 */
function extraCertificates(): string[] {
  if (extra === undefined) {
    const file = process.env.NODE_EXTRA_CA_CERTS;
    try {
      extra = file ? [readFileSync(file, 'utf8')] : [];
    } catch {
      extra = [];
    }
  }
  return extra;
}

/** TLS options for node:tls: the system CAs plus the store's own, verification as configured. */
export function tlsOptions(config: SmtpConfig): ConnectionOptions {
  return {
    servername: /^[\d.]+$|:/.test(config.server) ? undefined : config.server,
    rejectUnauthorized: !config.skipCertificateCheck,
    minVersion: config.minTlsVersion,
    ...(config.caCertificate ? { ca: [...rootCertificates, ...extraCertificates(), config.caCertificate] } : {}),
  };
}

/** nodemailer's TLS switches for each mode. */
export function tlsModeOptions(mode: SmtpConfig['tlsMode']): { secure: boolean; requireTLS?: boolean; ignoreTLS?: boolean; opportunisticTLS?: boolean } {
  switch (mode) {
    case 'Implicit': return { secure: true };
    case 'StartTls': return { secure: false, requireTLS: true };
    case 'Opportunistic': return { secure: false, opportunisticTLS: true };
    case 'None': return { secure: false, ignoreTLS: true };
  }
}
