import { HeraldError, type IdentityStore } from '../../protocol/index.js';
import type { Handler, Services } from '../context.js';
import type { Db } from '../database.js';
import { foldName, isSqliteConstraint, prepared, wildcardToLike } from '../sql.js';

interface StoreRow {
  id: number;
  name: string;
  type: IdentityStore['type'];
  description: string | null;
  member_inactive_period: number;
  created_at: string;
  updated_at: string;
}

function toStore(row: StoreRow): IdentityStore {
  return {
    id: row.id, name: row.name, type: row.type, description: row.description, memberInactivePeriod: row.member_inactive_period,
    createdAt: row.created_at, updatedAt: row.updated_at,
  };
}

/** Finds a store by name, or fails with NotFound naming it and the parameter that named it. */
export function requireStore(db: Db, name: string, field: string): StoreRow {
  const row = prepared(db, 'SELECT * FROM identity_store WHERE name_key = ?').get(foldName(name)) as StoreRow | undefined;
  if (!row) {
    throw new HeraldError('NotFound', `identity store '${name}' not found`, { field, remedy: 'list the stores with Get-IdentityStore' });
  }
  return row;
}

function duplicateName(name: string, field: string): HeraldError {
  return new HeraldError('Conflict', `an identity store named '${name}' already exists`, { field });
}

export function identityStoreHandlers({ db, clock, delivery }: Services) {
  const insert = prepared(db, 'INSERT INTO identity_store (name, name_key, type, description, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING *');
  const listAll = prepared(db, 'SELECT * FROM identity_store ORDER BY name_key');
  const listLike = prepared(db, "SELECT * FROM identity_store WHERE name_key LIKE ? ESCAPE '\\' ORDER BY name_key");
  const remove = prepared(db, 'DELETE FROM identity_store WHERE id = ?');

  const create: Handler<'identityStore.create'> = ({ name, type, description }) => {
    const now = clock().toISOString();
    try {
      return toStore(insert.get(name, foldName(name), type, description ?? null, now, now) as StoreRow);
    } catch (error) {
      if (isSqliteConstraint(error, 'UNIQUE')) throw duplicateName(name, 'name');
      throw error;
    }
  };

  const get: Handler<'identityStore.get'> = ({ name }) => {
    if (name === undefined) return (listAll.all() as StoreRow[]).map(toStore);
    if (/[*?]/.test(name)) return (listLike.all(wildcardToLike(name)) as StoreRow[]).map(toStore);
    return [toStore(requireStore(db, name, 'name'))];
  };

  const set: Handler<'identityStore.set'> = ({ identity, newName, description, memberInactivePeriod }) =>
    db.transaction(() => {
      const row = requireStore(db, identity, 'identity');
      const next = {
        name: newName ?? row.name,
        description: description === undefined ? row.description : description,
        period: memberInactivePeriod ?? row.member_inactive_period,
      };
      try {
        const updated = prepared(db, 'UPDATE identity_store SET name = ?, name_key = ?, description = ?, member_inactive_period = ?, updated_at = ? WHERE id = ? RETURNING *')
          .get(next.name, foldName(next.name), next.description, next.period, clock().toISOString(), row.id) as StoreRow;
        return toStore(updated);
      } catch (error) {
        if (isSqliteConstraint(error, 'UNIQUE')) throw duplicateName(next.name, 'newName');
        throw error;
      }
    })();

  const removeStore: Handler<'identityStore.remove'> = ({ identity }) => {
    const { id } = requireStore(db, identity, 'identity');
    db.transaction(() => remove.run(id))();
    delivery.forgetStore(id);
    return null;
  };

  return {
    'identityStore.create': create,
    'identityStore.get': get,
    'identityStore.set': set,
    'identityStore.remove': removeStore,
  };
}
