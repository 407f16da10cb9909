import { z } from 'zod';
import { defineMethod } from '../method.js';

export const DaemonStatus = z.object({
  version: z.string().describe('herald version of the daemon'),
  protocolVersion: z.string(),
  pid: z.number().int(),
  uptimeSeconds: z.number(),
  stateDir: z.string(),
  listeners: z.array(z.string()).describe('Addresses the daemon listens on'),
  rssBytes: z.number().int().describe('Resident memory of the daemon process'),
  connections: z.number().int().describe('Open WebSocket connections'),
});
export type DaemonStatus = z.infer<typeof DaemonStatus>;

export const daemonGetStatus = defineMethod({
  name: 'daemon.getStatus',
  access: 'read',
  summary: 'Reports the daemon\'s version, uptime, listeners and memory.',
  params: z.strictObject({}),
  result: DaemonStatus,
  examples: [{
    name: 'status',
    params: {},
    result: {
      version: '0.1.0', protocolVersion: '1.0', pid: 4242, uptimeSeconds: 3600, stateDir: '/home/admin/.local/state/herald',
      listeners: ['unix:/home/admin/.local/state/herald/herald.sock'], rssBytes: 52_428_800, connections: 1,
    },
  }],
  cmdlet: {
    name: 'Get-DaemonStatus',
    examples: [{ command: 'Get-DaemonStatus | Format-List', description: 'Shows which daemon the shell talks to and how it is doing.' }],
  },
});
