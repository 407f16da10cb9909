import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMailServer, type MailServer } from './helpers/mail-server.js';
import { runHerald } from './helpers/shell.js';
import { useDaemon } from './helpers/suite.js';

// Test-SmtpServer and the reference Send-TestNotification through the shell: settings tried
// before they are saved, a step-by-step report, and a remedy when it fails.
const suite = useDaemon();
let server: MailServer;

beforeAll(async () => {
  server = await startMailServer();
  await suite.client.call('identityStore.create', { name: 'Probe', type: 'Builtin' });
  await suite.client.call('smtpServer.set', { identityStore: 'Probe', server: '127.0.0.1', port: server.port, tlsMode: 'None', from: 'herald@corp.example' });
  await suite.client.call('identityStore.create', { name: 'Unsaved', type: 'Builtin' });
});

afterAll(() => server.close());

const shellJson = async (command: string) => {
  const run = await runHerald(['-OutputFormat', 'Json', '-Command', command], { stateDir: suite.stateDir });
  expect(run.stderr).toBe('');
  return JSON.parse(run.stdout) as Record<string, unknown>[];
};

describe('Test-SmtpServer', () => {
  it('sends a test mail with the saved settings and reports every step', async () => {
    const [report] = await shellJson('Test-SmtpServer -IdentityStore Probe -To admin@corp.example');
    expect(report).toMatchObject({ IdentityStore: 'Probe', Success: true, Sent: true, Error: null, Remedy: null, QueueId: expect.stringMatching(/^Q\d+$/) });
    const steps = (report.Steps as { Step: string; Ok: boolean }[]).map((s) => s.Step);
    expect(steps).toEqual(expect.arrayContaining(['connect', 'ehlo', 'mail', 'rcpt', 'data']));
    const arrived = server.received.find((m) => m.messageId === report.MessageId);
    expect(arrived?.to).toEqual(['admin@corp.example']);
    // A test mail is not queued: it happened, or the report says why not.
    expect(await suite.client.call('notificationQueue.get', { status: 'All' })).toEqual([]);
  });

  it('tries settings before they are saved (the reference Send-TestNotification)', async () => {
    const [report] = await shellJson(`Send-TestNotification -IdentityStoreName Unsaved -SmtpServer 127.0.0.1 -FromEmail test@corp.example -ToEmail b@corp.example -Port ${server.port} -TlsMode None`);
    expect(report).toMatchObject({ Success: true, Sent: true, Server: '127.0.0.1', Port: server.port });
    expect(await suite.client.call('smtpServer.get', { identityStore: 'Unsaved' })).toMatchObject({ configured: false, server: null });
  });

  it('stops after authentication with -NoSend', async () => {
    const before = server.received.length;
    const [report] = await shellJson('Test-SmtpServer Probe -NoSend');
    expect(report).toMatchObject({ Success: true, Sent: false });
    expect((report.Steps as { Step: string }[]).map((s) => s.Step)).not.toContain('data');
    expect(server.received.length).toBe(before);
  });

  it('reports a refused connection with a remedy, as a report and not an error', async () => {
    const run = await runHerald(['-Command', 'Test-SmtpServer Probe -Port 1 -NoSend'], { stateDir: suite.stateDir });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/Success +: False/);
    expect(run.stdout).toMatch(/Remedy +: .*\S/);
    expect(run.stdout).toMatch(/refused|ECONNREFUSED/i);
  });

  it('asks for a recipient unless -NoSend', async () => {
    const run = await runHerald(['-Command', 'Test-SmtpServer Probe'], { stateDir: suite.stateDir });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('-To');
  });
});
