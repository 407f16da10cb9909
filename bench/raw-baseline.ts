import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { SmtpSink } from './postfix-tools.js';
import { track } from './processes.js';

/** What the raw nodemailer baseline reports of one run, with smtp-sink's own count beside it. */
export interface RawRun {
  elapsedMs: number;
  mails: number;
  accepted: number;
  cpuMs: number;
  /** Messages smtp-sink counted during the run: a check that owes nothing to the sender's own bookkeeping. */
  sinkCounted: number;
}

/**
 * bench/raw-nodemailer.js in a child of its own, timed inside the child, sending `recipients`
 * addresses in lists of `perMail` into the sink. Fails unless every recipient was accepted.
 */
export async function runRawNodemailer(sink: SmtpSink, recipients: number, perMail: number, deadlineMs: number): Promise<RawRun> {
  const sinkBefore = sink.messages();
  const child = spawn(process.execPath, [fileURLToPath(new URL('./raw-nodemailer.js', import.meta.url)), String(sink.port), String(recipients), String(perMail)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  track(child);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => { stdout += chunk.toString(); });
  child.stderr!.on('data', (chunk: Buffer) => { stderr = (stderr + chunk.toString()).slice(-2000); });
  const code = await new Promise<number | null>((resolve, reject) => {
    const deadline = setTimeout(() => reject(new Error(`raw nodemailer did not finish within ${deadlineMs / 1000} s`)), deadlineMs);
    child.once('exit', (exitCode) => { clearTimeout(deadline); resolve(exitCode); });
  });
  if (code !== 0) throw new Error(`raw nodemailer exited with ${code}: ${stderr.trim()}`);
  const out = JSON.parse(stdout) as { elapsedMs: number; mails: number; accepted: number; failed: number; firstError: string | null; cpuMs: number };
  if (out.failed > 0 || out.accepted !== recipients) {
    throw new Error(`raw nodemailer: ${out.accepted} of ${recipients} recipients accepted, ${out.failed} mails failed${out.firstError ? ` (${out.firstError})` : ''}`);
  }
  const sinkCounted = (await sink.waitForMessages(sinkBefore + out.mails, 2000)) - sinkBefore;
  return { elapsedMs: out.elapsedMs, mails: out.mails, accepted: out.accepted, cpuMs: out.cpuMs, sinkCounted };
}
