import fc from 'fast-check';
import { connect as connectTcp, type Socket } from 'node:net';
import { connect as connectTls } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { z } from 'zod';
import { ERRORS, MAX_BATCH, MAX_FRAME_BYTES, METHODS, METHOD_NAMES, type MethodSpec } from '../protocol/index.js';
import { makeCertificates } from './helpers/certificates.js';
import { startTestDaemon, tempDir, type TestDaemon } from './helpers/daemon.js';
import { openRaw, type RawSocket } from './helpers/raw-socket.js';

// Property-based: whatever arrives, the daemon answers with the right JSON-RPC error and stays up.
// Runs are few and fixed in number (fast-check's seed varies) so the file takes seconds.
const certificates = makeCertificates();
const temp = tempDir();
let daemon: TestDaemon;
let raw: RawSocket;

type Reply = { id?: unknown; error?: { code: number; message: string; data?: { field?: string; issues?: { field: string }[] } }; result?: unknown };

const PING_MS = 300;

beforeAll(async () => {
  daemon = await startTestDaemon({
    stateDir: temp.dir,
    tcp: true,
    tls: { certFile: certificates.certFile, keyFile: certificates.keyFile },
    // Quick pings so that half-open sockets are found within the test.
    env: { HERALD_PING_INTERVAL_MS: String(PING_MS) },
    extraArgs: ['--max-calls-per-second', '0'],
  });
  const client = await daemon.client();
  await client.call('identityStore.create', { name: 'Corp', type: 'Builtin' });
  await client.close();
  raw = await openRaw(daemon.socketUrl, { token: daemon.token });
});

afterAll(async () => {
  await raw?.close();
  expect(await daemon.stop()).toBe(0);
  temp.cleanup();
  certificates.cleanup();
});

/** What the daemon holds: unchanged by anything it refused. */
async function snapshot(): Promise<unknown> {
  const client = await daemon.client();
  try {
    return {
      stores: await client.call('identityStore.get', {}),
      tokens: await client.call('apiToken.get', {}),
      changes: await client.call('changeHistory.get', {}),
      settings: await client.call('settingsHistory.get', {}),
      queue: await client.call('notificationQueue.get', { status: 'All' }),
    };
  } finally {
    await client.close();
  }
}

async function alive(): Promise<void> {
  const reply = (await raw.exchange(JSON.stringify({ jsonrpc: '2.0', id: 'alive', method: 'daemon.getStatus' }))) as Reply;
  expect(reply.id).toBe('alive');
  expect(reply.result).toBeDefined();
}

const rss = async () => ((await raw.exchange(JSON.stringify({ jsonrpc: '2.0', id: 'rss', method: 'daemon.getStatus' }))) as { result: { rssBytes: number } }).result.rssBytes;

const isJson = (text: string) => {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
};

const looksLikeRequest = (value: unknown) =>
  value !== null && typeof value === 'object' && !Array.isArray(value) && (value as { jsonrpc?: unknown }).jsonrpc === '2.0' && typeof (value as { method?: unknown }).method === 'string';

/** Every JSON type a field could wrongly be given. */
const anyJson = fc.oneof(
  fc.constant(null), fc.boolean(), fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.string({ maxLength: 20 }),
  fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 4 }), fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 }),
);

