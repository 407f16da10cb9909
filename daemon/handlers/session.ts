import { HeraldError } from '../../protocol/index.js';
import type { Caller, Handler, Services } from '../context.js';
import type { Actor } from '../notifier/change-event.js';
import { prepared } from '../sql.js';
import { directoryStoreOf } from './directory-support.js';

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Who a change on this connection is by: the signed-in user of that store, else the token holder. */
export function actorOf(services: Services, caller: Caller, storeId: number): Actor {
  const session = caller.session;
  if (!session || session.storeId !== storeId) return { name: caller.actor };
  const user = services.directory(storeId).get(session.userId);
  if (!user) return { name: caller.actor };
  return { name: `${user.name} (${session.storeName})`, user, smtpCredential: { user: user.mail ?? user.name, pass: session.password } };
}

export function sessionHandlers(services: Services) {
  const view = (caller: Caller) => {
    const session = caller.session!;
    const user = services.directory(session.storeId).get(session.userId);
    return { identityStore: session.storeName, userName: session.userName, displayName: user?.displayName ?? null, mail: user?.mail ?? null, connectedAt: session.connectedAt };
  };

  const connect: Handler<'session.connect'> = async ({ identityStore, identityStoreId, credential }, caller) => {
    let store: { id: number; name: string };
    if (identityStoreId !== undefined) {
      const row = prepared(services.db, 'SELECT id, name FROM identity_store WHERE id = ?').get(identityStoreId) as { id: number; name: string } | undefined;
      if (!row) throw new HeraldError('NotFound', `no identity store has Id ${identityStoreId}`, { field: 'identityStoreId', remedy: 'Get-IdentityStore shows the Ids' });
      store = row;
    } else {
      store = directoryStoreOf(services, identityStore);
    }
    const directory = services.directory(store.id);
    const user = directory.find(credential.userName, 'User');
    if (!user || !user.enabled || !(await directory.verifyPassword(user.id, credential.password))) {
      // Each wrong password on a connection waits twice as long as the last: guessing stays slow.
      caller.failedSignIns = (caller.failedSignIns ?? 0) + 1;
      await delay(Math.min(5000, 100 * 2 ** (caller.failedSignIns - 1)));
      services.log.warn('sign-in refused', { store: store.name, user: credential.userName, connection: caller.connectionId });
      throw new HeraldError('Unauthenticated', `wrong user name or password for identity store '${store.name}'`, { field: 'credential' });
    }
    caller.failedSignIns = 0;
    caller.session = {
      storeId: store.id, storeName: store.name, userId: user.id, userName: user.name, connectedAt: services.clock().toISOString(), password: credential.password,
    };
    services.log.info('signed in', { store: store.name, user: user.name, connection: caller.connectionId });
    return view(caller);
  };

  const get: Handler<'session.get'> = (_params, caller) => (caller.session ? view(caller) : null);

  const disconnect: Handler<'session.disconnect'> = (_params, caller) => {
    caller.session = undefined;
    return null;
  };

  return { 'session.connect': connect, 'session.get': get, 'session.disconnect': disconnect };
}
