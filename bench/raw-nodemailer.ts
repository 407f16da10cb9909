/**
 * The delivery benchmark's baseline: plain nodemailer, pooled as herald pools it, sending the
 * same mails straight from memory, with no queue, no database and no RPC. A child process of its
 * own, as herald's daemon is, so neither side shares a CPU core or a heap with the harness.
 * usage: node dist/bench/raw-nodemailer.js PORT RECIPIENTS RECIPIENTS_PER_MAIL
 * Prints one JSON line: { elapsedMs, mails, accepted, failed, firstError, cpuMs }.
 */
import nodemailer from 'nodemailer';
import { BODY, recipientBatches, SENDER, SUBJECT } from './mail-content.js';

async function main(): Promise<void> {
  const [port, recipients, perMail] = process.argv.slice(2).map(Number);
  if (!(port > 0 && recipients > 0 && perMail > 0)) {
    process.stderr.write('usage: node dist/bench/raw-nodemailer.js PORT RECIPIENTS RECIPIENTS_PER_MAIL\n');
    process.exit(2);
  }
  const transporter = nodemailer.createTransport({
    pool: true,
    host: '127.0.0.1',
    port,
    maxConnections: 5,
    // herald's setting: the default recycles each connection every 100 mails.
    maxMessages: Infinity,
    secure: false,
    ignoreTLS: true,
    connectionTimeout: 15_000,
    greetingTimeout: 15_000,
    socketTimeout: 60_000,
    logger: false,
  });
  // The recipient lists exist before the clock starts, as herald's do in the harness.
  const batches = recipientBatches(recipients, perMail);
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  // Everything handed to the pool at once: its own queue feeds the 5 connections, which is the
  // fastest nodemailer can go. Each sendMail builds its MIME message from scratch.
  const results = await Promise.allSettled(batches.map((to) => transporter.sendMail({
    from: SENDER,
    to,
    subject: SUBJECT,
    text: BODY,
    disableFileAccess: true,
    disableUrlAccess: true,
    xMailer: false,
  })));
  const elapsedMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  transporter.close();
  let accepted = 0;
  let failed = 0;
  let firstError: string | null = null;
  for (const result of results) {
    if (result.status === 'fulfilled') accepted += result.value.accepted.length;
    else {
      failed++;
      firstError ??= result.reason instanceof Error ? result.reason.message : String(result.reason);
    }
  }
  process.stdout.write(JSON.stringify({ elapsedMs, mails: batches.length, accepted, failed, firstError, cpuMs: (cpu.user + cpu.system) / 1000 }) + '\n');
}

main().catch((error: unknown) => {
  process.stderr.write(`raw-nodemailer: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
