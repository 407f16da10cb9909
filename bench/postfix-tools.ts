/**
 * Postfix's smtp-sink and smtp-source for the delivery benchmark, taken from Debian's `postfix`
 * package without installing Postfix (no daemon, no configuration, no port 25): the package is
 * downloaded once and unpacked into a cache directory, and the two programs run from there with
 * their private libraries on LD_LIBRARY_PATH.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export interface PostfixTools {
  smtpSink: string;
  smtpSource: string;
  /** The environment both programs need: their shared libraries are not on the system path. */
  env: NodeJS.ProcessEnv;
  /** Where the package was unpacked, for messages. */
  root: string;
}

/** Raised with a message that says what is missing and how to provide it by hand. */
export class PostfixToolsUnavailable extends Error {}

export function postfixCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.HERALD_BENCH_CACHE || join(tmpdir(), 'herald-bench-postfix');
}

interface Ran { code: number | null; stdout: string; stderr: string; error?: NodeJS.ErrnoException }

/** Runs a program to completion; a missing program comes back as `error` rather than a throw. */
function run(command: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<Ran> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => { stdout = (stdout + chunk.toString()).slice(-8000); });
    child.stderr.on('data', (chunk: Buffer) => { stderr = (stderr + chunk.toString()).slice(-8000); });
    child.once('error', (error: NodeJS.ErrnoException) => resolve({ code: null, stdout, stderr, error }));
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

function toolsIn(root: string): PostfixTools {
  return {
    smtpSink: join(root, 'usr/sbin/smtp-sink'),
    smtpSource: join(root, 'usr/sbin/smtp-source'),
    env: { ...process.env, LD_LIBRARY_PATH: [join(root, 'usr/lib/postfix'), process.env.LD_LIBRARY_PATH].filter(Boolean).join(':') },
    root,
  };
}

/**
 * Both programs print their usage and exit 1 when called without arguments: that proves the
 * binary and its libraries load. A library the package depends on but the machine lacks shows
 * up here as the loader's message, which names it.
 */
async function check(tools: PostfixTools): Promise<string | undefined> {
  for (const program of [tools.smtpSink, tools.smtpSource]) {
    const result = await run(program, [], { env: tools.env });
    if (result.error) return `${program}: ${result.error.message}`;
    if (!/usage:/.test(result.stderr)) return `${program} does not run: ${result.stderr.trim() || `exit code ${result.code}`}`;
  }
  return undefined;
}

const tail = (text: string) => text.trim().split('\n').slice(-4).join('\n    ');

/**
 * The two programs, downloaded and unpacked into the cache on first use. `apt-get update` runs
 * only when the download fails: it is slow, needs root, and the package lists are usually fresh
 * enough on a machine that has installed anything lately.
 */
