/** `c*` -> `c%` for LIKE … ESCAPE '\'; the name's own % and _ are matched literally. */
export function wildcardToLike(pattern: string): string {
  return pattern.replace(/[\\%_]/g, (c) => '\\' + c).replace(/\*/g, '%').replace(/\?/g, '_');
}

/** True for SQLite constraint violations of the given kind (UNIQUE, FOREIGNKEY, CHECK, …). */
export function isSqliteConstraint(error: unknown, kind: string): boolean {
  const code = (error as { code?: unknown })?.code;
  return typeof code === 'string' && code === `SQLITE_CONSTRAINT_${kind}`;
}
