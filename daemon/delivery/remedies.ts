import type { TestStep } from '../../protocol/settings/test-report.js';
import { addressOf, type SmtpConfig } from './smtp-config.js';

/**
 * What went wrong in one step of an SMTP test, as the probe saw it. `code` is the most
 * specific code known: an OS code (ECONNREFUSED), an OpenSSL/Node TLS code
 * (ERR_SSL_WRONG_VERSION_NUMBER, SELF_SIGNED_CERT_IN_CHAIN), one of nodemailer's timeout
 * kinds (GREETING_TIMEOUT, CONNECT_TIMEOUT, SOCKET_TIMEOUT, UPGRADE_TIMEOUT), or one of the
 * probe's own findings (STARTTLS_NOT_OFFERED, AUTH_NOT_OFFERED, XOAUTH2_NOT_OFFERED).
 */
export interface ProbeFailure {
  step: TestStep['step'];
  code?: string;
  /** The server's reply code, e.g. 535. */
  responseCode?: number;
  /** The server's reply, or the token endpoint's error text (AADSTS…). */
  response?: string;
  config: SmtpConfig;
  /**
   * Set when the server sent no greeting but answered a TLS handshake on the same port: the
   * port expects implicit TLS. Without it a silent port is ambiguous (firewall, proxy, TLS).
   */
  implicitTlsAnswered?: boolean;
}

const UNTRUSTED = new Set([
  'SELF_SIGNED_CERT_IN_CHAIN', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'CERT_UNTRUSTED', 'CERT_SIGNATURE_FAILURE',
]);
const EXPIRED = new Set(['CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID']);
const HOSTNAME = new Set(['ERR_TLS_CERT_ALTNAME_INVALID', 'HOSTNAME_MISMATCH']);
/** What a TLS client sees when the other end speaks plain SMTP: the "220 …" greeting is no TLS record. */
const PLAIN_PORT = new Set(['ERR_SSL_WRONG_VERSION_NUMBER', 'ERR_SSL_PACKET_LENGTH_TOO_LONG', 'ERR_SSL_UNKNOWN_PROTOCOL', 'ERR_SSL_HTTP_REQUEST', 'EPROTO']);
const TLS_VERSION = new Set([
  'ERR_SSL_UNSUPPORTED_PROTOCOL', 'ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION', 'ERR_SSL_NO_PROTOCOLS_AVAILABLE',
  'ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE', 'ERR_SSL_NO_SHARED_CIPHER', 'ERR_SSL_WRONG_SSL_VERSION',
]);
const TIMEOUTS = new Set(['ETIMEDOUT', 'CONNECT_TIMEOUT', 'SOCKET_TIMEOUT', 'GREETING_TIMEOUT', 'UPGRADE_TIMEOUT']);

/** Azure AD / Entra ID sign-in errors a token endpoint returns, with what to do about each. */
const AADSTS: Record<string, (c: SmtpConfig) => string> = {
  '7000215': (c) => `The client secret is wrong (often the secret's ID was copied instead of its Value). Create or copy the secret's Value in Entra ID > App registrations > Certificates & secrets and store it with ${setCmd(c, '-ClientSecret (Read-Host -AsSecureString)')}.`,
  '7000222': (c) => `The client secret has expired: create a new one in Entra ID > App registrations > Certificates & secrets and store it with ${setCmd(c, '-ClientSecret (Read-Host -AsSecureString)')}.`,
  '700016': (c) => `No application with client ID ${clientId(c)} exists in this tenant: check -ClientId (the Application (client) ID) and that the tenant in -TokenEndpoint is the one the app is registered in (or that the app was consented to there).`,
  '50126': (c) => `The user name or password of the OAuth2 password flow is wrong: ${setCmd(c, '-Credential (Get-Credential)')}.`,
  '50076': (c) => mfa(c),
  '50079': (c) => mfa(c),
  '65001': () => 'Admin consent is missing for the permission the token asks for: in Entra ID > App registrations > API permissions, add the permission (Office 365 Exchange Online SMTP.SendAsApp for app-only SMTP, SMTP.Send for the password flow, Microsoft Graph Mail.Send for Graph) and grant admin consent.',
  '90002': (c) => `The tenant in the token endpoint does not exist: check -TokenEndpoint (https://login.microsoftonline.com/<tenant id or domain>/oauth2/v2.0/token)${c.auth.kind === 'oauth2' && c.auth.tenant ? ` and -Tenant ${c.auth.tenant}` : ''}.`,
  '70011': (c) => `The scope is not valid for this flow: ${scopeAdvice(c)}`,
  '50034': () => 'The user account does not exist in this tenant: check the user name (the full user principal name).',
  '53003': () => 'A Conditional Access policy blocked the sign-in: exclude this application or account from the policy, or allow sign-ins from this host.',
  '7000218': (c) => `The request needs a client secret (or assertion): store the app's secret with ${setCmd(c, '-ClientSecret (Read-Host -AsSecureString)')}.`,
};

