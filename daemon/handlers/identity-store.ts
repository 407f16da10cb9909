import { HeraldError, type IdentityStore } from '../../protocol/index.js';
import type { Handler, Services } from '../context.js';
import type { Db } from '../database.js';
import { foldName, isSqliteConstraint, prepared, wildcardToLike } from '../sql.js';
import { loadConnection, readServicePassword } from '../directory/ldap/connection-store.js';
import {
  checkConnectionFields, connectionView, desiredConnection, requireWorkingConnection, saveDirectoryConnection, syncAfterChange,
} from './identity-store-connection.js';

interface StoreRow {
  id: number;
  name: string;
  type: IdentityStore['type'];
  description: string | null;
  member_inactive_period: number;
  created_at: string;
  updated_at: string;
}

function toStore(db: Db, row: StoreRow): IdentityStore {
  // Only directory-server stores have a connection: the others are spared its queries.
  const connection = row.type === 'Ldap' || row.type === 'ActiveDirectory' ? connectionView(db, row.id) : undefined;
  return {
    id: row.id, name: row.name, type: row.type, description: row.description, memberInactivePeriod: row.member_inactive_period,
    createdAt: row.created_at, updatedAt: row.updated_at,
    ...(connection ? { connection } : {}),
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

export function identityStoreHandlers(services: Services) {
  const { db, clock, delivery } = services;
  const insert = prepared(db, 'INSERT INTO identity_store (name, name_key, type, description, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING *');
  const listAll = prepared(db, 'SELECT * FROM identity_store ORDER BY name_key');
  const listLike = prepared(db, "SELECT * FROM identity_store WHERE name_key LIKE ? ESCAPE '\\' ORDER BY name_key");
  const remove = prepared(db, 'DELETE FROM identity_store WHERE id = ?');

  const create: Handler<'identityStore.create'> = async (params) => {
    const { name, type, description } = params;
    const connecting = checkConnectionFields(type, params, false);
    if (prepared(db, 'SELECT 1 FROM identity_store WHERE name_key = ?').get(foldName(name))) throw duplicateName(name, 'name');
    const now = clock().toISOString();
    const password = params.serviceAccount?.password;
    // Tried before anything is saved: a wrong password or an unreachable server creates nothing.
    const wanted = connecting ? desiredConnection({ id: 0, name, type }, undefined, params, now) : undefined;
    if (wanted) await requireWorkingConnection(wanted, password, true);
    const row = db.transaction(() => {
      try {
        const inserted = insert.get(name, foldName(name), type, description ?? null, now, now) as StoreRow;
        if (wanted) saveDirectoryConnection(services, { ...wanted, storeId: inserted.id }, password);
        return inserted;
      } catch (error) {
        if (isSqliteConstraint(error, 'UNIQUE')) throw duplicateName(name, 'name');
        throw error;
      }
    })();
    if (wanted) await syncAfterChange(services, row.id);
    return toStore(db, row);
  };

  const get: Handler<'identityStore.get'> = ({ name }) => {
    if (name === undefined) return (listAll.all() as StoreRow[]).map((row) => toStore(db, row));
    if (/[*?]/.test(name)) return (listLike.all(wildcardToLike(name)) as StoreRow[]).map((row) => toStore(db, row));
    return [toStore(db, requireStore(db, name, 'name'))];
  };

  const set: Handler<'identityStore.set'> = async (params) => {
    const { identity, newName, description, memberInactivePeriod } = params;
    const store = requireStore(db, identity, 'identity');
    const current = loadConnection(db, store.id);
    const changing = checkConnectionFields(store.type, params, current !== undefined);
    const connectionChanged = ['server', 'port', 'encryption', 'caCertificate', 'baseDn', 'serviceAccount'].some((field) => params[field as keyof typeof params] !== undefined);
    const password = params.serviceAccount?.password;
    const wanted = changing ? desiredConnection(store, current, params, clock().toISOString()) : undefined;
    if (wanted && connectionChanged) await requireWorkingConnection(wanted, password ?? readServicePassword(db, services.secrets, store.id), false);
    const updated = db.transaction(() => {
      const row = requireStore(db, identity, 'identity');
      if (wanted) saveDirectoryConnection(services, wanted, password);
      const next = {
        name: newName ?? row.name,
        description: description === undefined ? row.description : description,
        period: memberInactivePeriod ?? row.member_inactive_period,
      };
      try {
        return prepared(db, 'UPDATE identity_store SET name = ?, name_key = ?, description = ?, member_inactive_period = ?, updated_at = ? WHERE id = ? RETURNING *')
          .get(next.name, foldName(next.name), next.description, next.period, clock().toISOString(), row.id) as StoreRow;
      } catch (error) {
        if (isSqliteConstraint(error, 'UNIQUE')) throw duplicateName(next.name, 'newName');
        throw error;
      }
    })();
    if (wanted) await syncAfterChange(services, store.id);
    return toStore(db, updated);
  };

  const removeStore: Handler<'identityStore.remove'> = ({ identity }) => {
    const { id } = requireStore(db, identity, 'identity');
    db.transaction(() => remove.run(id))();
    delivery.forgetStore(id);
    services.ldap.forget(id);
    return null;
  };

  return {
    'identityStore.create': create,
    'identityStore.get': get,
    'identityStore.set': set,
    'identityStore.remove': removeStore,
  };
}
