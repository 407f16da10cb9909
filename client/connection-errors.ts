import { HeraldError, SUBPROTOCOL } from '../protocol/index.js';

/** The daemon's answer when it refused the upgrade. */
export interface Refusal {
  status: number;
  headers: Record<string, string | string[] | undefined>;
}

/** Node's codes for a certificate chain it cannot trust, or a certificate for another name. */
const UNTRUSTED_CERTIFICATE = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'SELF_SIGNED_CERT_IN_CHAIN', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'CERT_UNTRUSTED', 'CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID', 'CERT_REVOKED', 'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/**
 * Turns a failed WebSocket opening into an error that says what went wrong and what to do:
 * each cause its own error name, so scripts can tell them apart.
 */
export function openingError(url: string, error: NodeJS.ErrnoException | undefined, refusal?: Refusal): HeraldError {
  const status = refusal?.status;
  if (status === 401) {
    if (/token expired/.test(String(refusal!.headers['www-authenticate'] ?? ''))) {
      return new HeraldError('TokenExpired', `the daemon at ${url} refused the token: it has expired`, {
        remedy: 'ask an administrator for a new token (New-ApiToken), then update -Token, HERALD_TOKEN or the profile (Save-DaemonProfile)',
      });
    }
    return new HeraldError('Unauthenticated', `the daemon at ${url} refused the token`, {
      remedy: 'check -Token / HERALD_TOKEN / the profile, or, for the local daemon, the token file in its state directory',
    });
  }
  if (status === 403) {
    return new HeraldError('AccessDenied', `the daemon at ${url} refused the connection (origin or host not allowed)`, {
      remedy: 'connect without an Origin header and by the daemon\'s own address, or start the daemon with --allow-origin',
    });
  }
  if (status === 429) {
    const retryAfter = refusal!.headers['retry-after'];
    return new HeraldError('RateLimited', `the daemon at ${url} refused the connection: too many connections or refused tokens${retryAfter ? `; retry in ${retryAfter} s` : ''}`, {
      retryAfterSeconds: retryAfter === undefined ? undefined : Number(retryAfter),
      remedy: 'close idle connections, or wait and check the token',
    });
  }
  if (status !== undefined) {
    return new HeraldError('DaemonUnreachable', `${url} answered HTTP ${status}: is it a herald daemon?`);
  }
  const code = error?.code;
  if (code !== undefined && UNTRUSTED_CERTIFICATE.has(code)) {
    const otherName = code === 'ERR_TLS_CERT_ALTNAME_INVALID';
    return new HeraldError('CertificateUntrusted', `the certificate of ${url} is not trusted: ${otherName ? 'it names another host' : error!.message}`, {
      tlsCode: code,
      remedy: otherName
        ? 'connect by a name the certificate carries (see its subjectAltName)'
        : 'give the CA that signed it with -CaCertificate <ca.pem> (or NODE_EXTRA_CA_CERTS), or fix the server\'s chain',
    });
  }
  if (/subprotocol/i.test(error?.message ?? '')) {
    return new HeraldError('ProtocolMismatch', `${url} does not speak ${SUBPROTOCOL}: it is a herald daemon of another major version, or not herald`, {
      remedy: 'use a shell or client of the daemon\'s version',
    });
  }
  if (code === 'ECONNREFUSED') {
    return new HeraldError('DaemonUnreachable', `connection refused: no daemon listens at ${url}`, { remedy: 'check the address and port, and start it with `npm run daemon` (or `heraldd`)' });
  }
  if (code === 'ENOENT') {
    return new HeraldError('DaemonUnreachable', `no daemon at ${url}`, { remedy: 'start it with `npm run daemon` (or `heraldd`)' });
  }
  if (code === 'EACCES') {
    return new HeraldError('DaemonUnreachable', `no permission to open ${url}`, { remedy: 'run the shell as the user who runs the daemon' });
  }
  if (code === 'ETIMEDOUT' || /timed out/i.test(error?.message ?? '')) {
    return new HeraldError('DaemonUnreachable', `${url} did not answer in time`, { remedy: 'check the address and that the daemon is running' });
  }
  if (code === 'ECONNRESET' || code === 'EPROTO' || /wrong version number|packet length too long/i.test(error?.message ?? '')) {
    return new HeraldError('DaemonUnreachable', `cannot reach ${url}: ${error?.message ?? code} (ws:// to a wss:// listener, or the reverse?)`, {
      remedy: 'use wss:// for a daemon started with --listen and --tls-cert, ws:// for --insecure-listen',
    });
  }
  return new HeraldError('DaemonUnreachable', `cannot reach ${url}: ${error?.message ?? 'unknown error'}`);
}
