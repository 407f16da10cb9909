import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from '../../bench/postfix-tools.js';
import { makeCertificates, type TestCertificates } from './certificates.js';

const run = promisify(execFile);

export const SLAPD = '/usr/sbin/slapd';
export const BASE_DN = 'dc=corp,dc=example';
export const ADMIN_DN = `cn=admin,${BASE_DN}`;
export const ADMIN_PASSWORD = 'admin-secret';
export const SERVICE_DN = `cn=herald,ou=Services,${BASE_DN}`;
export const SERVICE_PASSWORD = 'service-secret';
/** Every test user's password: sign-in tests bind with it. */
export const USER_PASSWORD = 'user-secret';

export interface Slapd {
  host: string;
  /** Plain LDAP (StartTLS offered). */
  port: number;
  /** LDAP over TLS. */
  ldapsPort: number;
  certificates: TestCertificates;
  /** Applies LDIF changes as the directory's administrator, with ldapmodify, as another tool would. */
  modify(ldif: string): Promise<void>;
  /** ldapsearch as the administrator; returns its LDIF output. */
  search(filter: string, attributes?: string[], base?: string): Promise<string>;
  /** Stops the server, keeping its database (start() brings the same data back). */
  stop(): Promise<void>;
  /** Kills the server outright (SIGKILL), as a crash would; start() brings the data back. */
  kill(): Promise<void>;
  start(): Promise<void>;
  /** Stops the server and removes its files. */
  destroy(): Promise<void>;
}

/** The ppolicy overlay's default policy; a test that wants one loads policyEntry(). */
export const POLICY_DN = `cn=default,ou=Policies,${BASE_DN}`;

/** The default password policy entry (pwdMaxAge in seconds; 0: passwords never expire). */
export function policyEntry(maxAgeSeconds: number): string {
  return [`dn: ou=Policies,${BASE_DN}`, 'objectClass: organizationalUnit', 'ou: Policies', '',
    `dn: ${POLICY_DN}`, 'objectClass: pwdPolicy', 'objectClass: device', 'cn: default', 'pwdAttribute: userPassword', `pwdMaxAge: ${maxAgeSeconds}`, ''].join('\n');
}

export interface SlapdOptions {
  /** LDIF loaded with slapadd before the first start (after the base entries). */
  ldif?: string;
}


/** Debian's OpenLDAP module directory; the server loads back_mdb and ppolicy from it. */
const MODULES = '/usr/lib/ldap';

function configuration(dir: string, certificates: { cert: string; key: string; ca: string }): string {
  const schema = ['core', 'cosine', 'inetorgperson', 'nis'].map((name) => `include /etc/ldap/schema/${name}.schema`).join('\n');
  const ppolicy = existsSync(join(MODULES, 'ppolicy.la'));
  return `${schema}
pidfile ${join(dir, 'slapd.pid')}
modulepath ${MODULES}
moduleload back_mdb
${ppolicy ? 'moduleload ppolicy' : ''}
TLSCertificateFile ${certificates.cert}
TLSCertificateKeyFile ${certificates.key}
TLSCACertificateFile ${certificates.ca}
# Paged results only past 500 entries: large groups must be read page by page.
sizelimit size.soft=500 size.hard=500 size.pr=1000 size.prtotal=unlimited
database mdb
maxsize 1073741824
suffix "${BASE_DN}"
rootdn "${ADMIN_DN}"
rootpw ${ADMIN_PASSWORD}
directory ${join(dir, 'data')}
index objectClass eq
index entryUUID eq
index member eq
index cn,uid,mail eq
access to attrs=userPassword by anonymous auth by self write by * none
access to * by dn.exact="${SERVICE_DN}" write by users read by * none
${ppolicy ? `overlay ppolicy
ppolicy_default "${POLICY_DN}"` : ''}
`;
}

/** The entries every test directory has: the base, the containers and herald's service account. */
function baseEntries(): string {
  return `dn: ${BASE_DN}
objectClass: dcObject
objectClass: organization
dc: corp
o: Corp

dn: ou=People,${BASE_DN}
objectClass: organizationalUnit
ou: People

dn: ou=Groups,${BASE_DN}
objectClass: organizationalUnit
ou: Groups

dn: ou=Services,${BASE_DN}
objectClass: organizationalUnit
ou: Services

dn: ${SERVICE_DN}
objectClass: person
cn: herald
sn: herald
userPassword: ${SERVICE_PASSWORD}
`;
}

/** An LDIF entry for a test user (inetOrgPerson, mail <name>@corp.example unless null). */
export function userEntry(name: string, options: { mail?: string | null; manager?: string } = {}): string {
  const mail = options.mail === undefined ? `${name}@corp.example` : options.mail;
  return [
    `dn: uid=${name},ou=People,${BASE_DN}`, 'objectClass: inetOrgPerson', `uid: ${name}`, `cn: ${name}`, `sn: ${name}`,
    `displayName: ${name}`, ...(mail ? [`mail: ${mail}`] : []), ...(options.manager ? [`manager: uid=${options.manager},ou=People,${BASE_DN}`] : []),
    `userPassword: ${USER_PASSWORD}`,
  ].join('\n') + '\n';
}

