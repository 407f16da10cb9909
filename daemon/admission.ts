import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { presentedToken, type Authenticator, type TokenHolder } from './authentication.js';
import { FailedAuthentications, type ConnectionLimits } from './limits.js';
import type { Logger } from './logger.js';

/**
 * How a listener admits connections. Only its owner can open the Unix socket (mode 0600), so the
 * limits, which hold back other machines, apply to TCP listeners alone.
 */
export interface Door {
  /** The Host header must name loopback: a DNS-rebinding page is refused. */
  checkHost: boolean;
  limited: boolean;
}

export interface AdmissionOptions {
  authenticate: Authenticator;
  limits: ConnectionLimits;
  allowOrigins: string[];
  /** How many connections the holder with this key has open now. */
  openConnections: (holderKey: string) => number;
  log: Logger;
}

/**
 * Decides whether an upgrade request becomes a connection: the holder of its token when it does;
 * otherwise the request has been answered with the refusal, and undefined is returned.
 */
export type Admit = (door: Door, request: IncomingMessage, socket: Duplex) => Promise<TokenHolder | undefined>;

/** An HTTP answer that ends an upgrade request. */
interface Refusal {
  status: number;
  reason: string;
  headers?: string;
}

const LOOPBACK_HOST_HEADER = /^(localhost|127\.0\.0\.1|\[::1\])(:\d+)?$/i;

/** Clients tell a wrong token from an expired one by the RFC 6750 error description. */
const BAD_TOKEN = 'WWW-Authenticate: Bearer realm="herald", error="invalid_token", error_description="unknown token"\r\n';
const EXPIRED_TOKEN = 'WWW-Authenticate: Bearer realm="herald", error="invalid_token", error_description="token expired"\r\n';

const isRefusal = (decision: TokenHolder | Refusal): decision is Refusal => 'status' in decision;

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function refuse(socket: Duplex, status: number, reason: string, extraHeaders = ''): void {
  if (socket.destroyed) return;
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Type: text/plain\r\n${extraHeaders}Content-Length: ${Buffer.byteLength(reason)}\r\n\r\n${reason}`);
  socket.destroy();
}

/**
 * The checks every upgrade passes, in order: Origin, Host, the source's lockout, the token, and
 * the token's connection cap. Failed authentications are counted per source address.
 */
export function createAdmission(options: AdmissionOptions): Admit {
  const { limits, log } = options;
  const failedAuthentications = new FailedAuthentications(limits, Date.now);

  /** Browsers send Origin: only an allow-listed page may open a connection. */
  const checkOrigin = (request: IncomingMessage): Refusal | undefined => {
    const origin = request.headers.origin;
    if (origin === undefined || options.allowOrigins.includes(origin)) return undefined;
    log.warn('upgrade refused: origin not allowed', { origin });
    return { status: 403, reason: 'Forbidden: origin not allowed' };
  };

  const checkHost = (door: Door, request: IncomingMessage): Refusal | undefined => {
    if (!door.checkHost || LOOPBACK_HOST_HEADER.test(request.headers.host ?? '')) return undefined;
    log.warn('upgrade refused: unexpected Host header', { host: request.headers.host });
    return { status: 403, reason: 'Forbidden: unexpected Host header' };
  };

  /** A source that presented too many bad tokens is refused without looking at its token. */
  const checkLockout = (door: Door, remote: string): Refusal | undefined => {
    const lockedFor = door.limited ? failedAuthentications.lockedFor(remote) : 0;
    if (lockedFor <= 0) return undefined;
    const seconds = Math.ceil(lockedFor / 1000);
    log.warn('upgrade refused: too many failed authentications', { remote, seconds });
    return { status: 429, reason: `Too Many Requests: too many refused tokens from ${remote}; retry in ${seconds} s`, headers: `Retry-After: ${seconds}\r\n` };
  };

  const authenticate = async (door: Door, request: IncomingMessage, remote: string): Promise<TokenHolder | Refusal> => {
    const token = presentedToken(request);
    const authentication = token === undefined ? { outcome: 'refused' as const } : options.authenticate(token);
    if (authentication.outcome === 'expired') {
      log.warn('upgrade refused: expired token', { remote, holder: authentication.name });
      return { status: 401, reason: `Unauthorized: token '${authentication.name}' has expired`, headers: EXPIRED_TOKEN };
    }
    if (authentication.outcome === 'refused') {
      const wait = door.limited ? failedAuthentications.fail(remote) : 0;
      log.warn('upgrade refused: bad or missing token', { remote, failures: failedAuthentications.failures(remote) });
      // Guessing is slowed down: the refusal itself is what waits.
      if (wait > 0) await delay(wait);
      return { status: 401, reason: 'Unauthorized', headers: BAD_TOKEN };
    }
    return authentication.holder;
  };

  const checkConnectionCap = (door: Door, holder: TokenHolder): Refusal | undefined => {
    const open = options.openConnections(holder.key);
    if (!door.limited || open < limits.connectionsPerToken) return undefined;
    log.warn('upgrade refused: too many connections for one token', { holder: holder.name, open });
    return { status: 429, reason: `Too Many Requests: token '${holder.name}' already has ${open} connections open (the limit)`, headers: 'Retry-After: 1\r\n' };
  };

  const decide = async (door: Door, request: IncomingMessage): Promise<TokenHolder | Refusal> => {
    const remote = request.socket.remoteAddress ?? 'unix';
    const early = checkOrigin(request) ?? checkHost(door, request) ?? checkLockout(door, remote);
    if (early) return early;
    const holder = await authenticate(door, request, remote);
    if (isRefusal(holder)) return holder;
    return checkConnectionCap(door, holder) ?? holder;
  };

  return async (door, request, socket) => {
    const decision = await decide(door, request);
    if (!isRefusal(decision)) return decision;
    refuse(socket, decision.status, decision.reason, decision.headers);
    return undefined;
  };
}
