/**
 * Delivery throughput of herald's outbox into Postfix's smtp-sink on loopback, against raw
 * nodemailer with the same pool settings and smtp-source (the ceiling) in the same run, plus the
 * daemon's memory with 100,000 mails queued. A report, not a gate: it exits 0 once it has
 * measured, 1 only when the measurement itself failed.
 * usage: node dist/bench/delivery.js [--runs N] [--only a,b,memory] [--cpu-prof DIR] [--json]
 * --cpu-prof writes a V8 CPU profile of every daemon into DIR (open it in Chrome DevTools), to
 * see where herald's time goes when it falls behind the baseline.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { BODY, BODY_BYTES, recipient, recipientBatches, SENDER, SUBJECT } from './mail-content.js';
import { ensurePostfixTools, freePort, runSmtpSource, startSmtpSink, type PostfixTools, type SmtpSink } from './postfix-tools.js';
import { cpuBusyPct, cpuMsOf, memoryOf, runBenchmark, startBenchDaemon, stopBenchDaemon, tempDirs, track, type BenchDaemon } from './processes.js';
import { runRawNodemailer } from './raw-baseline.js';
import { medianBy } from './stats.js';

const GUARD_MS = 15 * 60_000;
/** One herald run that has not emptied its queue by then is stuck (a 4xx loop, a dead pool). */
const RUN_DEADLINE_MS = 180_000;
const POLL_MS = 100;
/** notification.send takes at most this many recipients per call (and the frame cap is 1 MiB). */
const CALL_CAP = 10_000;
const SESSIONS = 5;
const RSS_MAILS = 100_000;
const TARGET_RSS_MB = 200;
const STORE = 'Bench';
/** Fastest over slowest run of one sender beyond which the run-to-run noise is worth a warning. */
const NOISY_SPREAD = 1.2;

interface Scenario {
  key: 'a' | 'b';
  title: string;
  recipients: number;
  perMail: number;
  target: number;
}

const SCENARIOS: Scenario[] = [
  { key: 'a', title: '10,000 mails of one recipient', recipients: 10_000, perMail: 1, target: 0.9 },
  { key: 'b', title: '100,000 recipients, 100 per mail (1,000 mails), queued in calls of 10,000', recipients: 100_000, perMail: 100, target: 0.8 },
];

type Side = 'herald' | 'raw' | 'smtpSource';

interface RunResult {
  elapsedMs: number;
  mails: number;
  recipients: number;
  mailsPerSec: number;
  recipientsPerSec: number;
  /** CPU the sending process used during the run (null for smtp-source: it is not ours to profile). */
  cpuMs: number | null;
  /** Messages smtp-sink counted during the run: a check that owes nothing to the sender's own bookkeeping. */
  sinkCounted: number;
  /** herald only: time spent in the notification.send calls, included in elapsedMs. */
  queueCallsMs?: number;
}

const PARTS = ['a', 'b', 'memory'] as const;
type Part = (typeof PARTS)[number];

interface Options { runs: number; json: boolean; only: Set<Part>; cpuProfDir: string | undefined }

function parseArgs(argv: string[]): Options {
  const options: Options = { runs: 3, json: false, only: new Set(PARTS), cpuProfDir: undefined };
  const usage = () => {
    process.stderr.write('usage: node dist/bench/delivery.js [--runs N] [--only a,b,memory] [--cpu-prof DIR] [--json]\n');
    process.exit(2);
  };
  for (let i = 0; i < argv.length; i++) {
    const next = argv[i + 1] ?? '';
    if (argv[i] === '--json') options.json = true;
    else if (argv[i] === '--runs' && /^\d+$/.test(next) && Number(next) > 0) options.runs = Number(argv[++i]);
    else if (argv[i] === '--only' && next.split(',').every((part) => (PARTS as readonly string[]).includes(part))) options.only = new Set(argv[++i].split(',') as Part[]);
    else if (argv[i] === '--cpu-prof' && next) options.cpuProfDir = argv[++i];
    else usage();
  }
  return options;
}

/** Node flags for the daemons (a CPU profile when asked for). */
let daemonNodeFlags: string[] = [];

