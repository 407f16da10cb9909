import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { connect, type HeraldClient } from '../client/index.js';
import { makeCertificates } from './helpers/certificates.js';
import { runHeraldd, startTestDaemon, tempDir, type TestDaemon } from './helpers/daemon.js';
import { heraldJson, runHerald } from './helpers/shell.js';
import { failure } from './helpers/suite.js';

const certificates = makeCertificates();
const temp = tempDir();
const limitedTemp = tempDir();
let daemon: TestDaemon;
/** The same daemon's twin with tight limits, so that lockouts there do not disturb the tests here. */
let limited: TestDaemon;
let admin: HeraldClient;

const over = (target: TestDaemon, token: string) => connect({ url: target.wssUrl!, token, ca: certificates.caPem });

/** A raw upgrade with headers of our choosing; resolves to the HTTP status of a refusal, or 101. */
function upgradeStatus(url: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    // servername keeps TLS checking the certificate for localhost whatever Host says.
    const options: WebSocket.ClientOptions & { servername: string } = { headers, ca: certificates.caPem, servername: 'localhost' };
    const ws = new WebSocket(url, ['herald.v1'], options);
    ws.once('open', () => { ws.close(); resolve(101); });
    ws.once('unexpected-response', (_request, response) => { resolve(response.statusCode ?? 0); ws.terminate(); });
    ws.once('error', (error) => { if (!/Unexpected server response/.test(error.message)) reject(error); });
  });
}

beforeAll(async () => {
  const tls = { certFile: certificates.certFile, keyFile: certificates.keyFile };
  [daemon, limited] = await Promise.all([
    startTestDaemon({ stateDir: temp.dir, tls }),
    startTestDaemon({
      stateDir: limitedTemp.dir, tls,
      extraArgs: ['--max-connections-per-token', '2', '--max-calls-per-second', '5', '--max-failed-auth', '3', '--auth-lockout', '600'],
    }),
  ]);
  admin = await over(daemon, daemon.token);
});

afterAll(async () => {
  await admin?.close();
  expect(await daemon.stop()).toBe(0);
  expect(await limited.stop()).toBe(0);
  temp.cleanup();
  limitedTemp.cleanup();
  certificates.cleanup();
});

