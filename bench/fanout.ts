/**
 * Fan-out of one directory change: a group of 100,000 users nested three levels deep
 * (Top ⊃ 10 groups ⊃ 10 groups each ⊃ 1,000 users each), its store set to notify "the object
 * being modified", 100 recipients per mail, SMTP pointing at Postfix's smtp-sink on loopback.
 * One group.set renames Top's display name; the benchmark times the call (all recipients
 * resolved and 1,000 mails queued in its transaction) with the daemon's CPU for it, then the
 * delivery until every mail is Sent, and the daemon's peak RSS. Raw nodemailer sending the same
 * 1,000 batches of 100 recipients to the same sink is the baseline, in the same run.
 * A report, not a gate: it exits 0 once it has measured, 1 only when the measurement failed.
 * usage: node dist/bench/fanout.js [--runs N] [--cpu-prof DIR] [--json]
 * --cpu-prof writes a V8 CPU profile of the measured daemon into DIR (one per run).
 */
import { mkdtempSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { csvChunks } from './directory-csv.js';
import { recipient, SENDER } from './mail-content.js';
import { ensurePostfixTools, startSmtpSink, type SmtpSink } from './postfix-tools.js';
import { cpuBusyPct, cpuMsOf, memoryOf, runBenchmark, startBenchDaemon, stopBenchDaemon, tempDirs, track, type BenchDaemon } from './processes.js';
import { runRawNodemailer } from './raw-baseline.js';
import { medianBy } from './stats.js';

const GUARD_MS = 20 * 60_000;
/** A run whose queue is not empty by then is stuck. */
const RUN_DEADLINE_MS = 180_000;
const POLL_MS = 100;
const STORE = 'Fanout';
const MIDS = 10;
const LEAVES_PER_MID = 10;
const USERS_PER_LEAF = 1000;
const MEMBERS = MIDS * LEAVES_PER_MID * USERS_PER_LEAF;
const PER_MAIL = 100;
const MAILS = MEMBERS / PER_MAIL;

const TARGET_QUEUE_CPU_MS = 2000;
const TARGET_RSS_MB = 300;
const TARGET_RATIO = 0.8;

interface Options { runs: number; json: boolean; cpuProfDir: string | undefined }

function parseArgs(argv: string[]): Options {
  const options: Options = { runs: 1, json: false, cpuProfDir: undefined };
  const usage = () => {
    process.stderr.write('usage: node dist/bench/fanout.js [--runs N] [--cpu-prof DIR] [--json]\n');
    process.exit(2);
  };
  for (let i = 0; i < argv.length; i++) {
    const next = argv[i + 1] ?? '';
    if (argv[i] === '--json') options.json = true;
    else if (argv[i] === '--runs' && /^\d+$/.test(next) && Number(next) > 0) options.runs = Number(argv[++i]);
    else if (argv[i] === '--cpu-prof' && next) options.cpuProfDir = argv[++i];
    else usage();
  }
  return options;
}

type Daemon = BenchDaemon;

/** A daemon on `dir`: the directory built by one daemon is measured by a fresh one on the same state. */
function startDaemon(dir: string, nodeFlags: string[] = []): Promise<Daemon> {
  // An import chunk or the fan-out itself may take many seconds.
  return startBenchDaemon(dir, { nodeFlags, callTimeoutMs: 300_000 });
}

const stopDaemon = stopBenchDaemon;

const userName = (i: number) => `u${i}`;
const leafName = (mid: number, leaf: number) => `Leaf-${mid}-${leaf}`;
const midName = (mid: number) => `Mid-${mid}`;

/**
 * The directory, in import calls (not timed against any target): users first, then the groups
 * with the leaves before the groups that contain them, so every chunk's members already exist
 * in the store or in the chunk. User i's address is the raw baseline's recipient(i).
 */
function directoryChunks(): { users: string[]; groups: string[] } {
  const users: string[] = [];
  for (let i = 0; i < MEMBERS; i++) users.push(`User,${userName(i)},User ${i},${recipient(i)},,,`);
  const leaves: string[] = [];
  const mids: string[] = [];
  for (let mid = 0; mid < MIDS; mid++) {
    for (let leaf = 0; leaf < LEAVES_PER_MID; leaf++) {
      const first = (mid * LEAVES_PER_MID + leaf) * USERS_PER_LEAF;
      const members = Array.from({ length: USERS_PER_LEAF }, (_, k) => userName(first + k));
      leaves.push(`Group,${leafName(mid, leaf)},,,,,${members.join(';')}`);
    }
    mids.push(`Group,${midName(mid)},,,,,${Array.from({ length: LEAVES_PER_MID }, (_, leaf) => leafName(mid, leaf)).join(';')}`);
  }
  const top = `Group,Top,Top,,,,${Array.from({ length: MIDS }, (_, mid) => midName(mid)).join(';')}`;
  return { users: csvChunks(users), groups: csvChunks([...leaves, ...mids, top]) };
}

interface BuildResult { elapsedMs: number; calls: number; users: number; groups: number; links: number; peakRssMb: number | null }

async function buildDirectory(dir: string, sink: SmtpSink, progress: (line: string) => void): Promise<BuildResult> {
  const daemon = await startDaemon(dir);
  try {
    const { client } = daemon;
    await client.call('identityStore.create', { name: STORE, type: 'Builtin' });
    await client.call('smtpServer.set', {
      identityStore: STORE, server: '127.0.0.1', port: sink.port, tlsMode: 'None', from: SENDER, maxRecipientsPerMessage: PER_MAIL,
    });
    await client.call('notificationSettings.set', { identityStore: STORE, notifyModifiedObject: true });
    const { users, groups } = directoryChunks();
    const started = performance.now();
    const totals = { users: 0, groups: 0, links: 0 };
    const chunks = [...users, ...groups];
    for (const [i, content] of chunks.entries()) {
      const report = await client.call('directoryObject.import', { identityStore: STORE, content, format: 'Csv' });
      totals.users += report.users;
      totals.groups += report.groups;
      totals.links += report.links;
      progress(`import ${i + 1}/${chunks.length}: ${report.users} users, ${report.groups} groups, ${report.links} links (${((performance.now() - started) / 1000).toFixed(1)} s)`);
    }
    const elapsedMs = performance.now() - started;
    const groupCount = MIDS * LEAVES_PER_MID + MIDS + 1;
    if (totals.users !== MEMBERS || totals.groups !== groupCount) throw new Error(`imported ${totals.users} users and ${totals.groups} groups, expected ${MEMBERS} and ${groupCount}`);
    // Every user in one leaf, every leaf in one mid, every mid in Top. (groupMember.get -Recursive
    // would answer with 100,000 rows, beyond the client's frame limit; the mails sent check it anyway.)
    const links = MEMBERS + MIDS * LEAVES_PER_MID + MIDS;
    if (totals.links !== links) throw new Error(`imported ${totals.links} memberships, expected ${links}`);
    // Imports must not have mailed anyone: the queue is empty before the measured change.
    const queued = await client.call('notificationQueue.get', { identityStore: STORE, status: 'All', first: 1 });
    if (queued.length > 0) throw new Error('the import queued mail; the measured change would not start from an empty queue');
    return { elapsedMs, calls: chunks.length, ...totals, peakRssMb: memoryOf(daemon.child.pid)?.hwmMb ?? null };
  } finally {
    await stopDaemon(daemon);
  }
}

interface HeraldResult {
  /** From the group.set call to its reply: recipients resolved and mails queued (one transaction). */
  replyMs: number;
  /** Daemon CPU over the same interval (10 ms resolution). */
  queueCpuMs: number | null;
  /** From the reply to the newest finishedAt: the outbox's part. */
  deliveryMs: number;
  /** From the call to the newest finishedAt. */
  endToEndMs: number;
  deliveryCpuMs: number | null;
  mails: number;
  recipients: number;
  deliveryRecipientsPerSec: number;
  endToEndRecipientsPerSec: number;
  sinkCounted: number;
  idleRssMb: number | null;
  peakRssMb: number | null;
}

/** The measured change, on a fresh daemon over the built state directory. */
async function heraldRun(dir: string, run: number, sink: SmtpSink, nodeFlags: string[]): Promise<HeraldResult> {
  const daemon = await startDaemon(dir, nodeFlags);
  const pid = daemon.child.pid;
  let sampledPeak = 0;
  const sample = () => { sampledPeak = Math.max(sampledPeak, memoryOf(pid)?.rssMb ?? 0); };
  const sampler = setInterval(sample, 100);
  try {
    const { client, child } = daemon;
    const sentBefore = (await client.call('notificationQueue.get', { identityStore: STORE, status: 'Sent', first: 100_000 })).length;
    // Half a second for the start-up work to settle.
    await sleep(500);
    const idle = memoryOf(pid);
    const sinkBefore = sink.messages();

    const cpuBefore = cpuMsOf(pid);
    const startedAt = Date.now();
    const started = performance.now();
    await client.call('group.set', { identityStore: STORE, identity: 'Top', displayName: run === 0 ? 'Top (renamed)' : `Top (renamed ${run + 1})` });
    const replyMs = performance.now() - started;
    const cpuAfterReply = cpuMsOf(pid);
    const repliedAt = startedAt + replyMs;

    // Without a status the queue lists Pending and Sending: empty means every mail is finished.
    while ((await client.call('notificationQueue.get', { identityStore: STORE, first: 1 })).length > 0) {
      if (child.exitCode !== null) throw new Error(`daemon exited with ${child.exitCode}: ${daemon.tail()}`);
      if (performance.now() - started > RUN_DEADLINE_MS) throw new Error(`herald did not empty its queue within ${RUN_DEADLINE_MS / 1000} s`);
      await sleep(POLL_MS);
    }
    const cpuAtEnd = cpuMsOf(pid);
    sample();
    const atEnd = memoryOf(pid);
    const [last] = await client.call('notificationHistory.get', { identityStore: STORE, first: 1 });
    const finishedAt = Date.parse(last?.finishedAt ?? '');
    if (!(finishedAt > startedAt)) throw new Error(`no usable finish time in ${JSON.stringify(last)}`);

    const sent = (await client.call('notificationQueue.get', { identityStore: STORE, status: 'Sent', first: 100_000 }));
    // Newest first: this run's mails are the first ones beyond the earlier runs' count.
    const ours = sent.slice(0, sent.length - sentBefore);
    const recipients = ours.reduce((sum, mail) => sum + mail.to.length + mail.cc.length, 0);
    if (ours.length !== MAILS || recipients !== MEMBERS) {
      const [failed] = await client.call('notificationQueue.get', { identityStore: STORE, status: 'Failed', first: 1 });
      throw new Error(`herald sent ${ours.length} mails to ${recipients} recipients, expected ${MAILS} to ${MEMBERS}${failed ? `; a failed one: ${failed.lastError}` : ''}`);
    }
    const sinkCounted = (await sink.waitForMessages(sinkBefore + MAILS, 2000)) - sinkBefore;
    const deliveryMs = finishedAt - repliedAt;
    const endToEndMs = finishedAt - startedAt;
    return {
      replyMs,
      queueCpuMs: cpuBefore === null || cpuAfterReply === null ? null : cpuAfterReply - cpuBefore,
      deliveryMs,
      endToEndMs,
      deliveryCpuMs: cpuAfterReply === null || cpuAtEnd === null ? null : cpuAtEnd - cpuAfterReply,
      mails: ours.length,
      recipients,
      deliveryRecipientsPerSec: recipients / (deliveryMs / 1000),
      endToEndRecipientsPerSec: recipients / (endToEndMs / 1000),
      sinkCounted,
      idleRssMb: idle?.rssMb ?? null,
      // VmHWM is the kernel's own peak since this daemon started, which catches spikes between samples.
      peakRssMb: atEnd === null ? null : Math.max(sampledPeak, atEnd.hwmMb),
    };
  } finally {
    clearInterval(sampler);
    await stopDaemon(daemon);
  }
}

interface RawResult { elapsedMs: number; mails: number; recipients: number; recipientsPerSec: number; cpuMs: number; sinkCounted: number }

/** bench/raw-nodemailer.js in a child of its own: the same 1,000 lists of 100 addresses. */
async function rawRun(sink: SmtpSink): Promise<RawResult> {
  const r = await runRawNodemailer(sink, MEMBERS, PER_MAIL, RUN_DEADLINE_MS);
  return { elapsedMs: r.elapsedMs, mails: r.mails, recipients: r.accepted, recipientsPerSec: r.accepted / (r.elapsedMs / 1000), cpuMs: r.cpuMs, sinkCounted: r.sinkCounted };
}

const verdict = (pass: boolean | null) => (pass === null ? 'n/a' : pass ? 'PASS' : 'BELOW');

async function main(): Promise<void> {
  const { runs, json, cpuProfDir } = parseArgs(process.argv.slice(2));
  const busyAtStart = await cpuBusyPct(1000);
  const progress = (line: string) => { if (!json) process.stderr.write(`  ${line}\n`); };
  const tools = await ensurePostfixTools(progress);
  const sink = await startSmtpSink(tools, track);
  progress(`smtp-sink listening on 127.0.0.1:${sink.port}`);

  const dir = mkdtempSync(join(tmpdir(), 'herald-fanout-'));
  tempDirs.push(dir);
  progress(`building the directory: ${MEMBERS} users, ${MIDS * LEAVES_PER_MID + MIDS + 1} groups (not timed) ...`);
  const build = await buildDirectory(dir, sink, progress);

  const nodeFlags = cpuProfDir ? ['--cpu-prof', '--cpu-prof-dir', cpuProfDir] : [];
  const herald: HeraldResult[] = [];
  const raw: RawResult[] = [];
  for (let run = 0; run < runs; run++) {
    // Alternate who goes first so that neither side always inherits the other's heat.
    for (const side of run % 2 === 0 ? ['herald', 'raw'] : ['raw', 'herald']) {
      if (side === 'herald') {
        const r = await heraldRun(dir, run, sink, nodeFlags);
        herald.push(r);
        progress(`run ${run + 1}/${runs} herald: reply ${(r.replyMs / 1000).toFixed(2)} s (CPU ${r.queueCpuMs ?? '?'} ms), all Sent ${(r.endToEndMs / 1000).toFixed(2)} s after the call`);
      } else {
        const r = await rawRun(sink);
        raw.push(r);
        progress(`run ${run + 1}/${runs} raw:    ${(r.elapsedMs / 1000).toFixed(2)} s, ${Math.round(r.recipientsPerSec)} recipients/s`);
      }
    }
  }

  const h = medianBy(herald, (r) => r.deliveryRecipientsPerSec);
  const b = medianBy(raw, (r) => r.recipientsPerSec);
  const maxQueueCpu = herald.every((r) => r.queueCpuMs !== null) ? Math.max(...herald.map((r) => r.queueCpuMs!)) : null;
  const maxRss = herald.every((r) => r.peakRssMb !== null) ? Math.max(...herald.map((r) => r.peakRssMb!)) : null;
  const ratio = h.deliveryRecipientsPerSec / b.recipientsPerSec;
  const endToEndRatio = h.endToEndRecipientsPerSec / b.recipientsPerSec;
  const targets = {
    queueCpu: { valueMs: maxQueueCpu, targetMs: TARGET_QUEUE_CPU_MS, verdict: verdict(maxQueueCpu === null ? null : maxQueueCpu <= TARGET_QUEUE_CPU_MS) },
    peakRss: { valueMb: maxRss, targetMb: TARGET_RSS_MB, verdict: verdict(maxRss === null ? null : maxRss < TARGET_RSS_MB) },
    delivery: { ratio, target: TARGET_RATIO, verdict: verdict(ratio >= TARGET_RATIO) },
  };
  const report = {
    machine: { node: process.version, cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', platform: `${process.platform} ${process.arch}`, busyBeforeStartPct: busyAtStart },
    settings: {
      runs, members: MEMBERS, nesting: `Top > ${MIDS} > ${LEAVES_PER_MID} each > ${USERS_PER_LEAF} users each`, recipientsPerMail: PER_MAIL, mails: MAILS,
      rule: 'notifyModifiedObject', sink: `postfix smtp-sink on 127.0.0.1:${sink.port}`, statistic: 'median run by delivery recipients/s; worst run for CPU and RSS',
    },
    build,
    herald: h,
    raw: b,
    runs: { herald, raw },
    ratio,
    endToEndRatio,
    targets,
  };
  if (json) {
    process.stdout.write(JSON.stringify(report, null, 2) + '\n');
    return;
  }
  const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  const out = [
    `herald fan-out benchmark: one group.set on a group of ${MEMBERS} users nested three levels deep (${report.settings.nesting}),`,
    `"object being modified" on, ${PER_MAIL} recipients per mail -> ${MAILS} mails to smtp-sink on loopback; ${runs} run${runs === 1 ? '' : 's'}`,
    `machine: node ${report.machine.node}, ${report.machine.cpus} CPUs, ${report.machine.cpuModel}, ${report.machine.platform}; CPUs ${busyAtStart === null ? 'n/a' : `${busyAtStart}% busy`} the second before start`,
    `directory build (not timed against targets): ${build.users} users, ${build.groups} groups, ${build.links} links in ${build.calls} CSV imports, ${s(build.elapsedMs)}; build daemon peak RSS ${build.peakRssMb ?? 'n/a'} MB`,
    '',
    'herald (fresh daemon on the built state)',
    `  ${'group.set call -> reply'.padEnd(24)}${s(h.replyMs).padStart(8)}  ${h.queueCpuMs ?? 'n/a'} ms daemon CPU (${MEMBERS} recipients resolved, ${MAILS} mails queued)`,
    `  ${'reply -> last mail Sent'.padEnd(24)}${s(h.deliveryMs).padStart(8)}  ${h.deliveryCpuMs ?? 'n/a'} ms daemon CPU, ${Math.round(h.deliveryRecipientsPerSec)} recipients/s`,
    `  ${'call -> last mail Sent'.padEnd(24)}${s(h.endToEndMs).padStart(8)}  ${Math.round(h.endToEndRecipientsPerSec)} recipients/s`,
    `  mails Sent ${h.mails}, recipients ${h.recipients}, smtp-sink counted ${h.sinkCounted}${h.sinkCounted === h.mails ? '' : ` (expected ${h.mails})`}`,
    `  daemon RSS idle ${h.idleRssMb ?? 'n/a'} MB, peak (VmHWM since start) ${h.peakRssMb ?? 'n/a'} MB`,
    'raw nodemailer (bench/raw-nodemailer.js: the same 1,000 lists of 100, its own 2 KB text body)',
    `  ${'all sent'.padEnd(24)}${s(b.elapsedMs).padStart(8)}  ${Math.round(b.cpuMs)} ms CPU, ${Math.round(b.recipientsPerSec)} recipients/s, smtp-sink counted ${b.sinkCounted}`,
    '',
    'targets',
    `  ${`queued within ${TARGET_QUEUE_CPU_MS} ms of daemon CPU`.padEnd(36)}${String(maxQueueCpu ?? 'n/a').padStart(8)} ms  ${targets.queueCpu.verdict}`,
    `  ${`peak RSS < ${TARGET_RSS_MB} MB`.padEnd(36)}${String(maxRss ?? 'n/a').padStart(8)} MB  ${targets.peakRss.verdict}`,
    `  ${`delivery >= ${TARGET_RATIO}x raw`.padEnd(36)}${ratio.toFixed(2).padStart(8)} x   ${targets.delivery.verdict}  (reply -> all Sent; call -> all Sent would be ${endToEndRatio.toFixed(2)}x)`,
  ];
  if (runs > 1) {
    out.push(`  all runs: reply ${herald.map((r) => s(r.replyMs)).join(' / ')}; queue CPU ${herald.map((r) => `${r.queueCpuMs} ms`).join(' / ')}; herald delivery ${herald.map((r) => Math.round(r.deliveryRecipientsPerSec)).join(' / ')} rcpt/s; raw ${raw.map((r) => Math.round(r.recipientsPerSec)).join(' / ')} rcpt/s`);
  }
  process.stdout.write(out.join('\n') + '\n');
}

runBenchmark(main, GUARD_MS);
