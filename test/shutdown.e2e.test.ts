import { afterAll, describe, expect, it } from 'vitest';
import { startTestDaemon, tempDir } from './helpers/daemon.js';
import { openRaw } from './helpers/raw-socket.js';

const temp = tempDir();
afterAll(() => temp.cleanup());

interface Reply {
  id: number;
  result?: { name: string };
  error?: { code: number; message: string };
}

describe('SIGTERM', () => {
  it('answers every call under way, exits 0, and keeps exactly what it reported as done', async () => {
    const daemon = await startTestDaemon({ stateDir: temp.dir });
    const socket = await openRaw(daemon.socketUrl, { token: daemon.token });
    // 100 writes, each its own FULL-sync transaction: the signal lands while they run.
    const batch = Array.from({ length: 100 }, (_, i) => ({ jsonrpc: '2.0', id: i, method: 'identityStore.create', params: { name: `Store${i}`, type: 'Builtin' } }));
    socket.ws.send(JSON.stringify(batch));
    daemon.process.kill('SIGTERM');
    const replies = (await socket.next(10_000)) as Reply[];
    expect(await daemon.stop()).toBe(0);

    expect(Array.isArray(replies)).toBe(true);
    expect(replies).toHaveLength(100);
    const created = replies.filter((r) => r.result).map((r) => r.result!.name);
    const refused = replies.filter((r) => r.error);
    // Anything not done was refused with the shutting-down code, never dropped or half-done.
    for (const reply of refused) expect(reply.error!.code).toBe(-32007);
    expect(created.length + refused.length).toBe(100);

    const restarted = await startTestDaemon({ stateDir: temp.dir });
    const client = await restarted.client();
    const stored = (await client.call('identityStore.get', {})).map((s) => s.name).sort();
    await client.close();
    expect(await restarted.stop()).toBe(0);
    expect(stored).toEqual(created.sort());
  });

  it('closes idle connections with 1001 and removes its socket', async () => {
    const dir = tempDir();
    try {
      const daemon = await startTestDaemon({ stateDir: dir.dir });
      const socket = await openRaw(daemon.socketUrl, { token: daemon.token });
      const closed = new Promise<number>((resolve) => socket.ws.once('close', (code) => resolve(code)));
      expect(await daemon.stop()).toBe(0);
      expect(await closed).toBe(1001);
      const { existsSync } = await import('node:fs');
      expect(existsSync(`${dir.dir}/herald.sock`)).toBe(false);
    } finally {
      dir.cleanup();
    }
  });
});