/** A groupOfNames entry; members and owners are DNs. */
export function groupEntry(name: string, members: string[], options: { owners?: string[]; mail?: string } = {}): string {
  return [
    `dn: cn=${name},ou=Groups,${BASE_DN}`, 'objectClass: groupOfNames', 'objectClass: extensibleObject', `cn: ${name}`,
    ...(options.mail ? [`mail: ${options.mail}`] : []), ...members.map((dn) => `member: ${dn}`), ...(options.owners ?? []).map((dn) => `owner: ${dn}`),
  ].join('\n') + '\n';
}

export const userDn = (name: string) => `uid=${name},ou=People,${BASE_DN}`;
export const groupDn = (name: string) => `cn=${name},ou=Groups,${BASE_DN}`;

/**
 * A private OpenLDAP server for one test file: its own configuration (slapd.conf, mdb database)
 * in a temporary directory, a free loopback port for ldap:// (with StartTLS) and one for ldaps://,
 * a certificate from a throwaway CA, and the test data loaded with slapadd before it starts.
 */
export async function startSlapd(options: SlapdOptions = {}): Promise<Slapd> {
  const dir = mkdtempSync(join(tmpdir(), 'herald-slapd-'));
  mkdirSync(join(dir, 'data'));
  const certificates = makeCertificates();
  const cert = join(dir, 'server.pem');
  const key = join(dir, 'server.key');
  writeFileSync(cert, certificates.certPem);
  writeFileSync(key, certificates.keyPem, { mode: 0o600 });
  const conf = join(dir, 'slapd.conf');
  writeFileSync(conf, configuration(dir, { cert, key, ca: certificates.caFile }));
  const ldif = join(dir, 'data.ldif');
  writeFileSync(ldif, baseEntries() + '\n' + (options.ldif ?? ''));
  // -q: quick load (no consistency checks), which a 10,000-member group needs to load in seconds.
  execFileSync('/usr/sbin/slapadd', ['-q', '-f', conf, '-l', ldif], { stdio: ['ignore', 'pipe', 'pipe'] });

  const port = await freePort();
  const ldapsPort = await freePort();
  const host = '127.0.0.1';
  let child: ChildProcess | undefined;
  const env = { ...process.env, LDAPTLS_CACERT: certificates.caFile, LDAPTLS_REQCERT: 'demand' };

  async function waitUntilUp(): Promise<void> {
    for (let attempt = 0; attempt < 200; attempt++) {
      try {
        await run('ldapsearch', ['-x', '-H', `ldap://${host}:${port}`, '-b', '', '-s', 'base', '-LLL', '1.1'], { env });
        return;
      } catch {
        if (child?.exitCode !== null) throw new Error(`slapd exited (${child?.exitCode}): ${readFileSync(join(dir, 'slapd.log'), 'utf8').slice(-2000)}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
    throw new Error('slapd did not answer within 10 s');
  }

  async function end(signal: NodeJS.Signals): Promise<void> {
    const running = child;
    child = undefined;
    if (!running || running.exitCode !== null) return;
    const exited = new Promise((resolve) => running.once('exit', resolve));
    running.kill(signal);
    await exited;
  }

  const slapd: Slapd = {
    host, port, ldapsPort, certificates,
    async start() {
      // -d 0: stay in the foreground (a child we can stop) without debug output.
      const log = openSync(join(dir, 'slapd.log'), 'a');
      child = spawn(SLAPD, ['-d', '0', '-f', conf, '-h', `ldap://${host}:${port}/ ldaps://${host}:${ldapsPort}/`], { stdio: ['ignore', log, log] });
      await waitUntilUp();
    },
    stop: () => end('SIGTERM'),
    kill: () => end('SIGKILL'),
    async destroy() {
      await slapd.stop();
      certificates.cleanup();
      rmSync(dir, { recursive: true, force: true });
    },
    async modify(changes) {
      await new Promise<void>((resolve, reject) => {
        const tool = execFile('ldapmodify', ['-x', '-H', `ldap://${host}:${port}`, '-D', ADMIN_DN, '-w', ADMIN_PASSWORD], { env }, (error, _out, stderr) =>
          error ? reject(new Error(`ldapmodify failed: ${stderr}`)) : resolve());
        tool.stdin!.end(changes);
      });
    },
    async search(filter, attributes = [], base = BASE_DN) {
      const { stdout } = await run('ldapsearch', ['-x', '-LLL', '-o', 'ldif-wrap=no', '-E', 'pr=1000/noprompt', '-H', `ldap://${host}:${port}`, '-D', ADMIN_DN, '-w', ADMIN_PASSWORD, '-b', base, filter, ...attributes],
        { env, maxBuffer: 256 * 1024 * 1024 });
      return stdout;
    },
  };
  await slapd.start();
  return slapd;
}