/**
 * Suggests what to change for a failed SMTP test step, in the shell's own terms
 * (Set-SmtpServer parameters), or null when nothing specific is known.
 */
export function remedyFor(failure: ProbeFailure): string | null {
  const { step, config: c } = failure;
  const code = failure.code?.toUpperCase();
  const response = failure.response ?? '';
  const responseCode = failure.responseCode ?? replyCode(response);
  const enhanced = /^\d{3}[ -](\d\.\d{1,3}\.\d{1,3})\b/.exec(response)?.[1];

  // Token endpoint errors name the cause in an AADSTS code, whatever step carried them.
  const aad = /AADSTS(\d+)/.exec(response);
  if (aad) return AADSTS[aad[1]]?.(c) ?? `The token endpoint refused the request (AADSTS${aad[1]}): look the code up at https://login.microsoftonline.com/error?code=${aad[1]}.`;
  if (step === 'token') return tokenRemedy(failure, code);

  // Network: nothing of SMTP was said yet.
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EDNS') {
    return `The name ${c.server} does not resolve${code === 'EAI_AGAIN' ? ' (the DNS server did not answer)' : ''}: check -Server and this host's DNS.`;
  }
  if (code === 'ECONNREFUSED') {
    return `Nothing accepts connections on ${c.server}:${c.port}: check -Server and -Port (587 for STARTTLS, 465 for implicit TLS, 25 for relays), that the SMTP service runs, and that no firewall rejects the port.`;
  }
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH') {
    return `There is no route to ${c.server}: check -Server, this host's network and any firewall between them.`;
  }
  if (code === 'GREETING_TIMEOUT') return greetingTimeout(failure);
  if (code === 'CONNECT_TIMEOUT' || (code === 'ETIMEDOUT' && step === 'connect')) {
    return `${c.server}:${c.port} did not answer the connection attempt: a firewall is probably dropping it (outbound ports 25 and 587 are often blocked by providers and corporate firewalls). Check -Server and -Port, and that this host may reach the port.`;
  }
  if (code === 'UPGRADE_TIMEOUT') {
    return `The TLS handshake did not finish: something between this host and ${c.server} (a proxy or antivirus scanning SMTP) may interfere, or the server's TLS is broken.`;
  }

  // TLS: wrong mode for the port, untrusted or mismatched certificate, no common version.
  if (code && PLAIN_PORT.has(code) && (c.tlsMode === 'Implicit' || step === 'tls')) {
    return `Port ${c.port} speaks plain SMTP (with STARTTLS), not implicit TLS: use ${setCmd(c, '-TlsMode StartTls')}${c.port === 465 ? '' : ', or -Port 465 if the server offers implicit TLS there'}.`;
  }
  if (code === 'STARTTLS_NOT_OFFERED') {
    return `The server does not offer STARTTLS on port ${c.port}. If the port expects implicit TLS (usually 465) use ${setCmd(c, '-TlsMode Implicit')}; many servers offer STARTTLS only on 587. -TlsMode Opportunistic or None would send in plain text, credentials and mail readable on the network.`;
  }
  if (code && UNTRUSTED.has(code)) {
    const self = code === 'DEPTH_ZERO_SELF_SIGNED_CERT' ? ' (the certificate is self-signed: give the certificate itself)' : '';
    return `The server's certificate is not issued by a CA this host trusts: give the issuing CA${self} in PEM with ${setCmd(c, '-CaCertificate ca.pem')}. -SkipCertificateCheck would accept any certificate, including an attacker's.`;
  }
  if (code && HOSTNAME.has(code)) {
    return `The server's certificate does not name ${c.server}: set -Server to a name the certificate carries (see its subject and alternative names), not an IP address or alias.`;
  }
  if (code && EXPIRED.has(code)) {
    return code === 'CERT_HAS_EXPIRED'
      ? `The server's certificate has expired: renew it on ${c.server} (and check this host's clock).`
      : `The server's certificate is not valid yet: check the clocks of this host and of ${c.server}.`;
  }
  if (code && TLS_VERSION.has(code)) {
    return `The server and herald share no TLS version or cipher (herald requires ${c.minTlsVersion} or later): update the server's TLS configuration, or lower ${setCmd(c, '-MinTlsVersion')} only if the server cannot do better.`;
  }
  if (step === 'tls' && responseCode && responseCode >= 400) {
    return `The server refused STARTTLS (${firstLine(response)}): its TLS setup is broken or it allows no TLS on port ${c.port}; if the port expects implicit TLS use ${setCmd(c, '-TlsMode Implicit')}.`;
  }
  if (step === 'tls' && (code === 'ECONNRESET' || code === 'ECONNECTION')) {
    return c.tlsMode === 'Implicit'
      ? `The server closed the connection during the TLS handshake: port ${c.port} may expect plain SMTP (then ${setCmd(c, '-TlsMode StartTls')}), or it accepts no TLS version herald allows (${c.minTlsVersion} or later).`
      : `The server closed the connection during the TLS handshake: it may accept no TLS version herald allows (${c.minTlsVersion} or later).`;
  }

  // SMTP replies.
  if (step === 'connect' && responseCode && responseCode >= 500) {
    return `The server refuses sessions from this host (${firstLine(response)}): ask its administrator to allow this host's address, or check -Server.`;
  }
  if (responseCode === 530 && /STARTTLS/i.test(response)) {
    return `The server accepts this only over TLS: use ${setCmd(c, '-TlsMode StartTls')}.`;
  }
  if (responseCode === 538) return `The server accepts authentication only over TLS: use ${setCmd(c, '-TlsMode StartTls')}.`;
  if (code === 'AUTH_NOT_OFFERED') {
    return `The server does not offer authentication on this session${c.tlsMode === 'None' || c.tlsMode === 'Opportunistic' ? '; many servers offer AUTH only after STARTTLS: use ' + setCmd(c, '-TlsMode StartTls') : ''}. If the server relays for this host without a login, use -Authentication Default.`;
  }
  if (code === 'XOAUTH2_NOT_OFFERED') {
    return `The server does not offer OAuth2 (XOAUTH2) logins${isExchangeOnline(c) ? '' : ': use -Authentication Basic, or a server that supports OAuth2'}. Exchange Online offers it at smtp.office365.com:587 with ${setCmd(c, '-TlsMode StartTls')}.`;
  }
  if (enhanced === '5.7.30' || /basic authentication is not supported/i.test(response)) {
    return `Exchange Online no longer accepts basic authentication (user name and password) for SMTP: switch to OAuth2, e.g. ${setCmd(c, '-Authentication OAuth2 -Provider ExchangeOnline -OAuthFlow ClientCredentials -TokenEndpoint https://login.microsoftonline.com/<tenant>/oauth2/v2.0/token -ClientId <app id> -ClientSecret (Read-Host -AsSecureString) -Scope https://outlook.office365.com/.default')}.`;
  }
  if (/SmtpClientAuthentication is disabled/i.test(response) || enhanced === '5.7.139') {
    return `SMTP AUTH is turned off in Exchange Online: enable it for the mailbox with Set-CASMailbox -Identity ${mailboxOf(c)} -SmtpClientAuthenticationDisabled $false (and for the tenant with Set-TransportConfig -SmtpClientAuthenticationDisabled $false if it is off there).`;
  }
  if (step === 'auth' && (responseCode === 504 || responseCode === 502)) {
    return `The server does not support the login mechanism herald chose (${firstLine(response)}): check which AUTH mechanisms the ehlo step lists.`;
  }
  if (responseCode === 535 || responseCode === 534 || (step === 'auth' && responseCode && responseCode >= 500)) return authRemedy(c, response);
  if (enhanced === '5.7.57' || (responseCode === 530 && /authenticat/i.test(response))) {
    return `The server only accepts mail from authenticated clients: set -Authentication Basic with -Credential, or OAuth2${isExchangeOnline(c) ? ' (Exchange Online accepts only authenticated submission at smtp.office365.com; an unauthenticated relay needs a connector at <domain>.mail.protection.outlook.com:25)' : ''}.`;
  }
  if (enhanced === '5.7.60' || /send as this sender|not have permissions to send as/i.test(response)) {
    return `The account herald signs in as may not send as ${mailboxOf(c)}: set -From to that account's own address, or grant it Send As (Exchange: Add-RecipientPermission -Identity ${mailboxOf(c)} -Trustee <account> -AccessRights SendAs).`;
  }
  if (step === 'mail' && responseCode && responseCode >= 500) {
    return `The server refused the sender ${mailboxOf(c)}: set -From to an address the server lets this account (or this host) send as.`;
  }
  if (step === 'rcpt' && responseCode && responseCode >= 500) {
    if (/relay/i.test(response) || enhanced === '5.7.1' || enhanced === '5.7.54') {
      return 'The server does not relay to this recipient\'s domain for this client: authenticate (-Authentication Basic or OAuth2), or have the server allow relaying from this host.';
    }
    return 'The server refused the recipient: check the address (a relay may also refuse domains it does not handle, or accept external ones only after authentication).';
  }
  if (step === 'data' && (responseCode === 552 || enhanced === '5.3.4')) return 'The server refused the message as too large.';
  if (step === 'data' && responseCode && responseCode >= 500) {
    return 'The server refused the message after receiving it (content or policy filter): check the server\'s log for the reason.';
  }
  if (responseCode && responseCode >= 400 && responseCode < 500) {
    return `The server refused for now (${firstLine(response)}): try again later. Repeated 4xx replies come from rate limits (Exchange Online allows 30 mails a minute), greylisting or an overloaded server; use -RateLimitPerMinute if it is a limit.`;
  }
  if (TIMEOUTS.has(code ?? '')) {
    return `The server stopped answering during ${step}: check the server's load and anything between this host and ${c.server} (proxies, antivirus scanning SMTP).`;
  }
  if (code === 'ECONNRESET' || code === 'ECONNECTION') {
    return `The server closed the connection during ${step}: it may refuse this host's address (an access list), or drop clients it considers abusive; its log says why.`;
  }
  return null;
}

