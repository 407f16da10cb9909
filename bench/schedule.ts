/**
 * The life-cycle scheduler under load: 100,000 users, each a temporary member of one group
 * until the same day, membership notices on (on leaving, and two days before). The daemon runs
 * with --test-clock, so each phase is one Set-TestClock call: the clock moves to the reminders'
 * moment (100,000 reminders queued), then past the end date (100,000 removals applied, their
 * change events recorded and 100,000 "on leaving" mails queued). Each phase's time is the call's,
 * with the daemon's CPU over it; the daemon's peak RSS over the two phases is read at the end. Delivery is held back
 * (a rate limit of one mail a minute) so that only the scheduler's own work is measured.
 * A report, not a gate: it exits 0 once it has measured, 1 only when the measurement failed.
 * usage: node dist/bench/schedule.js [--members N] [--batch N] [--json]
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { csvChunks } from './directory-csv.js';
import { cpuMsOf, memoryOf, round1, runBenchmark, startBenchDaemon, stopBenchDaemon, tempDirs } from './processes.js';

const STORE = 'Schedule';
const START = '2027-01-01T09:00:00Z';
const END = '2027-01-20';
const PER_CALL = 1000;

interface Options { members: number; batch: number; json: boolean }

function parseArgs(argv: string[]): Options {
  const options: Options = { members: 100_000, batch: 500, json: false };
  for (let i = 0; i < argv.length; i++) {
    const next = argv[i + 1] ?? '';
    if (argv[i] === '--json') options.json = true;
    else if (argv[i] === '--members' && /^\d+$/.test(next) && Number(next) >= PER_CALL) options.members = Number(argv[++i]);
    else if (argv[i] === '--batch' && /^\d+$/.test(next) && Number(next) > 0) options.batch = Number(argv[++i]);
    else {
      process.stderr.write('usage: node dist/bench/schedule.js [--members N (at least 1000)] [--batch N] [--json]\n');
      process.exit(2);
    }
  }
  return options;
}

interface Phase { name: string; ms: number; cpuMs: number | null; applied: number; notices: number; perSec: number }

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const dir = mkdtempSync(join(tmpdir(), 'herald-bench-schedule-'));
  tempDirs.push(dir);
  const progress = (line: string) => { if (!options.json) process.stderr.write(line + '\n'); };
  const daemon = await startBenchDaemon(dir, { callTimeoutMs: 600_000, args: [`--test-clock=${START}`, '--schedule-batch', String(options.batch)] });
  const { client } = daemon;
  const pid = daemon.child.pid;
  try {
    await client.call('identityStore.create', { name: STORE, type: 'Builtin' });
    // Nothing listens on port 9 of loopback; at one mail a minute the outbox stays out of the way.
    await client.call('smtpServer.set', { identityStore: STORE, server: '127.0.0.1', port: 9, tlsMode: 'None', from: 'herald@bench.example', rateLimitPerMinute: 1 });
    const names = Array.from({ length: options.members }, (_, i) => `u${i}`);
    for (const content of csvChunks([...names.map((name) => `User,${name},,${name}@bench.example,,,`), 'Group,Sales,,,,,'])) {
      await client.call('directoryObject.import', { identityStore: STORE, content, format: 'Csv' });
    }
    progress(`imported ${options.members} users`);
    const setupStart = performance.now();
    for (let i = 0; i < names.length; i += PER_CALL) {
      await client.call('groupMember.add', { identityStore: STORE, groupIdentity: 'Sales', identity: names.slice(i, i + PER_CALL), endDate: END });
    }
    progress(`${options.members} temporary memberships added in ${((performance.now() - setupStart) / 1000).toFixed(1)} s`);
    await client.call('membershipLifecycleNotification.set', { identityStore: STORE, onJoin: false, onLeave: true, daysBeforeLeave: 2 });

    // The peak the setup reached (its calls answer with 1,000 members each) is not the scheduler's:
    // Linux resets a process's peak RSS when 5 is written to its clear_refs.
    const setupPeakMb = memoryOf(pid)?.hwmMb ?? null;
    let peakReset = false;
    try {
      writeFileSync(`/proc/${pid}/clear_refs`, '5');
      peakReset = true;
    } catch {
      progress('cannot reset the peak RSS: the figure below includes the setup');
    }
    const phases: Phase[] = [];
    const measure = async (name: string, now: string) => {
      const cpuBefore = cpuMsOf(pid);
      const started = performance.now();
      await client.call('testClock.set', { now });
      const ms = performance.now() - started;
      const cpuAfter = cpuMsOf(pid);
      const [schedule] = await client.call('schedule.get', { name: 'Lifecycle' });
      const done = schedule.applied || Number(/(\d+) reminders?/.exec(schedule.lastResult ?? '')?.[1] ?? 0);
      phases.push({
        name, ms: Math.round(ms), cpuMs: cpuBefore === null || cpuAfter === null ? null : cpuAfter - cpuBefore,
        applied: done, notices: schedule.notices, perSec: Math.round(done / (ms / 1000)),
      });
      progress(`${name}: ${done} in ${(ms / 1000).toFixed(1)} s, ${schedule.notices} mails queued`);
    };
    await measure('reminders', '2027-01-18T00:00:00Z');
    await measure('removals', '2027-01-20T00:00:00Z');
    const remaining = await client.call('groupMember.get', { identityStore: STORE, identity: 'Sales' });
    if (remaining.length !== 0) throw new Error(`${remaining.length} members remain after the end date`);
    for (const phase of phases) {
      if (phase.applied !== options.members || phase.notices !== options.members) throw new Error(`${phase.name}: ${phase.applied} done and ${phase.notices} mails, expected ${options.members} of each`);
    }
    const memory = memoryOf(pid);
    const result = { members: options.members, batch: options.batch, phases, peakRssMb: memory?.hwmMb ?? null, peakReset, setupPeakMb, rssMb: memory?.rssMb ?? null };
    if (options.json) process.stdout.write(JSON.stringify(result, null, 2) + '\n');
    else {
      for (const p of phases) process.stdout.write(`${p.name.padEnd(10)} ${String(p.applied).padStart(7)} in ${round1(p.ms / 1000)} s (${p.perSec}/s), daemon CPU ${p.cpuMs === null ? '?' : round1(p.cpuMs / 1000) + ' s'}, ${p.notices} mails queued\n`);
      process.stdout.write(`daemon peak RSS during the two phases ${result.peakRssMb ?? '?'} MB${peakReset ? '' : ' (setup included)'}; during the setup ${setupPeakMb ?? '?'} MB; now ${result.rssMb ?? '?'} MB\n`);
    }
  } finally {
    await stopBenchDaemon(daemon);
  }
}

// 100,000 memberships take minutes to set up on a shared machine; a run past half an hour is stuck.
runBenchmark(main, 30 * 60_000);
