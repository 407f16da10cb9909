import { statSync } from 'node:fs';
import { createServer as createHttpsServer } from 'node:https';
import { createServer as createTcpServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { connect, type HeraldClient } from '../client/index.js';
import type { RunningDaemon, startDaemon as StartDaemon } from '../daemon/daemon.js';
import type { parseDaemonArguments as ParseDaemonArguments } from '../daemon/options.js';
import { makeCertificates } from './helpers/certificates.js';
import { ROOT, tempDir } from './helpers/daemon.js';
import { runHerald } from './helpers/shell.js';
import { failure } from './helpers/suite.js';

// The daemon runs in this process with a clock the tests move, so that a token can expire.
const certificates = makeCertificates();
const state = tempDir();
const config = tempDir();
let now = new Date('2026-11-26T09:00:00Z');
let daemon: RunningDaemon;
let port = 0;
let url = '';
let local: HeraldClient;
let readerToken = '';
let expiringToken = '';

/** A port free right now, so that a restarted daemon comes back at the same address. */
async function freePort(): Promise<number> {
  const server = createTcpServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port: free } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return free;
}

// The built daemon, as heraldd runs it: it finds its package.json relative to dist/.
const { startDaemon } = await import(join(ROOT, 'dist/daemon/daemon.js')) as { startDaemon: typeof StartDaemon };
const { parseDaemonArguments } = await import(join(ROOT, 'dist/daemon/options.js')) as { parseDaemonArguments: typeof ParseDaemonArguments };

async function start(): Promise<void> {
  const options = parseDaemonArguments([
    '--state-dir', state.dir, '--log-level', 'error',
    '--listen', `127.0.0.1:${port}`, '--tls-cert', certificates.certFile, '--tls-key', certificates.keyFile,
    `--test-clock=${now.toISOString()}`,
  ], {});
  daemon = await startDaemon(options);
}

/** The shell as a remote admin runs it: no local daemon, profiles in a scratch config dir. */
function remoteHerald(args: string[], env: NodeJS.ProcessEnv = {}) {
  return runHerald(args, { stateDir: join(state.dir, 'no-local-daemon'), env: { HERALD_CONFIG_DIR: config.dir, ...env } });
}

const asReader = ['-Url', '', '-Token', '', '-CaCertificate', certificates.caFile];

beforeAll(async () => {
  port = await freePort();
  url = `wss://localhost:${port}`;
  await start();
  local = await connect({ stateDir: state.dir });
  readerToken = (await local.call('apiToken.create', { name: 'reader', role: 'Reader' })).token;
  expiringToken = (await local.call('apiToken.create', { name: 'short-lived', role: 'Administrator', expiresInDays: 1 })).token;
  asReader[1] = url;
  asReader[3] = readerToken;
});

afterAll(async () => {
  await local?.close();
  await daemon?.stop();
  state.cleanup();
  config.cleanup();
  certificates.cleanup();
});

