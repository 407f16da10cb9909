/**
 * Throughput and latency of the herald daemon against a bare ws + json-rpc-2.0 server measured
 * in the same run, on the Unix socket, plain TCP and TLS (wss://, both with the same
 * certificate and Node's TLS defaults), plus the daemon's memory. A report, not a gate: it always exits 0 once it
 * has measured. usage: node dist/bench/rpc.js [--calls N] [--json]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { connect, type HeraldClient } from '../client/index.js';
import { makeCertificates } from './certificates.js';
import { openSocket, runCalls, type RunResult } from './load.js';
import { runBenchmark, tempDirs, track } from './processes.js';
import { medianBy } from './stats.js';

const WARMUP = 2000;
const RUNS = 3;
const DEPTHS = [1, 16];
const TRANSPORTS = ['unix', 'tcp', 'tls'] as const;
const TARGET_RATIO = 0.8;
const TARGET_RSS_MB = 80;
/** How long the daemon sits without work before its idle memory is read. */
const IDLE_SETTLE_MS = 30_000;
const GUARD_MS = 240_000;
const METHOD = 'identityStore.get';
const PARAMS = { name: 'Corp' };
const SEED = [
  { name: 'Corp', type: 'Builtin', description: 'Corporate directory' },
  { name: 'Lab', type: 'Ldap', description: 'Test lab' },
  { name: 'Partners', type: 'ActiveDirectory', description: 'Partner forest' },
  { name: 'Cloud', type: 'EntraId', description: 'Entra tenant' },
  { name: 'Archive', type: 'Builtin' },
] as const;

function parseArgs(argv: string[]): { calls: number; json: boolean } {
  let calls = 20_000;
  let json = false;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--json') json = true;
    else if (argv[i] === '--calls' && /^\d+$/.test(argv[i + 1] ?? '') && Number(argv[i + 1]) > 0) calls = Number(argv[++i]);
    else {
      process.stderr.write('usage: node dist/bench/rpc.js [--calls N] [--json]\n');
      process.exit(2);
    }
  }
  return { calls, json };
}

