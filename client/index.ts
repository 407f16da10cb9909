import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { JSONRPCClient, JSONRPCErrorException } from 'json-rpc-2.0';
import WebSocket from 'ws';
import {
  ERRORS, HeraldError, resolveStateDir, STATE_FILES,
  type MethodName, type ParamsOf, type ResultOf,
} from '../protocol/index.js';
import { openSocket } from './socket.js';

export { HeraldError } from '../protocol/index.js';
export type { MethodName, ParamsOf, ResultOf } from '../protocol/index.js';

export interface ConnectOptions {
  /** `ws://host:port`, `wss://…` or `ws+unix:///path/herald.sock:/`; default: the local daemon's socket. */
  url?: string;
  /** Default: the local daemon's token file. */
  token?: string;
  /** Where to find the local daemon; default as the daemon resolves it. */
  stateDir?: string;
  /** Per-call timeout; default 30 s. */
  timeoutMs?: number;
  /** Time allowed to open the connection; default 10 s. */
  connectTimeoutMs?: number;
  /** PEM text of a private CA that signed the daemon's certificate (wss://); trusted besides Node's list. */
  ca?: string;
  /** Reopen a dropped connection: default off; `true` is 10 attempts, 200 ms doubling up to 5 s apart. */
  reconnect?: boolean | { attempts?: number; delayMs?: number; maxDelayMs?: number };
}

export interface HeraldClient {
  readonly url: string;
  /** Calls a method of the table, typed by its params and result. */
  call<M extends MethodName>(method: M, ...params: {} extends ParamsOf<M> ? [ParamsOf<M>?] : [ParamsOf<M>]): Promise<ResultOf<M>>;
  /** Calls any method by name (rpc.discover, or a newer daemon's method). */
  callUntyped(method: string, params?: Record<string, unknown>): Promise<unknown>;
  /** Called once when the connection ends for good, whoever ended it (with reconnect: once it gave up). */
  onClose(listener: (code: number, reason: string) => void): void;
  /** Called each time a dropped connection has been reopened (sign-ins of Connect-IdentityStore do not survive it). */
  onReconnect(listener: () => void): void;
  close(): Promise<void>;
}

export function localSocketUrl(stateDir: string): string {
  return `ws+unix://${join(stateDir, STATE_FILES.socket)}:/`;
}

export function readLocalToken(stateDir: string): string {
  const path = join(stateDir, STATE_FILES.token);
  try {
    return readFileSync(path, 'utf8').trim();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new HeraldError('DaemonUnreachable', code === 'ENOENT' ? `no daemon token at ${path}` : `cannot read ${path}: ${code}`, {
      remedy: code === 'ENOENT' ? 'start the daemon with `npm run daemon` (it creates the token)' : 'run as the user who runs the daemon',
    });
  }
}

function toHeraldError(error: unknown): HeraldError {
  if (error instanceof HeraldError) return error;
  if (error instanceof JSONRPCErrorException) {
    // json-rpc-2.0 uses code 0 only for requests it rejects itself when the socket closes.
    if (error.code === 0) return new HeraldError('Disconnected', `${ERRORS.Disconnected.message}: ${error.message}`);
    return HeraldError.fromWire({ code: error.code, message: error.message, data: error.data });
  }
  return new HeraldError('InternalError', error instanceof Error ? error.message : String(error));
}

/** Errors a new attempt cannot cure: reconnecting stops at them. */
const PERMANENT = new Set(['Unauthenticated', 'TokenExpired', 'CertificateUntrusted', 'ProtocolMismatch', 'AccessDenied']);

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Opens an authenticated connection to a herald daemon. With `reconnect`, a dropped connection
 * is reopened with growing pauses; calls in flight when it dropped fail with Disconnected (they
 * may or may not have been carried out), calls made while it is reopened wait for it.
 */
