import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_BATCH, MAX_FRAME_BYTES } from '../protocol/index.js';
import { startTestDaemon, tempDir, type TestDaemon } from './helpers/daemon.js';
import { openRaw, type RawSocket } from './helpers/raw-socket.js';

// The JSON-RPC 2.0 specification's error cases (§5.1, §6 and its examples), spoken over a
// bare WebSocket on the daemon's Unix socket the way a non-Node client would: no client
// library in between to hide a malformed answer.

interface ErrorObject {
  code: number;
  message: string;
  data?: { field?: string; [key: string]: unknown };
}
interface Reply {
  jsonrpc: string;
  id: string | number | null;
  result?: unknown;
  error?: ErrorObject;
}

let daemon: TestDaemon;
let raw: RawSocket;
const temp = tempDir();
/** Every error object the daemon sent in this file, for the no-internals check at the end. */
const errorsSeen: ErrorObject[] = [];

function collect(message: unknown): void {
  for (const reply of Array.isArray(message) ? message : [message]) {
    if (reply && typeof reply === 'object' && 'error' in reply) errorsSeen.push((reply as Reply).error!);
  }
}

/** Sends one frame and returns the daemon's answer, recording any error objects in it. */
async function send(payload: string | Buffer, socket: RawSocket = raw): Promise<unknown> {
  const reply = await socket.exchange(payload);
  collect(reply);
  return reply;
}

async function sendJson(payload: unknown): Promise<unknown> {
  return send(JSON.stringify(payload));
}

beforeAll(async () => {
  daemon = await startTestDaemon({ stateDir: temp.dir });
  raw = await openRaw(daemon.socketUrl, { token: daemon.token });
});

afterAll(async () => {
  await raw?.close();
  expect(await daemon.stop()).toBe(0);
  temp.cleanup();
});

describe('parse errors', () => {
  it('answers text that is not JSON with one -32700 error whose id is null', async () => {
    const reply = await send('{bad');
    expect(reply).toMatchObject({ jsonrpc: '2.0', id: null, error: { code: -32700 } });
    expect(Object.keys(reply as object).sort()).toEqual(['error', 'id', 'jsonrpc']);
    expect(typeof (reply as Reply).error!.message).toBe('string');
  });

  it('answers an unterminated batch (the spec example) with a single -32700, not an array', async () => {
    const reply = await send('[{"jsonrpc":"2.0","method":"sum","params":[1,2,4],"id":"1"},{"jsonrpc":"2.0","method"');
    expect(Array.isArray(reply)).toBe(false);
    expect(reply).toMatchObject({ jsonrpc: '2.0', id: null, error: { code: -32700 } });
  });

  it('answers a binary frame with -32700 and keeps the connection usable', async () => {
    const reply = await send(Buffer.from(JSON.stringify({ jsonrpc: '2.0', method: 'daemon.getStatus', id: 1 })));
    expect(reply).toMatchObject({ jsonrpc: '2.0', id: null, error: { code: -32700 } });
    expect(raw.ws.readyState).toBe(WebSocket.OPEN);
    // The same socket still serves a proper text call.
    const status = (await sendJson({ jsonrpc: '2.0', method: 'daemon.getStatus', id: 'after-binary' })) as Reply;
    expect(status.id).toBe('after-binary');
    expect(status.result).toMatchObject({ protocolVersion: '1.0' });
  });
});

describe('invalid request objects', () => {
  // [payload, the id the error must carry]: null whenever the request's id is missing or unusable.
  const cases: [string, unknown, string | number | null][] = [
    ['method is not a string, params not structured', { jsonrpc: '2.0', method: 1, params: 'bar' }, null],
    ['an object that is no request', { foo: 'boo' }, null],
    ['a bare number', 1, null],
    ['null', null, null],
    ['jsonrpc 1.0 (id is valid, so it is echoed)', { jsonrpc: '1.0', method: 'x', id: 1 }, 1],
    ['an object as id', { jsonrpc: '2.0', method: 'x', id: { a: 1 } }, null],
    ['params as a string (id is valid)', { jsonrpc: '2.0', method: 'daemon.getStatus', params: 'bar', id: 'p' }, 'p'],
    ['no jsonrpc member', { method: 'daemon.getStatus', id: 7 }, 7],
  ];
  for (const [what, payload, id] of cases) {
    it(`answers ${what} with -32600`, async () => {
      const reply = await sendJson(payload);
      expect(Array.isArray(reply)).toBe(false);
      expect(reply).toMatchObject({ jsonrpc: '2.0', error: { code: -32600 } });
      expect((reply as Reply).id).toStrictEqual(id);
      expect((reply as Reply).result).toBeUndefined();
    });
  }
});

