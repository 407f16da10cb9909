import { randomUUID } from 'node:crypto';
import { JSONRPCServer, type JSONRPCErrorResponse, type JSONRPCID, type JSONRPCResponse } from 'json-rpc-2.0';
import { ERRORS, HeraldError, MAX_BATCH, METHODS, METHOD_NAMES, openRpcDocument } from '../protocol/index.js';
import type { Caller, Handlers } from './context.js';
import type { Logger } from './logger.js';
import { parseParams } from './validation.js';

type Response = JSONRPCResponse | JSONRPCResponse[] | null;

function errorResponse(id: JSONRPCID, name: keyof typeof ERRORS, message?: string, data?: unknown): JSONRPCErrorResponse {
  return { jsonrpc: '2.0', id, error: { code: ERRORS[name].code, message: message ?? ERRORS[name].message, ...(data === undefined ? {} : { data }) } };
}

function isValidId(id: unknown): id is JSONRPCID {
  return typeof id === 'string' || (typeof id === 'number' && Number.isFinite(id)) || id === null;
}

/** JSON-RPC 2.0 §4: what a request object must look like before any method sees it. */
function isWellFormed(request: unknown): boolean {
  if (request === null || typeof request !== 'object' || Array.isArray(request)) return false;
  const r = request as Record<string, unknown>;
  return r.jsonrpc === '2.0'
    && typeof r.method === 'string'
    && (!('id' in r) || isValidId(r.id))
    && (r.params === undefined || (typeof r.params === 'object' && r.params !== null));
}

export interface Dispatcher {
  /** Handles one WebSocket text message; resolves to the reply text, or null when none is due. */
  receive(text: string, caller: Caller): Promise<string | null>;
  /** Refuses new calls from now on and resolves once the calls under way have finished. */
  drain(): Promise<void>;
}

/**
 * The one place where calls are checked: well-formedness, batch size, params against the
 * method's schema, the caller's access. Errors leave as table codes; anything unexpected is
 * logged with a reference and leaves as a bare InternalError.
 */
export function createDispatcher(
  handlers: Handlers, log: Logger, version: string, options: { validateResults?: boolean; clock?: () => Date } = {},
): Dispatcher {
  const clock = options.clock ?? (() => new Date());
  const server = new JSONRPCServer<Caller>({ errorListener: () => undefined });
  let inFlight = 0;
  let draining = false;
  let drained: (() => void) | undefined;

  server.mapErrorToJSONRPCErrorResponse = (id, error) => {
    if (error instanceof HeraldError) return errorResponse(id, error.errorName, error.message, error.data);
    const reference = randomUUID().slice(0, 8);
    log.error('internal error', { reference, error: error instanceof Error ? error.stack ?? error.message : String(error) });
    return errorResponse(id, 'InternalError', `internal error (reference ${reference}; the daemon log has the details)`);
  };
  // A notification is never answered, not even with an error (JSON-RPC 2.0 §4.1).
  server.handleMethodNotFound = async (request) =>
    request.id === undefined
      ? null
      : errorResponse(request.id, 'MethodNotFound', `unknown method '${request.method}'`, { remedy: 'rpc.discover lists the methods' });

  for (const name of METHOD_NAMES) {
    const spec = METHODS[name];
    const handler = handlers[name] as (params: unknown, caller: Caller) => unknown;
    server.addMethod(name, async (params, caller) => {
      if (draining) throw new HeraldError('ShuttingDown', 'the daemon is shutting down: retry once it is back', { remedy: 'start the daemon again' });
      if (spec.access === 'write' && caller.role !== 'Administrator') {
        throw new HeraldError('AccessDenied', `${name} (${spec.cmdlet.name}) makes changes and needs an Administrator token; this connection's token is a ${caller.role}`, {
          method: name, remedy: 'connect with an Administrator token (New-ApiToken -Role Administrator)',
        });
      }
      const result = await handler(parseParams(spec.params, params), caller);
      if (options.validateResults) (spec.result as { parse(v: unknown): unknown }).parse(result);
      return result;
    });
  }
  // Built on first request: most daemons never serve it, and it costs memory to keep.
  let discovery: ReturnType<typeof openRpcDocument> | undefined;
  server.addMethod('rpc.discover', () => (discovery ??= openRpcDocument(version)));

  async function dispatch(payload: unknown, caller: Caller): Promise<Response> {
    if (!Array.isArray(payload)) return dispatchOne(payload, caller);
    if (payload.length === 0) return errorResponse(null, 'InvalidRequest', 'invalid request: empty batch');
    if (payload.length > MAX_BATCH) {
      return errorResponse(null, 'InvalidRequest', `invalid request: a batch holds at most ${MAX_BATCH} calls, this one ${payload.length}`);
    }
    // A batch holds requests, never batches: an array inside one is an invalid request, not a recursion.
    const responses = (await Promise.all(payload.map((one) => dispatchOne(one, caller)))).filter((r): r is JSONRPCResponse => r !== null);
    return responses.length ? responses : null;
  }

  async function dispatchOne(payload: unknown, caller: Caller): Promise<JSONRPCResponse | null> {
    if (!isWellFormed(payload)) {
      const id = (payload as { id?: unknown } | null)?.id;
      return errorResponse(isValidId(id) ? id : null, 'InvalidRequest', 'invalid request: expected {"jsonrpc":"2.0","method":string,"params"?:object,"id"?:string|number}');
    }
    const id = (payload as { id?: JSONRPCID }).id;
    // A connection lives on past its token's expiry; its calls do not.
    if (caller.tokenExpiresAt !== undefined && clock().getTime() >= caller.tokenExpiresAt) {
      return id === undefined ? null : errorResponse(id, 'TokenExpired', `this connection's token expired at ${new Date(caller.tokenExpiresAt).toISOString()}`, {
        remedy: 'ask an administrator for a new token (New-ApiToken) and connect with it',
      });
    }
    if (caller.takeCall && !caller.takeCall()) {
      return id === undefined ? null : errorResponse(id, 'RateLimited', 'too many calls on this connection: slow down and retry', { remedy: 'spread the calls over time, or ask for a higher --max-calls-per-second' });
    }
    return (await server.receive(payload as never, caller)) as JSONRPCResponse | null;
  }

  return {
    async receive(text, caller) {
      let payload: unknown;
      try {
        payload = JSON.parse(text);
      } catch {
        return JSON.stringify(errorResponse(null, 'ParseError'));
      }
      inFlight++;
      try {
        const response = await dispatch(payload, caller);
        return response === null ? null : JSON.stringify(response);
      } finally {
        if (--inFlight === 0 && drained) drained();
      }
    },
    drain() {
      draining = true;
      if (inFlight === 0) return Promise.resolve();
      return new Promise((resolve) => { drained = resolve; });
    },
  };
}

