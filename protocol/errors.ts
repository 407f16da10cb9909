/**
 * The one table of error codes. JSON-RPC's standard codes first, then herald's own in
 * -32000..-32099. Daemon, client and shell all speak in these names.
 */
export const ERRORS = {
  ParseError: { code: -32700, message: 'parse error: the message is not valid JSON' },
  InvalidRequest: { code: -32600, message: 'invalid request' },
  MethodNotFound: { code: -32601, message: 'method not found' },
  InvalidParams: { code: -32602, message: 'invalid params' },
  InternalError: { code: -32603, message: 'internal error' },
  NotFound: { code: -32000, message: 'not found' },
  Conflict: { code: -32001, message: 'conflict' },
  AccessDenied: { code: -32002, message: 'access denied' },
  Unauthenticated: { code: -32003, message: 'unauthenticated' },
  ValidationFailed: { code: -32004, message: 'validation failed' },
  SmtpAuthFailed: { code: -32005, message: 'SMTP authentication failed' },
  SmtpUnreachable: { code: -32006, message: 'SMTP server unreachable' },
  ShuttingDown: { code: -32007, message: 'the daemon is shutting down' },
  Timeout: { code: -32008, message: 'the call timed out' },
  Disconnected: { code: -32009, message: 'the connection to the daemon was lost' },
  DaemonUnreachable: { code: -32010, message: 'no daemon answered' },
  RateLimited: { code: -32011, message: 'too many calls or connections' },
  TokenExpired: { code: -32012, message: 'the token has expired' },
  CertificateUntrusted: { code: -32013, message: 'the daemon\'s certificate is not trusted' },
  ProtocolMismatch: { code: -32014, message: 'the daemon speaks another protocol version' },
  DirectoryUnavailable: { code: -32015, message: 'the directory server is unavailable' },
} as const;

export type ErrorName = keyof typeof ERRORS;

/** What travels in an error's `data`: the offending field's path, and details per error kind. */
export interface ErrorData {
  /** Dotted path of the parameter at fault, e.g. `portals.0.url`. */
  field?: string;
  /** Every problem found, when validation found more than one. */
  issues?: { field: string; message: string }[];
  /** What the user can do about it. */
  remedy?: string;
  [key: string]: unknown;
}

const NAME_BY_CODE = new Map<number, ErrorName>(
  (Object.keys(ERRORS) as ErrorName[]).map((name) => [ERRORS[name].code, name]),
);

export function errorNameOf(code: number): ErrorName | undefined {
  return NAME_BY_CODE.get(code);
}

/** An error with a name from the table; thrown by handlers, rebuilt by the client. */
export class HeraldError extends Error {
  readonly code: number;
  constructor(
    readonly errorName: ErrorName,
    message: string = ERRORS[errorName].message,
    readonly data?: ErrorData,
  ) {
    super(message);
    this.name = 'HeraldError';
    this.code = ERRORS[errorName].code;
  }

  /** Rebuilds an error received over the wire; unknown codes become InternalError. */
  static fromWire(error: { code: number; message: string; data?: unknown }): HeraldError {
    const name = errorNameOf(error.code) ?? 'InternalError';
    const data = error.data && typeof error.data === 'object' ? (error.data as ErrorData) : undefined;
    return new HeraldError(name, error.message, data);
  }
}