describe('method and params errors', () => {
  it('answers an unknown method with -32601, the request id, and a message naming the method', async () => {
    const reply = (await sendJson({ jsonrpc: '2.0', method: 'identityStore.explode', params: {}, id: 42 })) as Reply;
    expect(reply).toMatchObject({ jsonrpc: '2.0', id: 42, error: { code: -32601 } });
    expect(reply.error!.message).toContain('identityStore.explode');
  });

  it('refuses params given by position with -32602: every method takes named params', async () => {
    const reply = (await sendJson({ jsonrpc: '2.0', method: 'identityStore.get', params: ['Corp'], id: 'pos' })) as Reply;
    expect(reply).toMatchObject({ jsonrpc: '2.0', id: 'pos', error: { code: -32602 } });
    expect(reply.error!.message).toMatch(/named|object/);
  });

  it('names the field at fault: an invalid name', async () => {
    const reply = (await sendJson({ jsonrpc: '2.0', method: 'identityStore.create', params: { name: 'Bad/Name', type: 'Builtin' }, id: 10 })) as Reply;
    expect(reply).toMatchObject({ id: 10, error: { code: -32602, data: { field: 'name' } } });
  });

  it('names the field at fault: a missing required string param, saying it is required', async () => {
    const reply = (await sendJson({ jsonrpc: '2.0', method: 'identityStore.create', params: { type: 'Builtin' }, id: 14 })) as Reply;
    expect(reply).toMatchObject({ id: 14, error: { code: -32602, data: { field: 'name' } } });
    expect(reply.error!.message).toMatch(/required/i);
  });

  it('names the field at fault: a missing required enum param (type), saying it is required', async () => {
    const reply = (await sendJson({ jsonrpc: '2.0', method: 'identityStore.create', params: { name: 'Good' }, id: 11 })) as Reply;
    expect(reply).toMatchObject({ id: 11, error: { code: -32602, data: { field: 'type' } } });
    // The caller must learn that the param is missing, not that some value was wrong.
    expect(reply.error!.message).toMatch(/required/i);
  });

  it('names the field at fault: an unknown extra param is named by its own name', async () => {
    const reply = (await sendJson({ jsonrpc: '2.0', method: 'identityStore.create', params: { name: 'Good', type: 'Builtin', colour: 'red' }, id: 12 })) as Reply;
    expect(reply).toMatchObject({ id: 12, error: { code: -32602, data: { field: 'colour' } } });
    expect(reply.error!.message).toContain('colour');
  });

  it('created nothing for any of the refused calls', async () => {
    const reply = (await sendJson({ jsonrpc: '2.0', method: 'identityStore.get', params: {}, id: 13 })) as Reply;
    expect(reply.error).toBeUndefined();
    expect(reply.result).toEqual([]);
  });
});

