import type { WebSocket } from 'ws';

/**
 * The open connections of each token holder, by TokenHolder.key: counted for the per-token
 * connection cap, and closed at once when an API token is revoked.
 */
export class TokenConnections {
  private readonly byHolder = new Map<string, Set<WebSocket>>();

  count(holderKey: string): number {
    return this.byHolder.get(holderKey)?.size ?? 0;
  }

  /** Counts the connection until it closes. */
  add(holderKey: string, ws: WebSocket): void {
    const siblings = this.byHolder.get(holderKey) ?? new Set<WebSocket>();
    this.byHolder.set(holderKey, siblings.add(ws));
    ws.once('close', () => {
      siblings.delete(ws);
      if (siblings.size === 0 && this.byHolder.get(holderKey) === siblings) this.byHolder.delete(holderKey);
    });
  }

  /** Closes every connection opened with this API token. */
  closeToken(tokenId: number): void {
    for (const ws of this.byHolder.get(`token:${tokenId}`) ?? []) ws.close(1008, 'token revoked');
  }
}
