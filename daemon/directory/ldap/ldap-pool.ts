import type { Client } from 'ldapts';
import { isServerResult, openClient, unavailable, type ServerAddress } from './ldap-client.js';

export interface PoolSettings extends ServerAddress {
  bindDn: string;
  password: string;
}

export interface LdapPool {
  /**
   * Runs `work` on a connection bound as the service account. A connection that failed (the
   * server restarted, a timeout) is dropped and the call fails with DirectoryUnavailable; the
   * next call opens a fresh one. Results the server sends (no such object, ...) pass through.
   */
  use<T>(work: (client: Client) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** Idle connections kept per store: enough for a sync and a few changes at once. */
const MAX_IDLE = 4;

/**
 * ldapts watches the plain socket for the server closing it, but after StartTLS it talks over the
 * TLS socket on top, and a server restart leaves the client believing it is still connected:
 * each call would then wait for its timeout. The TLS socket itself knows.
 */
function alive(client: Client): boolean {
  const socket = (client as unknown as { socket?: { destroyed: boolean; writable: boolean } }).socket;
  return client.isConnected && socket !== undefined && !socket.destroyed && socket.writable;
}

export function createLdapPool(settings: PoolSettings): LdapPool {
  const idle: Client[] = [];
  let closed = false;

  async function acquire(fresh: boolean): Promise<{ client: Client; reused: boolean }> {
    const reused = fresh ? undefined : idle.pop();
    if (reused && alive(reused)) return { client: reused, reused: true };
    if (reused) void reused.unbind().catch(() => undefined);
    const client = await openClient(settings);
    try {
      await client.bind(settings.bindDn, settings.password);
    } catch (error) {
      await client.unbind().catch(() => undefined);
      throw error;
    }
    return { client, reused: false };
  }

  function release(client: Client): void {
    if (closed || idle.length >= MAX_IDLE || !alive(client)) void client.unbind().catch(() => undefined);
    else idle.push(client);
  }

  return {
    async use(work) {
      // An idle connection may have died with a server restart unnoticed: one more try on a fresh one.
      for (let fresh = false; ; fresh = true) {
        let acquired: { client: Client; reused: boolean };
        try {
          acquired = await acquire(fresh);
        } catch (error) {
          throw unavailable(settings, error, settings.bindDn);
        }
        const { client, reused } = acquired;
        try {
          const result = await work(client);
          release(client);
          return result;
        } catch (error) {
          if (isServerResult(error)) {
            release(client);
            throw error;
          }
          void client.unbind().catch(() => undefined);
          if (!reused) throw unavailable(settings, error);
        }
      }
    },
    async close() {
      closed = true;
      await Promise.all(idle.splice(0).map((client) => client.unbind().catch(() => undefined)));
    },
  };
}