interface Daemon extends BenchDaemon { dir: string }

/** A fresh daemon on a fresh state directory, so no run inherits another's database or JIT state. */
async function startDaemon(): Promise<Daemon> {
  const dir = mkdtempSync(join(tmpdir(), 'herald-delivery-'));
  tempDirs.push(dir);
  // One notification.send of 10,000 mails answers with 10,000 rows.
  return { ...(await startBenchDaemon(dir, { nodeFlags: daemonNodeFlags, callTimeoutMs: 120_000 })), dir };
}

async function stopDaemon(daemon: Daemon): Promise<void> {
  await stopBenchDaemon(daemon);
  rmSync(daemon.dir, { recursive: true, force: true });
}

function result(elapsedMs: number, mails: number, recipients: number, cpuMs: number | null, sinkCounted: number): RunResult {
  return { elapsedMs, mails, recipients, mailsPerSec: mails / (elapsedMs / 1000), recipientsPerSec: recipients / (elapsedMs / 1000), cpuMs, sinkCounted };
}

/**
 * herald end to end: from the first notification.send until the last mail is recorded Sent.
 * The end is the newest finishedAt the daemon recorded, so the 100 ms poll only detects the
 * end and does not round the figure up.
 */
async function heraldRun(scenario: Scenario, sink: SmtpSink): Promise<RunResult> {
  const daemon = await startDaemon();
  try {
    const { client, child } = daemon;
    await client.call('identityStore.create', { name: STORE, type: 'Builtin' });
    await client.call('smtpServer.set', {
      identityStore: STORE, server: '127.0.0.1', port: sink.port, tlsMode: 'None', from: SENDER, maxRecipientsPerMessage: scenario.perMail,
    });
    const calls = recipientBatches(scenario.recipients, CALL_CAP);
    const expectedMails = scenario.recipients / scenario.perMail;
    const sinkBefore = sink.messages();
    const cpuBefore = cpuMsOf(child.pid);
    const startedAt = Date.now();
    const started = performance.now();
    let queued = 0;
    // One call after another, as a script would; the daemon starts sending after the first.
    for (const to of calls) queued += (await client.call('notification.send', { identityStore: STORE, to, subject: SUBJECT, body: BODY })).length;
    const queueCallsMs = performance.now() - started;
    if (queued !== expectedMails) throw new Error(`herald queued ${queued} mails, expected ${expectedMails}`);

    // Without a status the queue lists Pending and Sending: empty means every mail is finished.
    while ((await client.call('notificationQueue.get', { identityStore: STORE, first: 1 })).length > 0) {
      if (child.exitCode !== null) throw new Error(`daemon exited with ${child.exitCode}: ${daemon.tail()}`);
      if (performance.now() - started > RUN_DEADLINE_MS) throw new Error(`herald did not empty its queue within ${RUN_DEADLINE_MS / 1000} s`);
      await sleep(POLL_MS);
    }
    const cpuAfter = cpuMsOf(child.pid);
    const [last] = await client.call('notificationHistory.get', { identityStore: STORE, first: 1 });
    const elapsedMs = Date.parse(last.finishedAt ?? '') - startedAt;
    if (!(elapsedMs > 0)) throw new Error(`no usable finish time in ${JSON.stringify(last)}`);

    const sent = await client.call('notificationQueue.get', { identityStore: STORE, status: 'Sent', first: 100_000 });
    const recipients = sent.reduce((sum, mail) => sum + mail.to.length, 0);
    if (sent.length !== expectedMails || recipients !== scenario.recipients) {
      const [failed] = await client.call('notificationQueue.get', { identityStore: STORE, status: 'Failed', first: 1 });
      throw new Error(`herald sent ${sent.length} mails to ${recipients} recipients, expected ${expectedMails} to ${scenario.recipients}${failed ? `; a failed one: ${failed.lastError}` : ''}`);
    }
    const sinkCounted = (await sink.waitForMessages(sinkBefore + expectedMails, 2000)) - sinkBefore;
    const cpuMs = cpuBefore === null || cpuAfter === null ? null : cpuAfter - cpuBefore;
    return { ...result(elapsedMs, sent.length, recipients, cpuMs, sinkCounted), queueCallsMs };
  } finally {
    await stopDaemon(daemon);
  }
}

