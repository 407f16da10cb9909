import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, type HeraldClient } from '../../client/index.js';

export const ROOT = new URL('../../', import.meta.url).pathname;
export const DAEMON = join(ROOT, 'dist/daemon/main.js');
export const SHELL = join(ROOT, 'dist/shell/main.js');

export interface TestDaemon {
  stateDir: string;
  token: string;
  process: ChildProcess;
  /** `ws://127.0.0.1:PORT` when started with TCP. */
  tcpUrl?: string;
  socketUrl: string;
  stderr(): string;
  client(): Promise<HeraldClient>;
  /** SIGTERM, then the exit code. */
  stop(): Promise<number | null>;
}

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A fresh state directory under the system temp dir, removed by `cleanup`. */
export function tempDir(): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'herald-test-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Starts a real daemon process and waits until it answers on its Unix socket. */
export async function startTestDaemon(options: { stateDir: string; tcp?: boolean; extraArgs?: string[]; env?: NodeJS.ProcessEnv }): Promise<TestDaemon> {
  const args = [DAEMON, '--state-dir', options.stateDir, '--log-level', 'debug', ...(options.tcp ? ['--listen', '127.0.0.1:0'] : []), ...(options.extraArgs ?? [])];
  const child = spawn(process.execPath, args, {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, HERALD_VALIDATE_RESULTS: '1', ...options.env },
  });
  let stderr = '';
  child.stderr!.on('data', (chunk) => { stderr += chunk; });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let client: HeraldClient | undefined;
  for (let attempt = 0; attempt < 200 && !client; attempt++) {
    if (child.exitCode !== null) throw new Error(`daemon exited with ${child.exitCode}: ${stderr}`);
    try {
      client = await connect({ stateDir: options.stateDir });
    } catch {
      await delay(50);
    }
  }
  if (!client) throw new Error(`daemon did not start: ${stderr}`);
  const status = await client.call('daemon.getStatus');
  await client.close();
  const tcpUrl = status.listeners.find((l) => l.startsWith('ws://'));
  return {
    stateDir: options.stateDir,
    token: readFileSync(join(options.stateDir, 'token'), 'utf8').trim(),
    process: child,
    tcpUrl,
    socketUrl: `ws+unix://${join(options.stateDir, 'herald.sock')}:/`,
    stderr: () => stderr,
    client: () => connect({ stateDir: options.stateDir }),
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}
