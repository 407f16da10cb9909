import type Database from 'better-sqlite3';
import type { Db } from './database.js';

/**
 * The key names are compared by. SQLite's NOCASE folds only A-Z, so names are folded here,
 * for every script: upper then lower maps ß and SS, Ä and ä alike.
 */
export function foldName(name: string): string {
  return name.normalize('NFC').toUpperCase().toLowerCase();
}

/** `c*` -> `c%` for LIKE … ESCAPE '\' over folded keys; the name's own % and _ are matched literally. */
export function wildcardToLike(pattern: string): string {
  return foldName(pattern).replace(/[\\%_]/g, (c) => '\\' + c).replace(/\*/g, '%').replace(/\?/g, '_');
}

/** True for SQLite constraint violations of the given kind (UNIQUE, FOREIGNKEY, CHECK, …). */
export function isSqliteConstraint(error: unknown, kind: string): boolean {
  const code = (error as { code?: unknown })?.code;
  return typeof code === 'string' && code === `SQLITE_CONSTRAINT_${kind}`;
}

type Statement = Database.Statement<unknown[], unknown>;
const statements = new WeakMap<Db, Map<string, Statement>>();

/** A prepared statement, compiled once per database: preparing on every call costs more than running. */
export function prepared(db: Db, sql: string): Statement {
  let cache = statements.get(db);
  if (!cache) statements.set(db, (cache = new Map()));
  let statement = cache.get(sql);
  if (!statement) cache.set(sql, (statement = db.prepare(sql)));
  return statement;
}
