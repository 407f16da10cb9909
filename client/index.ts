import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { JSONRPCClient, JSONRPCErrorException } from 'json-rpc-2.0';
import WebSocket from 'ws';
import {
  ERRORS, HeraldError, MAX_FRAME_BYTES, resolveStateDir, STATE_FILES, SUBPROTOCOL,
  type MethodName, type ParamsOf, type ResultOf,
} from '../protocol/index.js';
import { openingError } from './connection-errors.js';

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
}

export interface HeraldClient {
  readonly url: string;
  /** Calls a method of the table, typed by its params and result. */
  call<M extends MethodName>(method: M, ...params: {} extends ParamsOf<M> ? [ParamsOf<M>?] : [ParamsOf<M>]): Promise<ResultOf<M>>;
  /** Calls any method by name (rpc.discover, or a newer daemon's method). */
  callUntyped(method: string, params?: Record<string, unknown>): Promise<unknown>;
  /** Called once when the connection ends, whoever ended it. */
  onClose(listener: (code: number, reason: string) => void): void;
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

/** Opens an authenticated connection to a herald daemon. */
export async function connect(options: ConnectOptions = {}): Promise<HeraldClient> {
  const stateDir = resolveStateDir(process.env, homedir(), options.stateDir);
  const url = options.url ?? localSocketUrl(stateDir);
  const token = options.token ?? readLocalToken(stateDir);
  const timeoutMs = options.timeoutMs ?? 30_000;

  const ws = new WebSocket(url, [SUBPROTOCOL], {
    headers: { Authorization: `Bearer ${token}` },
    maxPayload: MAX_FRAME_BYTES * 16,
    perMessageDeflate: false,
    handshakeTimeout: options.connectTimeoutMs ?? 10_000,
  });
  await new Promise<void>((resolve, reject) => {
    let status: number | undefined;
    ws.once('unexpected-response', (_request, response) => {
      status = response.statusCode;
      response.resume();
      ws.terminate();
    });
    ws.once('open', () => resolve());
    ws.once('error', (error) => reject(openingError(url, error as NodeJS.ErrnoException, status)));
    ws.once('close', () => reject(openingError(url, undefined, status)));
  });

  const rpc = new JSONRPCClient((request) => {
    if (ws.readyState !== WebSocket.OPEN) throw new HeraldError('Disconnected', `${ERRORS.Disconnected.message} (${url})`);
    ws.send(JSON.stringify(request));
  });
  const timed = rpc.timeout(timeoutMs, (id) => ({
    jsonrpc: '2.0', id, error: { code: ERRORS.Timeout.code, message: `no answer within ${timeoutMs} ms` },
  }));
  const closeListeners: ((code: number, reason: string) => void)[] = [];
  ws.on('message', (data) => {
    try {
      rpc.receive(JSON.parse(data.toString()));
    } catch {
      // A frame that is not JSON cannot be matched to a call; the call times out instead.
    }
  });
  ws.on('error', () => undefined);
  ws.once('close', (code, reason) => {
    rpc.rejectAllPendingRequests(`closed by the daemon (${code}${reason.length ? ` ${reason.toString()}` : ''})`);
    for (const listener of closeListeners) listener(code, reason.toString());
  });

  const callUntyped = async (method: string, params?: Record<string, unknown>) => {
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
    close: () => new Promise<void>((resolve) => {
      if (ws.readyState === WebSocket.CLOSED) return resolve();
      ws.once('close', () => resolve());
      ws.close(1000);
    }),
  };
}
