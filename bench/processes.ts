import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { connect, type HeraldClient } from '../client/index.js';

/**
 * The child processes and temp dirs a benchmark starts, and what it reads of them from /proc.
 * Everything started here is stopped by cleanUp, whatever way the benchmark ends.
 */
const children: ChildProcess[] = [];
export const tempDirs: string[] = [];

export const track = (child: ChildProcess): void => { children.push(child); };

/** SIGTERM, a grace period for a clean stop (the daemon records the mails under way), then SIGKILL. */
export async function stopChild(child: ChildProcess, graceMs = 10_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  if (await Promise.race([exited.then(() => true), sleep(graceMs).then(() => false)])) return;
  child.kill('SIGKILL');
  await exited;
}

export async function cleanUp(): Promise<void> {
  await Promise.all(children.map((child) => stopChild(child)));
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
}

/**
 * Runs a benchmark's main to the end: whatever hangs is stopped after `guardMs` (with `hint` said
 * why), Ctrl-C leaves no daemon, sink or temp dir behind, and a failure exits 1 with its reason.
 */
export function runBenchmark(main: () => Promise<void>, guardMs: number, hint = ''): void {
  const guard = setTimeout(() => {
    process.stderr.write(`bench: aborted after ${Math.round(guardMs / 1000)} s without finishing${hint ? ` (${hint})` : ''}\n`);
    void cleanUp().finally(() => process.exit(1));
  }, guardMs);
  process.once('SIGINT', () => {
    process.stderr.write('bench: interrupted\n');
    void cleanUp().finally(() => process.exit(130));
  });
  main().then(
    () => cleanUp().then(() => { clearTimeout(guard); process.exit(0); }),
    (error: unknown) => {
      process.stderr.write(`bench: ${error instanceof Error ? error.message : String(error)}\n`);
      void cleanUp().finally(() => process.exit(1));
    },
  );
}

export const round1 = (n: number): number => Math.round(n * 10) / 10;

/** User + system CPU of a process from /proc/PID/stat, in ms (Linux's USER_HZ is 100). */
export function cpuMsOf(pid: number | undefined): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name may contain spaces: count fields after its closing parenthesis.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return null;
  }
}

/** VmRSS and VmHWM (the peak resident size so far) of a process, in MB. */
export function memoryOf(pid: number | undefined): { rssMb: number; hwmMb: number } | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
    return { rssMb: round1(kb('VmRSS') / 1024), hwmMb: round1(kb('VmHWM') / 1024) };
  } catch {
    return null; // not Linux, or the process is gone
  }
}

/** Share of all CPUs not idle over `ms`, from /proc/stat's first line (null off Linux). */
export async function cpuBusyPct(ms: number): Promise<number | null> {
  const read = () => {
    try {
      const ticks = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
      // idle and iowait are the fourth and fifth figures.
      return { total: ticks.reduce((a, b) => a + b, 0), idle: ticks[3] + (ticks[4] ?? 0) };
    } catch {
      return null;
    }
  };
  const before = read();
  await sleep(ms);
  const after = read();
  if (!before || !after || after.total === before.total) return null;
  return Math.round(100 * (1 - (after.idle - before.idle) / (after.total - before.total)));
}

export interface BenchDaemon { child: ChildProcess; client: HeraldClient; tail: () => string }

/**
 * A herald daemon on `dir` in its production configuration (result validation off), with a
 * client. `callTimeoutMs` is long: one call of a benchmark may queue or import a great deal.
 */
export async function startBenchDaemon(dir: string, options: { nodeFlags?: string[]; callTimeoutMs: number; args?: string[] }): Promise<BenchDaemon> {
  const env = { ...process.env };
  delete env.HERALD_VALIDATE_RESULTS;
  const main = fileURLToPath(new URL('../daemon/main.js', import.meta.url));
  const child = spawn(process.execPath, [...(options.nodeFlags ?? []), main, '--state-dir', dir, ...(options.args ?? [])], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  track(child);
  // Drained into a short tail: a full pipe would stall the daemon's logger.
  let tail = '';
  child.stderr!.on('data', (chunk: Buffer) => { tail = (tail + chunk.toString()).slice(-2000); });
  for (let attempt = 0; attempt < 200; attempt++) {
    if (child.exitCode !== null) throw new Error(`daemon exited with ${child.exitCode}: ${tail}`);
    try {
      const client = await connect({ stateDir: dir, connectTimeoutMs: 1000, timeoutMs: options.callTimeoutMs });
      return { child, client, tail: () => tail };
    } catch {
      await sleep(50);
    }
  }
  throw new Error(`daemon did not answer within 10 s: ${tail}`);
}

export async function stopBenchDaemon(daemon: BenchDaemon): Promise<void> {
  await daemon.client.close().catch(() => undefined);
  await stopChild(daemon.child);
}
