import { chmodSync, unlinkSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import { connect, type AddressInfo, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { MAX_FRAME_BYTES, SUBPROTOCOL } from '../protocol/index.js';
import { presentedToken, type Authenticator, type TokenHolder } from './authentication.js';
import type { Caller } from './context.js';
import type { Dispatcher } from './dispatcher.js';
import { callBudget, FailedAuthentications, type ConnectionLimits } from './limits.js';
import type { Logger } from './logger.js';
import { isLoopbackHost, splitHostPort } from './options.js';

export interface ListenerOptions {
  socketPath: string;
  /** wss:// listeners, served with `tls`. */
  tcp: string[];
  /** ws:// listeners, loopback only (checked by the options). */
  insecureTcp: string[];
  tls?: { cert: string; key: string };
  authenticate: Authenticator;
  limits: ConnectionLimits;
  allowOrigins: string[];
  pingIntervalMs: number;
  dispatcher: Dispatcher;
  log: Logger;
}

export interface Listeners {
  addresses(): string[];
  connections(): number;
  /** Closes every connection opened with this API token. */
  closeTokenConnections(tokenId: number): void;
  /** Stops accepting connections; open ones stay until closeConnections. */
  stopAccepting(): Promise<void>;
  closeConnections(): Promise<void>;
}

/**
 * How a listener admits connections. Only its owner can open the Unix socket (mode 0600), so the
 * limits, which hold back other machines, apply to TCP listeners alone.
 */
interface Door {
  /** The Host header must name loopback: a DNS-rebinding page is refused. */
  checkHost: boolean;
  limited: boolean;
}

const LOOPBACK_HOST_HEADER = /^(localhost|127\.0\.0\.1|\[::1\])(:\d+)?$/i;

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function refuse(socket: Duplex, status: number, reason: string, extraHeaders = ''): void {
  if (socket.destroyed) return;
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Type: text/plain\r\n${extraHeaders}Content-Length: ${Buffer.byteLength(reason)}\r\n\r\n${reason}`);
  socket.destroy();
}

/** Clients tell a wrong token from an expired one by the RFC 6750 error description. */
const BAD_TOKEN = 'WWW-Authenticate: Bearer realm="herald", error="invalid_token", error_description="unknown token"\r\n';
const EXPIRED_TOKEN = 'WWW-Authenticate: Bearer realm="herald", error="invalid_token", error_description="token expired"\r\n';

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
  const { limits } = options;
  const failedAuthentications = new FailedAuthentications(limits, Date.now);
  const byToken = new Map<string, Set<WebSocket>>();

  wss.on('connection', (ws: WebSocket, request: IncomingMessage, holder: TokenHolder, door: Door) => {
    const caller: Caller = {
      role: holder.role,
      connectionId: nextConnectionId++,
      actor: holder.tokenId === undefined ? holder.name : `token ${holder.name}`,
      tokenId: holder.tokenId,
      tokenExpiresAt: holder.expiresAt,
      takeCall: door.limited ? callBudget(limits.callsPerSecond, Date.now) : undefined,
    };
    const siblings = byToken.get(holder.key) ?? new Set<WebSocket>();
    byToken.set(holder.key, siblings.add(ws));
    ws.once('close', () => {
      siblings.delete(ws);
      if (siblings.size === 0 && byToken.get(holder.key) === siblings) byToken.delete(holder.key);
    });
    alive.add(ws);
    log.debug('connection opened', { connection: caller.connectionId, holder: holder.name, role: holder.role, remote: request.socket.remoteAddress ?? 'unix' });
    ws.on('pong', () => alive.add(ws));
    ws.on('message', (data, isBinary) => {
      if (isBinary) {
        ws.send(JSON.stringify({ jsonrpc: '2.0', id: null, error: { code: -32700, message: 'parse error: binary frames are not accepted; send JSON as text' } }));
        return;
      }
      dispatcher.receive(data.toString(), caller).then((reply) => {
        if (reply !== null && ws.readyState === ws.OPEN) ws.send(reply);
      }, (error: unknown) => {
        // The dispatcher answers every error itself; reaching here is a bug, and must not stop the daemon.
        log.error('message not handled', { connection: caller.connectionId, error: error instanceof Error ? error.message : String(error) });
        if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ jsonrpc: '2.0', id: null, error: { code: -32603, message: 'internal error (the daemon log has the details)' } }));
      });
    });
    ws.on('close', () => log.debug('connection closed', { connection: caller.connectionId }));
    ws.on('error', (error) => log.warn('connection error', { connection: caller.connectionId, error }));
  });

  const onUpgrade = (door: Door) => (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => undefined);
    upgrade(door, request, socket, head).catch((error: unknown) => {
      log.error('upgrade failed', { error: error instanceof Error ? error.message : String(error) });
      refuse(socket, 503, 'Service Unavailable');
    });
  };

  const upgrade = async (door: Door, request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const origin = request.headers.origin;
    if (origin !== undefined && !options.allowOrigins.includes(origin)) {
      log.warn('upgrade refused: origin not allowed', { origin });
      return refuse(socket, 403, 'Forbidden: origin not allowed');
    }
    if (door.checkHost && !LOOPBACK_HOST_HEADER.test(request.headers.host ?? '')) {
      log.warn('upgrade refused: unexpected Host header', { host: request.headers.host });
      return refuse(socket, 403, 'Forbidden: unexpected Host header');
    }
    const remote = request.socket.remoteAddress ?? 'unix';
    const lockedFor = door.limited ? failedAuthentications.lockedFor(remote) : 0;
    if (lockedFor > 0) {
      const seconds = Math.ceil(lockedFor / 1000);
      log.warn('upgrade refused: too many failed authentications', { remote, seconds });
      return refuse(socket, 429, `Too Many Requests: too many refused tokens from ${remote}; retry in ${seconds} s`, `Retry-After: ${seconds}\r\n`);
    }
    const token = presentedToken(request);
    const authentication = token === undefined ? { outcome: 'refused' as const } : options.authenticate(token);
    if (authentication.outcome === 'expired') {
      log.warn('upgrade refused: expired token', { remote, holder: authentication.name });
      return refuse(socket, 401, `Unauthorized: token '${authentication.name}' has expired`, EXPIRED_TOKEN);
    }
    if (authentication.outcome === 'refused') {
      const wait = door.limited ? failedAuthentications.fail(remote) : 0;
      log.warn('upgrade refused: bad or missing token', { remote, failures: failedAuthentications.failures(remote) });
      // Guessing is slowed down: the refusal itself is what waits.
      if (wait > 0) await delay(wait);
      return refuse(socket, 401, 'Unauthorized', BAD_TOKEN);
    }
    const { holder } = authentication;
    const open = byToken.get(holder.key)?.size ?? 0;
    if (door.limited && open >= limits.connectionsPerToken) {
      log.warn('upgrade refused: too many connections for one token', { holder: holder.name, open });
      return refuse(socket, 429, `Too Many Requests: token '${holder.name}' already has ${open} connections open (the limit)`, 'Retry-After: 1\r\n');
    }
    wss.handleUpgrade(request, socket, head, (ws) => wss.emit('connection', ws, request, holder, door));
  };

  const servers: Server[] = [];
  const addresses: string[] = [];
  const plainHttp = (_: IncomingMessage, response: import('node:http').ServerResponse) => {
    response.writeHead(426, { 'Content-Type': 'text/plain', Upgrade: 'websocket' });
    response.end('herald speaks JSON-RPC 2.0 over WebSocket: connect with a WebSocket client\n');
  };

  // A socket that never finishes its TLS handshake or its upgrade request is dropped, as an idle
  // WebSocket is: half-open connections must not pile up.
  const upgradeWithinMs = Math.max(1000, 2 * options.pingIntervalMs);
  const serverOptions = { headersTimeout: upgradeWithinMs, requestTimeout: upgradeWithinMs, connectionsCheckingInterval: Math.min(upgradeWithinMs / 2, 30_000) };

  await claimSocketPath(options.socketPath);
  const unixServer = createServer(serverOptions, plainHttp).on('upgrade', onUpgrade({ checkHost: false, limited: false }));
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

  const tcpListeners = [
    ...options.tcp.map((address) => ({ address, secure: true })),
    ...options.insecureTcp.map((address) => ({ address, secure: false })),
  ];
  for (const { address, secure } of tcpListeners) {
    const { host, port } = splitHostPort(address);
    const server = secure
      ? createTlsServer({ ...serverOptions, cert: options.tls!.cert, key: options.tls!.key, handshakeTimeout: upgradeWithinMs }, plainHttp)
      : createServer(serverOptions, plainHttp);
    // A DNS-rebinding page reaches a loopback port under a name of its own choosing: Host gives it away.
    server.on('upgrade', onUpgrade({ checkHost: isLoopbackHost(host), limited: true }));
    server.on('tlsClientError', (error: Error, socket: Socket) => log.debug('TLS handshake failed', { remote: socket.remoteAddress, error: error.message }));
    await listen(server, { host, port });
    const bound = server.address() as AddressInfo;
    servers.push(server);
    addresses.push(`${secure ? 'wss' : 'ws'}://${bound.family === 'IPv6' ? `[${bound.address}]` : bound.address}:${bound.port}`);
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
    closeTokenConnections(tokenId) {
      for (const ws of byToken.get(`token:${tokenId}`) ?? []) ws.close(1008, 'token revoked');
    },
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
