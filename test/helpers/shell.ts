import { spawn } from 'node:child_process';
import { expect } from 'vitest';
import { SHELL } from './daemon.js';

export interface ShellRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the herald shell as a user would, non-interactively (stdin is a pipe, never a TTY). */
export function runHerald(args: string[], options: { stateDir: string; stdin?: string; env?: NodeJS.ProcessEnv }): Promise<ShellRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [SHELL, ...args], {
      env: { ...process.env, HERALD_STATE_DIR: options.stateDir, HERALD_NO_AUTOSTART: '1', HERALD_URL: '', HERALD_TOKEN: '', ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => { stdout += chunk; });
    child.stderr.on('data', (chunk) => { stderr += chunk; });
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(options.stdin ?? '');
  });
}

/** `herald -OutputFormat Json -Command …`, parsed. */
export async function heraldJson(command: string, stateDir: string): Promise<{ code: number | null; objects: unknown[]; stderr: string }> {
  const run = await runHerald(['-OutputFormat', 'Json', '-Command', command], { stateDir });
  let objects: unknown[];
  try {
    objects = JSON.parse(run.stdout) as unknown[];
  } catch {
    throw new Error(`stdout is not JSON: ${run.stdout}\nstderr: ${run.stderr}`);
  }
  return { code: run.code, objects, stderr: run.stderr };
}

/** A command line that must succeed: nothing on stderr, exit code 0. Returns its output. */
export async function runHeraldOk(command: string, stateDir: string): Promise<string> {
  const run = await runHerald(['-Command', command], { stateDir });
  expect(run.stderr, command).toBe('');
  expect(run.code, command).toBe(0);
  return run.stdout;
}