function startChild(script: string, args: string[], env: NodeJS.ProcessEnv): { child: ChildProcess; tail: () => string } {
  const child = spawn(process.execPath, [fileURLToPath(new URL(script, import.meta.url)), ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  track(child);
  let tail = '';
  child.stderr!.on('data', (chunk: Buffer) => { tail = (tail + chunk.toString()).slice(-2000); });
  return { child, tail: () => tail };
}

function vmRssBytes(pid: number | undefined): number | null {
  try {
    const kb = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return kb ? Number(kb[1]) * 1024 : null;
  } catch {
    return null; // not Linux, or the process is gone
  }
}

const mb = (bytes: number | null) => (bytes === null ? null : Math.round((bytes / 1048576) * 10) / 10);

/** Polls until the daemon answers on its Unix socket: 200 tries of 50 ms at most. */
async function connectWhenReady(stateDir: string, child: ChildProcess, tail: () => string): Promise<HeraldClient> {
  for (let attempt = 0; attempt < 200; attempt++) {
    if (child.exitCode !== null) throw new Error(`daemon exited with ${child.exitCode}: ${tail()}`);
    try {
      return await connect({ stateDir, connectTimeoutMs: 1000 });
    } catch {
      await sleep(50);
    }
  }
  throw new Error(`daemon did not answer within 10 s: ${tail()}`);
}

async function memory(client: HeraldClient, pid: number | undefined) {
  const status = await client.call('daemon.getStatus');
  return { statusRssMb: mb(status.rssBytes), vmRssMb: mb(vmRssBytes(pid)) };
}

async function main(): Promise<void> {
  const { calls, json } = parseArgs(process.argv.slice(2));
  const heraldDir = mkdtempSync(join(tmpdir(), 'herald-bench-'));
  const bareDir = mkdtempSync(join(tmpdir(), 'herald-bare-'));
  tempDirs.push(heraldDir, bareDir);

  // The production configuration: result validation is a debugging aid, off unless asked for.
  const env = { ...process.env };
  delete env.HERALD_VALIDATE_RESULTS;
  const certificates = makeCertificates();
  tempDirs.push(certificates.dir);
  // Calls per second are not limited here: the benchmark measures the server, not the limit.
  const herald = startChild('../daemon/main.js', [
    '--state-dir', heraldDir, '--insecure-listen', '127.0.0.1:0',
    '--listen', '127.0.0.1:0', '--tls-cert', certificates.certFile, '--tls-key', certificates.keyFile, '--max-calls-per-second', '0',
  ], env);
  let client = await connectWhenReady(heraldDir, herald.child, herald.tail);
  for (const store of SEED) await client.call('identityStore.create', store);
  const status = await client.call('daemon.getStatus');
  const heraldTcp = status.listeners.find((address) => address.startsWith('ws://'));
  const heraldTls = status.listeners.find((address) => address.startsWith('wss://'))?.replace('127.0.0.1', 'localhost');
  if (!heraldTcp || !heraldTls) throw new Error(`no TCP or TLS listener in ${JSON.stringify(status.listeners)}`);
  const rows = await client.call('identityStore.get', {});
  await sleep(2000);
  const started = await memory(client, herald.child.pid);
  // Idle means idle for a while: V8's memory reducer gives back the start-up's young-generation
  // space only after some seconds without work.
  await sleep(IDLE_SETTLE_MS);
  const idle = await memory(client, herald.child.pid);
  await client.close();
  const token = readFileSync(join(heraldDir, 'token'), 'utf8').trim();

  // The same rows (ids, timestamps) in the baseline's database, so both answers are identical.
  writeFileSync(join(bareDir, 'rows.json'), JSON.stringify(rows));
  const bare = startChild('./bare-server.js', [join(bareDir, 'bare.db'), join(bareDir, 'bare.sock'), join(bareDir, 'rows.json'), certificates.certFile, certificates.keyFile], env);
  const exited = new Promise<never>((_, reject) => bare.child.once('exit', (code) => reject(new Error(`bare server exited with ${code}: ${bare.tail()}`))));
  const firstLine = createInterface({ input: bare.child.stdout! })[Symbol.asyncIterator]().next();
  const { port, tlsPort } = JSON.parse((await Promise.race([firstLine, exited])).value as string) as { port: number; tlsPort: number };

  const urls = {
    herald: { unix: `ws+unix://${join(heraldDir, 'herald.sock')}:/`, tcp: heraldTcp, tls: heraldTls },
    bare: { unix: `ws+unix://${join(bareDir, 'bare.sock')}:/`, tcp: `ws://127.0.0.1:${port}`, tls: `wss://localhost:${tlsPort}` },
  };
  type Side = keyof typeof urls;
  const runs = new Map<string, RunResult[]>();
  for (let run = 0; run < RUNS; run++) {
    for (const transport of TRANSPORTS) {
      for (const depth of DEPTHS) {
        // Alternate who goes first so that neither side always inherits the other's heat or caches.
        const sides: Side[] = run % 2 === 0 ? ['herald', 'bare'] : ['bare', 'herald'];
        for (const side of sides) {
          const ws = await openSocket(urls[side][transport], token, certificates.caPem);
          await runCalls(ws, METHOD, PARAMS, WARMUP, depth);
          const result = await runCalls(ws, METHOD, PARAMS, calls, depth);
          // Wait for the close so the next run starts on a quiet server.
          await new Promise((resolve) => { ws.once('close', resolve); ws.close(); });
          const key = `${side} ${transport} ${depth}`;
          runs.set(key, [...(runs.get(key) ?? []), result]);
          if (!json) process.stderr.write(`  run ${run + 1}/${RUNS} ${key.padEnd(14)} ${Math.round(result.callsPerSec)} calls/s\n`);
        }
      }
    }
  }

  client = await connect({ stateDir: heraldDir });
  const afterLoad = await memory(client, herald.child.pid);
  await client.close();
  const bareAfterLoadMb = mb(vmRssBytes(bare.child.pid));

  const results = TRANSPORTS.flatMap((transport) => DEPTHS.map((inFlight) => {
    const pick = (side: Side) => medianBy(runs.get(`${side} ${transport} ${inFlight}`)!, (r) => r.callsPerSec);
    const h = pick('herald');
    const b = pick('bare');
    const ratio = h.callsPerSec / b.callsPerSec;
    return { transport, inFlight, herald: h, bare: b, ratio, verdict: ratio >= TARGET_RATIO ? 'PASS' : 'BELOW' };
  }));
  const rssVerdict = (m: { statusRssMb: number | null; vmRssMb: number | null }) =>
    Math.max(m.statusRssMb ?? 0, m.vmRssMb ?? 0) < TARGET_RSS_MB ? 'PASS' : 'ABOVE';
  const report = {
    machine: { node: process.version, cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', platform: `${process.platform} ${process.arch}` },
    settings: { method: METHOD, params: PARAMS, calls, warmup: WARMUP, runs: RUNS, statistic: 'median run by calls/s', targetRatio: TARGET_RATIO, targetRssMb: TARGET_RSS_MB },
    results,
    memory: { started, idle: { ...idle, verdict: rssVerdict(idle) }, afterLoad: { ...afterLoad, verdict: rssVerdict(afterLoad) }, bareAfterLoadVmRssMb: bareAfterLoadMb },
  };
  if (json) {
    process.stdout.write(JSON.stringify(report, null, 2) + '\n');
    return;
  }
  const f = (n: number, digits: number) => n.toFixed(digits).padStart(9);
  const out = [
    `herald RPC benchmark: ${METHOD} ${JSON.stringify(PARAMS)}, ${calls} calls per run after ${WARMUP} warm-up, median of ${RUNS} runs`,
    `machine: node ${report.machine.node}, ${report.machine.cpus} CPUs, ${report.machine.cpuModel}, ${report.machine.platform}`,
    '',
    'transport in-flight server      calls/s   p50 ms   p99 ms  client cpu%',
  ];
  for (const r of results) {
    for (const side of ['herald', 'bare'] as const) {
      const x = r[side];
      out.push(`${r.transport.padEnd(9)} ${String(r.inFlight).padStart(9)} ${side.padEnd(7)} ${f(x.callsPerSec, 0)}${f(x.p50Ms, 3)}${f(x.p99Ms, 3)}${f(x.clientCpuPct, 0)}`);
    }
    out.push(`${''.padEnd(20)}herald/bare ${r.ratio.toFixed(2)}x  ${r.verdict} (target >= ${TARGET_RATIO}x)`, '');
  }
  const line = (label: string, m: { statusRssMb: number | null; vmRssMb: number | null }) =>
    `  ${label.padEnd(11)} getStatus rssBytes ${m.statusRssMb} MB, /proc VmRSS ${m.vmRssMb ?? 'n/a'} MB  ${rssVerdict(m)} (target < ${TARGET_RSS_MB} MB)`;
  out.push('herald daemon memory:', `  ${'started'.padEnd(11)} getStatus rssBytes ${started.statusRssMb} MB, /proc VmRSS ${started.vmRssMb ?? 'n/a'} MB  (2 s after start)`,
    line(`idle`, idle) + `  (${IDLE_SETTLE_MS / 1000} s later)`, line('after load', afterLoad), `  (bare server after load: VmRSS ${bareAfterLoadMb ?? 'n/a'} MB)`);
  process.stdout.write(out.join('\n') + '\n');
}

runBenchmark(main, GUARD_MS, 'try a smaller --calls');
