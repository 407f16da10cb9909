import type { MethodName, ResultOf, ValidParamsOf } from '../protocol/index.js';
import type { Db } from './database.js';
import type { TokenSource } from './delivery/mail-transport.js';
import type { RetryPolicy } from './delivery/retry-policy.js';
import type { LdapStores } from './directory/ldap/ldap-stores.js';
import type { DirectoryProvider } from './directory/provider.js';
import type { Logger } from './logger.js';
import type { ChangeRecorder } from './notifier/change-event.js';
import type { LifecycleContext } from './scheduler/link-lifecycle.js';
import type { Scheduler } from './scheduler/scheduler.js';
import type { SecretBox } from './secrets.js';

export type Role = 'Administrator' | 'Reader';

/** Who is calling: fixed when the connection authenticated. */
export interface Caller {
  role: Role;
  connectionId: number;
  /** Who the change history names. */
  actor: string;
  /** The API token the connection presented; absent for the local token file's. */
  tokenId?: number;
  /** When that token expires (ms since the epoch): calls after it are refused. */
  tokenExpiresAt?: number;
  /** Admits or refuses each call against the connection's calls-per-second budget. */
  takeCall?: () => boolean;
  /** The directory user this connection signed in as (Connect-IdentityStore), if any. */
  session?: {
    storeId: number;
    storeName: string;
    userId: number;
    userName: string;
    connectedAt: string;
    /** Kept in memory only, for the connection's life: Default SMTP authentication uses it. */
    password: string;
  };
  /** Wrong passwords so far on this connection: each one waits longer. */
  failedSignIns?: number;
}

/** The outbox's controls that handlers need. */
export interface DeliveryControl {
  /** New or re-timed mail: look now instead of at the next timer. */
  wake(): void;
  /** The store is gone: close its pooled connections. */
  forgetStore(storeId: number): void;
  /**
   * Mails a signed-in user caused are sent with that user's credentials when the store uses
   * Default authentication; held in memory only, so a restart sends them without.
   */
  rememberCredential(mailIds: number[], credential: { user: string; pass: string }): void;
  policy: RetryPolicy;
  tokens: TokenSource;
}

/** What handlers may use. Time comes from `clock` so that tests can move it. */
export interface Services {
  db: Db;
  secrets: SecretBox;
  delivery: DeliveryControl;
  /** The directory of an identity store. */
  directory(storeId: number): DirectoryProvider;
  /** Records a change and queues the mails it causes, in the caller's transaction. */
  changes: ChangeRecorder;
  /** Directory servers behind Ldap and ActiveDirectory stores: sync, connections, write-through. */
  ldap: LdapStores;
  clock: () => Date;
  /** Takes life-cycle steps and reminders on their dates; moves the test clock. */
  scheduler: Scheduler;
  /** Sets links to temporary types and dates, with their notices and later steps. */
  lifecycle: LifecycleContext;
  log: Logger;
  /** Facts about the running daemon, for daemon.getStatus. */
  runtime: {
    version: string;
    stateDir: string;
    startedAt: Date;
    listeners: () => string[];
    connections: () => number;
    /** Closes the open connections made with this API token (it was revoked). */
    closeTokenConnections?: (tokenId: number) => void;
  };
}

export type Handler<M extends MethodName> = (params: ValidParamsOf<M>, caller: Caller) => ResultOf<M> | Promise<ResultOf<M>>;

/** Exactly one handler per method: the compiler rejects a missing one. */
export type Handlers = { [M in MethodName]: Handler<M> };
