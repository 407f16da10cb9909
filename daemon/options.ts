import { homedir } from 'node:os';
import { parseDateTime, resolveStateDir } from '../protocol/index.js';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from './delivery/retry-policy.js';
import { DEFAULT_LIMITS, type ConnectionLimits } from './limits.js';

export interface DaemonOptions {
  stateDir: string;
  /** TCP listeners as `host:port`, served over TLS (wss) with `tls`. */
  listen: string[];
  /** Plain-WebSocket TCP listeners, loopback only: for tests and local tools. */
  insecureListen: string[];
  /** Certificate chain and key (PEM file paths) for the `listen` addresses. */
  tls?: { certFile: string; keyFile: string };
  limits: ConnectionLimits;
  /** Origins allowed to open a WebSocket (browsers send one; everything else sends none). */
  allowOrigins: string[];
  /** Keepalive ping period; sockets that miss a pong are dropped. */
  pingIntervalMs: number;
  logLevel: 'debug' | 'info' | 'warn' | 'error';
  retry: RetryPolicy;
  /** Finished mails are kept this long in the history. */
  historyDays: number;
  /**
   * Tests only: time stands still (at this moment, or at the start) until Set-TestClock moves it,
   * and HERALD_TEST_FAULT may inject crashes.
   */
  testClock?: { start?: Date };
  /** Life-cycle steps or reminders taken per transaction. */
  scheduleBatch: number;
  /** How often changes made in directory servers outside herald are read; 0: only by Sync-IdentityStore. */
  ldapSyncIntervalMs: number;
}

export const USAGE = `usage: heraldd [--state-dir DIR] [--listen HOST:PORT --tls-cert PEM --tls-key PEM]... [--allow-origin ORIGIN]...
               [--log-level debug|info|warn|error]

  --state-dir DIR        where the database, socket, token and log live
                         (default: $HERALD_STATE_DIR, else $XDG_STATE_HOME/herald, else ~/.local/state/herald)
  --listen HOST:PORT     also serve JSON-RPC over TLS (wss://) on TCP; needs --tls-cert and --tls-key
  --tls-cert PEM         the server's certificate chain (PEM file)
  --tls-key PEM          the server's private key (PEM file)
  --insecure-listen HOST:PORT  serve plain ws:// on a loopback address (tests and local tools only)
  --max-connections-per-token N  open connections one token may hold (default: ${DEFAULT_LIMITS.connectionsPerToken})
  --max-calls-per-second N  calls one connection may make per second, 0 for no limit (default: ${DEFAULT_LIMITS.callsPerSecond})
  --max-failed-auth N    refused tokens from one address before it is locked out (default: ${DEFAULT_LIMITS.failedAuthBeforeLockout})
  --auth-lockout SECONDS how long such an address is refused (default: ${DEFAULT_LIMITS.lockoutMs / 1000})
  --allow-origin ORIGIN  accept WebSocket upgrades from this browser origin (repeatable)
  --log-level LEVEL      least severe level written to the log (default: info)
  --retry-first SECONDS  wait before the first retry of a mail the server deferred (default: 300)
  --retry-max SECONDS    longest wait between retries (default: 3600)
  --mail-lifetime SECONDS  give a mail up as Failed after this long undelivered (default: 432000, 5 days)
  --history-days DAYS    keep sent, failed and cancelled mails this long (default: 90)
  --schedule-batch N     life-cycle steps or reminders taken per transaction (default: 500)
  --test-clock[=TIME]    for tests: the clock stands still (at TIME, else now) until Set-TestClock moves it
  --directory-sync SECONDS  read changes made in Ldap and ActiveDirectory stores' servers this often;
                         0 only when Sync-IdentityStore asks (default: 300)`;

export class UsageError extends Error {}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

