import { chmodSync, existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runHeraldd, startTestDaemon, tempDir, type TestDaemon } from './helpers/daemon.js';
import { openRaw } from './helpers/raw-socket.js';

// Who may open a WebSocket to the daemon: the HTTP upgrade is where the token, the Origin and
// the Host header are checked, before any JSON-RPC is spoken. Also the files the daemon keeps
// private, and how heraldd refuses bad command lines and a second instance.

let daemon: TestDaemon;
const temp = tempDir();
// A state dir that already exists with loose permissions: the daemon must tighten it.
const stateDir = join(temp.dir, 'state');

beforeAll(async () => {
  mkdirSync(stateDir);
  chmodSync(stateDir, 0o755);
  daemon = await startTestDaemon({ stateDir, tcp: true });
  expect(daemon.tcpUrl).toMatch(/^ws:\/\/127\.0\.0\.1:\d+$/);
});

afterAll(async () => {
  expect(await daemon.stop()).toBe(0);
  temp.cleanup();
});

/** Resolves with the HTTP status that refused the upgrade, or 101 when the socket opened. */
async function upgradeStatus(url: string, options: Parameters<typeof openRaw>[1]): Promise<number> {
  try {
    const socket = await openRaw(url, options);
    await socket.close();
    return 101;
  } catch (error) {
    const status = (error as { status?: number }).status;
    if (status === undefined) throw error;
    return status;
  }
}

/** Runs heraldd to completion; resolves with its exit code and what it wrote to stderr. */
/** The same token with its last character changed to another valid base64url character. */
function lastCharacterChanged(token: string): string {
  const last = token.at(-1)!;
  return token.slice(0, -1) + (last === 'A' ? 'B' : 'A');
}

const urls = () => [['Unix socket', daemon.socketUrl], ['TCP', daemon.tcpUrl!]] as const;

describe('authentication', () => {
  it('refuses a connection without a token with 401, on the Unix socket and on TCP', async () => {
    for (const [, url] of urls()) {
      await expect(openRaw(url)).rejects.toMatchObject({ status: 401 });
    }
  });

  it('refuses a wrong token with 401, on both listeners', async () => {
    for (const [, url] of urls()) {
      expect(await upgradeStatus(url, { token: 'not-the-token' })).toBe(401);
    }
  });

  it('refuses a token that differs only in its last character', async () => {
    const nearMiss = lastCharacterChanged(daemon.token);
    expect(nearMiss).not.toBe(daemon.token);
    expect(nearMiss).toHaveLength(daemon.token.length);
    for (const [, url] of urls()) expect(await upgradeStatus(url, { token: nearMiss })).toBe(401);
  });

  it('refuses the token sent as Basic credentials', async () => {
    const basic = Buffer.from(`admin:${daemon.token}`).toString('base64');
    for (const [, url] of urls()) {
      expect(await upgradeStatus(url, { headers: { Authorization: `Basic ${basic}` } })).toBe(401);
      expect(await upgradeStatus(url, { headers: { Authorization: `Basic ${daemon.token}` } })).toBe(401);
    }
  });

  it('accepts the right token, as a control for the refusals above', async () => {
    for (const [, url] of urls()) expect(await upgradeStatus(url, { token: daemon.token })).toBe(101);
  });

  it('accepts the token as a bearer.* subprotocol entry and never echoes it back', async () => {
    for (const [, url] of urls()) {
      const socket = await openRaw(url, { protocols: ['herald.v1', `bearer.${daemon.token}`] });
      try {
        expect(socket.ws.protocol).toBe('herald.v1');
        // The connection is authenticated: a call goes through.
        const reply = await socket.exchange(JSON.stringify({ jsonrpc: '2.0', method: 'daemon.getStatus', id: 1 }));
        expect(reply).toMatchObject({ id: 1, result: { protocolVersion: '1.0' } });
      } finally {
        await socket.close();
      }
    }
  });

  it('refuses a wrong token in the subprotocol entry', async () => {
    expect(await upgradeStatus(daemon.tcpUrl!, { protocols: ['herald.v1', `bearer.${lastCharacterChanged(daemon.token)}`] })).toBe(401);
  });
});