describe('fuzzing the JSON-RPC surface', () => {
  let before: unknown;
  beforeAll(async () => { before = await snapshot(); });

  it('answers text that is not JSON with ParseError', async () => {
    await fc.assert(fc.asyncProperty(fc.string({ unit: 'grapheme', maxLength: 200 }).filter((text) => !isJson(text)), async (text) => {
      const reply = (await raw.exchange(text)) as Reply;
      expect(reply).toMatchObject({ id: null, error: { code: ERRORS.ParseError.code } });
    }), { numRuns: 200 });
    await alive();
  });

  it('answers JSON that is not a request with InvalidRequest, echoing a usable id', async () => {
    await fc.assert(fc.asyncProperty(fc.jsonValue({ maxDepth: 4 }).filter((value) => !looksLikeRequest(value) && !(Array.isArray(value) && value.length > 0)), async (value) => {
      const reply = (await raw.exchange(JSON.stringify(value))) as Reply;
      expect(reply.error?.code).toBe(ERRORS.InvalidRequest.code);
      const id = (value as { id?: unknown } | null)?.id;
      expect(reply.id).toEqual(typeof id === 'string' || (typeof id === 'number' && Number.isFinite(id)) ? id : null);
    }), { numRuns: 200 });
  });

  it('answers each entry of a batch of non-requests, one InvalidRequest each', async () => {
    await fc.assert(fc.asyncProperty(fc.array(fc.jsonValue({ maxDepth: 3 }).filter((value) => !looksLikeRequest(value)), { minLength: 1, maxLength: 20 }), async (batch) => {
      const reply = (await raw.exchange(JSON.stringify(batch))) as Reply[];
      expect(reply).toHaveLength(batch.length);
      for (const entry of reply) expect(entry.error?.code).toBe(ERRORS.InvalidRequest.code);
    }), { numRuns: 50 });
  });

  it('refuses a wrong type in any field of any method with InvalidParams naming the field, and changes nothing', async () => {
    // Every (method, field) pair of the table, with its first example as the otherwise valid call.
    const fields = METHOD_NAMES.flatMap((name) => Object.keys((METHODS[name] as unknown as MethodSpec).params.shape).map((key) => ({ name, key })));
    expect(fields.length).toBeGreaterThan(100);
    const wrongValue = (name: (typeof fields)[number]['name'], key: string) => {
      const schema = (METHODS[name] as unknown as MethodSpec).params.shape[key] as z.ZodType;
      return anyJson.filter((value) => !schema.safeParse(value).success);
    };
    let id = 0;
    const check = async ({ name, key }: (typeof fields)[number], value: unknown) => {
      const spec = METHODS[name] as unknown as MethodSpec;
      const params = { ...(spec.examples[0].params as Record<string, unknown>), [key]: value };
      const reply = (await raw.exchange(JSON.stringify({ jsonrpc: '2.0', id: ++id, method: name, params }))) as Reply;
      expect(reply.id).toBe(id);
      expect(reply.error?.code, `${name} ${key}=${JSON.stringify(value)}: ${JSON.stringify(reply)}`).toBe(ERRORS.InvalidParams.code);
      const named = (reply.error!.data!.issues ?? []).map((issue) => issue.field);
      expect(named.some((field) => field === key || field.startsWith(`${key}.`)), `${name}: ${JSON.stringify(named)} should name ${key}`).toBe(true);
    };
    // Each field at least once, then random pairs.
    for (const field of fields) await check(field, fc.sample(wrongValue(field.name, field.key), 1)[0]);
    const pairs = fc.constantFrom(...fields).chain((field) => wrongValue(field.name, field.key).map((value) => ({ field, value })));
    await fc.assert(fc.asyncProperty(pairs, async ({ field, value }) => check(field, value)), { numRuns: 300 });
    expect(await snapshot()).toEqual(before);
  });

  it('refuses params that are not an object, or carry unknown fields', async () => {
    await fc.assert(fc.asyncProperty(fc.constantFrom(...METHOD_NAMES), fc.oneof(fc.array(anyJson, { maxLength: 3 }), fc.string(), fc.integer(), fc.boolean()), async (method, params) => {
      const reply = (await raw.exchange(JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }))) as Reply;
      // Scalars are not a params object at all (InvalidRequest); an array is not named params (InvalidParams).
      expect(reply.error?.code).toBe(Array.isArray(params) ? ERRORS.InvalidParams.code : ERRORS.InvalidRequest.code);
    }), { numRuns: 100 });
    await fc.assert(fc.asyncProperty(fc.constantFrom(...METHOD_NAMES), fc.string({ minLength: 1, maxLength: 10 }).map((key) => `x_${key}`), async (method, key) => {
      const params = { ...((METHODS[method] as unknown as MethodSpec).examples[0].params as Record<string, unknown>), [key]: 1 };
      const reply = (await raw.exchange(JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }))) as Reply;
      expect(reply.error?.code).toBe(ERRORS.InvalidParams.code);
      expect(reply.error?.data?.field).toBe(key);
    }), { numRuns: 100 });
  });

  it('answers huge and deeply nested JSON with an error, not a crash', async () => {
    const huge = 'x'.repeat(MAX_FRAME_BYTES - 200);
    const big = (await raw.exchange(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'identityStore.create', params: { name: huge, type: 'Builtin' } }))) as Reply;
    expect(big.error).toMatchObject({ code: ERRORS.InvalidParams.code, data: { field: 'name' } });
    const depth = 200_000;
    const nestedBatch = (await raw.exchange('['.repeat(depth) + ']'.repeat(depth))) as Reply[];
    expect(nestedBatch).toEqual([expect.objectContaining({ error: expect.objectContaining({ code: ERRORS.InvalidRequest.code }) })]);
    const nestedParams = `{"jsonrpc":"2.0","id":2,"method":"identityStore.get","params":{"name":${'['.repeat(depth)}${']'.repeat(depth)}}}`;
    expect(((await raw.exchange(nestedParams)) as Reply).error).toMatchObject({ code: ERRORS.InvalidParams.code, data: { field: 'name' } });
    const nestedObject = `{"jsonrpc":"2.0","id":3,"method":"identityStore.get","params":${'{"a":'.repeat(depth / 5)}1${'}'.repeat(depth / 5)}}`;
    expect(((await raw.exchange(nestedObject)) as Reply).error?.code).toBe(ERRORS.InvalidParams.code);
    await alive();
  });

  it('refuses a batch over the cap whole, and answers one at the cap call by call', async () => {
    const call = (id: number) => ({ jsonrpc: '2.0', id, method: 'identityStore.get', params: {} });
    const over = (await raw.exchange(JSON.stringify(Array.from({ length: MAX_BATCH + 1 }, (_, i) => call(i))))) as Reply;
    expect(over.error?.code).toBe(ERRORS.InvalidRequest.code);
    expect(over.error?.message).toContain(`at most ${MAX_BATCH}`);
    const full = (await raw.exchange(JSON.stringify(Array.from({ length: MAX_BATCH }, (_, i) => call(i))))) as Reply[];
    expect(full.map((reply) => reply.id).sort((a, b) => Number(a) - Number(b))).toEqual(Array.from({ length: MAX_BATCH }, (_, i) => i));
  });

  it('answers binary frames with ParseError and keeps the connection', async () => {
    await fc.assert(fc.asyncProperty(fc.uint8Array({ minLength: 0, maxLength: 512 }), async (bytes) => {
      const reply = (await raw.exchange(Buffer.from(bytes))) as Reply;
      expect(reply.error?.code).toBe(ERRORS.ParseError.code);
      expect(reply.error?.message).toContain('binary frames');
    }), { numRuns: 50 });
    await alive();
  });
});

