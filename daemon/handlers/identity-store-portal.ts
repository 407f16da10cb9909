import { HeraldError, type Portal } from '../../protocol/index.js';
import type { Handler, Services } from '../context.js';
import { foldName, isSqliteConstraint, prepared, wildcardToLike } from '../sql.js';
import { sameUrl } from '../settings/rules.js';
import { loadSettings } from '../settings/settings-store.js';
import { requireStore } from './identity-store.js';

interface PortalRow {
  store: string;
  name: string;
  url: string;
  created_at: string;
}

function toPortal(row: PortalRow): Portal {
  return { identityStore: row.store, name: row.name, url: row.url, createdAt: row.created_at };
}

const SELECT = 'SELECT s.name AS store, p.name, p.url, p.created_at FROM identity_store_portal p JOIN identity_store s ON s.id = p.store_id';

export function identityStorePortalHandlers({ db, clock }: Services) {
  const add: Handler<'identityStorePortal.add'> = ({ identityStore, name, url }) =>
    db.transaction(() => {
      const store = requireStore(db, identityStore, 'identityStore');
      const createdAt = clock().toISOString();
      try {
        prepared(db, 'INSERT INTO identity_store_portal (store_id, name, name_key, url, created_at) VALUES (?, ?, ?, ?, ?)').run(store.id, name, foldName(name), url, createdAt);
      } catch (error) {
        if (isSqliteConstraint(error, 'UNIQUE')) {
          throw new HeraldError('Conflict', `identity store '${store.name}' already has a portal named '${name}'`, { field: 'name' });
        }
        throw error;
      }
      return { identityStore: store.name, name, url, createdAt };
    })();

  const get: Handler<'identityStorePortal.get'> = ({ identityStore, name }) => {
    const store = requireStore(db, identityStore, 'identityStore');
    if (name === undefined) return (prepared(db, `${SELECT} WHERE p.store_id = ? ORDER BY p.name_key`).all(store.id) as PortalRow[]).map(toPortal);
    const rows = prepared(db, `${SELECT} WHERE p.store_id = ? AND p.name_key LIKE ? ESCAPE '\\' ORDER BY p.name_key`).all(store.id, wildcardToLike(name)) as PortalRow[];
    if (rows.length === 0 && !/[*?]/.test(name)) {
      throw new HeraldError('NotFound', `identity store '${store.name}' has no portal named '${name}'`, { field: 'name' });
    }
    return rows.map(toPortal);
  };

  const remove: Handler<'identityStorePortal.remove'> = ({ identityStore, name }) => {
    db.transaction(() => {
      const store = requireStore(db, identityStore, 'identityStore');
      const portal = prepared(db, 'SELECT url FROM identity_store_portal WHERE store_id = ? AND name_key = ?').get(store.id, foldName(name)) as { url: string } | undefined;
      // Password-expiry warnings point at this portal: unlinking it would leave them pointing nowhere.
      const chosen = loadSettings(db, store.id).passwordPortalUrl;
      if (portal && chosen !== null && sameUrl(chosen, portal.url)) {
        throw new HeraldError('Conflict', `portal '${name}' is the one password-expiry warnings of '${store.name}' point to`, {
          field: 'name', remedy: 'choose another portal with Set-PasswordExpiryNotification, or clear it with -PortalUrl $null, first',
        });
      }
      const { changes } = prepared(db, 'DELETE FROM identity_store_portal WHERE store_id = ? AND name_key = ?').run(store.id, foldName(name));
      if (changes === 0) throw new HeraldError('NotFound', `identity store '${store.name}' has no portal named '${name}'`, { field: 'name' });
    })();
    return null;
  };

  return {
    'identityStorePortal.add': add,
    'identityStorePortal.get': get,
    'identityStorePortal.remove': remove,
  };
}
