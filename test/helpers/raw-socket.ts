import WebSocket from 'ws';

export interface RawSocket {
  ws: WebSocket;
  /** Sends text (or a Buffer as a binary frame) and resolves with the next message, parsed. */
  exchange(data: string | Buffer): Promise<unknown>;
  /** Resolves with the next message, or with 'timeout' when none comes. */
  next(timeoutMs?: number): Promise<unknown>;
  close(): Promise<void>;
}

/** A bare WebSocket, for speaking raw JSON-RPC the way a non-Node client would. */
export function openRaw(url: string, options: { token?: string; headers?: Record<string, string>; protocols?: string[] } = {}): Promise<RawSocket> {
  const headers = { ...(options.token ? { Authorization: `Bearer ${options.token}` } : {}), ...options.headers };
  const ws = new WebSocket(url, options.protocols ?? ['herald.v1'], { headers });
  const queue: unknown[] = [];
  const waiters: ((message: unknown) => void)[] = [];
  ws.on('message', (data) => {
    const message = JSON.parse(data.toString());
    const waiter = waiters.shift();
    if (waiter) waiter(message);
    else queue.push(message);
  });
  const next = (timeoutMs = 5000) =>
    new Promise<unknown>((resolve) => {
      if (queue.length) return resolve(queue.shift());
      const timer = setTimeout(() => {
        waiters.splice(waiters.indexOf(done), 1);
        resolve('timeout');
      }, timeoutMs);
      const done = (message: unknown) => {
        clearTimeout(timer);
        resolve(message);
      };
      waiters.push(done);
    });
  return new Promise((resolve, reject) => {
    ws.once('open', () =>
      resolve({
        ws,
        exchange: (data) => {
          ws.send(data);
          return next();
        },
        next,
        close: () => new Promise((done) => {
          if (ws.readyState === WebSocket.CLOSED) return done();
          ws.once('close', () => done());
          ws.close();
        }),
      }),
    );
    ws.once('unexpected-response', (_request, response) => reject(Object.assign(new Error(`HTTP ${response.statusCode}`), { status: response.statusCode })));
    ws.once('error', reject);
  });
}