describe('batches', () => {
  it('answers an empty batch with one -32600 error object, not an array', async () => {
    const reply = await send('[]');
    expect(Array.isArray(reply)).toBe(false);
    expect(reply).toMatchObject({ jsonrpc: '2.0', id: null, error: { code: -32600 } });
  });

  it('answers [1,2,3] with an array of three -32600 errors', async () => {
    const reply = await send('[1,2,3]');
    expect(Array.isArray(reply)).toBe(true);
    expect(reply).toHaveLength(3);
    for (const one of reply as Reply[]) expect(one).toMatchObject({ jsonrpc: '2.0', id: null, error: { code: -32600 } });
  });

  it('answers a batch holding one invalid request with an array of one', async () => {
    const reply = await send('[1]');
    expect(reply).toEqual([expect.objectContaining({ id: null, error: expect.objectContaining({ code: -32600 }) })]);
  });

  it('answers a mixed batch with one entry per call that has an id, plus the invalid one, and none for the notification', async () => {
    const reply = await sendJson([
      { jsonrpc: '2.0', method: 'daemon.getStatus', params: {}, id: '1' },
      { jsonrpc: '2.0', method: 'identityStore.get', params: {}, id: '2' },
      { jsonrpc: '2.0', method: 'daemon.getStatus', params: {} }, // notification: no entry
      { foo: 'boo' },
      { jsonrpc: '2.0', method: 'foo.get', params: { name: 'myself' }, id: '5' },
      { jsonrpc: '2.0', method: 'identityStore.get', params: { name: 'Nowhere' }, id: '9' },
    ]);
    expect(Array.isArray(reply)).toBe(true);
    const replies = reply as Reply[];
    expect(replies).toHaveLength(5);
    expect(new Set(replies.map((r) => r.id))).toEqual(new Set([null, '1', '2', '5', '9']));
    const byId = new Map(replies.map((r) => [r.id, r]));
    expect(byId.get('1')!.result).toMatchObject({ protocolVersion: '1.0' });
    expect(byId.get('2')!.result).toEqual([]);
    expect(byId.get(null)!.error!.code).toBe(-32600);
    expect(byId.get('5')!.error!.code).toBe(-32601);
    expect(byId.get('9')!.error!.code).toBe(-32000);
    for (const r of replies) expect(r.jsonrpc).toBe('2.0');
  });

  it('sends nothing at all for a batch of notifications', async () => {
    raw.ws.send(JSON.stringify([
      { jsonrpc: '2.0', method: 'daemon.getStatus', params: {} },
      { jsonrpc: '2.0', method: 'identityStore.get', params: { name: 'c*' } },
      // A notification whose params are wrong: the error is not reported either (§4.1).
      { jsonrpc: '2.0', method: 'identityStore.create', params: { name: 'Bad/Name', type: 'Builtin' } },
    ]));
    expect(await raw.next(500)).toBe('timeout');
    // …and the refused notification did not create anything.
    expect(((await sendJson({ jsonrpc: '2.0', method: 'identityStore.get', id: 'n' })) as Reply).result).toEqual([]);
  });

  it('sends nothing for a notification to an unknown method, alone or in a batch (spec example notify_sum / notify_hello)', async () => {
    // §4.1: "The Server MUST NOT reply to a Notification", errors included. A socket of its
    // own, so that a stray reply cannot be taken for the answer to a later test's call.
    const socket = await openRaw(daemon.socketUrl, { token: daemon.token });
    try {
      socket.ws.send(JSON.stringify({ jsonrpc: '2.0', method: 'notify_hello', params: { greeting: 7 } }));
      const single = await socket.next(500);
      collect(single);
      socket.ws.send(JSON.stringify([
        { jsonrpc: '2.0', method: 'notify_sum', params: [1, 2, 4] },
        { jsonrpc: '2.0', method: 'notify_hello', params: [7] },
      ]));
      const batch = await socket.next(500);
      collect(batch);
      expect({ single, batch }).toEqual({ single: 'timeout', batch: 'timeout' });
    } finally {
      await socket.close();
    }
  });

  it(`serves a batch of ${MAX_BATCH} calls with ${MAX_BATCH} responses`, async () => {
    const batch = Array.from({ length: MAX_BATCH }, (_, i) => ({ jsonrpc: '2.0', method: 'daemon.getStatus', params: {}, id: i }));
    const reply = (await sendJson(batch)) as Reply[];
    expect(Array.isArray(reply)).toBe(true);
    expect(reply).toHaveLength(MAX_BATCH);
    expect(reply.map((r) => r.id).sort((a, b) => Number(a) - Number(b))).toEqual(batch.map((c) => c.id));
    expect(reply.every((r) => r.error === undefined && r.result !== undefined)).toBe(true);
  });

  it(`refuses a batch of ${MAX_BATCH + 1} calls whole, with one -32600 mentioning the limit`, async () => {
    // Identity stores would be created if the batch were served even in part.
    const batch = Array.from({ length: MAX_BATCH + 1 }, (_, i) => ({ jsonrpc: '2.0', method: 'identityStore.create', params: { name: `Store${i}`, type: 'Builtin' }, id: i }));
    const reply = await sendJson(batch);
    expect(Array.isArray(reply)).toBe(false);
    expect(reply).toMatchObject({ jsonrpc: '2.0', id: null, error: { code: -32600 } });
    expect((reply as Reply).error!.message).toContain(String(MAX_BATCH));
    expect(((await sendJson({ jsonrpc: '2.0', method: 'identityStore.get', id: 'after' })) as Reply).result).toEqual([]);
  });
});

describe('frame size', () => {
  it(`closes a connection that sends a frame over ${MAX_FRAME_BYTES} bytes with 1009, and keeps serving others`, async () => {
    const big = await openRaw(daemon.socketUrl, { token: daemon.token });
    // The daemon may reset the socket while the frame is still being written.
    big.ws.on('error', () => undefined);
    const closed = new Promise<number>((resolve) => big.ws.once('close', (code) => resolve(code)));
    const payload = JSON.stringify({ jsonrpc: '2.0', method: 'identityStore.create', params: { name: 'Big', type: 'Builtin', description: 'x'.repeat(MAX_FRAME_BYTES) }, id: 1 });
    expect(Buffer.byteLength(payload)).toBeGreaterThan(MAX_FRAME_BYTES);
    big.ws.send(payload);
    expect(await closed).toBe(1009);

    const fresh = await openRaw(daemon.socketUrl, { token: daemon.token });
    try {
      const reply = (await send(JSON.stringify({ jsonrpc: '2.0', method: 'identityStore.get', id: 'fresh' }), fresh)) as Reply;
      expect(reply.id).toBe('fresh');
      // The oversized create was never executed.
      expect(reply.result).toEqual([]);
    } finally {
      await fresh.close();
    }
  });
});

describe('what errors reveal', () => {
  it('never puts a stack trace or a file path in an error message or data', () => {
    // The tests above produced these; make sure the check has something to look at.
    expect(errorsSeen.length).toBeGreaterThanOrEqual(20);
    const leaks = [
      /(^|[\s'"(=,[])\/[\w.@-]+\/[\w.@/-]*/, // an absolute path such as /work/main/dist/…
      /^\s*at\s/m, // a stack frame line
      /\bat\s+\S+\s+\(/, // "at fn (" inside a line
      /\.(ts|js|mjs|cjs):\d*/, // file.js:12
      /node:internal|file:\/\//,
    ];
    for (const error of errorsSeen) {
      const text = `${error.message}\n${JSON.stringify(error.data ?? null)}`;
      for (const leak of leaks) expect(text, `error ${error.code}: ${text}`).not.toMatch(leak);
    }
  });
});
