import { PROTOCOL_VERSION } from '../../protocol/index.js';
import type { Handler, Services } from '../context.js';

export function daemonHandlers({ runtime, clock }: Services) {
  const getStatus: Handler<'daemon.getStatus'> = () => ({
    version: runtime.version,
    protocolVersion: PROTOCOL_VERSION,
    pid: process.pid,
    uptimeSeconds: Math.round((clock().getTime() - runtime.startedAt.getTime()) / 1000),
    stateDir: runtime.stateDir,
    listeners: runtime.listeners(),
    rssBytes: process.memoryUsage.rss(),
    connections: runtime.connections(),
  });
  return { 'daemon.getStatus': getStatus };
}
