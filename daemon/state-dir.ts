import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { STATE_FILES } from '../protocol/index.js';

export interface StatePaths {
  dir: string;
  database: string;
  socket: string;
  token: string;
  log: string;
}

export function statePaths(dir: string): StatePaths {
  return {
    dir,
    database: join(dir, STATE_FILES.database),
    socket: join(dir, STATE_FILES.socket),
    token: join(dir, STATE_FILES.token),
    log: join(dir, STATE_FILES.log),
  };
}

/** Creates the state directory private to its owner, whatever the umask. */
export function prepareStateDir(dir: string): StatePaths {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  if ((statSync(dir).mode & 0o077) !== 0) chmodSync(dir, 0o700);
  return statePaths(dir);
}

/** Reads the local access token, creating a random one on first start. */
export function loadOrCreateToken(path: string): string {
  try {
    const token = readFileSync(path, 'utf8').trim();
    if (token) {
      chmodSync(path, 0o600);
      return token;
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  // Prefixed as API tokens are: a bare base64url token may begin with '-', which a shell (herald's
  // or PowerShell) reads as a parameter name in `-Token <value>`.
  const token = `herald_${randomBytes(32).toString('base64url')}`;
  writeFileSync(path, token + '\n', { mode: 0o600 });
  return token;
}
