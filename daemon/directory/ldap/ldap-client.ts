import { rootCertificates } from 'node:tls';
import { isIP } from 'node:net';
import { Client, InvalidCredentialsError, ResultCodeError } from 'ldapts';
import { HeraldError } from '../../../protocol/index.js';
import type { Encryption } from './connection-store.js';

/** Every LDAP call ends within these, whatever the server does. */
export const CONNECT_TIMEOUT_MS = 5_000;
export const OPERATION_TIMEOUT_MS = 15_000;

export interface ServerAddress {
  storeName: string;
  server: string;
  port: number;
  encryption: Encryption;
  caCertificate: string | null;
}

export function serverUrl({ server, port, encryption }: ServerAddress): string {
  const host = isIP(server) === 6 ? `[${server}]` : server;
  return `${encryption === 'Ldaps' ? 'ldaps' : 'ldap'}://${host}:${port}`;
}

function tlsOptions({ server, caCertificate }: ServerAddress) {
  // A CA given is trusted besides the system's, not instead of them.
  return { ...(caCertificate ? { ca: [...rootCertificates, caCertificate] } : {}), ...(isIP(server) ? {} : { servername: server }), minVersion: 'TLSv1.2' as const };
}

/** A client connected to the server, with TLS set up as the store asks; not bound yet. */
export async function openClient(address: ServerAddress): Promise<Client> {
  // TLS options in the constructor mean LDAPS to ldapts: for StartTLS they go to startTLS() only.
  const client = new Client({
    url: serverUrl(address), connectTimeout: CONNECT_TIMEOUT_MS, timeout: OPERATION_TIMEOUT_MS, strictDN: false,
    ...(address.encryption === 'Ldaps' ? { tlsOptions: tlsOptions(address) } : {}),
  });
  try {
    if (address.encryption === 'StartTls') await client.startTLS(tlsOptions(address));
  } catch (error) {
    await client.unbind().catch(() => undefined);
    throw error;
  }
  return client;
}

/** ldapts gives a server's refusal as `Code: 0x31` and little else: the words for the common ones. */
export function messageOf(error: unknown): string {
  if (error instanceof InvalidCredentialsError) return 'invalid credentials (wrong password, or no such account)';
  if (error instanceof ResultCodeError) {
    const words = error.constructor.name.replace(/Error$/, '').replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
    const detail = error.message.replace(/\s*Code: 0x[0-9a-f]+\s*$/i, '').trim();
    return `${words} (LDAP result ${error.code})${detail ? `: ${detail}` : ''}`;
  }
  return error instanceof Error ? error.message : String(error);
}

/** A result the server sent (wrong password, no such object, ...), as opposed to a connection that failed. */
export function isServerResult(error: unknown): error is ResultCodeError {
  return error instanceof ResultCodeError;
}

/** Why a connection could not be used, in words, with what to do about it. */
export function unavailable(address: ServerAddress, error: unknown, bindDn?: string): HeraldError {
  if (error instanceof InvalidCredentialsError) {
    return new HeraldError('DirectoryUnavailable', `the directory server of identity store '${address.storeName}' refused the service account '${bindDn}': ${messageOf(error)}`, {
      field: 'serviceAccount', remedy: `give the right password with Set-IdentityStore '${address.storeName}' -ServiceAccount (Get-Credential '${bindDn}')`,
    });
  }
  const message = messageOf(error);
  return new HeraldError('DirectoryUnavailable', `the directory server of identity store '${address.storeName}' (${serverUrl(address)}) is unavailable: ${message}`, {
    remedy: `Test-IdentityStoreConnection '${address.storeName}' shows which step fails; once the server is back, repeat the change`,
  });
}
