import type { AttributeMap } from '../../../protocol/directory/connection.js';
import type { Db } from '../../database.js';
import type { SecretBox } from '../../secrets.js';
import { prepared } from '../../sql.js';
import { effectiveAttributeMap } from './attribute-map.js';

export type Encryption = 'None' | 'StartTls' | 'Ldaps';

/** A directory-backed store's connection as herald keeps it (the password still sealed). */
export interface DirectoryConnection {
  storeId: number;
  storeName: string;
  type: 'Ldap' | 'ActiveDirectory';
  server: string;
  port: number;
  encryption: Encryption;
  caCertificate: string | null;
  baseDn: string;
  serviceAccount: string;
  overrides: Partial<AttributeMap>;
  attributeMap: AttributeMap;
  syncMark: string | null;
  lastSyncAt: string | null;
  updatedAt: string;
}

interface ConnectionRow {
  store_id: number;
  store_name: string;
  type: 'Ldap' | 'ActiveDirectory';
  server: string;
  port: number;
  encryption: Encryption;
  ca_certificate: string | null;
  base_dn: string;
  service_account: string;
  attribute_map: string;
  sync_mark: string | null;
  last_sync_at: string | null;
  updated_at: string;
}

export const SERVICE_PASSWORD = 'servicePassword';
const passwordContext = (storeId: number) => `store:${storeId}:${SERVICE_PASSWORD}`;

export const defaultPort = (encryption: Encryption) => (encryption === 'Ldaps' ? 636 : 389);

export function loadConnection(db: Db, storeId: number): DirectoryConnection | undefined {
  const row = prepared(db, `SELECT c.*, s.name AS store_name, s.type FROM directory_connection c JOIN identity_store s ON s.id = c.store_id
    WHERE c.store_id = ?`).get(storeId) as ConnectionRow | undefined;
  if (!row) return undefined;
  const overrides = JSON.parse(row.attribute_map) as Partial<AttributeMap>;
  return {
    storeId: row.store_id, storeName: row.store_name, type: row.type, server: row.server, port: row.port, encryption: row.encryption,
    caCertificate: row.ca_certificate, baseDn: row.base_dn, serviceAccount: row.service_account, overrides,
    attributeMap: effectiveAttributeMap(row.type, overrides), syncMark: row.sync_mark, lastSyncAt: row.last_sync_at, updatedAt: row.updated_at,
  };
}

export function saveConnection(db: Db, connection: Omit<DirectoryConnection, 'storeName' | 'type' | 'attributeMap'>): void {
  prepared(db, `INSERT INTO directory_connection (store_id, server, port, encryption, ca_certificate, base_dn, service_account, attribute_map, sync_mark, last_sync_at, updated_at)
    VALUES (@storeId, @server, @port, @encryption, @caCertificate, @baseDn, @serviceAccount, @overrides, @syncMark, @lastSyncAt, @updatedAt)
    ON CONFLICT (store_id) DO UPDATE SET server = excluded.server, port = excluded.port, encryption = excluded.encryption,
      ca_certificate = excluded.ca_certificate, base_dn = excluded.base_dn, service_account = excluded.service_account,
      attribute_map = excluded.attribute_map, sync_mark = excluded.sync_mark, last_sync_at = excluded.last_sync_at, updated_at = excluded.updated_at`)
    .run({ ...connection, overrides: JSON.stringify(connection.overrides) });
}

export function recordSync(db: Db, storeId: number, mark: string | null, at: string): void {
  prepared(db, 'UPDATE directory_connection SET sync_mark = ?, last_sync_at = ? WHERE store_id = ?').run(mark, at, storeId);
}

export function saveServicePassword(db: Db, box: SecretBox, storeId: number, password: string): void {
  prepared(db, `INSERT INTO notification_secret (store_id, name, sealed) VALUES (?, ?, ?)
    ON CONFLICT (store_id, name) DO UPDATE SET sealed = excluded.sealed`).run(storeId, SERVICE_PASSWORD, box.seal(password, passwordContext(storeId)));
}

/** Opened only to bind; never returned or logged. */
export function readServicePassword(db: Db, box: SecretBox, storeId: number): string | undefined {
  const row = prepared(db, 'SELECT sealed FROM notification_secret WHERE store_id = ? AND name = ?').get(storeId, SERVICE_PASSWORD) as { sealed: string } | undefined;
  return row ? box.open(row.sealed, passwordContext(storeId)) : undefined;
}

export function servicePasswordSet(db: Db, storeId: number): boolean {
  return prepared(db, 'SELECT 1 FROM notification_secret WHERE store_id = ? AND name = ?').get(storeId, SERVICE_PASSWORD) !== undefined;
}