function tokenRemedy(failure: ProbeFailure, code: string | undefined): string | null {
  const c = failure.config;
  const endpoint = c.auth.kind === 'oauth2' ? c.auth.tokenEndpoint : '';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'ECONNREFUSED' || code === 'ETIMEDOUT' || code === 'ECONNRESET' || code === 'UND_ERR_CONNECT_TIMEOUT') {
    return `The token endpoint ${endpoint} cannot be reached: check -TokenEndpoint and that this host may reach it over HTTPS (proxy, firewall).`;
  }
  if (code && (UNTRUSTED.has(code) || HOSTNAME.has(code))) {
    return `The token endpoint's certificate is not trusted (${code}): check -TokenEndpoint, or a TLS-inspecting proxy between this host and it.`;
  }
  if (/invalid_scope/i.test(failure.response ?? '')) return `The scope is not valid: ${scopeAdvice(c)}`;
  if (/invalid_client/i.test(failure.response ?? '')) return 'The token endpoint refused the client: check -ClientId and -ClientSecret.';
  return `Getting a token failed: check -TokenEndpoint, -ClientId, -ClientSecret and -Scope${c.auth.kind === 'oauth2' && c.auth.flow === 'Password' ? ', and the password flow\'s -Credential' : ''}.`;
}

function greetingTimeout(failure: ProbeFailure): string {
  const c = failure.config;
  if (c.tlsMode === 'Implicit') {
    return `The TLS handshake with ${c.server}:${c.port} succeeded but no SMTP greeting followed: the port may serve something other than SMTP, or the server is overloaded.`;
  }
  if (failure.implicitTlsAnswered || c.port === 465) {
    return `Port ${c.port} expects implicit TLS (the server waits for a TLS handshake, not for SMTP in plain text): use ${setCmd(c, c.port === 465 ? '-SslEnabled' : '-TlsMode Implicit')}${c.port === 465 ? ' or -TlsMode Implicit' : ''}.`;
  }
  return `${c.server}:${c.port} accepted the connection but sent no SMTP greeting: the port may expect implicit TLS (then ${setCmd(c, '-TlsMode Implicit')}, usually port 465), or a firewall, proxy or antivirus accepts connections without an SMTP server behind them.`;
}