describe('frames that end the connection, never the daemon', () => {
  const closeCode = (send: (ws: WebSocket) => void) => new Promise<number>((resolve, reject) => {
    const ws = new WebSocket(daemon.socketUrl, ['herald.v1'], { headers: { Authorization: `Bearer ${daemon.token}` } });
    ws.once('open', () => send(ws));
    ws.once('close', (code) => resolve(code));
    ws.once('error', () => undefined);
    ws.once('unexpected-response', () => reject(new Error('upgrade refused')));
  });

  it('closes on text frames of invalid UTF-8 (1007)', async () => {
    const invalidUtf8 = fc.uint8Array({ minLength: 1, maxLength: 64 }).filter((bytes) => {
      try {
        new TextDecoder('utf-8', { fatal: true }).decode(bytes);
        return false;
      } catch {
        return true;
      }
    });
    await fc.assert(fc.asyncProperty(invalidUtf8, async (bytes) => {
      expect(await closeCode((ws) => ws.send(Buffer.from(bytes), { binary: false }))).toBe(1007);
    }), { numRuns: 15 });
    await alive();
  });

  it('closes on a frame over 1 MiB (1009)', async () => {
    expect(await closeCode((ws) => ws.send('x'.repeat(MAX_FRAME_BYTES + 1)))).toBe(1009);
    await alive();
  });
});

describe('half-open sockets', () => {
  const connections = async () => ((await raw.exchange(JSON.stringify({ jsonrpc: '2.0', id: 'n', method: 'daemon.getStatus' }))) as { result: { connections: number } }).result.connections;
  // Data is read (and dropped) so that the daemon's FIN is seen; nothing is ever answered.
  const closed = (socket: Socket) => new Promise<void>((resolve) => {
    if (socket.destroyed) return resolve();
    socket.once('close', () => resolve());
    socket.resume();
  });

  it('drops an upgraded socket that stops answering pings', async () => {
    const baseline = await connections();
    // A raw TCP socket that completes the upgrade and then never reads or answers again.
    const { port } = new URL(daemon.tcpUrl!);
    const socket = connectTcp(Number(port), '127.0.0.1');
    socket.on('error', () => undefined);
    await new Promise((resolve) => socket.once('connect', resolve));
    const upgraded = new Promise<string>((resolve) => socket.once('data', (data: Buffer) => resolve(data.toString())));
    socket.write(`GET / HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n`
      + `Sec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: herald.v1\r\nAuthorization: Bearer ${daemon.token}\r\n\r\n`);
    expect(await upgraded).toMatch(/^HTTP\/1\.1 101 /);
    await closed(socket);
    expect(await connections()).toBe(baseline);
  });

  it('drops sockets that never finish their TLS handshake or their upgrade request', async () => {
    const { port } = new URL(daemon.wssUrl!);
    const silentTcp = connectTcp(Number(port), '127.0.0.1');
    const halfRequest = connectTls({ port: Number(port), host: '127.0.0.1', servername: 'localhost', ca: certificates.caPem });
    for (const socket of [silentTcp, halfRequest]) socket.on('error', () => undefined);
    halfRequest.once('secureConnect', () => halfRequest.write('GET / HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\n'));
    await Promise.all([closed(silentTcp), closed(halfRequest)]);
    await alive();
  });

  it('keeps its memory bounded: the same abuse again does not make it grow', async () => {
    const depth = 200_000;
    const abuse = async () => {
      for (let round = 0; round < 5; round++) {
        await raw.exchange(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'identityStore.create', params: { name: 'x'.repeat(MAX_FRAME_BYTES - 200), type: 'Builtin' } }));
        await raw.exchange('['.repeat(depth) + ']'.repeat(depth));
        await raw.exchange(JSON.stringify(Array.from({ length: MAX_BATCH }, (_, id) => ({ jsonrpc: '2.0', id, method: 'identityStore.get', params: {} }))));
      }
    };
    // The first round lets the heap reach its working size; after that it must level off.
    await abuse();
    const settled = await rss();
    await abuse();
    await abuse();
    const after = await rss();
    expect(after - settled).toBeLessThan(32 * 1024 * 1024);
    expect(after).toBeLessThan(256 * 1024 * 1024);
  });
});
