import { join } from 'node:path';

/**
 * Where the daemon keeps its files, and where the shell looks for them. A pure function of
 * the environment so that both sides agree without talking.
 */
export function resolveStateDir(env: NodeJS.ProcessEnv, home: string, explicit?: string): string {
  if (explicit) return explicit;
  if (env.HERALD_STATE_DIR) return env.HERALD_STATE_DIR;
  const stateHome = env.XDG_STATE_HOME || join(home, '.local', 'state');
  return join(stateHome, 'herald');
}

export const STATE_FILES = {
  database: 'herald.db',
  socket: 'herald.sock',
  token: 'token',
  log: 'herald.log',
  history: 'history',
} as const;