function authRemedy(c: SmtpConfig, response: string): string {
  const generic = c.auth.kind === 'oauth2'
    ? 'The server refused the OAuth2 token.'
    : `The server refused the user name or password: check them with ${setCmd(c, '-Credential (Get-Credential)')}.`;
  if (!isExchangeOnline(c) && c.auth.kind !== 'oauth2') return generic;
  const hints: string[] = [];
  const mailbox = mailboxOf(c);
  hints.push(`SMTP AUTH may be turned off for the mailbox: Set-CASMailbox -Identity ${mailbox} -SmtpClientAuthenticationDisabled $false (for the whole tenant: Set-TransportConfig -SmtpClientAuthenticationDisabled $false).`);
  if (c.auth.kind === 'oauth2') {
    const wrongScope = /graph\.microsoft\.com/i.test(c.auth.scope) || (/5\.7\.3\b/.test(response) && !/outlook\.office(365)?\.com/i.test(c.auth.scope));
    if (wrongScope) hints.unshift(`The token is for the wrong API (-Scope ${c.auth.scope || '(none)'}): ${scopeAdvice(c)}`);
    else hints.push(`The token must be for Exchange Online: ${scopeAdvice(c)}`);
    if (c.auth.flow === 'ClientCredentials') {
      hints.push(`An app-only token needs the application registered as a service principal in Exchange Online: New-ServicePrincipal -AppId ${clientId(c)} -ObjectId <object ID of the enterprise application>.`);
      hints.push(`And the service principal needs rights on the mailbox: Add-MailboxPermission -Identity ${mailbox} -User <service principal ID> -AccessRights FullAccess; the app needs the SMTP.SendAsApp application permission with admin consent.`);
    }
  } else {
    hints.push('Exchange Online turns basic authentication off (Security defaults, mandatory MFA): use OAuth2 (-Authentication OAuth2 -Provider ExchangeOnline).');
  }
  return [generic, ...hints].join(' ');
}

