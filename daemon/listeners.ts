import { chmodSync, unlinkSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { connect, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { MAX_FRAME_BYTES, SUBPROTOCOL } from '../protocol/index.js';
import { presentedToken, tokensMatch } from './authentication.js';
import type { Caller } from './context.js';
import type { Dispatcher } from './dispatcher.js';
import type { Logger } from './logger.js';
import { splitHostPort } from './options.js';

export interface ListenerOptions {
  socketPath: string;
  tcp: string[];
  token: string;
  allowOrigins: string[];
  pingIntervalMs: number;
  dispatcher: Dispatcher;
  log: Logger;
}

export interface Listeners {
  addresses(): string[];
  connections(): number;
  /** Stops accepting connections; open ones stay until closeConnections. */
  stopAccepting(): Promise<void>;
  closeConnections(): Promise<void>;
}

const LOOPBACK_HOST_HEADER = /^(localhost|127\.0\.0\.1|\[::1\])(:\d+)?$/i;

function refuse(socket: Duplex, status: number, reason: string, extraHeaders = ''): void {
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Type: text/plain\r\n${extraHeaders}Content-Length: ${Buffer.byteLength(reason)}\r\n\r\n${reason}`);
  socket.destroy();
}

/** True when another daemon answers on this socket path; a dead socket file is removed. */
async function claimSocketPath(path: string): Promise<void> {
  const alive = await new Promise<boolean>((resolve) => {
    const probe: Socket = connect(path);
    probe.once('connect', () => { probe.destroy(); resolve(true); });
    probe.once('error', () => resolve(false));
  });
  if (alive) throw new Error(`another herald daemon is already listening on ${path}`);
  try {
    unlinkSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}

function listen(server: Server, where: { path: string } | { host: string; port: number }): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(where, () => { server.off('error', reject); resolve(); });
  });
}

export async function startListeners(options: ListenerOptions): Promise<Listeners> {
  const { dispatcher, log } = options;
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: MAX_FRAME_BYTES,
    perMessageDeflate: false,
    // Only herald's own subprotocol is ever echoed: never the entry carrying the token.
    handleProtocols: (protocols) => (protocols.has(SUBPROTOCOL) ? SUBPROTOCOL : false),
  });
  const alive = new WeakSet<WebSocket>();
  let nextConnectionId = 1;

  wss.on('connection', (ws: WebSocket, request: IncomingMessage) => {
    // The local token is the administrator's; named tokens and roles come with remote access.
    const caller: Caller = { role: 'Administrator', connectionId: nextConnectionId++, actor: 'local administrator' };
    alive.add(ws);
    log.debug('connection opened', { connection: caller.connectionId, remote: request.socket.remoteAddress ?? 'unix' });
    ws.on('pong', () => alive.add(ws));
    ws.on('message', (data, isBinary) => {
      if (isBinary) {
        ws.send(JSON.stringify({ jsonrpc: '2.0', id: null, error: { code: -32700, message: 'parse error: binary frames are not accepted; send JSON as text' } }));
        return;
      }
      dispatcher.receive(data.toString(), caller).then((reply) => {
        if (reply !== null && ws.readyState === ws.OPEN) ws.send(reply);
      });
    });
    ws.on('close', () => log.debug('connection closed', { connection: caller.connectionId }));
    ws.on('error', (error) => log.warn('connection error', { connection: caller.connectionId, error }));
  });

  const onUpgrade = (checkHost: boolean) => (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const origin = request.headers.origin;
    if (origin !== undefined && !options.allowOrigins.includes(origin)) {
      log.warn('upgrade refused: origin not allowed', { origin });
      return refuse(socket, 403, 'Forbidden: origin not allowed');
    }
    if (checkHost && !LOOPBACK_HOST_HEADER.test(request.headers.host ?? '')) {
      log.warn('upgrade refused: unexpected Host header', { host: request.headers.host });
      return refuse(socket, 403, 'Forbidden: unexpected Host header');
    }
    const token = presentedToken(request);
    if (token === undefined || !tokensMatch(token, options.token)) {
      log.warn('upgrade refused: bad or missing token', { remote: request.socket.remoteAddress ?? 'unix' });
      return refuse(socket, 401, 'Unauthorized', 'WWW-Authenticate: Bearer realm="herald"\r\n');
    }
    wss.handleUpgrade(request, socket, head, (ws) => wss.emit('connection', ws, request));
  };

  const servers: Server[] = [];
  const addresses: string[] = [];
  const plainHttp = (_: IncomingMessage, response: import('node:http').ServerResponse) => {
    response.writeHead(426, { 'Content-Type': 'text/plain', Upgrade: 'websocket' });
    response.end('herald speaks JSON-RPC 2.0 over WebSocket: connect with a WebSocket client\n');
  };

  await claimSocketPath(options.socketPath);
  const unixServer = createServer(plainHttp).on('upgrade', onUpgrade(false));
  // The umask makes the socket private from its first instant; chmod makes sure of it.
  const previousUmask = process.umask(0o177);
  try {
    await listen(unixServer, { path: options.socketPath });
  } finally {
    process.umask(previousUmask);
  }
  chmodSync(options.socketPath, 0o600);
  servers.push(unixServer);
  addresses.push(`unix:${options.socketPath}`);

  for (const address of options.tcp) {
    const { host, port } = splitHostPort(address);
    const server = createServer(plainHttp).on('upgrade', onUpgrade(true));
    await listen(server, { host, port });
    const bound = server.address() as import('node:net').AddressInfo;
    servers.push(server);
    addresses.push(`ws://${bound.family === 'IPv6' ? `[${bound.address}]` : bound.address}:${bound.port}`);
  }

  // Keepalive: a socket that did not answer the previous ping is gone.
  const heartbeat = setInterval(() => {
    for (const ws of wss.clients) {
      if (!alive.has(ws)) {
        ws.terminate();
        continue;
      }
      alive.delete(ws);
      ws.ping();
    }
  }, options.pingIntervalMs);
  heartbeat.unref();

  return {
    addresses: () => [...addresses],
    connections: () => wss.clients.size,
    async stopAccepting() {
      clearInterval(heartbeat);
      // close() stops listening at once; its callback would wait for the open WebSockets.
      for (const server of servers) server.close();
      try {
        unlinkSync(options.socketPath);
      } catch {
        // Already gone: nothing to clean.
      }
    },
    async closeConnections() {
      const closing = [...wss.clients].map((ws) => new Promise<void>((resolve) => {
        const timer = setTimeout(() => { ws.terminate(); resolve(); }, 1000);
        ws.once('close', () => { clearTimeout(timer); resolve(); });
        ws.close(1001, 'daemon shutting down');
      }));
      await Promise.all(closing);
      wss.close();
    },
  };
}
