import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A private CA and a server certificate signed by it, made with openssl, for wss:// in tests and benchmarks. */
export interface TestCertificates {
  /** A private CA's certificate: trust it to trust the server. */
  caPem: string;
  /** A server certificate for localhost and 127.0.0.1, signed by the CA. */
  certPem: string;
  keyPem: string;
  /** The CA written to a file, for -CaCertificate and NODE_EXTRA_CA_CERTS. */
  caFile: string;
  /** The server's certificate and key as files, for heraldd --tls-cert and --tls-key. */
  certFile: string;
  keyFile: string;
  /** The directory holding the files: cleanup removes it. */
  dir: string;
  cleanup(): void;
}

/** Makes a CA and a localhost server certificate with openssl, valid for a day. */
export function makeCertificates(): TestCertificates {
  const dir = mkdtempSync(join(tmpdir(), 'herald-certs-'));
  const path = (name: string) => join(dir, name);
  const openssl = (...args: string[]) => execFileSync('openssl', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=Herald Test CA', '-days', '1', '-keyout', path('ca.key'), '-out', path('ca.pem'),
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign');
  openssl('req', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=localhost', '-keyout', path('server.key'), '-out', path('server.csr'));
  writeFileSync(path('server.ext'), 'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n');
  openssl('x509', '-req', '-in', path('server.csr'), '-CA', path('ca.pem'), '-CAkey', path('ca.key'), '-CAcreateserial', '-days', '1',
    '-extfile', path('server.ext'), '-out', path('server.pem'));
  return {
    caPem: readFileSync(path('ca.pem'), 'utf8'),
    certPem: readFileSync(path('server.pem'), 'utf8'),
    keyPem: readFileSync(path('server.key'), 'utf8'),
    caFile: path('ca.pem'),
    certFile: path('server.pem'),
    keyFile: path('server.key'),
    dir,
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}
