import { rootCertificates } from 'node:tls';
import WebSocket from 'ws';
import { MAX_FRAME_BYTES, SUBPROTOCOL } from '../protocol/index.js';
import { openingError } from './connection-errors.js';

export interface SocketOptions {
  url: string;
  token: string;
  /** PEM of a private CA, trusted besides Node's own list. */
  ca?: string;
  connectTimeoutMs: number;
}

/** Opens one authenticated WebSocket to a daemon, or fails with the error that says why not. */
export function openSocket({ url, token, ca, connectTimeoutMs }: SocketOptions): Promise<WebSocket> {
  const ws = new WebSocket(url, [SUBPROTOCOL], {
    headers: { Authorization: `Bearer ${token}` },
    maxPayload: MAX_FRAME_BYTES * 16,
    perMessageDeflate: false,
    handshakeTimeout: connectTimeoutMs,
    ...(ca ? { ca: [...rootCertificates, ca] } : {}),
  });
  return new Promise<WebSocket>((resolve, reject) => {
    let refusal: { status: number; headers: Record<string, string | string[] | undefined> } | undefined;
    ws.once('unexpected-response', (_request, response) => {
      refusal = { status: response.statusCode ?? 0, headers: response.headers };
      response.resume();
      ws.terminate();
    });
    ws.once('open', () => resolve(ws));
    ws.once('error', (error) => reject(openingError(url, error as NodeJS.ErrnoException, refusal)));
    ws.once('close', () => reject(openingError(url, undefined, refusal)));
  });
}