/** Raw nodemailer in a child of its own (see raw-nodemailer.ts), timed inside the child. */
async function rawRun(scenario: Scenario, sink: SmtpSink): Promise<RunResult> {
  const r = await runRawNodemailer(sink, scenario.recipients, scenario.perMail, RUN_DEADLINE_MS);
  return result(r.elapsedMs, r.mails, r.accepted, r.cpuMs, r.sinkCounted);
}

/** smtp-source with as many sessions as the pool has connections: what the sink can take. */
async function sourceRun(scenario: Scenario, sink: SmtpSink, tools: PostfixTools): Promise<RunResult> {
  const mails = scenario.recipients / scenario.perMail;
  const sinkBefore = sink.messages();
  const { elapsedMs } = await runSmtpSource(tools, sink.port, {
    sessions: SESSIONS, messages: mails, length: BODY_BYTES, recipients: scenario.perMail, from: SENDER, to: recipient(0),
  }, track);
  const sinkCounted = (await sink.waitForMessages(sinkBefore + mails, 2000)) - sinkBefore;
  return result(elapsedMs, mails, mails * scenario.perMail, null, sinkCounted);
}

interface MemoryResult {
  mails: number;
  queueCallsMs: number;
  idle: { rssMb: number; hwmMb: number } | null;
  afterQueueing: { rssMb: number; hwmMb: number } | null;
  /** At the end of the observation window after the last queue call. */
  afterWindow: { rssMb: number; hwmMb: number } | null;
  windowMs: number;
  peakRssMb: number;
  verdict: 'PASS' | 'ABOVE' | 'n/a';
}

/** How long the memory is watched after the last queue call, while the worker keeps trying. */
const MEMORY_WINDOW_MS = 10_000;

/**
 * 100,000 single-recipient mails queued against a store whose server is a closed port: they
 * stay in the queue (each attempt is refused, the retry is minutes away), which is the daemon's
 * memory when its mail server is down. Sampled during the queue calls and for a fixed window
 * after them, not until every mail has had its first attempt: the worker walks a dead server's
 * queue at only ~100 mails/s (nodemailer's pool pauses 100 ms after each failed connection),
 * which for 100,000 mails would take a quarter of an hour.
 */
async function memoryRun(): Promise<MemoryResult> {
  const closedPort = await freePort();
  const daemon = await startDaemon();
  const pid = daemon.child.pid;
  let peak = 0;
  const sample = () => { peak = Math.max(peak, memoryOf(pid)?.rssMb ?? 0); };
  const sampler = setInterval(sample, 100);
  try {
    const { client, child } = daemon;
    await client.call('identityStore.create', { name: STORE, type: 'Builtin' });
    await client.call('smtpServer.set', { identityStore: STORE, server: '127.0.0.1', port: closedPort, tlsMode: 'None', from: SENDER, maxRecipientsPerMessage: 1 });
    // Half a second for the start-up work to settle, so that "idle" means idle.
    await sleep(500);
    const idle = memoryOf(pid);
    const started = performance.now();
    let queued = 0;
    for (const to of recipientBatches(RSS_MAILS, CALL_CAP)) {
      queued += (await client.call('notification.send', { identityStore: STORE, to, subject: SUBJECT, body: BODY })).length;
    }
    const queueCallsMs = performance.now() - started;
    if (queued !== RSS_MAILS) throw new Error(`herald queued ${queued} mails, expected ${RSS_MAILS}`);
    sample();
    const afterQueueing = memoryOf(pid);
    await sleep(MEMORY_WINDOW_MS);
    if (child.exitCode !== null) throw new Error(`daemon exited with ${child.exitCode}: ${daemon.tail()}`);
    sample();
    const afterWindow = memoryOf(pid);
    // VmHWM is the kernel's own peak, which catches spikes between two 100 ms samples.
    const peakRssMb = Math.max(peak, afterWindow?.hwmMb ?? 0);
    return {
      mails: queued, queueCallsMs, idle, afterQueueing, afterWindow, windowMs: MEMORY_WINDOW_MS, peakRssMb,
      verdict: afterWindow === null ? 'n/a' : peakRssMb < TARGET_RSS_MB ? 'PASS' : 'ABOVE',
    };
  } finally {
    clearInterval(sampler);
    await stopDaemon(daemon);
  }
}

