import { homedir } from 'node:os';
import { resolveStateDir } from '../protocol/index.js';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from './delivery/retry-policy.js';

export interface DaemonOptions {
  stateDir: string;
  /** TCP listeners as `host:port`; loopback only for now. */
  listen: string[];
  /** Origins allowed to open a WebSocket (browsers send one; everything else sends none). */
  allowOrigins: string[];
  /** Keepalive ping period; sockets that miss a pong are dropped. */
  pingIntervalMs: number;
  logLevel: 'debug' | 'info' | 'warn' | 'error';
  retry: RetryPolicy;
  /** Finished mails are kept this long in the history. */
  historyDays: number;
  /** How often changes made in directory servers outside herald are read; 0: only by Sync-IdentityStore. */
  ldapSyncIntervalMs: number;
}

export const USAGE = `usage: heraldd [--state-dir DIR] [--listen HOST:PORT]... [--allow-origin ORIGIN]... [--log-level debug|info|warn|error]

  --state-dir DIR        where the database, socket, token and log live
                         (default: $HERALD_STATE_DIR, else $XDG_STATE_HOME/herald, else ~/.local/state/herald)
  --listen HOST:PORT     also serve JSON-RPC over WebSocket on TCP (loopback addresses only)
  --allow-origin ORIGIN  accept WebSocket upgrades from this browser origin (repeatable)
  --log-level LEVEL      least severe level written to the log (default: info)
  --retry-first SECONDS  wait before the first retry of a mail the server deferred (default: 300)
  --retry-max SECONDS    longest wait between retries (default: 3600)
  --mail-lifetime SECONDS  give a mail up as Failed after this long undelivered (default: 432000, 5 days)
  --history-days DAYS    keep sent, failed and cancelled mails this long (default: 90)
  --directory-sync SECONDS  read changes made in Ldap and ActiveDirectory stores' servers this often;
                         0 only when Sync-IdentityStore asks (default: 300)`;

export class UsageError extends Error {}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

export function parseDaemonArguments(argv: string[], env: NodeJS.ProcessEnv): DaemonOptions {
  let stateDir: string | undefined;
  const listen: string[] = [];
  const allowOrigins: string[] = [];
  let logLevel: DaemonOptions['logLevel'] = 'info';
  const retry = { ...DEFAULT_RETRY_POLICY };
  let historyDays = 90;
  let ldapSyncIntervalMs = 300_000;
  const amount = (flag: string, text: string, unit: string): number => {
    const value = Number(text);
    if (!Number.isFinite(value) || value < 0) throw new UsageError(`${flag} takes a number of ${unit}, not '${text}'`);
    return value;
  };
  const seconds = (flag: string, text: string) => amount(flag, text, 'seconds') * 1000;

  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split(/=(.*)/s, 2);
    const value = (): string => {
      const next = inline ?? argv[++i];
      if (next === undefined || next === '') throw new UsageError(`${flag} needs a value`);
      return next;
    };
    switch (flag) {
      case '--state-dir': stateDir = value(); break;
      case '--listen': listen.push(checkListenAddress(value())); break;
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
      case '--directory-sync': ldapSyncIntervalMs = seconds(flag, value()); break;
      case '-h': case '--help': throw new UsageError('');
      default: throw new UsageError(`unknown option '${argv[i]}'`);
    }
  }
  return {
    stateDir: resolveStateDir(env, homedir(), stateDir),
    listen,
    allowOrigins,
    pingIntervalMs: Number(env.HERALD_PING_INTERVAL_MS) || 30_000,
    logLevel,
    retry,
    historyDays,
    ldapSyncIntervalMs,
  };
}

export function splitHostPort(address: string): { host: string; port: number } {
  const match = /^(\[[^\]]+\]|[^:]+):(\d+)$/.exec(address);
  if (!match) throw new UsageError(`--listen wants HOST:PORT, not '${address}'`);
  const port = Number(match[2]);
  if (port > 65535) throw new UsageError(`--listen port must be 0-65535, not ${port}`);
  return { host: match[1].replace(/^\[|\]$/g, ''), port };
}

function checkListenAddress(address: string): string {
  const { host } = splitHostPort(address);
  // Remote listeners need TLS and token roles; until those exist, only loopback is served.
  if (!LOOPBACK_HOSTS.has(host)) throw new UsageError(`--listen ${address}: only loopback addresses (127.0.0.1, ::1, localhost) are served without TLS`);
  return address;
}
