#!/usr/bin/env node
import { startDaemon } from './daemon.js';
import { parseDaemonArguments, USAGE, UsageError } from './options.js';

async function main(): Promise<void> {
  let options;
  try {
    options = parseDaemonArguments(process.argv.slice(2), process.env);
  } catch (error) {
    if (error instanceof UsageError) {
      if (error.message) process.stderr.write(`heraldd: ${error.message}\n`);
      process.stderr.write(USAGE + '\n');
      process.exit(error.message ? 2 : 0);
    }
    throw error;
  }
  // Everything the daemon writes (database, log, token, socket) is for its owner only.
  process.umask(0o077);
  let daemon;
  try {
    daemon = await startDaemon(options);
  } catch (error) {
    process.stderr.write(`heraldd: cannot start: ${(error as Error).message}\n`);
    process.exit(1);
  }
  let stopping = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (stopping) {
      // A second Ctrl-C means "now"; a repeated SIGTERM changes nothing.
      if (signal === 'SIGINT') process.exit(130);
      return;
    }
    stopping = true;
    daemon.log.info('signal received', { signal });
    daemon.stop().then(() => process.exit(0), (error) => {
      daemon.log.error('unclean stop', { error });
      process.exit(1);
    });
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
}

void main();
