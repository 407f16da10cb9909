import type { WebSocket, WebSocketServer } from 'ws';

/** Keepalive: every socket is pinged each interval, and one that did not answer the previous ping is gone. */
export class Heartbeat {
  private readonly alive = new WeakSet<WebSocket>();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly wss: WebSocketServer) {}

  /** A new socket, and one that answers a ping, is alive until the next beat. */
  watch(ws: WebSocket): void {
    this.alive.add(ws);
    ws.on('pong', () => this.alive.add(ws));
  }

  start(intervalMs: number): void {
    this.timer = setInterval(() => this.beat(), intervalMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private beat(): void {
    for (const ws of this.wss.clients) {
      if (!this.alive.has(ws)) {
        ws.terminate();
        continue;
      }
      this.alive.delete(ws);
      ws.ping();
    }
  }
}