describe('starting a network listener', () => {
  it('refuses --listen without TLS, explaining why and what to use, before touching the state dir', async () => {
    const state = join(temp.dir, 'never');
    const run = await runHeraldd(['--state-dir', state, '--listen', '10.1.2.3:7443']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('needs --tls-cert and --tls-key');
    expect(run.stderr).toContain('--insecure-listen');
    expect(existsSync(state)).toBe(false);
  });

  it('serves plain ws:// with --insecure-listen on loopback only', async () => {
    const run = await runHeraldd(['--state-dir', join(temp.dir, 'never'), '--insecure-listen', '10.1.2.3:7000']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('loopback addresses only');
  });

  it('stops at start, naming the file, when the certificate cannot be read', async () => {
    const scratch = tempDir();
    try {
      const run = await runHeraldd(['--state-dir', scratch.dir, '--listen', '127.0.0.1:0', '--tls-cert', '/nonexistent/cert.pem', '--tls-key', certificates.keyFile]);
      expect(run.code).toBe(1);
      expect(run.stderr).toContain('cannot start: --tls-cert /nonexistent/cert.pem: ENOENT');
    } finally {
      scratch.cleanup();
    }
  });
});

describe('a daemon over wss://', () => {
  it('lists its wss:// listener and answers the typed client that trusts its CA', async () => {
    const status = await admin.call('daemon.getStatus');
    expect(status.listeners.some((address) => /^wss:\/\/127\.0\.0\.1:\d+$/.test(address))).toBe(true);
    expect(status.listeners.some((address) => address.startsWith('ws://'))).toBe(false);
  });

  it('is refused by a client that does not trust its certificate, with CertificateUntrusted', async () => {
    const error = await failure(connect({ url: daemon.wssUrl!, token: daemon.token }));
    expect(error.errorName).toBe('CertificateUntrusted');
    expect(error.data?.remedy).toContain('-CaCertificate');
  });

  it('checks the Host header on a loopback listener (DNS rebinding)', async () => {
    const port = new URL(daemon.wssUrl!).port;
    const bearer = { Authorization: `Bearer ${daemon.token}` };
    expect(await upgradeStatus(daemon.wssUrl!, { ...bearer, Host: `attacker.example:${port}` })).toBe(403);
    expect(await upgradeStatus(daemon.wssUrl!, { ...bearer, Host: `localhost:${port}` })).toBe(101);
  });

  it('refuses every Origin by default: the allow-list starts empty', async () => {
    const bearer = { Authorization: `Bearer ${daemon.token}` };
    expect(await upgradeStatus(daemon.wssUrl!, { ...bearer, Origin: 'https://localhost' })).toBe(403);
    expect(await upgradeStatus(daemon.wssUrl!, { ...bearer, Origin: 'null' })).toBe(403);
  });
});

describe('API tokens', () => {
  let readerToken: string;
  let adminToken: string;

  it('New-ApiToken prints the token once; Get-ApiToken lists tokens without it', async () => {
    const made = await heraldJson('New-ApiToken -Name nightly-report -Role Reader -ExpiresInDays 30', temp.dir);
    expect(made.code).toBe(0);
    const [reader] = made.objects as { Name: string; Role: string; Token: string; ExpiresAt: string }[];
    expect(reader).toMatchObject({ Name: 'nightly-report', Role: 'Reader' });
    expect(reader.Token).toMatch(/^herald_[A-Za-z0-9_-]{43}$/);
    expect(Date.parse(reader.ExpiresAt) - Date.now()).toBeGreaterThan(29 * 86_400_000);
    readerToken = reader.Token;
    adminToken = (await admin.call('apiToken.create', { name: 'remote-admin', role: 'Administrator' })).token;

    const listed = await heraldJson('Get-ApiToken', temp.dir);
    expect(listed.objects).toHaveLength(2);
    for (const entry of listed.objects as Record<string, unknown>[]) {
      expect(Object.keys(entry).sort()).toEqual(['CreatedAt', 'ExpiresAt', 'LastUsedAt', 'Name', 'Role']);
    }
    expect(JSON.stringify(listed.objects)).not.toContain(readerToken);
  });

  it('keeps only a SHA-256 of each token in the database', () => {
    const db = new Database(join(temp.dir, 'herald.db'), { readonly: true, fileMustExist: true });
    try {
      const rows = db.prepare('SELECT * FROM api_token ORDER BY name_key').all() as { name: string; hash: string }[];
      expect(rows.map((row) => row.name)).toEqual(['nightly-report', 'remote-admin']);
      expect(rows[0].hash).toBe(createHash('sha256').update(readerToken).digest('hex'));
      expect(JSON.stringify(rows)).not.toContain(readerToken);
      expect(JSON.stringify(rows)).not.toContain(adminToken);
    } finally {
      db.close();
    }
  });

  it('lets a Reader read and refuses its writes with AccessDenied naming the method', async () => {
    const reader = await over(daemon, readerToken);
    try {
      expect(await reader.call('identityStore.get', {})).toEqual([]);
      const error = await failure(reader.call('identityStore.create', { name: 'Corp', type: 'Builtin' }));
      expect(error.errorName).toBe('AccessDenied');
      expect(error.message).toContain('identityStore.create');
      expect(error.data?.method).toBe('identityStore.create');
      expect(await reader.call('identityStore.get', {})).toEqual([]);
      const revoke = await failure(reader.call('apiToken.remove', { name: 'remote-admin' }));
      expect(revoke.errorName).toBe('AccessDenied');
    } finally {
      await reader.close();
    }
    const [entry] = await admin.call('apiToken.get', { name: 'nightly-report' });
    expect(entry.lastUsedAt).not.toBeNull();
  });

  it('lets an Administrator token change things, and the change history names the token', async () => {
    const remote = await over(daemon, adminToken);
    try {
      await remote.call('identityStore.create', { name: 'Corp', type: 'Builtin' });
      await remote.call('user.create', { identityStore: 'Corp', name: 'jdoe' });
      const [change] = await remote.call('changeHistory.get', { identityStore: 'Corp', first: 1 });
      expect(change.actor).toBe('token remote-admin');
    } finally {
      await remote.close();
    }
  });

  it('refuses a Reader in the shell too, naming the method', async () => {
    const run = await runHerald(['-Url', daemon.wssUrl!, '-Token', readerToken, '-CaCertificate', certificates.caFile, '-Command', 'New-IdentityStore -Name Other -Type Builtin'], { stateDir: temp.dir });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('identityStore.create (New-IdentityStore) makes changes and needs an Administrator token');
    expect(run.stderr).toContain('[AccessDenied]');
  });

  it('refuses a second token of the same name, whatever its case', async () => {
    const error = await failure(admin.call('apiToken.create', { name: 'NIGHTLY-report', role: 'Administrator' }));
    expect(error.errorName).toBe('Conflict');
    expect(error.data?.field).toBe('name');
  });

  it('Remove-ApiToken closes the token\'s connections and refuses it from then on', async () => {
    const doomed = (await admin.call('apiToken.create', { name: 'doomed', role: 'Reader' })).token;
    const open = await over(daemon, doomed);
    const closed = new Promise<number>((resolve) => open.onClose((code) => resolve(code)));
    const run = await runHerald(['-Command', 'Remove-ApiToken doomed -Force'], { stateDir: temp.dir });
    expect(run.code).toBe(0);
    expect(await closed).toBe(1008);
    expect((await failure(over(daemon, doomed))).errorName).toBe('Unauthenticated');
    expect((await failure(admin.call('apiToken.remove', { name: 'doomed' }))).errorName).toBe('NotFound');
  });
});

describe('limits', () => {
  it('refuses a token more connections than allowed, and admits it again once one closes', async () => {
    const first = await over(limited, limited.token);
    const second = await over(limited, limited.token);
    const third = await failure(over(limited, limited.token));
    expect(third.errorName).toBe('RateLimited');
    expect(third.message).toContain('too many connections');
    await first.close();
    // The daemon counts the close once its side of the socket has closed too: allow it a moment.
    let again: HeraldClient | undefined;
    for (let attempt = 0; attempt < 50 && !again; attempt++) {
      again = await over(limited, limited.token).catch(async () => { await new Promise((resolve) => setTimeout(resolve, 20)); return undefined; });
    }
    expect(again).toBeDefined();
    await Promise.all([second.close(), again!.close()]);
  });

  it('answers calls beyond a connection\'s rate with RateLimited and serves the rest', async () => {
    const client = await over(limited, limited.token);
    try {
      const outcomes = await Promise.all(Array.from({ length: 12 }, () => client.call('identityStore.get', {}).then(() => 'ok', (error) => error.errorName as string)));
      expect(outcomes.filter((outcome) => outcome === 'ok').length).toBeGreaterThanOrEqual(5);
      expect(outcomes).toContain('RateLimited');
      expect(outcomes.every((outcome) => outcome === 'ok' || outcome === 'RateLimited')).toBe(true);
    } finally {
      await client.close();
    }
  });

  it('locks out an address after repeated wrong tokens: even the right token is then refused for a while', async () => {
    for (let attempt = 0; attempt < 3; attempt++) expect((await failure(over(limited, `wrong-${attempt}`))).errorName).toBe('Unauthenticated');
    const locked = await failure(over(limited, limited.token));
    expect(locked.errorName).toBe('RateLimited');
    expect(locked.message).toMatch(/retry in \d+ s/);
    expect(locked.data?.retryAfterSeconds).toBeGreaterThan(500);
    // The Unix socket is its owner's alone: no lockout there.
    const local = await limited.client();
    await local.close();
  });
});
