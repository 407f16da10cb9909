import { spawn } from 'node:child_process';
import { mkdirSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { STATE_FILES } from '../protocol/index.js';

// The daemon's entry point beside the shell's in the installed package; started, never imported.
const DAEMON_ENTRY = fileURLToPath(new URL('../daemon/main.js', import.meta.url));

/**
 * Starts a daemon for this state directory in the background, detached so that it outlives
 * the shell; its stderr goes to a file beside its log in case it dies before it can log.
 */
export function launchDaemon(stateDir: string): number {
  mkdirSync(stateDir, { recursive: true, mode: 0o700 });
  const stderr = openSync(join(stateDir, 'heraldd.stderr'), 'a', 0o600);
  const child = spawn(process.execPath, [DAEMON_ENTRY, '--state-dir', stateDir], {
    detached: true,
    stdio: ['ignore', 'ignore', stderr],
  });
  child.unref();
  return child.pid ?? 0;
}

export function socketPathOf(stateDir: string): string {
  return join(stateDir, STATE_FILES.socket);
}