describe('the shell against a remote daemon', () => {
  it('works with -Url, -Token and -CaCertificate', async () => {
    const run = await remoteHerald(['-OutputFormat', 'Json', ...asReader, '-Command', 'Get-ApiToken | Select-Object Name']);
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toEqual([{ Name: 'reader' }, { Name: 'short-lived' }]);
  });

  it('takes the same from HERALD_URL, HERALD_TOKEN and HERALD_CA_CERTIFICATE', async () => {
    const run = await remoteHerald(['-OutputFormat', 'Json', '-Command', '(Get-DaemonStatus).StateDir'], {
      HERALD_URL: url, HERALD_TOKEN: readerToken, HERALD_CA_CERTIFICATE: certificates.caFile,
    });
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toEqual([state.dir]);
  });

  it('saves a profile with the token in a 0600 file, and connects by its name', async () => {
    const saved = await remoteHerald(['-Command', `Save-DaemonProfile -Name prod -Url ${url} -Token ${readerToken} -CaCertificate ${certificates.caFile}`]);
    expect(saved.code).toBe(0);
    const file = join(config.dir, 'profiles', 'prod.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(join(config.dir, 'profiles')).mode & 0o777).toBe(0o700);

    const listed = await remoteHerald(['-OutputFormat', 'Json', '-Command', 'Get-DaemonProfile']);
    expect(JSON.parse(listed.stdout)).toEqual([{ Name: 'prod', Url: url, CaCertificate: certificates.caFile }]);
    expect(listed.stdout).not.toContain(readerToken);

    for (const [args, env] of [[['-Profile', 'prod'], {}], [[], { HERALD_PROFILE: 'prod' }]] as const) {
      const run = await remoteHerald(['-OutputFormat', 'Json', ...args, '-Command', '(Get-DaemonStatus).StateDir'], env);
      expect(run.stderr).toBe('');
      expect(JSON.parse(run.stdout)).toEqual([state.dir]);
    }
    const switched = await remoteHerald(['-OutputFormat', 'Json', '-Command', 'Connect-Daemon -Profile prod | Out-Null; (Get-DaemonStatus).StateDir']);
    expect(JSON.parse(switched.stdout)).toEqual([state.dir]);
  });

  it('names a missing profile and the saved ones', async () => {
    const run = await remoteHerald(['-Profile', 'staging', '-Command', 'Get-DaemonStatus']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("no daemon profile named 'staging'");
    expect(run.stderr).toContain('saved profiles: prod');
  });
});

describe('each way a remote connection fails has its own error', () => {
  const shellError = async (args: string[]) => {
    const run = await remoteHerald([...args, '-Command', 'Get-DaemonStatus']);
    expect(run.code).toBe(1);
    return run.stderr;
  };

  it('a refused connection', async () => {
    const closed = await freePort();
    const stderr = await shellError(['-Url', `wss://localhost:${closed}`, '-Token', readerToken]);
    expect(stderr).toContain(`connection refused: no daemon listens at wss://localhost:${closed}`);
    expect(stderr).toContain('[DaemonUnreachable]');
  });

  it('a wrong token', async () => {
    const stderr = await shellError(['-Url', url, '-Token', 'herald_not-a-token', '-CaCertificate', certificates.caFile]);
    expect(stderr).toContain('refused the token [Unauthenticated]');
  });

  it('an expired token, once its day has passed', async () => {
    const before = await remoteHerald(['-Url', url, '-Token', expiringToken, '-CaCertificate', certificates.caFile, '-Command', 'Get-DaemonStatus']);
    expect(before.code).toBe(0);
    const open = await connect({ url, token: expiringToken, ca: certificates.caPem });
    now = new Date(now.getTime() + 2 * 86_400_000);
    await local.call('testClock.set', { now: now.toISOString() });
    // A connection opened before the expiry is refused its calls after it.
    const late = await failure(open.call('daemon.getStatus'));
    expect(late.errorName).toBe('TokenExpired');
    expect(late.message).toContain('token expired at');
    await open.close();
    const stderr = await shellError(['-Url', url, '-Token', expiringToken, '-CaCertificate', certificates.caFile]);
    expect(stderr).toContain('refused the token: it has expired [TokenExpired]');
    expect(stderr).toContain('New-ApiToken');
    const error = await failure(connect({ url, token: expiringToken, ca: certificates.caPem }));
    expect(error.errorName).toBe('TokenExpired');
    // Still listed, with its expiry, for the administrator to see and remove.
    const [entry] = await local.call('apiToken.get', { name: 'short-lived' });
    expect(Date.parse(entry.expiresAt!)).toBeLessThan(now.getTime());
  });

  it('an untrusted certificate', async () => {
    const stderr = await shellError(['-Url', url, '-Token', readerToken]);
    expect(stderr).toContain(`the certificate of ${url} is not trusted`);
    expect(stderr).toContain('[CertificateUntrusted]');
    expect(stderr).toContain('-CaCertificate');
  });

  it('a daemon of another major protocol version', async () => {
    // A daemon from the future answers its own subprotocol only.
    const https = createHttpsServer({ cert: certificates.certPem, key: certificates.keyPem });
    const wss = new WebSocketServer({ server: https, handleProtocols: () => 'herald.v2' });
    await new Promise<void>((resolve) => https.listen(0, '127.0.0.1', resolve));
    try {
      const future = `wss://localhost:${(https.address() as AddressInfo).port}`;
      const stderr = await shellError(['-Url', future, '-Token', 't', '-CaCertificate', certificates.caFile]);
      expect(stderr).toContain(`${future} does not speak herald.v1`);
      expect(stderr).toContain('[ProtocolMismatch]');
    } finally {
      wss.close();
      await new Promise((resolve) => https.close(resolve));
    }
  });
});

describe('the Node client over wss', () => {
  it('fails a call the daemon does not answer in time with Timeout', async () => {
    // A server that accepts herald.v1 and then never answers anything.
    const https = createHttpsServer({ cert: certificates.certPem, key: certificates.keyPem });
    const wss = new WebSocketServer({ server: https, handleProtocols: () => 'herald.v1' });
    await new Promise<void>((resolve) => https.listen(0, '127.0.0.1', resolve));
    const silent = await connect({ url: `wss://localhost:${(https.address() as AddressInfo).port}`, token: 't', ca: certificates.caPem, timeoutMs: 100 });
    try {
      const error = await failure(silent.call('daemon.getStatus'));
      expect(error.errorName).toBe('Timeout');
      expect(error.message).toContain('no answer within 100 ms');
    } finally {
      await silent.close();
      wss.close();
      await new Promise((resolve) => https.close(resolve));
    }
  });

  it('reconnects after the daemon restarts; a call made meanwhile waits for the new connection', async () => {
    const client = await connect({ url, token: readerToken, ca: certificates.caPem, reconnect: { delayMs: 50 } });
    const reconnected = new Promise<void>((resolve) => client.onReconnect(resolve));
    try {
      expect((await client.call('daemon.getStatus')).stateDir).toBe(state.dir);
      await local.close();
      await daemon.stop();
      // Made while the daemon is down: it waits for the new connection instead of failing.
      const waiting = client.call('apiToken.get', {});
      await start();
      await reconnected;
      expect((await waiting).map((token) => token.name)).toEqual(['reader', 'short-lived']);
      expect((await client.call('daemon.getStatus')).stateDir).toBe(state.dir);
    } finally {
      await client.close();
      local = await connect({ stateDir: state.dir });
    }
  });

  it('stops reconnecting when the token is refused, and says so once', async () => {
    const doomed = (await local.call('apiToken.create', { name: 'doomed', role: 'Reader' })).token;
    const client = await connect({ url, token: doomed, ca: certificates.caPem, reconnect: { delayMs: 20 } });
    const ended = new Promise<string>((resolve) => client.onClose((_code, reason) => resolve(reason)));
    await local.call('apiToken.remove', { name: 'doomed' });
    expect(await ended).toContain('refused the token');
    const error = await failure(client.call('daemon.getStatus'));
    expect(error.errorName).toBe('Unauthenticated');
  });
});
