import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { tempDir } from './helpers/daemon.js';
import { runHerald } from './helpers/shell.js';

// A daemon from the future: it answers like herald but speaks another protocol version.
const temp = tempDir();
const http = createServer();
const wss = new WebSocketServer({ server: http, handleProtocols: () => 'herald.v1' });
let url = '';
let protocolVersion = '9.0';

beforeAll(async () => {
  wss.on('connection', (ws) => {
    ws.on('message', (data) => {
      const request = JSON.parse(data.toString()) as { id: number; method: string };
      const result = request.method === 'daemon.getStatus'
        ? { version: '9.0.0', protocolVersion, pid: 1, uptimeSeconds: 1, stateDir: '/future', listeners: [], rssBytes: 1, connections: 1 }
        : [];
      ws.send(JSON.stringify({ jsonrpc: '2.0', id: request.id, result }));
    });
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  url = `ws://127.0.0.1:${(http.address() as AddressInfo).port}`;
});

afterAll(async () => {
  wss.close();
  await new Promise((resolve) => http.close(resolve));
  temp.cleanup();
});

describe('a daemon of another protocol version', () => {
  it('of another minor version gets one warning naming both versions, and the commands still run', async () => {
    protocolVersion = '1.9';
    const run = await runHerald(['-Url', url, '-Token', 't', '-Command', 'Get-IdentityStore; Get-IdentityStore'], { stateDir: temp.dir });
    expect(run.code).toBe(0);
    const warnings = run.stderr.split('\n').filter((line) => line.startsWith('WARNING'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('protocol 1.9');
    expect(warnings[0]).toContain('this shell 1.0');
  });

  it('of another major version is refused with ProtocolMismatch before any command runs', async () => {
    protocolVersion = '9.0';
    const run = await runHerald(['-Url', url, '-Token', 't', '-Command', 'Get-IdentityStore'], { stateDir: temp.dir });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('speaks protocol 9.0 and this shell 1.0');
    expect(run.stderr).toContain('[ProtocolMismatch]');
  });
});
