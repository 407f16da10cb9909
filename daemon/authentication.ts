import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { TOKEN_SUBPROTOCOL_PREFIX } from '../protocol/index.js';
import type { Role } from './context.js';
import type { Db } from './database.js';
import { prepared } from './sql.js';

const digest = (text: string) => createHash('sha256').update(text).digest();

/**
 * Compares in constant time: hashing first makes both sides the same length, so neither the
 * content nor the length of the real token leaks through timing.
 */
export function tokensMatch(presented: string, expected: string): boolean {
  return timingSafeEqual(digest(presented), digest(expected));
}

/** The token from `Authorization: Bearer …`, else from a `bearer.…` WebSocket subprotocol entry. */
export function presentedToken(request: IncomingMessage): string | undefined {
  const authorization = request.headers.authorization;
  if (authorization) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    return match?.[1];
  }
  const protocols = request.headers['sec-websocket-protocol'];
  if (typeof protocols === 'string') {
    const entry = protocols.split(',').map((p) => p.trim()).find((p) => p.startsWith(TOKEN_SUBPROTOCOL_PREFIX));
    return entry?.slice(TOKEN_SUBPROTOCOL_PREFIX.length);
  }
  return undefined;
}

/** What the database keeps of an API token: its SHA-256, never the token. */
export function tokenHash(token: string): string {
  return digest(token).toString('hex');
}

/** Who a connection is, fixed at the upgrade. `key` groups the connections of one token. */
export interface TokenHolder {
  key: string;
  tokenId?: number;
  name: string;
  role: Role;
  /** When an API token stops working (ms since the epoch); open connections included. */
  expiresAt?: number;
}

export type Authentication =
  | { outcome: 'accepted'; holder: TokenHolder }
  | { outcome: 'expired'; name: string }
  | { outcome: 'refused' };

export const LOCAL_ADMINISTRATOR: TokenHolder = { key: 'local', name: 'local administrator', role: 'Administrator' };

interface TokenRow { id: number; name: string; role: Role; hash: string; expires_at: string | null }

/** Checks a presented token: the local token file's, else a named API token that has not expired. */
export function createAuthenticator(db: Db, localToken: string, clock: () => Date) {
  return (presented: string): Authentication => {
    if (tokensMatch(presented, localToken)) return { outcome: 'accepted', holder: LOCAL_ADMINISTRATOR };
    const hash = tokenHash(presented);
    // The lookup is by a hash of a 256-bit random secret: its timing tells nothing usable.
    const row = prepared(db, 'SELECT id, name, role, hash, expires_at FROM api_token WHERE hash = ?').get(hash) as TokenRow | undefined;
    if (!row || !timingSafeEqual(Buffer.from(row.hash), Buffer.from(hash))) return { outcome: 'refused' };
    const now = clock();
    if (row.expires_at !== null && Date.parse(row.expires_at) <= now.getTime()) return { outcome: 'expired', name: row.name };
    prepared(db, 'UPDATE api_token SET last_used_at = ? WHERE id = ?').run(now.toISOString(), row.id);
    const expiresAt = row.expires_at === null ? undefined : Date.parse(row.expires_at);
    return { outcome: 'accepted', holder: { key: `token:${row.id}`, tokenId: row.id, name: row.name, role: row.role, expiresAt } };
  };
}

export type Authenticator = ReturnType<typeof createAuthenticator>;