async function main(): Promise<void> {
  const { runs, json, only, cpuProfDir } = parseArgs(process.argv.slice(2));
  const busyAtStart = await cpuBusyPct(1000);
  if (cpuProfDir) daemonNodeFlags = ['--cpu-prof', '--cpu-prof-dir', cpuProfDir];
  const progress = (line: string) => { if (!json) process.stderr.write(`  ${line}\n`); };
  const tools = await ensurePostfixTools(progress);
  const sink = await startSmtpSink(tools, track);
  progress(`smtp-sink listening on 127.0.0.1:${sink.port}`);

  const scenarios = [];
  for (const scenario of SCENARIOS.filter((s) => only.has(s.key))) {
    const byside: Record<Side, RunResult[]> = { herald: [], raw: [], smtpSource: [] };
    for (let run = 0; run < runs; run++) {
      // Alternate who goes first so that neither side always inherits the other's heat; the
      // ceiling comes last, it only bounds the other two.
      const sides: Side[] = run % 2 === 0 ? ['herald', 'raw', 'smtpSource'] : ['raw', 'herald', 'smtpSource'];
      for (const side of sides) {
        const r = side === 'herald' ? await heraldRun(scenario, sink) : side === 'raw' ? await rawRun(scenario, sink) : await sourceRun(scenario, sink, tools);
        byside[side].push(r);
        progress(`(${scenario.key}) run ${run + 1}/${runs} ${side.padEnd(10)} ${Math.round(r.mailsPerSec).toString().padStart(6)} mails/s  ${(r.elapsedMs / 1000).toFixed(2)} s`);
      }
    }
    const pick = (side: Side) => medianBy(byside[side], (r) => r.mailsPerSec);
    const herald = pick('herald');
    const raw = pick('raw');
    const smtpSource = pick('smtpSource');
    const ratio = herald.mailsPerSec / raw.mailsPerSec;
    // Two readings that resist a machine whose speed drifts between runs (shared or virtual
    // CPUs): herald against the raw run next to it in time, and CPU spent per mail, which
    // does not count the time a process spent waiting for a core.
    const pairedRatios = byside.herald.map((h, i) => h.mailsPerSec / byside.raw[i].mailsPerSec);
    const cpuPerMail = (side: Side) => medianBy(byside[side].map((r) => (r.cpuMs ?? NaN) / r.mails), (x) => x);
    const cpuRatio = cpuPerMail('herald') / cpuPerMail('raw');
    const spread = (side: Side) => Math.max(...byside[side].map((r) => r.mailsPerSec)) / Math.min(...byside[side].map((r) => r.mailsPerSec));
    const noisy = runs > 1 && Math.max(spread('herald'), spread('raw')) > NOISY_SPREAD;
    scenarios.push({
      key: scenario.key, title: scenario.title, mails: scenario.recipients / scenario.perMail, recipients: scenario.recipients,
      herald, raw, smtpSource, ratio, target: scenario.target, verdict: ratio >= scenario.target ? 'PASS' : 'BELOW',
      pairedRatios, medianPairedRatio: medianBy(pairedRatios, (x) => x), cpuRatio,
      spread: { herald: spread('herald'), raw: spread('raw') }, noisy, runs: byside,
    });
  }

  if (only.has('memory')) progress(`memory: queueing ${RSS_MAILS} mails against a closed port ...`);
  const memory = only.has('memory') ? await memoryRun() : null;

  const report = {
    machine: {
      node: process.version, cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', platform: `${process.platform} ${process.arch}`,
      // CPU in use by anything else during the second before the benchmark started: a busy
      // machine explains a low or noisy result better than herald does.
      busyBeforeStartPct: busyAtStart,
    },
    settings: {
      runs, statistic: 'median run by mails/s', bodyBytes: BODY_BYTES, poolConnections: SESSIONS, maxMessagesPerConnection: 'Infinity',
      recipientsPerCall: CALL_CAP, sink: `postfix smtp-sink on 127.0.0.1:${sink.port}`, postfixTools: tools.root, targetRssMb: TARGET_RSS_MB,
    },
    scenarios,
    memory,
  };
  if (json) {
    process.stdout.write(JSON.stringify(report, null, 2) + '\n');
    return;
  }
  const n = (value: number, width: number, digits = 0) => value.toFixed(digits).padStart(width);
  const out = [
    `herald delivery benchmark: outbox -> smtp-sink on loopback, ${BODY_BYTES}-byte body, pool of ${SESSIONS} connections, median of ${runs} runs`,
    `machine: node ${report.machine.node}, ${report.machine.cpus} CPUs, ${report.machine.cpuModel}, ${report.machine.platform}; CPUs ${busyAtStart === null ? 'n/a' : `${busyAtStart}% busy`} the second before start`,
  ];
  for (const s of scenarios) {
    out.push('', `(${s.key}) ${s.title}`, '  sender                       mails/s   rcpts/s  elapsed s  cpu ms/mail  sink counted');
    const row = (label: string, r: RunResult) =>
      `  ${label.padEnd(26)}${n(r.mailsPerSec, 9)}${n(r.recipientsPerSec, 10)}${n(r.elapsedMs / 1000, 11, 2)}${r.cpuMs === null ? '          -' : n(r.cpuMs / r.mails, 11, 3)}  ${String(r.sinkCounted).padStart(12)}${r.sinkCounted === r.mails ? '' : `  (expected ${r.mails})`}`;
    out.push(row('herald (outbox, daemon)', s.herald), row('raw nodemailer pool', s.raw), row('smtp-source -d (ceiling)', s.smtpSource));
    out.push(`  herald/raw ${s.ratio.toFixed(2)}x  ${s.verdict} (target >= ${s.target}x); herald/smtp-source ${(s.herald.mailsPerSec / s.smtpSource.mailsPerSec).toFixed(2)}x`);
    out.push(`  herald's notification.send calls took ${((s.herald.queueCallsMs ?? 0) / 1000).toFixed(2)} s of its ${(s.herald.elapsedMs / 1000).toFixed(2)} s`);
    out.push(`  all runs, mails/s: herald ${s.runs.herald.map((r) => Math.round(r.mailsPerSec)).join(' / ')}; raw ${s.runs.raw.map((r) => Math.round(r.mailsPerSec)).join(' / ')}; smtp-source ${s.runs.smtpSource.map((r) => Math.round(r.mailsPerSec)).join(' / ')}`);
    out.push(`  herald/raw run by run ${s.pairedRatios.map((x) => x.toFixed(2)).join(' / ')} (median ${s.medianPairedRatio.toFixed(2)}x); CPU per mail herald/raw ${s.cpuRatio.toFixed(2)}x`);
    if (s.noisy) out.push(`  NOISY: the fastest run of one sender was ${Math.max(s.spread.herald, s.spread.raw).toFixed(2)}x its slowest; read the ratio with care`);
  }
  const m = memory;
  const mem = (x: { rssMb: number; hwmMb: number } | null) => (x ? `VmRSS ${x.rssMb} MB (VmHWM ${x.hwmMb} MB)` : 'n/a');
  if (m) out.push(
    '',
    `daemon memory with ${m.mails} single-recipient mails queued (server down: closed port)`,
    `  ${'idle'.padEnd(20)}${mem(m.idle)}`,
    `  ${'after queueing'.padEnd(20)}${mem(m.afterQueueing)}  (${m.mails / CALL_CAP} calls of ${CALL_CAP} recipients took ${(m.queueCallsMs / 1000).toFixed(1)} s)`,
    `  ${`${m.windowMs / 1000} s later`.padEnd(20)}${mem(m.afterWindow)}  (the worker meanwhile retrying against the closed port)`,
    `  peak ${m.peakRssMb} MB  ${m.verdict} (target < ${TARGET_RSS_MB} MB)`,
  );
  process.stdout.write(out.join('\n') + '\n');
}

runBenchmark(main, GUARD_MS);
