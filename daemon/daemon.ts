import { readFileSync } from 'node:fs';
import type { Db } from './database.js';
import { openDatabase } from './database.js';
import { createDispatcher } from './dispatcher.js';
import type { Services } from './context.js';
import { createHandlers } from './handlers/index.js';
import { startListeners, type Listeners } from './listeners.js';
import { createLogger, type Logger } from './logger.js';
import type { DaemonOptions } from './options.js';
import { lazyTokenSource } from './delivery/lazy-tokens.js';
import { TransportCache } from './delivery/transport-cache.js';
import { pruneHistory } from './delivery/outbox.js';
import { createBuiltinDirectory } from './directory/builtin-directory.js';
import { createLdapStores } from './directory/ldap/ldap-stores.js';
import { withDirectoryWriteThrough } from './handlers/write-through.js';
import { createNotifier } from './notifier/notifier.js';
import { createChangeRecorder } from './notifier/recorder.js';
import { DeliveryWorker } from './delivery/worker.js';
import { loadSecretBox } from './secrets.js';
import { loadOrCreateToken, prepareStateDir } from './state-dir.js';

export const VERSION: string = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

export interface RunningDaemon {
  log: Logger;
  addresses(): string[];
  /** Graceful stop: refuse new work, finish calls under way, close sockets and the database. */
  stop(): Promise<void>;
}

export async function startDaemon(options: DaemonOptions, clock: () => Date = () => new Date()): Promise<RunningDaemon> {
  const paths = prepareStateDir(options.stateDir);
  const log = createLogger(paths.log, options.logLevel);
  const token = loadOrCreateToken(paths.token);
  const secrets = loadSecretBox({ stateDir: paths.dir, env: process.env });
  const db: Db = openDatabase(paths.database);
  let listeners: Listeners | undefined;
  const startedAt = clock();
  const tokens = lazyTokenSource();
  const transports = new TransportCache(tokens);
  const worker = new DeliveryWorker({ db, secrets, clock, log, transports, policy: options.retry });
  const changes = createChangeRecorder(db, clock, createNotifier({
    db, directory: (storeId) => directory(storeId), clock, policy: options.retry, wake: () => worker.wake(),
    rememberCredential: (ids, credential) => worker.rememberCredential(ids, credential),
  }));
  const ldap = createLdapStores({ db, secrets, changes: () => changes, clock, log });
  // Stores with a directory server read a copy the sync keeps current; the others, the builtin directory.
  const directory = (storeId: number) => ldap.provider(storeId) ?? createBuiltinDirectory(db, storeId);
  const services: Services = {
    db,
    secrets,
    delivery: {
      wake: () => worker.wake(), forgetStore: (id) => transports.forget(id), policy: options.retry, tokens,
      rememberCredential: (ids, credential) => worker.rememberCredential(ids, credential),
    },
    directory,
    changes,
    ldap,
    clock,
    log,
    runtime: {
      version: VERSION,
      stateDir: paths.dir,
      startedAt,
      listeners: () => listeners?.addresses() ?? [],
      connections: () => listeners?.connections() ?? 0,
    },
  };
  const handlers = withDirectoryWriteThrough(createHandlers(services), services);
  const dispatcher = createDispatcher(handlers, log, VERSION, { validateResults: process.env.HERALD_VALIDATE_RESULTS === '1' });
  try {
    listeners = await startListeners({
      socketPath: paths.socket,
      tcp: options.listen,
      token,
      allowOrigins: options.allowOrigins,
      pingIntervalMs: options.pingIntervalMs,
      dispatcher,
      log,
    });
  } catch (error) {
    db.close();
    throw error;
  }
  const running = listeners;
  worker.start();
  ldap.startTimer(options.ldapSyncIntervalMs);
  // The history is kept for a while, not forever: prune it at start and then daily.
  const prune = () => {
    const removed = pruneHistory(db, new Date(clock().getTime() - options.historyDays * 86_400_000));
    if (removed) log.info('old mails pruned from the history', { mails: removed, historyDays: options.historyDays });
  };
  prune();
  const pruning = setInterval(prune, 86_400_000);
  pruning.unref();
  log.info('daemon started', { version: VERSION, pid: process.pid, stateDir: paths.dir, listeners: running.addresses() });

  let stopping: Promise<void> | undefined;
  return {
    log,
    addresses: () => running.addresses(),
    stop() {
      stopping ??= (async () => {
        log.info('daemon stopping');
        await running.stopAccepting();
        await dispatcher.drain();
        await running.closeConnections();
        clearInterval(pruning);
        await worker.stop();
        await ldap.close();
        transports.closeAll();
        db.close();
        log.info('daemon stopped');
      })();
      return stopping;
    },
  };
}
