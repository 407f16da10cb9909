import { InvalidCredentialsError } from 'ldapts';
import { HeraldError } from '../../../protocol/index.js';
import type { Db } from '../../database.js';
import type { Logger } from '../../logger.js';
import type { ChangeRecorder } from '../../notifier/change-event.js';
import type { SecretBox } from '../../secrets.js';
import { prepared } from '../../sql.js';
import type { DirectoryProvider, PasswordPolicy } from '../provider.js';
import { loadConnection, readServicePassword, recordSync, type DirectoryConnection } from './connection-store.js';
import { messageOf, openClient, unavailable } from './ldap-client.js';
import { createLdapDirectory } from './ldap-directory.js';
import { readEntries } from './ldap-entries.js';
import { readPasswordPolicy } from './password-policy.js';
import { createLdapPool, type LdapPool } from './ldap-pool.js';
import { applyEntries } from './mirror.js';
import { applyModifications, WriteJournal } from './write-journal.js';
import { createMutex } from './mutex.js';

export interface SyncOutcome {
  identityStore: string;
  mode: 'Full' | 'Incremental';
  objectsRead: number;
  objectsAdded: number;
  objectsRemoved: number;
  objectsSkipped: number;
  changes: number;
  durationMs: number;
}

export interface LdapStores {
  /** The directory of a store that has a connection; undefined for the others. */
  provider(storeId: number): DirectoryProvider | undefined;
  /** Reads the server's changes (all objects when `full`, or when the store was never read) into herald's copy. */
  sync(storeId: number, options?: { full?: boolean }): Promise<SyncOutcome>;
  /**
   * Runs a synchronous change against herald's copy; when it changed a directory-backed store,
   * the changes go to the server first and the copy's are committed only once the server has
   * them. A server that fails leaves nothing changed in herald.
   */
  writeThrough<T>(work: () => T): Promise<T>;
  /** The store's connection changed or it is gone: drop its pooled connections. */
  forget(storeId: number): void;
  /** Syncs every directory-backed store now and then this often (0: only when asked). */
  startTimer(intervalMs: number): void;
  close(): Promise<void>;
}

/**
 * Changes found by the sync are nobody's sign-in: Default SMTP authentication sends their mails
 * as the store's service account, as the design has it for work with no signed-in user.
 */
function syncActorOf(db: Db, secrets: SecretBox) {
  return (connection: DirectoryConnection) => {
    const password = readServicePassword(db, secrets, connection.storeId);
    return { name: 'directory sync', ...(password === undefined ? {} : { smtpCredential: { user: connection.serviceAccount, pass: password } }) };
  };
}
/** Of the periodic syncs, every this many reads every object (hourly with the default 5 minutes). */
const FULL_SYNC_EVERY = 12;

class DryRun<T> extends Error {
  constructor(readonly result: T) {
    super('dry run');
  }
}

