import { connect as tcpConnect } from 'node:net';
import type { Client } from 'ldapts';
import { InvalidCredentialsError } from 'ldapts';
import type { DirectoryTestReport } from '../../../protocol/methods/identity-store-connection.js';
import type { AttributeMap } from '../../../protocol/directory/connection.js';
import { CONNECT_TIMEOUT_MS, messageOf, openClient, serverUrl, type ServerAddress } from './ldap-client.js';

type Step = DirectoryTestReport['steps'][number];

export interface TestTarget extends ServerAddress {
  baseDn: string;
  bindDn: string;
  password: string | undefined;
  attributeMap: AttributeMap;
  /** The store does not exist yet: remedies name New-IdentityStore's parameters. */
  creating?: boolean;
}

const fixWith = (target: TestTarget) => (target.creating ? `New-IdentityStore '${target.storeName}' …` : `Set-IdentityStore '${target.storeName}'`);

function tcpProbe(server: string, port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = tcpConnect({ host: server, port, timeout: CONNECT_TIMEOUT_MS });
    socket.once('connect', () => {
      const address = `${socket.remoteAddress}`;
      socket.destroy();
      resolve(address);
    });
    socket.once('timeout', () => { socket.destroy(); reject(new Error(`no answer within ${CONNECT_TIMEOUT_MS / 1000} s`)); });
    socket.once('error', reject);
  });
}


function remedyFor(step: Step['step'], target: TestTarget, error: unknown): string {
  const message = messageOf(error);
  switch (step) {
    case 'connect':
      return /ENOTFOUND|EAI_AGAIN/.test(message)
        ? `check the server name with ${fixWith(target)} -Server <host>`
        : `check that the directory server runs and listens on port ${target.port}, and that no firewall blocks it; Set-IdentityStore -Port changes the port`;
    case 'tls':
      return /certificate|self.signed|issuer|CERT/i.test(message)
        ? `trust the CA that signed the server's certificate with ${fixWith(target)} -CaCertificate <file.pem>`
        : target.encryption === 'Ldaps'
          ? 'check that the port speaks LDAPS (usually 636), or use -Encryption StartTls on port 389'
          : 'the server may not offer StartTLS: enable TLS on it, or use -Encryption Ldaps';
    case 'bind':
      return error instanceof InvalidCredentialsError || target.password === undefined
        ? `give the service account's DN and password with ${fixWith(target)} -ServiceAccount (Get-Credential '${target.bindDn}')`
        : 'the server refused the bind: check that the service account exists and is not locked';
    case 'search':
      return `check -BaseDn ('${target.baseDn}') and that the service account may read under it`;
  }
}

/**
 * Test-IdentityStoreConnection: each step on its own, so that the report says which one fails.
 * Nothing is written; the connection is closed at the end.
 */
export async function testDirectoryConnection(target: TestTarget): Promise<DirectoryTestReport> {
  const steps: Step[] = [];
  const started = Date.now();
  let client: Client | undefined;
  let sample: DirectoryTestReport['sample'] = null;
  let failure: { step: Step['step']; error: unknown } | undefined;
  const attempt = async (step: Step['step'], work: () => Promise<string>) => {
    if (failure) return;
    const at = Date.now();
    try {
      steps.push({ step, ok: true, detail: await work(), durationMs: Date.now() - at });
    } catch (error) {
      steps.push({ step, ok: false, detail: messageOf(error), durationMs: Date.now() - at });
      failure = { step, error };
    }
  };
  await attempt('connect', async () => `connected to ${target.server} (${await tcpProbe(target.server, target.port)}) port ${target.port}`);
  await attempt('tls', async () => {
    client = await openClient(target);
    if (target.encryption === 'None') return 'none: passwords travel in clear (use StartTls or Ldaps)';
    // ldapts connects on the first operation: an anonymous root DSE read makes LDAPS connect here.
    if (target.encryption === 'Ldaps') await client.search('', { scope: 'base', attributes: ['1.1'] });
    return `${target.encryption === 'Ldaps' ? 'LDAPS' : 'StartTLS'}: certificate verified`;
  });
  await attempt('bind', async () => {
    if (target.password === undefined) throw new Error('no service-account password is stored');
    await client!.bind(target.bindDn, target.password);
    return `bound as ${target.bindDn}`;
  });
  await attempt('search', async () => {
    const map = target.attributeMap;
    const count = async (objectClass: string | null) => {
      if (!objectClass) return 0;
      const { searchEntries } = await client!.search(target.baseDn, { filter: `(objectClass=${objectClass})`, attributes: ['1.1'], sizeLimit: 100 })
        .catch((error: unknown) => {
          // A first page is all a sample needs: a size limit reached still answered.
          if ((error as { code?: number }).code === 4) return { searchEntries: new Array(100) };
          throw error;
        });
      return searchEntries.length;
    };
    sample = { users: await count(map.userClass), groups: await count(map.groupClass) };
    return `${sample.users} users and ${sample.groups} groups under ${target.baseDn}${sample.users === 100 || sample.groups === 100 ? ' (first 100 of each)' : ''}`;
  });
  await client?.unbind().catch(() => undefined);
  return {
    identityStore: target.storeName, server: target.server, port: target.port, encryption: target.encryption, success: failure === undefined,
    steps, sample, totalMs: Date.now() - started,
    error: failure ? `${failure.step} failed (${serverUrl(target)}): ${messageOf(failure.error)}` : null,
    remedy: failure ? remedyFor(failure.step, target, failure.error) : null,
  };
}