export async function connect(options: ConnectOptions = {}): Promise<HeraldClient> {
  const stateDir = resolveStateDir(process.env, homedir(), options.stateDir);
  const url = options.url ?? localSocketUrl(stateDir);
  const socketOptions = {
    url,
    token: options.token ?? readLocalToken(stateDir),
    ca: options.ca,
    connectTimeoutMs: options.connectTimeoutMs ?? 10_000,
  };
  const timeoutMs = options.timeoutMs ?? 30_000;
  const reconnect = options.reconnect ? { attempts: 10, delayMs: 200, maxDelayMs: 5000, ...(options.reconnect === true ? {} : options.reconnect) } : undefined;

  let ws = await openSocket(socketOptions);
  let closing = false;
  let gaveUp = false;
  let lastError: HeraldError | undefined;
  /** Calls waiting for a dropped connection to be reopened (or given up). */
  let waitingForOpen: (() => void)[] = [];
  const wakeWaiting = () => {
    const waiting = waitingForOpen;
    waitingForOpen = [];
    for (const wake of waiting) wake();
  };
  const closeListeners: ((code: number, reason: string) => void)[] = [];
  const reconnectListeners: (() => void)[] = [];

  const rpc = new JSONRPCClient((request) => {
    // The socket can start closing between a call's check and its send: that call is Disconnected.
    if (ws.readyState !== WebSocket.OPEN) throw new Error(`no open connection to ${url}`);
    ws.send(JSON.stringify(request));
  });
  const timed = rpc.timeout(timeoutMs, (id) => ({
    jsonrpc: '2.0', id, error: { code: ERRORS.Timeout.code, message: `no answer within ${timeoutMs} ms` },
  }));

  const reopen = async (): Promise<void> => {
    for (let attempt = 1; attempt <= reconnect!.attempts && !closing; attempt++) {
      await delay(Math.min(reconnect!.maxDelayMs, reconnect!.delayMs * 2 ** (attempt - 1)));
      try {
        attach(await openSocket(socketOptions));
        lastError = undefined;
        wakeWaiting();
        for (const listener of reconnectListeners) listener();
        return;
      } catch (error) {
        lastError = toHeraldError(error);
        if (PERMANENT.has(lastError.errorName)) break;
      }
    }
    gaveUp = true;
    wakeWaiting();
    for (const listener of closeListeners) listener(1006, lastError?.message ?? 'gave up reconnecting');
  };

  function attach(socket: WebSocket): void {
    ws = socket;
    socket.on('message', (data) => {
      try {
        rpc.receive(JSON.parse(data.toString()));
      } catch {
        // A frame that is not JSON cannot be matched to a call; the call times out instead.
      }
    });
    socket.on('error', () => undefined);
    socket.once('close', (code, reason) => {
      rpc.rejectAllPendingRequests(`closed by the daemon (${code}${reason.length ? ` ${reason.toString()}` : ''})`);
      if (!closing && reconnect) {
        void reopen();
        return;
      }
      for (const listener of closeListeners) listener(code, reason.toString());
    });
  }
  attach(ws);

  /** While a dropped connection is being reopened, a new call waits for it, up to its timeout. */
  const untilOpen = async () => {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      new Promise<void>((resolve) => waitingForOpen.push(resolve)),
      new Promise<void>((resolve) => { timer = setTimeout(resolve, timeoutMs); }),
    ]);
    clearTimeout(timer);
  };

  const callUntyped = async (method: string, params?: Record<string, unknown>) => {
    if (ws.readyState !== WebSocket.OPEN && reconnect && !closing && !gaveUp) await untilOpen();
    if (ws.readyState !== WebSocket.OPEN) throw lastError ?? new HeraldError('Disconnected', `${ERRORS.Disconnected.message} (${url})`);
    try {
      return await timed.request(method, params ?? {});
    } catch (error) {
      throw toHeraldError(error);
    }
  };
  return {
    url,
    call: ((method: string, params?: Record<string, unknown>) => callUntyped(method, params)) as HeraldClient['call'],
    callUntyped,
    onClose: (listener) => { closeListeners.push(listener); },
    onReconnect: (listener) => { reconnectListeners.push(listener); },
    close: () => new Promise<void>((resolve) => {
      closing = true;
      if (ws.readyState === WebSocket.CLOSED) return resolve();
      ws.once('close', () => resolve());
      ws.close(1000);
    }),
  };
}
