import type { PeerCertificate, TLSSocket } from 'node:tls';
import type { TlsReport } from '../../protocol/settings/test-report.js';

/**
 * What the SMTP probe reads off a session: the TLS details, the EHLO capabilities, the queue id
 * in a DATA reply, and the text of errors. Pure functions over what the socket and server said.
 */

/** What nodemailer and node:net/tls put on their errors; all optional, read defensively. */
export interface WireError {
  message?: string;
  code?: string;
  /** nodemailer replaces a system code (ECONNRESET, ERR_SSL_…) by its own and keeps the original here. */
  originalCode?: string;
  /** nodemailer's ETIMEDOUT says which timer fired: CONNECT_TIMEOUT, GREETING_TIMEOUT, … */
  timeoutType?: string;
  /** OpenSSL's short reason ("wrong version number"); its message is a long internal string. */
  reason?: string;
  response?: string;
  responseCode?: number;
  command?: string;
}

export function tlsReportOf(socket: TLSSocket): TlsReport {
  const cert = socket.getPeerCertificate();
  const cipher = socket.getCipher();
  const hasCert = cert && Object.keys(cert).length > 0;
  const authError = socket.authorizationError as unknown;
  const verifyError = socket.authorized ? null
    : typeof authError === 'string' ? authError
      : authError instanceof Error ? ((authError as WireError).code ?? authError.message) : 'not verified';
  return {
    protocol: socket.getProtocol(),
    cipher: cipher ? (cipher.standardName ?? cipher.name) : null,
    subject: hasCert ? distinguishedName(cert.subject) : null,
    issuer: hasCert ? distinguishedName(cert.issuer) : null,
    validTo: hasCert && cert.valid_to ? isoDate(cert.valid_to) : null,
    verified: socket.authorized,
    verifyError,
  };
}

/** `CN=mail.example.com, O=Example` from node's certificate subject object. */
function distinguishedName(name: PeerCertificate['subject'] | undefined): string | null {
  if (!name) return null;
  const parts = Object.entries(name).flatMap(([key, value]) => (Array.isArray(value) ? value : [value]).map((v) => `${key}=${v}`));
  return parts.length ? parts.join(', ') : null;
}

/** The certificate's names, worth seeing when it does not match -Server. */
export function altNames(socket: TLSSocket): string {
  const names = socket.getPeerCertificate().subjectaltname;
  return names ? ` (names: ${names})` : '';
}

function isoDate(text: string): string {
  const date = new Date(text);
  return Number.isNaN(date.getTime()) ? text : date.toISOString();
}

/** The announced extensions, one per entry, without the reply codes or the greeting line. */
export function capabilitiesOf(ehloReply: string): string[] {
  return ehloReply.split(/\r?\n/).slice(1).map((line) => line.replace(/^\d{3}[ -]/, '').trim()).filter(Boolean);
}

/** SASL mechanisms from `AUTH PLAIN LOGIN` (or the old `AUTH=PLAIN LOGIN`). */
export function authMechanisms(capabilities: string[]): string[] {
  return capabilities.flatMap((c) => {
    const match = /^AUTH[ =](.*)$/i.exec(c);
    return match ? match[1].split(/[\s=]+/).filter(Boolean).map((m) => m.toUpperCase()) : [];
  });
}

/**
 * The server's queue id from its final reply, where the common servers put it:
 * Postfix `250 2.0.0 Ok: queued as 4F2A1`, Exim `250 OK id=1uA2b3-0004Xy-7Z`,
 * Exchange `250 2.6.0 <…> [InternalId=123, Hostname=…] Queued mail for delivery`,
 * Exchange Online `250 2.0.0 OK <…@….prod.outlook.com> [Hostname=…]`,
 * sendmail `250 2.0.0 5BAB1cA3 Message accepted for delivery`.
 */
export function queueIdOf(reply: string): string | null {
  const patterns = [
    /queued as\s+([A-Za-z0-9][\w.@:-]*)/i,
    /\bid=([\w.-]+)/i,
    /\[InternalId=([^,\]\s]+)/i,
    /^250[ -](?:\d\.\d\.\d+\s+)?OK\s+(<[^<>\s]+>)\s*\[/i,
    /^250[ -](?:\d\.\d\.\d+\s+)?([\w.-]+)\s+Message accepted for delivery/i,
  ];
  for (const pattern of patterns) {
    const match = pattern.exec(reply);
    if (match) return match[1];
  }
  return null;
}

/** The most specific code on an error: the timer that fired, else the system code nodemailer replaced. */
export function codeOf(err: WireError | null | undefined): string | undefined {
  if (!err) return undefined;
  return err.timeoutType ?? err.originalCode ?? err.code;
}

export function describe(err: WireError | null | undefined): string {
  if (!err) return 'no reply';
  const code = codeOf(err);
  const text = err.reason ?? (err.message ?? 'failed').replace(/^(Error initiating TLS - )/, '');
  return code && !text.includes(code) ? `${text} (${code})` : text;
}

export function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export function replyCode(reply: string): number | undefined {
  const match = /^(\d{3})[ -]/.exec(reply);
  return match ? Number(match[1]) : undefined;
}

export function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}

export function seconds(ms: number): string {
  return `${ms / 1000} s`;
}

export function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(Object.assign(new Error(message), { code: 'ETIMEDOUT' })), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