describe('origin and host', () => {
  it('refuses a browser origin with 403 even with the right token', async () => {
    for (const [, url] of urls()) {
      expect(await upgradeStatus(url, { token: daemon.token, headers: { Origin: 'https://evil.example' } })).toBe(403);
    }
  });

  it('accepts an origin allowed with --allow-origin, and still refuses others', async () => {
    const other = tempDir();
    // Left for the daemon to create: it must come out private too.
    const otherState = join(other.dir, 'state');
    const allowing = await startTestDaemon({ stateDir: otherState, tcp: true, extraArgs: ['--allow-origin', 'https://admin.corp.example'] });
    try {
      expect(statSync(otherState).mode & 0o777).toBe(0o700);
      for (const url of [allowing.socketUrl, allowing.tcpUrl!]) {
        expect(await upgradeStatus(url, { token: allowing.token, headers: { Origin: 'https://admin.corp.example' } })).toBe(101);
        expect(await upgradeStatus(url, { token: allowing.token, headers: { Origin: 'https://evil.example' } })).toBe(403);
        // An allowed origin does not replace the token.
        expect(await upgradeStatus(url, { headers: { Origin: 'https://admin.corp.example' } })).toBe(401);
      }
    } finally {
      expect(await allowing.stop()).toBe(0);
      other.cleanup();
    }
  });

  it('refuses a TCP upgrade whose Host header is not loopback with 403 (DNS rebinding)', async () => {
    expect(await upgradeStatus(daemon.tcpUrl!, { token: daemon.token, headers: { Host: 'evil.example:1234' } })).toBe(403);
    // A loopback Host with the listener's port is fine.
    const port = new URL(daemon.tcpUrl!).port;
    expect(await upgradeStatus(daemon.tcpUrl!, { token: daemon.token, headers: { Host: `localhost:${port}` } })).toBe(101);
  });

  it('answers a plain HTTP GET on the TCP port with 426 Upgrade Required', async () => {
    const response = await fetch(daemon.tcpUrl!.replace(/^ws:/, 'http:') + '/');
    expect(response.status).toBe(426);
    expect(response.headers.get('upgrade')).toBe('websocket');
    await response.text();
  });
});

describe('private files', () => {
  it('keeps the state dir 0700 and the socket, token and database 0600', () => {
    const mode = (name: string) => statSync(join(stateDir, name)).mode & 0o777;
    expect(statSync(stateDir).mode & 0o777).toBe(0o700);
    expect(mode('herald.sock')).toBe(0o600);
    expect(mode('token')).toBe(0o600);
    expect(mode('herald.db')).toBe(0o600);
    for (const sidecar of ['herald.db-wal', 'herald.db-shm', 'herald.log']) {
      if (existsSync(join(stateDir, sidecar))) expect(mode(sidecar), sidecar).toBe(0o600);
    }
  });

  it('never writes the token to its log, refused attempts included', () => {
    const log = readFileSync(join(stateDir, 'herald.log'), 'utf8');
    // The refusals above were logged, so the file is the right one and is being written.
    expect(log).toContain('upgrade refused: bad or missing token');
    expect(log).toContain('upgrade refused: origin not allowed');
    expect(log).toContain('upgrade refused: unexpected Host header');
    expect(log).not.toContain(daemon.token);
    expect(daemon.stderr()).not.toContain(daemon.token);
  });
});

describe('command line', () => {
  it('refuses --listen on a non-loopback address with exit code 2, before touching the state dir', async () => {
    const scratch = tempDir();
    try {
      const state = join(scratch.dir, 'state');
      const run = await runHeraldd(['--state-dir', state, '--listen', '10.1.2.3:7000']);
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/loopback/);
      expect(existsSync(state)).toBe(false);
    } finally {
      scratch.cleanup();
    }
  });

  it('refuses an unknown option with exit code 2 and the usage', async () => {
    const scratch = tempDir();
    try {
      const run = await runHeraldd(['--state-dir', join(scratch.dir, 'state'), '--bogus']);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain('--bogus');
      expect(run.stderr).toContain('usage: heraldd');
    } finally {
      scratch.cleanup();
    }
  });

  it('refuses to start a second daemon on the same state dir (exit 1), and the first keeps serving', async () => {
    const second = await runHeraldd(['--state-dir', stateDir]);
    expect(second.code).toBe(1);
    expect(second.stderr).toMatch(/another herald daemon is already listening/);
    // The first daemon's socket was not taken away from it.
    expect(existsSync(join(stateDir, 'herald.sock'))).toBe(true);
    const client = await daemon.client();
    try {
      const status = await client.call('daemon.getStatus');
      expect(status.pid).toBe(daemon.process.pid);
      // The second process opened and closed the same database: the first still writes to it.
      await client.call('identityStore.create', { name: 'StillServing', type: 'Builtin' });
      expect((await client.call('identityStore.get', { name: 'StillServing' })).map((s) => s.name)).toEqual(['StillServing']);
    } finally {
      await client.close();
    }
  });
});