function scopeAdvice(c: SmtpConfig): string {
  const flow = c.auth.kind === 'oauth2' ? c.auth.flow : 'ClientCredentials';
  if (c.auth.kind === 'oauth2' && c.auth.provider === 'Office365Graph') return `for Graph use ${setCmd(c, '-Scope https://graph.microsoft.com/.default')}.`;
  return flow === 'ClientCredentials'
    ? `for app-only SMTP use ${setCmd(c, '-Scope https://outlook.office365.com/.default')} (a Microsoft Graph token is refused by SMTP).`
    : `for the password flow use ${setCmd(c, '-Scope https://outlook.office.com/SMTP.Send')} (a Microsoft Graph token is refused by SMTP).`;
}

function mfa(c: SmtpConfig): string {
  return `The account must use multifactor authentication, which the password flow cannot do: use app-only OAuth2, ${setCmd(c, '-OAuthFlow ClientCredentials -Scope https://outlook.office365.com/.default')} (with the SMTP.SendAsApp permission).`;
}

/** Office 365 / Exchange Online, by host name or by the configured provider. */
export function isExchangeOnline(c: SmtpConfig): boolean {
  if (c.auth.kind === 'oauth2' && c.auth.provider !== 'Generic') return true;
  return /(^|\.)(office365\.com|outlook\.com|office\.com)$/i.test(c.server);
}

/** A Set-SmtpServer command line for this store, so a remedy can be pasted as is. */
function setCmd(c: SmtpConfig, params: string): string {
  const store = /^[\w.-]+$/.test(c.storeName) ? c.storeName : `'${c.storeName.replace(/'/g, "''")}'`;
  return `Set-SmtpServer -IdentityStore ${store} ${params}`;
}

function mailboxOf(c: SmtpConfig): string {
  return addressOf(c.from);
}

function clientId(c: SmtpConfig): string {
  return c.auth.kind === 'oauth2' && c.auth.clientId ? c.auth.clientId : '<client id>';
}

function replyCode(response: string): number | undefined {
  const match = /^(\d{3})[ -]/.exec(response);
  return match ? Number(match[1]) : undefined;
}

function firstLine(response: string): string {
  return response.split(/\r?\n/)[0];
}
