import { chmodSync, unlinkSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import { connect, type AddressInfo, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { MAX_FRAME_BYTES, SUBPROTOCOL } from '../protocol/index.js';
import { createAdmission, refuse, type Admit, type Door } from './admission.js';
import type { Authenticator, TokenHolder } from './authentication.js';
import { callerOf, serveConnection } from './connection.js';
import type { Dispatcher } from './dispatcher.js';
import { Heartbeat } from './heartbeat.js';
import type { ConnectionLimits } from './limits.js';
import type { Logger } from './logger.js';
import { isLoopbackHost, splitHostPort } from './options.js';
import { TokenConnections } from './token-connections.js';

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

/** Turns an upgrade request into a WebSocket connection, or refuses it. */
type OnUpgrade = (door: Door) => (request: IncomingMessage, socket: Duplex, head: Buffer) => void;

/** Options of every HTTP(S) server herald listens with. */
interface ServerOptions { headersTimeout: number; requestTimeout: number; connectionsCheckingInterval: number }

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

function plainHttp(_: IncomingMessage, response: ServerResponse): void {
  response.writeHead(426, { 'Content-Type': 'text/plain', Upgrade: 'websocket' });
  response.end('herald speaks JSON-RPC 2.0 over WebSocket: connect with a WebSocket client\n');
}

function createWebSocketServer(): WebSocketServer {
  return new WebSocketServer({
    noServer: true,
    maxPayload: MAX_FRAME_BYTES,
    perMessageDeflate: false,
    // Only herald's own subprotocol is ever echoed: never the entry carrying the token.
    handleProtocols: (protocols) => (protocols.has(SUBPROTOCOL) ? SUBPROTOCOL : false),
  });
}

/** Upgrades go through admission; an admitted one becomes a WebSocket connection of `wss`. */
function upgradeThrough(admit: Admit, wss: WebSocketServer, log: Logger): OnUpgrade {
  const upgrade = async (door: Door, request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const holder = await admit(door, request, socket);
    if (holder) wss.handleUpgrade(request, socket, head, (ws) => wss.emit('connection', ws, request, holder, door));
  };
  return (door) => (request, socket, head) => {
    socket.on('error', () => undefined);
    upgrade(door, request, socket, head).catch((error: unknown) => {
      log.error('upgrade failed', { error: error instanceof Error ? error.message : String(error) });
      refuse(socket, 503, 'Service Unavailable');
    });
  };
}

/** The Unix socket: its owner's alone, so neither Host checks nor limits apply. */
async function listenOnUnixSocket(path: string, serverOptions: ServerOptions, onUpgrade: OnUpgrade): Promise<Server> {
  await claimSocketPath(path);
  const server = createServer(serverOptions, plainHttp).on('upgrade', onUpgrade({ checkHost: false, limited: false }));
  // The umask makes the socket private from its first instant; chmod makes sure of it.
  const previousUmask = process.umask(0o177);
  try {
    await listen(server, { path });
  } finally {
    process.umask(previousUmask);
  }
  chmodSync(path, 0o600);
  return server;
}

/** One TCP listener, wss:// (`secure`) or ws://; returns the server and the address it is bound to. */
async function listenOnTcp(
  address: string, secure: boolean, serverOptions: ServerOptions, options: ListenerOptions, onUpgrade: OnUpgrade,
): Promise<{ server: Server; url: string }> {
  const { host, port } = splitHostPort(address);
  const server = secure
    ? createTlsServer({ ...serverOptions, cert: options.tls!.cert, key: options.tls!.key, handshakeTimeout: serverOptions.headersTimeout }, plainHttp)
    : createServer(serverOptions, plainHttp);
  // A DNS-rebinding page reaches a loopback port under a name of its own choosing: Host gives it away.
  server.on('upgrade', onUpgrade({ checkHost: isLoopbackHost(host), limited: true }));
  server.on('tlsClientError', (error: Error, socket: Socket) => options.log.debug('TLS handshake failed', { remote: socket.remoteAddress, error: error.message }));
  await listen(server, { host, port });
  const bound = server.address() as AddressInfo;
  return { server, url: `${secure ? 'wss' : 'ws'}://${bound.family === 'IPv6' ? `[${bound.address}]` : bound.address}:${bound.port}` };
}

function closeAll(connections: Iterable<WebSocket>): Promise<void[]> {
  return Promise.all([...connections].map((ws) => new Promise<void>((resolve) => {
    const timer = setTimeout(() => { ws.terminate(); resolve(); }, 1000);
    ws.once('close', () => { clearTimeout(timer); resolve(); });
    ws.close(1001, 'daemon shutting down');
  })));
}

/** Opens the Unix socket and the TCP listeners; admitted upgrades become served connections. */
export async function startListeners(options: ListenerOptions): Promise<Listeners> {
  const { dispatcher, limits, log } = options;
  const wss = createWebSocketServer();
  const heartbeat = new Heartbeat(wss);
  let nextConnectionId = 1;
  const tokenConnections = new TokenConnections();
  const admit = createAdmission({
    authenticate: options.authenticate,
    limits,
    allowOrigins: options.allowOrigins,
    openConnections: (holderKey) => tokenConnections.count(holderKey),
    log,
  });

  wss.on('connection', (ws: WebSocket, request: IncomingMessage, holder: TokenHolder, door: Door) => {
    const caller = callerOf(holder, nextConnectionId++, door.limited, limits);
    tokenConnections.add(holder.key, ws);
    heartbeat.watch(ws);
    serveConnection(ws, request, holder, caller, { dispatcher, log });
  });

  // A socket that never finishes its TLS handshake or its upgrade request is dropped, as an idle
  // WebSocket is: half-open connections must not pile up.
  const upgradeWithinMs = Math.max(1000, 2 * options.pingIntervalMs);
  const serverOptions = { headersTimeout: upgradeWithinMs, requestTimeout: upgradeWithinMs, connectionsCheckingInterval: Math.min(upgradeWithinMs / 2, 30_000) };
  const onUpgrade = upgradeThrough(admit, wss, log);

  const servers: Server[] = [await listenOnUnixSocket(options.socketPath, serverOptions, onUpgrade)];
  const addresses: string[] = [`unix:${options.socketPath}`];
  const tcpListeners = [
    ...options.tcp.map((address) => ({ address, secure: true })),
    ...options.insecureTcp.map((address) => ({ address, secure: false })),
  ];
  for (const { address, secure } of tcpListeners) {
    const { server, url } = await listenOnTcp(address, secure, serverOptions, options, onUpgrade);
    servers.push(server);
    addresses.push(url);
  }
  heartbeat.start(options.pingIntervalMs);

  return {
    addresses: () => [...addresses],
    connections: () => wss.clients.size,
    closeTokenConnections: (tokenId) => tokenConnections.closeToken(tokenId),
    async stopAccepting() {
      heartbeat.stop();
      // close() stops listening at once; its callback would wait for the open WebSockets.
      for (const server of servers) server.close();
      try {
        unlinkSync(options.socketPath);
      } catch {
        // Already gone: nothing to clean.
      }
    },
    async closeConnections() {
      await closeAll(wss.clients);
      wss.close();
    },
  };
}
