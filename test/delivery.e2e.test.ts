import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HeraldClient, ResultOf } from '../client/index.js';
import { startTestDaemon, tempDir, type TestDaemon } from './helpers/daemon.js';
import { smtpError, startMailServer, type MailServer } from './helpers/mail-server.js';
import { runHerald } from './helpers/shell.js';

// The outbox end to end: mail queued through the daemon reaches a real SMTP server on
// loopback, faults are retried or failed as RFC 5321 says, and every mail ends visibly.
// Retries are shortened to fractions of a second by the daemon's flags, not by sleeping.

let daemon: TestDaemon;
let client: HeraldClient;
let server: MailServer;
const temp = tempDir();
let stores = 0;

type Queued = ResultOf<'notificationQueue.get'>[number];

beforeAll(async () => {
  server = await startMailServer();
  daemon = await startTestDaemon({ stateDir: temp.dir, extraArgs: ['--retry-first', '0.2', '--retry-max', '0.4'] });
  client = await daemon.client();
});

afterAll(async () => {
  await client.close();
  expect(await daemon.stop()).toBe(0);
  await server.close();
  temp.cleanup();
});

/** A store sending to the test server, with its own name. */
async function newStore(settings: Record<string, unknown> = {}): Promise<string> {
  const name = `Mail${++stores}`;
  await client.call('identityStore.create', { name, type: 'Builtin' });
  await client.call('smtpServer.set', { identityStore: name, server: '127.0.0.1', port: server.port, tlsMode: 'None', from: 'Herald <herald@corp.example>', ...settings });
  return name;
}

/** Waits (bounded) until the mail reaches one of the given states. */
async function settle(id: number, states: Queued['status'][] = ['Sent', 'Failed', 'Cancelled']): Promise<Queued> {
  for (let i = 0; i < 300; i++) {
    const [mail] = (await client.call('notificationQueue.get', { status: 'All' })).filter((m) => m.id === id);
    if (mail && states.includes(mail.status)) return mail;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`mail ${id} never reached ${states.join('/')}`);
}

const history = async (id: number) => (await client.call('notificationHistory.get', {})).find((m) => m.id === id)!;

