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
  /** `wss://localhost:PORT` when started with TLS (the certificate's name, not the address). */
  wssUrl?: string;
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
export async function startTestDaemon(options: {
  stateDir: string;
  /** Also a plain ws:// listener on a loopback port. */
  tcp?: boolean;
  /** Also a wss:// listener on a loopback port, with this certificate and key (PEM files). */
  tls?: { certFile: string; keyFile: string };
  extraArgs?: string[];
  env?: NodeJS.ProcessEnv;
}): Promise<TestDaemon> {
  const args = [
    DAEMON, '--state-dir', options.stateDir, '--log-level', 'debug',
    ...(options.tcp ? ['--insecure-listen', '127.0.0.1:0'] : []),
    ...(options.tls ? ['--listen', '127.0.0.1:0', '--tls-cert', options.tls.certFile, '--tls-key', options.tls.keyFile] : []),
    ...(options.extraArgs ?? []),
  ];
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
  const wssUrl = status.listeners.find((l) => l.startsWith('wss://'))?.replace('127.0.0.1', 'localhost');
  return {
    stateDir: options.stateDir,
    token: readFileSync(join(options.stateDir, 'token'), 'utf8').trim(),
    process: child,
    tcpUrl,
    wssUrl,
    socketUrl: `ws+unix://${join(options.stateDir, 'herald.sock')}:/`,
    stderr: () => stderr,
    client: () => connect({ stateDir: options.stateDir }),
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}

/** Runs heraldd to its exit (for refusals at start): the exit code and what it wrote to stderr. */
export function runHeraldd(args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [DAEMON, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (chunk) => { stderr += chunk; });
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stderr }));
  });
}