export async function ensurePostfixTools(log: (line: string) => void = () => undefined): Promise<PostfixTools> {
  const cache = postfixCacheDir();
  const root = join(cache, 'root');
  const manual = [
    `To provide them by hand: on a Debian or Ubuntu machine run \`apt-get download postfix\`, then`,
    `\`dpkg-deb -x postfix_*.deb ${root}\` (so that ${join(root, 'usr/sbin/smtp-sink')} exists),`,
    `and set HERALD_BENCH_CACHE to a different directory if ${cache} cannot be used.`,
  ].join('\n  ');
  if (existsSync(join(root, 'usr/sbin/smtp-sink'))) {
    const tools = toolsIn(root);
    const problem = await check(tools);
    if (!problem) return tools;
    throw new PostfixToolsUnavailable(`the cached Postfix tools in ${root} do not run:\n    ${tail(problem)}\n  Remove ${root} to download them again, or install the missing library.`);
  }

  for (const program of ['apt-get', 'dpkg-deb']) {
    const probe = await run(program, ['--version']);
    if (probe.error) {
      throw new PostfixToolsUnavailable(`smtp-sink and smtp-source are needed from Debian's postfix package, but this machine has no ${program}.\n  ${manual}`);
    }
  }

  mkdirSync(cache, { recursive: true });
  // A private work directory, so that two benchmarks starting at once do not unpack over each
  // other; the finished tree is then renamed into place in one step.
  const work = mkdtempSync(join(cache, 'download-'));
  // apt-get downloads as the unprivileged _apt user when it can write the directory; a 0700
  // directory makes it fall back to root with a warning.
  chmodSync(work, 0o755);
  try {
    log(`downloading Debian's postfix package into ${cache} (once) ...`);
    let download = await run('apt-get', ['download', 'postfix'], { cwd: work });
    if (download.code !== 0) {
      log('apt-get download failed; running apt-get update and trying again ...');
      const update = await run('apt-get', ['update']);
      if (update.code !== 0) {
        throw new PostfixToolsUnavailable(`cannot download the postfix package: \`apt-get download postfix\` failed:\n    ${tail(download.stderr)}\n  and \`apt-get update\` failed too (it needs root and network):\n    ${tail(update.stderr || update.error?.message || '')}\n  ${manual}`);
      }
      download = await run('apt-get', ['download', 'postfix'], { cwd: work });
      if (download.code !== 0) {
        throw new PostfixToolsUnavailable(`cannot download the postfix package even after apt-get update:\n    ${tail(download.stderr)}\n  ${manual}`);
      }
    }
    const deb = readdirSync(work).find((name) => /^postfix_.*\.deb$/.test(name));
    if (!deb) throw new PostfixToolsUnavailable(`apt-get download postfix reported success but left no postfix_*.deb in ${work}.\n  ${manual}`);
    const unpacked = join(work, 'root');
    const extract = await run('dpkg-deb', ['-x', join(work, deb), unpacked]);
    if (extract.code !== 0) throw new PostfixToolsUnavailable(`dpkg-deb -x ${deb} failed:\n    ${tail(extract.stderr)}\n  ${manual}`);
    const problem = await check(toolsIn(unpacked));
    if (problem) throw new PostfixToolsUnavailable(`the unpacked Postfix tools do not run:\n    ${tail(problem)}\n  Install the missing library (apt-get install it), then run the benchmark again.`);
    try {
      renameSync(unpacked, root);
    } catch (error) {
      // Another benchmark got there first: its copy is as good as ours.
      if (!existsSync(join(root, 'usr/sbin/smtp-sink'))) throw error;
    }
    log(`postfix tools ready in ${root}`);
    return toolsIn(root);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** A TCP port nothing listens on right now (the usual small race before someone binds it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Resolves once a connection to the port gets the 220 greeting; false when nothing answers. */
function greets(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    const done = (ok: boolean) => { socket.destroy(); resolve(ok); };
    socket.setTimeout(1000, () => done(false));
    socket.once('error', () => done(false));
    socket.once('data', (chunk: Buffer) => done(chunk.toString().startsWith('220')));
  });
}

/** Programs run as root drop privileges to nobody, as smtp-sink insists. */
const asNobody = (): string[] => (process.getuid?.() === 0 ? ['-u', 'nobody'] : []);

export interface SmtpSink {
  port: number;
  child: ChildProcess;
  /** Messages the sink has accepted so far (its `-c` counter). */
  messages(): number;
  /** Waits (up to `ms`) until the counter reaches `count`; returns the count reached. */
  waitForMessages(count: number, ms: number): Promise<number>;
  stderr(): string;
}

/**
 * Starts smtp-sink on a loopback port. It accepts every command and throws the mail away; with
 * `-c` it writes a running `sess=… quit=… mesg=N` counter (carriage-return separated) to stdout,
 * which gives a count of delivered messages independent of what the sender believes.
 */
export async function startSmtpSink(tools: PostfixTools, track: (child: ChildProcess) => void): Promise<SmtpSink> {
  let lastError = '';
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const child = spawn(tools.smtpSink, ['-c', ...asNobody(), `127.0.0.1:${port}`, '1000'], { env: tools.env, stdio: ['ignore', 'pipe', 'pipe'] });
    track(child);
    let count = 0;
    let pending = '';
    let stderr = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      // Only the newest complete counter matters (one line per message: scanning them all would
      // cost the harness CPU the senders need); the unfinished tail waits for the next chunk.
      pending += chunk.toString();
      const end = pending.lastIndexOf('\r');
      if (end < 0) return;
      const match = /mesg=(\d+)\s*$/.exec(pending.slice(pending.lastIndexOf('\r', end - 1) + 1, end));
      if (match) count = Number(match[1]);
      pending = pending.slice(end + 1);
    });
    child.stderr!.on('data', (chunk: Buffer) => { stderr = (stderr + chunk.toString()).slice(-2000); });
    for (let i = 0; i < 100 && child.exitCode === null; i++) {
      if (await greets(port)) {
        return {
          port,
          child,
          messages: () => count,
          async waitForMessages(target, ms) {
            const deadline = Date.now() + ms;
            while (count < target && Date.now() < deadline) await sleep(20);
            return count;
          },
          stderr: () => stderr,
        };
      }
      await sleep(50);
    }
    lastError = stderr.trim() || `no greeting on port ${port}`;
    child.kill('SIGKILL');
  }
  throw new Error(`smtp-sink did not start: ${lastError}`);
}

export interface SourceRun { elapsedMs: number }

/**
 * Runs smtp-source to completion against the sink: `-d` keeps each session's connection for
 * many messages, like a pooled client. Timed from spawn to exit, so it includes the program's
 * start (a few ms), which only understates this ceiling.
 */
export async function runSmtpSource(
  tools: PostfixTools,
  port: number,
  options: { sessions: number; messages: number; length: number; recipients: number; from: string; to: string },
  track: (child: ChildProcess) => void,
): Promise<SourceRun> {
  const args = [
    '-s', String(options.sessions), '-m', String(options.messages), '-l', String(options.length), '-d',
    ...(options.recipients > 1 ? ['-r', String(options.recipients)] : []),
    '-f', options.from, '-t', options.to, `127.0.0.1:${port}`,
  ];
  const started = performance.now();
  const child = spawn(tools.smtpSource, args, { env: tools.env, stdio: ['ignore', 'ignore', 'pipe'] });
  track(child);
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => { stderr = (stderr + chunk.toString()).slice(-2000); });
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (exitCode) => resolve(exitCode));
  });
  const elapsedMs = performance.now() - started;
  if (code !== 0) throw new Error(`smtp-source ${args.join(' ')} exited with ${code}: ${stderr.trim()}`);
  return { elapsedMs };
}
