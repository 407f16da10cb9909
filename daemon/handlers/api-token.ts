import { randomBytes } from 'node:crypto';
import { HeraldError, type ApiToken } from '../../protocol/index.js';
import { tokenHash } from '../authentication.js';
import type { Handler, Services } from '../context.js';
import { foldName, isSqliteConstraint, prepared, wildcardToLike } from '../sql.js';

interface TokenRow {
  id: number;
  name: string;
  role: ApiToken['role'];
  created_at: string;
  expires_at: string | null;
  last_used_at: string | null;
}

const SELECT = 'SELECT id, name, role, created_at, expires_at, last_used_at FROM api_token';

function toApiToken(row: TokenRow): ApiToken {
  return { name: row.name, role: row.role, createdAt: row.created_at, expiresAt: row.expires_at, lastUsedAt: row.last_used_at };
}

export function apiTokenHandlers({ db, clock, log, runtime }: Services) {
  const create: Handler<'apiToken.create'> = ({ name, role, expiresInDays }) => {
    // The prefix lets secret scanners recognise a leaked token; 32 random bytes make it unguessable.
    const token = `herald_${randomBytes(32).toString('base64url')}`;
    const now = clock();
    const expiresAt = expiresInDays === undefined ? null : new Date(now.getTime() + expiresInDays * 86_400_000).toISOString();
    try {
      prepared(db, 'INSERT INTO api_token (name, name_key, role, hash, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)')
        .run(name, foldName(name), role, tokenHash(token), now.toISOString(), expiresAt);
    } catch (error) {
      if (isSqliteConstraint(error, 'UNIQUE')) throw new HeraldError('Conflict', `an API token named '${name}' already exists`, { field: 'name', remedy: 'choose another name, or Remove-ApiToken the old one first' });
      throw error;
    }
    log.info('API token created', { name, role, expiresAt });
    return { name, role, createdAt: now.toISOString(), expiresAt, lastUsedAt: null, token };
  };

  const get: Handler<'apiToken.get'> = ({ name }) => {
    if (name === undefined) return (prepared(db, `${SELECT} ORDER BY name_key`).all() as TokenRow[]).map(toApiToken);
    const rows = prepared(db, `${SELECT} WHERE name_key LIKE ? ESCAPE '\\' ORDER BY name_key`).all(wildcardToLike(name)) as TokenRow[];
    if (rows.length === 0 && !/[*?]/.test(name)) throw new HeraldError('NotFound', `no API token is named '${name}'`, { field: 'name' });
    return rows.map(toApiToken);
  };

  const remove: Handler<'apiToken.remove'> = ({ name }) => {
    const row = prepared(db, 'DELETE FROM api_token WHERE name_key = ? RETURNING id').get(foldName(name)) as { id: number } | undefined;
    if (!row) throw new HeraldError('NotFound', `no API token is named '${name}'`, { field: 'name', remedy: 'Get-ApiToken lists the tokens' });
    log.info('API token removed', { name });
    runtime.closeTokenConnections?.(row.id);
    return null;
  };

  return { 'apiToken.create': create, 'apiToken.get': get, 'apiToken.remove': remove };
}
