import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, type HeraldClient } from '../client/index.js';
import { percentile } from '../bench/stats.js';
import { makeCertificates } from './helpers/certificates.js';
import { startTestDaemon, tempDir, type TestDaemon } from './helpers/daemon.js';

// 50 remote clients at once over wss://, mixing reads and writes for a bounded time. Latency is
// reported, never asserted: what must hold is that nothing fails and no acknowledged write is lost.
const CLIENTS = 50;
const DURATION_MS = 4000;
const certificates = makeCertificates();
const temp = tempDir();
let daemon: TestDaemon;
let token = '';

beforeAll(async () => {
  daemon = await startTestDaemon({ stateDir: temp.dir, tls: { certFile: certificates.certFile, keyFile: certificates.keyFile } });
  const local = await daemon.client();
  await local.call('identityStore.create', { name: 'Corp', type: 'Builtin' });
  token = (await local.call('apiToken.create', { name: 'load', role: 'Administrator' })).token;
  await local.close();
});

afterAll(async () => {
  expect(await daemon.stop()).toBe(0);
  temp.cleanup();
  certificates.cleanup();
});

interface Tally {
  latencies: number[];
  errors: string[];
  reads: number;
  /** Each user this client created, with the display name it last set (acknowledged writes only). */
  users: Map<string, string | null>;
}

async function drive(client: HeraldClient, index: number, deadline: number): Promise<Tally> {
  const tally: Tally = { latencies: [], errors: [], reads: 0, users: new Map() };
  const timed = async <T>(call: () => Promise<T>): Promise<T | undefined> => {
    const start = performance.now();
    try {
      return await call();
    } catch (error) {
      tally.errors.push(`client ${index}: ${(error as Error).message}`);
      return undefined;
    } finally {
      tally.latencies.push(performance.now() - start);
    }
  };
  let last: string | undefined;
  for (let step = 0; Date.now() < deadline; step++) {
    switch (step % 5) {
      case 0: {
        const name = `load-${index}-${step}`;
        if (await timed(() => client.call('user.create', { identityStore: 'Corp', name }))) tally.users.set(name, null);
        last = name;
        break;
      }
      case 1: {
        if (!last || !tally.users.has(last)) break;
        const displayName = `Load ${index}.${step}`;
        const user = last;
        if (await timed(() => client.call('user.set', { identityStore: 'Corp', identity: user, displayName }))) tally.users.set(user, displayName);
        break;
      }
      case 2: await timed(() => client.call('identityStore.get', { name: 'Corp' })); tally.reads++; break;
      case 3: if (last) { const user = last; await timed(() => client.call('user.get', { identityStore: 'Corp', identity: user })); tally.reads++; } break;
      default: await timed(() => client.call('daemon.getStatus')); tally.reads++; break;
    }
  }
  return tally;
}

describe('load over wss://', () => {
  it(`serves ${CLIENTS} concurrent clients mixing reads and writes without an error or a lost write`, async () => {
    const clients = await Promise.all(Array.from({ length: CLIENTS }, () => connect({ url: daemon.wssUrl!, token, ca: certificates.caPem })));
    const started = Date.now();
    const tallies = await Promise.all(clients.map((client, index) => drive(client, index, started + DURATION_MS)));
    const seconds = (Date.now() - started) / 1000;
    await Promise.all(clients.map((client) => client.close()));

    const errors = tallies.flatMap((tally) => tally.errors);
    expect(errors).toEqual([]);
    const latencies = Float64Array.from(tallies.flatMap((tally) => tally.latencies)).sort();
    const writes = new Map(tallies.flatMap((tally) => [...tally.users]));
    const reads = tallies.reduce((sum, tally) => sum + tally.reads, 0);
    expect(writes.size).toBeGreaterThan(CLIENTS);

    // Every acknowledged write is there, as last written, read back through a fresh connection.
    const check = await daemon.client();
    try {
      const users = await check.call('user.get', { identityStore: 'Corp' });
      const stored = new Map(users.map((user) => [user.name, user.displayName]));
      expect(stored.size).toBe(writes.size);
      for (const [name, displayName] of writes) expect(stored.get(name), name).toBe(displayName);
    } finally {
      await check.close();
    }
    console.log(`load: ${CLIENTS} wss clients, ${latencies.length} calls (${reads} reads, ${latencies.length - reads} writes) in ${seconds.toFixed(1)} s`
      + ` = ${Math.round(latencies.length / seconds)} calls/s; p50 ${percentile(latencies, 50).toFixed(2)} ms, p99 ${percentile(latencies, 99).toFixed(2)} ms`);
  });
});
