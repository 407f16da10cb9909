/**
 * Recipients of a change to a 10,000-member group on a real OpenLDAP server: the store notifies
 * "the object being modified", and notification.resolve answers who a change to the group would
 * mail (herald's copy of the directory, nested groups expanded, addresses deduplicated). The
 * baseline, in the same run, is `ldapsearch` reading the same 10,000 members' mail addresses
 * from the server (paged, as the server's size limit requires). Also timed: the first full sync
 * (New-IdentityStore) and an incremental one after a member is removed with ldapmodify, which
 * includes queuing that change's mails to the group's 10,000 members.
 * A report, not a gate: exits 0 once it has measured, 1 when the measurement failed.
 * usage: node dist/bench/ldap.js [--runs N]
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BASE_DN, groupEntry, SERVICE_DN, SERVICE_PASSWORD, startSlapd, userDn, userEntry } from '../test/helpers/slapd.js';
import { cleanUp, startBenchDaemon, stopBenchDaemon, tempDirs } from './processes.js';
import { medianBy } from './stats.js';

const MEMBERS = 10_000;
const runsFlag = process.argv.indexOf('--runs');
const RUNS = runsFlag > 0 ? Number(process.argv[runsFlag + 1]) : 5;

async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const started = process.hrtime.bigint();
  const value = await work();
  return { ms: Number(process.hrtime.bigint() - started) / 1e6, value };
}

async function main(): Promise<void> {
  const names = Array.from({ length: MEMBERS }, (_, i) => `u${String(i).padStart(5, '0')}`);
  const slapd = await startSlapd({ ldif: [...names.map((name) => userEntry(name)), groupEntry('Everyone', names.map(userDn))].join('\n') });
  const dir = mkdtempSync(join(tmpdir(), 'herald-bench-ldap-'));
  tempDirs.push(dir);
  const daemon = await startBenchDaemon(dir, { callTimeoutMs: 300_000 });
  try {
    const { client } = daemon;
    const created = await timed(() => client.call('identityStore.create', {
      name: 'Big', type: 'Ldap', server: 'localhost', port: slapd.port, encryption: 'StartTls', caCertificate: slapd.certificates.caPem, baseDn: BASE_DN,
      serviceAccount: { userName: SERVICE_DN, password: SERVICE_PASSWORD },
    }));
    await client.call('notificationSettings.set', { identityStore: 'Big', notifyModifiedObject: true });
    const herald: number[] = [];
    const ldapsearch: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      const resolved = await timed(() => client.call('notification.resolve', { identityStore: 'Big', kind: 'ObjectModified', identity: 'Everyone' }));
      if (resolved.value.recipients.length !== MEMBERS) throw new Error(`resolved ${resolved.value.recipients.length} recipients, not ${MEMBERS}`);
      herald.push(resolved.ms);
      const searched = await timed(() => slapd.search('(&(objectClass=inetOrgPerson)(uid=u*))', ['mail']));
      const found = searched.value.split('\n').filter((line) => line.startsWith('mail: ')).length;
      if (found !== MEMBERS) throw new Error(`ldapsearch found ${found} addresses, not ${MEMBERS}`);
      ldapsearch.push(searched.ms);
    }
    await slapd.modify(`dn: cn=Everyone,ou=Groups,${BASE_DN}\nchangetype: modify\ndelete: member\nmember: ${userDn(names[0])}\n`);
    const sync = await timed(() => client.call('identityStore.sync', { identity: 'Big' }));
    const median = (values: number[]) => Math.round(medianBy(values, (value) => value) * 10) / 10;
    console.log(JSON.stringify({
      members: MEMBERS, runs: RUNS,
      resolveRecipientsMedianMs: median(herald), ldapsearchSameMembersMedianMs: median(ldapsearch),
      firstFullSyncMs: Math.round(created.ms), incrementalSyncAfterLdapmodifyMs: Math.round(sync.ms), incrementalSyncChanges: sync.value.changes,
    }, null, 2));
  } finally {
    await stopBenchDaemon(daemon);
    await slapd.destroy();
    await cleanUp();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
