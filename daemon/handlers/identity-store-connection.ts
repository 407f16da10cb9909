import { HeraldError, type ValidParamsOf } from '../../protocol/index.js';
import { DIRECTORY_TYPES, type ConnectionView } from '../../protocol/directory/connection.js';
import type { DirectoryTestReport } from '../../protocol/methods/identity-store-connection.js';
import type { Handler, Services } from '../context.js';
import type { Db } from '../database.js';
import { effectiveAttributeMap } from '../directory/ldap/attribute-map.js';
import {
  defaultPort, loadConnection, readServicePassword, saveConnection, saveServicePassword, servicePasswordSet, type DirectoryConnection,
} from '../directory/ldap/connection-store.js';
import { testDirectoryConnection } from '../directory/ldap/connection-test.js';
import { requireStore } from './identity-store.js';

type ConnectionParams = Pick<ValidParamsOf<'identityStore.set'>, 'server' | 'port' | 'encryption' | 'caCertificate' | 'baseDn' | 'serviceAccount' | 'attributeMap'>;

const CONNECTION_FIELDS = ['server', 'port', 'encryption', 'caCertificate', 'baseDn', 'serviceAccount', 'attributeMap'] as const;

export function connectionView(db: Db, storeId: number): ConnectionView | undefined {
  const connection = loadConnection(db, storeId);
  if (!connection) return undefined;
  return {
    server: connection.server, port: connection.port, encryption: connection.encryption, caCertificate: connection.caCertificate,
    baseDn: connection.baseDn, serviceAccount: connection.serviceAccount, servicePasswordSet: servicePasswordSet(db, storeId),
    attributeMap: connection.attributeMap, lastSyncAt: connection.lastSyncAt,
  };
}

/**
 * Connection fields are for directory-backed stores only. Such a store without a server keeps its
 * directory in herald (as a Builtin one) until one is set: then a server, a base DN and an
 * account are all needed.
 */
export function checkConnectionFields(type: string, params: ConnectionParams, hasConnection: boolean): boolean {
  const given = CONNECTION_FIELDS.find((field) => params[field] !== undefined);
  if (!DIRECTORY_TYPES.has(type)) {
    if (given) throw new HeraldError('InvalidParams', `${given} applies to Ldap and ActiveDirectory stores, not to a ${type} store`, { field: given });
    return false;
  }
  if (hasConnection) return given !== undefined;
  if (!given) return false;
  for (const field of ['server', 'baseDn', 'serviceAccount'] as const) {
    if (params[field] === undefined) {
      throw new HeraldError('InvalidParams', `a ${type} store's directory server needs -${field.charAt(0).toUpperCase()}${field.slice(1)} too`, { field, remedy: 'Get-Help New-IdentityStore -Examples' });
    }
  }
  return true;
}

/** The connection a create or set asks for: the current one with the given fields laid over it. */
export function desiredConnection(store: { id: number; name: string; type: string }, current: DirectoryConnection | undefined, params: ConnectionParams, now: string) {
  const encryption = params.encryption ?? current?.encryption ?? 'StartTls';
  const port = params.port ?? (params.encryption !== undefined || !current ? defaultPort(encryption) : current.port);
  const overrides = { ...current?.overrides, ...params.attributeMap };
  const type = store.type as DirectoryConnection['type'];
  return {
    storeId: store.id, storeName: store.name, type, server: params.server ?? current!.server, port, encryption,
    caCertificate: params.caCertificate === undefined ? current?.caCertificate ?? null : params.caCertificate,
    baseDn: params.baseDn ?? current!.baseDn, serviceAccount: params.serviceAccount?.userName ?? current!.serviceAccount,
    overrides, attributeMap: effectiveAttributeMap(type, overrides), syncMark: current?.syncMark ?? null, lastSyncAt: current?.lastSyncAt ?? null, updatedAt: now,
  };
}

const FIELD_OF_STEP: Record<DirectoryTestReport['steps'][number]['step'], string> = { connect: 'server', tls: 'caCertificate', bind: 'serviceAccount', search: 'baseDn' };

/** New settings are tried before they are saved: a store never holds a connection that cannot work. */
export async function requireWorkingConnection(connection: ReturnType<typeof desiredConnection>, password: string | undefined, creating: boolean): Promise<void> {
  const report = await testDirectoryConnection({ ...connection, bindDn: connection.serviceAccount, password, creating });
  if (report.success) return;
  const failed = report.steps.find((step) => !step.ok)!;
  throw new HeraldError('DirectoryUnavailable', `identity store '${connection.storeName}': ${report.error}`, { field: FIELD_OF_STEP[failed.step], remedy: report.remedy ?? undefined, steps: report.steps });
}

export function saveDirectoryConnection(services: Services, connection: ReturnType<typeof desiredConnection>, password: string | undefined): void {
  saveConnection(services.db, connection);
  if (password !== undefined) saveServicePassword(services.db, services.secrets, connection.storeId, password);
}

/** Reads the directory after its connection or map changed; a failure is logged, the next sync repeats it. */
export async function syncAfterChange(services: Services, storeId: number): Promise<void> {
  services.ldap.forget(storeId);
  await services.ldap.sync(storeId, { full: true }).catch((error: unknown) => {
    services.log.warn('directory sync failed', { storeId, error: error instanceof Error ? error.message : String(error) });
  });
}

export function identityStoreConnectionHandlers(services: Services) {
  const { db } = services;
  const directoryStore = (identity: string) => {
    const store = requireStore(db, identity, 'identity');
    const connection = loadConnection(db, store.id);
    if (!connection) {
      throw new HeraldError('InvalidParams', `identity store '${store.name}' is a ${store.type} store: it has no directory server`, { field: 'identity', remedy: 'name an Ldap or ActiveDirectory store' });
    }
    return connection;
  };

  const test: Handler<'identityStore.testConnection'> = ({ identity }) => {
    const connection = directoryStore(identity);
    return testDirectoryConnection({ ...connection, bindDn: connection.serviceAccount, password: readServicePassword(db, services.secrets, connection.storeId) });
  };

  const sync: Handler<'identityStore.sync'> = ({ identity, full }) => services.ldap.sync(directoryStore(identity).storeId, { full: full === true });

  return { 'identityStore.testConnection': test, 'identityStore.sync': sync };
}
