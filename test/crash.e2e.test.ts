import { afterAll, describe, expect, it } from 'vitest';
import { startTestDaemon, tempDir } from './helpers/daemon.js';
import { startMailServer } from './helpers/mail-server.js';

const MAILS = 2000;
const temp = tempDir();
afterAll(() => temp.cleanup());

describe('a daemon killed while sending', () => {
  it('delivers every mail after a restart; only mails in flight come twice, with the same Message-ID', async () => {
    const server = await startMailServer();
    try {
      let daemon = await startTestDaemon({ stateDir: temp.dir });
      let client = await daemon.client();
      await client.call('identityStore.create', { name: 'Crash', type: 'Builtin' });
      await client.call('smtpServer.set', { identityStore: 'Crash', server: '127.0.0.1', port: server.port, tlsMode: 'None', maxRecipientsPerMessage: 1 });
      const to = Array.from({ length: MAILS }, (_, i) => `user${i}@corp.example`);
      const queued = await client.call('notification.send', { identityStore: 'Crash', to, subject: 'Crash test', body: 'x' });
      expect(queued).toHaveLength(MAILS);

      // Kill it mid-stream: no chance to record what it sent last.
      await server.waitFor(MAILS / 5, 60_000);
      daemon.process.kill('SIGKILL');
      expect(await daemon.stop()).toBeNull();
      const beforeRestart = server.received.length;
      expect(beforeRestart).toBeLessThan(MAILS);

      daemon = await startTestDaemon({ stateDir: temp.dir });
      client = await daemon.client();
      const ids = new Set(queued.map((m) => m.messageId));
      for (let i = 0; i < 600 && new Set(server.received.map((m) => m.messageId)).size < MAILS; i++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      const received = server.received.map((m) => m.messageId!);
      expect(new Set(received)).toEqual(ids);
      const duplicates = received.length - MAILS;
      // Only mails claimed but not recorded when the process died can come twice.
      expect(duplicates).toBeLessThanOrEqual(200);
      const history = await client.call('notificationHistory.get', { identityStore: 'Crash', first: MAILS });
      expect(history).toHaveLength(MAILS);
      expect(history.every((m) => m.status === 'Sent')).toBe(true);
      await client.close();
      expect(await daemon.stop()).toBe(0);
    } finally {
      await server.close();
    }
  }, 120_000);
});
