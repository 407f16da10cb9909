import type { IncomingMessage } from 'node:http';
import type { WebSocket } from 'ws';
import type { TokenHolder } from './authentication.js';
import type { Caller } from './context.js';
import type { Dispatcher } from './dispatcher.js';
import { callBudget, type ConnectionLimits } from './limits.js';
import type { Logger } from './logger.js';

export interface ConnectionServices {
  dispatcher: Dispatcher;
  log: Logger;
}

/** Who calls on an admitted connection; a limited (TCP) one also gets a calls-per-second budget. */
export function callerOf(holder: TokenHolder, connectionId: number, limited: boolean, limits: ConnectionLimits): Caller {
  return {
    role: holder.role,
    connectionId,
    actor: holder.tokenId === undefined ? holder.name : `token ${holder.name}`,
    tokenId: holder.tokenId,
    tokenExpiresAt: holder.expiresAt,
    takeCall: limited ? callBudget(limits.callsPerSecond, Date.now) : undefined,
  };
}

/**
 * Serves one admitted WebSocket for its whole life: each text frame goes to the dispatcher, and
 * each reply goes back while the socket is open.
 */
export function serveConnection(ws: WebSocket, request: IncomingMessage, holder: TokenHolder, caller: Caller, services: ConnectionServices): void {
  const { dispatcher, log } = services;
  log.debug('connection opened', { connection: caller.connectionId, holder: holder.name, role: holder.role, remote: request.socket.remoteAddress ?? 'unix' });
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
}
