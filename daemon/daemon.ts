import { readFileSync } from 'node:fs';
import { createAuthenticator } from './authentication.js';
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
import { systemClock, testClock } from './clock.js';
import { createFaults } from './scheduler/faults.js';
import { createLifecycleNotifier } from './scheduler/lifecycle-notices.js';
import { lifecycleBatch, nextLifecycleMoment } from './scheduler/lifecycle-schedule.js';
import type { LifecycleContext } from './scheduler/link-lifecycle.js';
import { createScheduler } from './scheduler/scheduler.js';
import { nextGroupDue, passwordExpiryBatch } from './smart-groups/password-expiry.js';

export const VERSION: string = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

export interface RunningDaemon {
  log: Logger;
  addresses(): string[];
  /** Graceful stop: refuse new work, finish calls under way, close sockets and the database. */
  stop(): Promise<void>;
}

export async function startDaemon(options: DaemonOptions): Promise<RunningDaemon> {
  const daemonClock = options.testClock ? testClock(options.testClock.start) : systemClock();
  const clock = daemonClock.now;
  const paths = prepareStateDir(options.stateDir);
  const log = createLogger(paths.log, options.logLevel);
  const token = loadOrCreateToken(paths.token);
  const tls = options.tls && readTlsFiles(options.tls);
  const secrets = loadSecretBox({ stateDir: paths.dir, env: process.env });
  const db: Db = openDatabase(paths.database);
  let listeners: Listeners | undefined;
  const startedAt = clock();
  const tokens = lazyTokenSource();
  const transports = new TransportCache(tokens);
  const worker = new DeliveryWorker({ db, secrets, clock, log, transports, policy: options.retry });
  // The sync records what it finds through the change recorder, made below.
  const ldapStores = createLdapStores({ db, secrets, changes: () => changes, clock, log });
  // Stores with a directory server read a copy the sync keeps current; the others, the builtin directory.
  const directory = (storeId: number) => ldapStores.provider(storeId) ?? createBuiltinDirectory(db, storeId);
  const notifierDependencies = {
    db, directory, clock, policy: options.retry, wake: () => worker.wake(),
    rememberCredential: (ids: number[], credential: { user: string; pass: string }) => worker.rememberCredential(ids, credential),
  };
  const changes = createChangeRecorder(db, clock, createNotifier(notifierDependencies));
  const lifecycle: LifecycleContext = {
    db, directory, changes, notify: createLifecycleNotifier(notifierDependencies),
    fault: createFaults(process.env.HERALD_TEST_FAULT, daemonClock.test !== undefined),
    // The scheduler is made next, with this context's work to do.
    wake: () => scheduler.wake(),
  };
  const scheduler = createScheduler({
    db, clock: daemonClock, log, batchSize: options.scheduleBatch, fault: lifecycle.fault,
    schedules: [{
      name: 'Lifecycle',
      description: 'Applies temporary memberships, ownerships and managements on their dates and sends the life-cycle notices and reminders.',
      intervalMs: 3_600_000,
      unit: 'transition',
      // On a directory-backed store a step's change reaches the server before herald commits it.
      batch: (at, limit) => ldapStores.writeThrough(() => lifecycleBatch(lifecycle, at, limit)),
      nextMoment: (at) => nextLifecycleMoment(db, at),
    }, {
      name: 'PasswordExpiryGroups',
      description: 'Updates every password-expiry group once a day and, for those that send email, warns each member.',
      intervalMs: 86_400_000,
      unit: 'group update',
      batch: (at) => ldapStores.writeThrough(() => passwordExpiryBatch({ ...lifecycle, notifier: notifierDependencies }, at, (message, fields) => log.warn(message, fields))),
      nextMoment: (at) => nextGroupDue(db, at),
    }],
  });
  const services: Services = {
    db,
    secrets,
    delivery: {
      wake: () => worker.wake(), forgetStore: (id) => transports.forget(id), policy: options.retry, tokens,
      rememberCredential: (ids, credential) => worker.rememberCredential(ids, credential),
    },
    directory,
    changes,
    ldap: ldapStores,
    clock,
    scheduler,
    lifecycle,
    log,
    runtime: {
      version: VERSION,
      stateDir: paths.dir,
      startedAt,
      listeners: () => listeners?.addresses() ?? [],
      connections: () => listeners?.connections() ?? 0,
      closeTokenConnections: (tokenId) => listeners?.closeTokenConnections(tokenId),
    },
  };
  const handlers = withDirectoryWriteThrough(createHandlers(services), services);
  const dispatcher = createDispatcher(handlers, log, VERSION, { validateResults: process.env.HERALD_VALIDATE_RESULTS === '1', clock });
  try {
    listeners = await startListeners({
      socketPath: paths.socket,
      tcp: options.listen,
      insecureTcp: options.insecureListen,
      tls,
      authenticate: createAuthenticator(db, token, clock),
      limits: options.limits,
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
  // Only now: the listener proved no other daemon runs on this state directory.
  worker.start();
  // What fell due while the daemon was down happens now, once; Get-Schedule waits for it.
  void scheduler.start().catch((error: unknown) => log.error('schedule failed', { error }));
  ldapStores.startTimer(options.ldapSyncIntervalMs);
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
        await scheduler.stop();
        await worker.stop();
        await ldapStores.close();
        transports.closeAll();
        db.close();
        log.info('daemon stopped');
      })();
      return stopping;
    },
  };
}

/** Read at start, so that a wrong path stops the daemon with a clear message instead of the first client. */
function readTlsFiles(files: { certFile: string; keyFile: string }): { cert: string; key: string } {
  const read = (flag: string, path: string) => {
    try {
      return readFileSync(path, 'utf8');
    } catch (error) {
      throw new Error(`${flag} ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    }
  };
  const cert = read('--tls-cert', files.certFile);
  const key = read('--tls-key', files.keyFile);
  if (!cert.includes('-----BEGIN CERTIFICATE-----')) throw new Error(`--tls-cert ${files.certFile}: not a PEM certificate`);
  if (!/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(key)) throw new Error(`--tls-key ${files.keyFile}: not a PEM private key`);
  return { cert, key };
}