describe('delivery', () => {
  it('delivers a queued mail with its fixed Message-ID and records the server\'s reply', async () => {
    const store = await newStore();
    const [queued] = await client.call('notification.send', { identityStore: store, to: ['jane@corp.example'], cc: ['audit@corp.example'], subject: 'Hello', body: 'A plain note.', html: '<p>A plain note.</p>' });
    expect(queued).toMatchObject({ status: expect.stringMatching(/Pending|Sending/), to: ['jane@corp.example'], cc: ['audit@corp.example'] });
    const done = await settle(queued.id);
    expect(done.status).toBe('Sent');
    const received = server.received.find((m) => m.messageId === queued.messageId)!;
    expect(received.to.sort()).toEqual(['audit@corp.example', 'jane@corp.example']);
    expect(received.from).toBe('herald@corp.example');
    expect(received.raw).toContain('X-Herald-Kind: Custom');
    const entry = await history(queued.id);
    expect(entry.finalReply).toMatch(/^250 .*queued as Q\d+/);
    expect(entry.recipients.map((r) => r.status)).toEqual(['Accepted', 'Accepted']);
  });

  it('retries a 4xx reply with the identical message, then delivers it once', async () => {
    const store = await newStore();
    let refusals = 0;
    server.onData = (mail) => (mail.subject === 'Retry me' && refusals++ < 2 ? smtpError(451, 'try again later') : undefined);
    const [queued] = await client.call('notification.send', { identityStore: store, to: ['retry@corp.example'], subject: 'Retry me', body: 'x' });
    const done = await settle(queued.id);
    server.onData = undefined;
    expect(done).toMatchObject({ status: 'Sent', retryCount: 3 });
    expect(server.attempts.filter((id) => id === queued.messageId)).toHaveLength(3);
    expect(server.received.filter((m) => m.messageId === queued.messageId)).toHaveLength(1);
  });

  it('fails a 5xx reply at once, with the server\'s reply', async () => {
    const store = await newStore();
    server.onData = (mail) => (mail.subject === 'Refuse me' ? smtpError(554, 'message refused by policy') : undefined);
    const [queued] = await client.call('notification.send', { identityStore: store, to: ['refused@corp.example'], subject: 'Refuse me', body: 'x' });
    const done = await settle(queued.id);
    server.onData = undefined;
    expect(done).toMatchObject({ status: 'Failed', retryCount: 1 });
    expect(done.lastError).toContain('554');
    expect(done.lastError).toContain('message refused by policy');
  });

  it('records accepted and refused recipients one by one', async () => {
    const store = await newStore();
    server.onRecipient = (address) => (address === 'nobody@corp.example' ? smtpError(550, '5.1.1 no such user') : undefined);
    const [queued] = await client.call('notification.send', { identityStore: store, to: ['someone@corp.example', 'nobody@corp.example'], subject: 'Mixed', body: 'x' });
    expect((await settle(queued.id)).status).toBe('Sent');
    server.onRecipient = undefined;
    const entry = await history(queued.id);
    expect(entry.recipients).toEqual([
      { address: 'someone@corp.example', field: 'to', status: 'Accepted', reply: null },
      { address: 'nobody@corp.example', field: 'to', status: 'Rejected', reply: expect.stringContaining('550') },
    ]);
    const refusedOnly = (await client.call('notificationHistory.get', { recipient: 'NOBODY@corp.example' })).map((m) => m.id);
    expect(refusedOnly).toContain(queued.id);
  });

  it('gives recipients the server deferred (4xx) a mail of their own, retried until taken', async () => {
    const store = await newStore();
    let deferrals = 0;
    server.onRecipient = (address) => (address === 'busy@corp.example' && deferrals++ === 0 ? smtpError(452, '4.2.2 mailbox busy') : undefined);
    const [queued] = await client.call('notification.send', { identityStore: store, to: ['free@corp.example', 'busy@corp.example'], subject: 'Deferred one', body: 'x' });
    expect((await settle(queued.id)).status).toBe('Sent');
    const entry = await history(queued.id);
    const busy = entry.recipients.find((r) => r.address === 'busy@corp.example')!;
    expect(busy.status).toBe('Rejected');
    const followUpId = Number(/retried as mail (\d+)/.exec(busy.reply ?? '')?.[1]);
    expect(followUpId).toBeGreaterThan(queued.id);
    const followUp = await settle(followUpId);
    server.onRecipient = undefined;
    expect(followUp).toMatchObject({ status: 'Sent', to: ['busy@corp.example'], subject: 'Deferred one' });
    const deliveries = server.received.filter((m) => m.subject === 'Deferred one').map((m) => m.to);
    expect(deliveries).toEqual([['free@corp.example'], ['busy@corp.example']]);
  });

  it('retries after the connection drops before and after the final dot', async () => {
    const store = await newStore();
    let drops = 0;
    server.dropDuringData = () => drops++ === 0;
    const [before] = await client.call('notification.send', { identityStore: store, to: ['drop1@corp.example'], subject: 'Dropped early', body: 'x' });
    expect(await settle(before.id)).toMatchObject({ status: 'Sent' });
    server.dropDuringData = undefined;
    let late = 0;
    server.onData = (mail) => (mail.subject === 'Dropped late' && late++ === 0 ? 'disconnect' : undefined);
    const [after] = await client.call('notification.send', { identityStore: store, to: ['drop2@corp.example'], subject: 'Dropped late', body: 'x' });
    expect(await settle(after.id)).toMatchObject({ status: 'Sent' });
    server.onData = undefined;
    // Both attempts carried the same Message-ID: a duplicate, had the first been taken, would be recognisable.
    expect(server.attempts.filter((id) => id === after.messageId)).toHaveLength(2);
  });

  it('splits recipients into mails of at most maxRecipientsPerMessage', async () => {
    const store = await newStore({ maxRecipientsPerMessage: 2 });
    const to = ['a@corp.example', 'b@corp.example', 'c@corp.example', 'd@corp.example', 'e@corp.example'];
    const queued = await client.call('notification.send', { identityStore: store, to, subject: 'Split', body: 'same content' });
    expect(queued.map((m) => m.to.length)).toEqual([2, 2, 1]);
    expect(new Set(queued.map((m) => m.messageId)).size).toBe(3);
    for (const mail of queued) expect((await settle(mail.id)).status).toBe('Sent');
    const delivered = server.received.filter((m) => m.subject === 'Split').flatMap((m) => m.to).sort();
    expect(delivered).toEqual(to);
  });

  it('keeps to the store\'s rate limit', async () => {
    const store = await newStore({ rateLimitPerMinute: 2 });
    const mails = await Promise.all([1, 2, 3].map((n) => client.call('notification.send', { identityStore: store, to: [`rate${n}@corp.example`], subject: `Rate ${n}`, body: 'x' })));
    const ids = mails.map(([m]) => m.id);
    await settle(ids[0]);
    await settle(ids[1]);
    const [third] = (await client.call('notificationQueue.get', { identityStore: store })).filter((m) => m.id === ids[2]);
    expect(third.status).toBe('Pending');
    expect(third.retryCount).toBe(0);
    expect(Date.parse(third.nextAttempt!) - Date.now()).toBeGreaterThan(30_000);
    await client.call('notificationQueue.remove', { id: ids[2] });
  });

  it('keeps mail while no server is set, sends it when told to, and cancels on request', async () => {
    const name = `Mail${++stores}`;
    await client.call('identityStore.create', { name, type: 'Builtin' });
    const [waiting] = await client.call('notification.send', { identityStore: name, to: ['later@corp.example'], subject: 'Later', body: 'x' });
    const pending = await settle(waiting.id, ['Pending']);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const [again] = (await client.call('notificationQueue.get', { identityStore: name }));
    expect(again.lastError ?? pending.lastError).toContain('no SMTP server');
    await client.call('smtpServer.set', { identityStore: name, server: '127.0.0.1', port: server.port, tlsMode: 'None' });
    await client.call('notificationQueue.send', { id: waiting.id });
    const sent = await settle(waiting.id);
    expect(sent.lastError).toBeNull();
    expect(sent.status).toBe('Sent');

    await client.call('smtpServer.set', { identityStore: name, port: 1 });
    const [doomed] = await client.call('notification.send', { identityStore: name, to: ['never@corp.example'], subject: 'Never', body: 'x' });
    await client.call('notificationQueue.remove', { id: doomed.id });
    const cancelled = await settle(doomed.id, ['Cancelled']);
    expect(cancelled.status).toBe('Cancelled');
    expect((await history(doomed.id)).status).toBe('Cancelled');
    await expect(client.call('notificationQueue.remove', { id: doomed.id })).rejects.toMatchObject({ errorName: 'Conflict' });
  });

  it('shows the queue and history through the shell', async () => {
    const store = await newStore();
    const send = await runHerald(['-OutputFormat', 'Json', '-Command', `Send-Notification -IdentityStore ${store} -Identity shell@corp.example -Subject 'From the shell' -Body 'Hi' -QueueEmail`], { stateDir: temp.dir });
    expect(send.stderr).toBe('');
    const [queued] = JSON.parse(send.stdout) as { Id: number; MessageId: string }[];
    await settle(queued.Id);
    const run = await runHerald(['-OutputFormat', 'Json', '-Command', `Get-NotificationHistory -IdentityStore ${store} | Select-Object Subject, Status, To`], { stateDir: temp.dir });
    expect(JSON.parse(run.stdout)).toEqual([{ Subject: 'From the shell', Status: 'Sent', To: ['shell@corp.example'] }]);
    const table = await runHerald(['-Command', `Get-NotificationQueue -IdentityStore ${store} -Status All`], { stateDir: temp.dir });
    expect(table.stdout).toMatch(/Id +Subject +Date +To +Status +RetryCount +LastError/);
  });
});
