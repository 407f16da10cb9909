import { expect } from 'vitest';
import type { HeraldClient } from '../../client/index.js';
import { startTestDaemon, tempDir, type TestDaemon } from './daemon.js';

/** A daemon whose time stands still at `at` until Set-TestClock moves it. */
export function startClockedDaemon(stateDir: string, at: string, options: { env?: NodeJS.ProcessEnv; extraArgs?: string[] } = {}): Promise<TestDaemon> {
  return startTestDaemon({ stateDir, extraArgs: [`--test-clock=${at}`, ...(options.extraArgs ?? [])], env: options.env });
}

/** A store with a few users that mail to the given SMTP port, and membership notices all on. */
export async function lifecycleStore(client: HeraldClient, store: string, smtpPort: number, users: string[]): Promise<void> {
  await client.call('identityStore.create', { name: store, type: 'Builtin' });
  await client.call('smtpServer.set', { identityStore: store, server: '127.0.0.1', port: smtpPort, tlsMode: 'None', from: 'herald@corp.example' });
  for (const name of users) await client.call('user.create', { identityStore: store, name, mail: `${name}@${store.toLowerCase()}.example` });
  await client.call('group.create', { identityStore: store, name: 'Sales' });
  await client.call('membershipLifecycleNotification.set', { identityStore: store, onJoin: true, onLeave: true, daysBeforeLeave: 2 });
}

/** Every mail a store queued, oldest first, as `kind recipient…`. */
export async function mailsOf(client: HeraldClient, store: string): Promise<string[]> {
  const mails = await client.call('notificationQueue.get', { identityStore: store, status: 'All', first: 100_000 });
  return mails.reverse().map((mail) => `${mail.kind} ${mail.to.join(',')}`);
}

/** The change history's member, owner and manager events of a store, oldest first, as `kind object related source`. */
export async function linkEventsOf(client: HeraldClient, store: string): Promise<string[]> {
  const events = await client.call('changeHistory.get', { identityStore: store, first: 10_000 });
  return events.reverse().filter((e) => e.related !== null).map((e) => `${e.kind} ${e.object} ${e.related} ${e.source}`);
}

/**
 * Runs `body` against a fresh daemon whose clock stands at `at`, in a state directory of its
 * own; the daemon must stop cleanly (exit 0) afterwards. Returns the state directory's path
 * only while the body runs: restarts inside it use startClockedDaemon on `stateDir`.
 */
export async function withClockedDaemon(at: string | undefined, body: (daemon: TestDaemon, client: HeraldClient, stateDir: string) => Promise<void>): Promise<void> {
  const temp = tempDir();
  const daemon = at === undefined ? await startTestDaemon({ stateDir: temp.dir }) : await startClockedDaemon(temp.dir, at);
  try {
    const client = await daemon.client();
    await body(daemon, client, temp.dir);
    await client.close();
    expect(await daemon.stop()).toBe(0);
  } finally {
    await daemon.stop();
    temp.cleanup();
  }
}