export function parseDaemonArguments(argv: string[], env: NodeJS.ProcessEnv): DaemonOptions {
  let stateDir: string | undefined;
  const listen: string[] = [];
  const insecureListen: string[] = [];
  let certFile: string | undefined;
  let keyFile: string | undefined;
  const limits = { ...DEFAULT_LIMITS };
  const allowOrigins: string[] = [];
  let logLevel: DaemonOptions['logLevel'] = 'info';
  const retry = { ...DEFAULT_RETRY_POLICY };
  let historyDays = 90;
  let testClock: DaemonOptions['testClock'];
  let scheduleBatch = 500;
  let ldapSyncIntervalMs = 300_000;
  const amount = (flag: string, text: string, unit: string): number => {
    const value = Number(text);
    if (!Number.isFinite(value) || value < 0) throw new UsageError(`${flag} takes a number of ${unit}, not '${text}'`);
    return value;
  };
  const seconds = (flag: string, text: string) => amount(flag, text, 'seconds') * 1000;
  const count = (flag: string, text: string) => {
    const value = amount(flag, text, 'calls or connections');
    if (!Number.isInteger(value)) throw new UsageError(`${flag} takes a whole number, not '${text}'`);
    return value;
  };

  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split(/=(.*)/s, 2);
    const value = (): string => {
      const next = inline ?? argv[++i];
      if (next === undefined || next === '') throw new UsageError(`${flag} needs a value`);
      return next;
    };
    switch (flag) {
      case '--state-dir': stateDir = value(); break;
      case '--listen': listen.push(checkAddress(flag, value())); break;
      case '--insecure-listen': insecureListen.push(checkLoopback(value())); break;
      case '--tls-cert': certFile = value(); break;
      case '--tls-key': keyFile = value(); break;
      case '--max-connections-per-token': limits.connectionsPerToken = count(flag, value()); break;
      case '--max-calls-per-second': limits.callsPerSecond = count(flag, value()); break;
      case '--max-failed-auth': limits.failedAuthBeforeLockout = count(flag, value()); break;
      case '--auth-lockout': limits.lockoutMs = seconds(flag, value()); break;
      case '--allow-origin': allowOrigins.push(value()); break;
      case '--log-level': {
        const level = value();
        if (!['debug', 'info', 'warn', 'error'].includes(level)) throw new UsageError(`--log-level must be debug, info, warn or error, not '${level}'`);
        logLevel = level as DaemonOptions['logLevel'];
        break;
      }
      case '--retry-first': retry.firstMs = seconds(flag, value()); break;
      case '--retry-max': retry.maxMs = seconds(flag, value()); break;
      case '--mail-lifetime': retry.lifetimeMs = seconds(flag, value()); break;
      case '--history-days': historyDays = amount(flag, value(), 'days'); break;
      case '--schedule-batch': {
        scheduleBatch = amount(flag, value(), 'steps');
        if (!Number.isInteger(scheduleBatch) || scheduleBatch < 1) throw new UsageError(`--schedule-batch takes a whole number of steps, at least 1`);
        break;
      }
      case '--test-clock': {
        // The time only inline (--test-clock=TIME): the flag alone must not swallow the next option.
        const start = inline === undefined ? undefined : parseDateTime(inline);
        if (inline !== undefined && start === undefined) throw new UsageError(`--test-clock takes a date and time such as 2026-11-26T09:00Z, not '${inline}'`);
        testClock = { start: start === undefined ? undefined : new Date(start) };
        break;
      }
      case '--directory-sync': ldapSyncIntervalMs = seconds(flag, value()); break;
      case '-h': case '--help': throw new UsageError('');
      default: throw new UsageError(`unknown option '${argv[i]}'`);
    }
  }
  if ((certFile === undefined) !== (keyFile === undefined)) throw new UsageError('--tls-cert and --tls-key go together: give both');
  if (listen.length && certFile === undefined) {
    throw new UsageError(`--listen ${listen[0]} serves wss:// and needs --tls-cert and --tls-key: tokens must not cross a network in clear text`
      + ' (for a plain loopback listener in tests, use --insecure-listen 127.0.0.1:PORT)');
  }
  if (certFile !== undefined && !listen.length) throw new UsageError('--tls-cert and --tls-key are for --listen: give the address to serve wss:// on');
  return {
    stateDir: resolveStateDir(env, homedir(), stateDir),
    listen,
    insecureListen,
    tls: certFile !== undefined && keyFile !== undefined ? { certFile, keyFile } : undefined,
    limits,
    allowOrigins,
    pingIntervalMs: Number(env.HERALD_PING_INTERVAL_MS) || 30_000,
    logLevel,
    retry,
    historyDays,
    testClock,
    scheduleBatch,
    ldapSyncIntervalMs,
  };
}

export function splitHostPort(address: string, flag = '--listen'): { host: string; port: number } {
  const match = /^(\[[^\]]+\]|[^:]+):(\d+)$/.exec(address);
  if (!match) throw new UsageError(`${flag} wants HOST:PORT, not '${address}'`);
  const port = Number(match[2]);
  if (port > 65535) throw new UsageError(`${flag} port must be 0-65535, not ${port}`);
  return { host: match[1].replace(/^\[|\]$/g, ''), port };
}

export function isLoopbackHost(host: string): boolean {
  return LOOPBACK_HOSTS.has(host) || /^127\.\d+\.\d+\.\d+$/.test(host);
}

function checkAddress(flag: string, address: string): string {
  splitHostPort(address, flag);
  return address;
}

function checkLoopback(address: string): string {
  const { host } = splitHostPort(address, '--insecure-listen');
  // Without TLS the token travels in clear text: only where no network can see it.
  if (!isLoopbackHost(host)) {
    throw new UsageError(`--insecure-listen ${address}: plain ws:// is served on loopback addresses only (127.0.0.1, ::1, localhost); `
      + 'for other addresses use --listen with --tls-cert and --tls-key');
  }
  return address;
}