export function createLdapStores(options: { db: Db; secrets: SecretBox; changes: () => ChangeRecorder; clock: () => Date; log: Logger }): LdapStores {
  const { db, secrets, clock, log } = options;
  const journal = new WriteJournal();
  const syncActor = syncActorOf(db, secrets);
  const lock = createMutex();
  const pools = new Map<number, { pool: LdapPool; version: string }>();
  /** OpenLDAP stores' password policies, read by each sync (kept in memory: the next sync reads it again). */
  const policies = new Map<number, PasswordPolicy>();
  let timer: NodeJS.Timeout | undefined;

  function connectionOf(storeId: number): DirectoryConnection {
    const connection = loadConnection(db, storeId);
    if (!connection) throw new HeraldError('InvalidParams', `identity store ${storeId} has no directory server`, { field: 'identity' });
    return connection;
  }

  function poolOf(connection: DirectoryConnection): LdapPool {
    const current = pools.get(connection.storeId);
    if (current?.version === connection.updatedAt) return current.pool;
    void current?.pool.close();
    const password = readServicePassword(db, secrets, connection.storeId) ?? '';
    const pool = createLdapPool({ ...connection, bindDn: connection.serviceAccount, password });
    pools.set(connection.storeId, { pool, version: connection.updatedAt });
    return pool;
  }

  async function bindUser(connection: DirectoryConnection, dn: string, password: string): Promise<boolean> {
    let client;
    try {
      client = await openClient(connection);
      await client.bind(dn, password);
      return true;
    } catch (error) {
      if (error instanceof InvalidCredentialsError) return false;
      throw unavailable(connection, error);
    } finally {
      await client?.unbind().catch(() => undefined);
    }
  }

  async function syncNow(storeId: number, full: boolean): Promise<SyncOutcome> {
    const started = Date.now();
    const connection = connectionOf(storeId);
    const first = connection.syncMark === null;
    const mode = full || first ? 'Full' : 'Incremental';
    const entries = await poolOf(connection).use(async (client) => {
      if (connection.type === 'Ldap') policies.set(storeId, await readPasswordPolicy(client, connection.baseDn));
      return readEntries(client, {
        baseDn: connection.baseDn, map: connection.attributeMap, type: connection.type, since: mode === 'Full' ? null : connection.syncMark,
      });
    });
    const now = clock().toISOString();
    const outcome = db.transaction(() => {
      // The first read loads the directory: nothing in it is news to anyone.
      const recorder = first ? undefined : options.changes();
      const result = applyEntries(db, storeId, entries, {
        full: mode === 'Full', now,
        record: recorder && ((change) => recorder.record({ storeId, storeName: connection.storeName, ...change, actor: syncActor(connection), source: 'sync' })),
      });
      const marks = entries.map((entry) => entry.mark).filter((mark): mark is string => mark !== null);
      const highest = marks.reduce<string | null>((top, mark) => (top === null || compareMarks(mark, top) > 0 ? mark : top), connection.syncMark);
      recordSync(db, storeId, highest, now);
      return result;
    })();
    if (outcome.skipped.length) {
      log.warn('directory entries not kept: another object of the store has the name, or another store holds the same object (GUID)', {
        store: connection.storeName, count: outcome.skipped.length, entries: outcome.skipped.slice(0, 20),
      });
    }
    return {
      identityStore: connection.storeName, mode, objectsRead: entries.length, objectsAdded: outcome.added, objectsRemoved: outcome.removed, objectsSkipped: outcome.skipped.length,
      changes: first ? 0 : outcome.changes.length, durationMs: Date.now() - started,
    };
  }

  const stores: LdapStores = {
    provider(storeId) {
      const connection = loadConnection(db, storeId);
      if (!connection) return undefined;
      return createLdapDirectory(db, connection, journal, (dn, password) => bindUser(connection, dn, password), () => policies.get(storeId));
    },

    sync(storeId, { full = false } = {}) {
      return lock.run(() => syncNow(storeId, full));
    },

    writeThrough(work) {
      return lock.run(async () => {
        journal.begin();
        let first: { result: ReturnType<typeof work> } | undefined;
        try {
          first = { result: db.transaction(() => {
            const result = work();
            // Changes for a directory server: undo them here until the server has them.
            if (journal.recorded > 0) throw new DryRun(result);
            return result;
          })() };
        } catch (error) {
          if (!(error instanceof DryRun)) {
            journal.end();
            throw error;
          }
        }
        if (first) {
          journal.end();
          return first.result;
        }
        const modifications = journal.end();
        for (const storeId of new Set(modifications.map((modification) => modification.storeId))) {
          const connection = connectionOf(storeId);
          await poolOf(connection).use((client) => applyModifications(client, modifications.filter((modification) => modification.storeId === storeId)))
            .catch((error: unknown) => {
              if (error instanceof HeraldError) throw error;
              const message = messageOf(error);
              throw new HeraldError('ValidationFailed', `the directory server of identity store '${connection.storeName}' refused the change: ${message}`, {
                remedy: 'nothing was changed in herald; check the entry with your directory tools',
              });
            });
        }
        journal.begin();
        journal.replay();
        try {
          return db.transaction(work)();
        } finally {
          journal.end();
        }
      });
    },

    forget(storeId) {
      void pools.get(storeId)?.pool.close();
      pools.delete(storeId);
    },

    startTimer(intervalMs) {
      if (intervalMs <= 0) return;
      let ticks = 0;
      const syncAll = () => {
        // A change stamp does not show deletions: every so often the whole directory is read.
        const full = ticks++ % FULL_SYNC_EVERY === FULL_SYNC_EVERY - 1;
        const ids = (prepared(db, 'SELECT store_id FROM directory_connection').all() as { store_id: number }[]).map((row) => row.store_id);
        for (const id of ids) {
          stores.sync(id, { full }).catch((error: unknown) => log.warn('directory sync failed', { storeId: id, error: messageOf(error) }));
        }
      };
      // At once too: changes made while the daemon was down are caught up on start.
      syncAll();
      timer = setInterval(syncAll, intervalMs);
      timer.unref();
    },

    async close() {
      if (timer) clearInterval(timer);
      await lock.run(async () => undefined);
      await Promise.all([...pools.values()].map(({ pool }) => pool.close()));
      pools.clear();
    },
  };
  return stores;
}

/** uSNChanged values are numbers; generalized times of one form compare as text. */
function compareMarks(a: string, b: string): number {
  if (/^\d+$/.test(a) && /^\d+$/.test(b)) return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
  return a < b ? -1 : a > b ? 1 : 0;
}
