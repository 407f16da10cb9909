/** Bumped when a method changes incompatibly; the shell warns when the daemon's differs. */
export const PROTOCOL_VERSION = '1.0';

/** The WebSocket subprotocol both sides agree on; carries the protocol's major version. */
export const SUBPROTOCOL = 'herald.v1';

/** Prefix of the Sec-WebSocket-Protocol entry that carries the token for header-less clients. */
export const TOKEN_SUBPROTOCOL_PREFIX = 'bearer.';

/** Calls per JSON-RPC batch; a larger batch is refused whole. */
export const MAX_BATCH = 100;

/** Largest WebSocket frame either side accepts. */
export const MAX_FRAME_BYTES = 1024 * 1024;
