import net, { type AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { makeCertificates, type TestCertificates } from '../../test/helpers/certificates.js';
import type { TokenSource } from './mail-transport.js';
import { queueIdOf } from './probe-readings.js';
import { remedyFor, type ProbeFailure } from './remedies.js';
import type { SmtpConfig } from './smtp-config.js';
import { probeSmtp, type SmtpProbeReport } from './smtp-probe.js';

const PASSWORD = 'pw-Secret-7731';
const MESSAGE_ID = '<probe-1@herald.test>';

let certs: TestCertificates;
beforeAll(() => { certs = makeCertificates(); });
afterAll(() => certs.cleanup());

/** Everything a test started, closed after it whatever happened. */
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((close) => close()));
});

interface Received { from: string; to: string[]; raw: string }

/** A real smtp-server on 127.0.0.1, on a free port; collects what it receives. */
async function smtpServer(options: SMTPServerOptions = {}): Promise<{ port: number; received: Received[] }> {
  const received: Received[] = [];
  const server = new SMTPServer({
    logger: false,
    disableReverseLookup: true,
    authOptional: true,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('utf8'),
        });
        callback(null);
      });
    },
    ...options,
  });
  // Clients the probe drops mid-handshake are reported as server errors: expected here.
  server.on('error', () => {});
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { port: (server.server.address() as AddressInfo).port, received };
}

/** A TCP server that accepts connections and never says a word. */
async function silentServer(): Promise<number> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => {});
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise<void>((resolve) => {
    for (const socket of sockets) socket.destroy();
    server.close(() => resolve());
  }));
  return (server.address() as AddressInfo).port;
}

/** A port nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function config(port: number, overrides: Partial<SmtpConfig> = {}): SmtpConfig {
  return {
    storeName: 'Lab', server: '127.0.0.1', port, tlsMode: 'None', skipCertificateCheck: false, caCertificate: null,
    minTlsVersion: 'TLSv1.2', from: 'Herald <herald@lab.test>', auth: { kind: 'none' }, ...overrides,
  };
}

function oauth(overrides: Partial<Extract<SmtpConfig['auth'], { kind: 'oauth2' }>> = {}): SmtpConfig['auth'] {
  return {
    kind: 'oauth2', provider: 'ExchangeOnline', tokenEndpoint: 'https://login.example.test/corp/oauth2/v2.0/token',
    clientId: 'app-1', clientSecret: 'client-Secret-9911', scope: 'https://outlook.office365.com/.default',
    flow: 'ClientCredentials', user: 'herald@lab.test', graphEndpoint: 'https://graph.microsoft.com/v1.0', tenant: null, ...overrides,
  };
}

function tokens(accessToken: string | Error): TokenSource & { calls: boolean[] } {
  const calls: boolean[] = [];
  return {
    calls,
    async token(_config, renew) {
      calls.push(renew);
      if (accessToken instanceof Error) throw accessToken;
      return { accessToken, expiresOn: new Date(Date.now() + 3_600_000) };
    },
  };
}

const stepNames = (report: SmtpProbeReport) => report.steps.map((s) => s.step);
const failedStep = (report: SmtpProbeReport) => report.steps.find((s) => !s.ok);

describe('probeSmtp over plain SMTP', () => {
  it('walks connect, ehlo and a skipped AUTH without sending', async () => {
    const { port, received } = await smtpServer();
    const report = await probeSmtp(config(port), { noSend: true, messageId: MESSAGE_ID });

    expect(report.success).toBe(true);
    expect(report.sent).toBe(false);
    expect(stepNames(report)).toEqual(['connect', 'tls', 'ehlo', 'auth']);
    expect(report.steps.every((s) => s.ok)).toBe(true);
    expect(report.steps[0].detail).toContain(`127.0.0.1:${port}`);
    expect(report.steps[0].reply).toMatch(/^220 /);
    expect(report.steps[1].detail).toMatch(/TLS not used/);
    expect(report.steps[3].detail).toMatch(/skipped/);
    expect(report.capabilities).toEqual(expect.arrayContaining(['PIPELINING', '8BITMIME']));
    expect(report.capabilities.some((c) => /^\d{3}/.test(c))).toBe(false);
    expect(report.tls).toBeNull();
    expect(report.authMechanism).toBeNull();
    expect(report.messageId).toBeNull();
    expect(report.error).toBeNull();
    expect(report.remedy).toBeNull();
    expect(report.totalMs).toBeGreaterThanOrEqual(report.steps[0].durationMs);
    expect(received).toHaveLength(0);
  });

  it('sends one test message with the given Message-ID and extracts the queue id', async () => {
    const { port, received } = await smtpServer({
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          received.push({ from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '', to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks).toString('utf8') });
          // smtp-server answers "250 <this text>" to the end of data.
          callback(null, 'OK: queued as ABC123');
        });
      },
    });
    const report = await probeSmtp(config(port), { noSend: false, to: ['admin@lab.test'], messageId: MESSAGE_ID });

    expect(report.success).toBe(true);
    expect(report.sent).toBe(true);
    expect(stepNames(report)).toEqual(['connect', 'tls', 'ehlo', 'auth', 'mail', 'rcpt', 'data']);
    expect(report.steps.find((s) => s.step === 'rcpt')?.detail).toContain('admin@lab.test');
    expect(report.steps.find((s) => s.step === 'data')?.reply).toMatch(/^250 .*queued as ABC123/);
    expect(report.queueId).toBe('ABC123');
    expect(report.messageId).toBe(MESSAGE_ID);
    expect(received).toHaveLength(1);
    expect(received[0].from).toBe('herald@lab.test');
    expect(received[0].to).toEqual(['admin@lab.test']);
    const headers = received[0].raw.split('\r\n\r\n')[0];
    const messageIds = headers.match(/^Message-ID: .*$/gim) ?? [];
    expect(messageIds).toEqual([`Message-ID: ${MESSAGE_ID}`]);
    expect(headers).toMatch(/^Subject: herald test message$/m);
    expect(received[0].raw).toContain('Lab');
  });

  it('sends to the sender itself when no recipient is given', async () => {
    const { port, received } = await smtpServer();
    const report = await probeSmtp(config(port), { noSend: false, messageId: MESSAGE_ID });
    expect(report.sent).toBe(true);
    expect(received[0].to).toEqual(['herald@lab.test']);
  });

  it('fails at rcpt with the server reply when the recipient is refused', async () => {
    const { port, received } = await smtpServer({
      onRcptTo(_address, _session, callback) {
        callback(Object.assign(new Error('5.1.1 No such user here'), { responseCode: 550 }));
      },
    });
    const report = await probeSmtp(config(port), { noSend: false, to: ['nobody@lab.test'], messageId: MESSAGE_ID });

    expect(report.success).toBe(false);
    expect(report.sent).toBe(false);
    expect(stepNames(report)).toEqual(['connect', 'tls', 'ehlo', 'auth', 'mail', 'rcpt']);
    const rcpt = failedStep(report);
    expect(rcpt?.step).toBe('rcpt');
    expect(rcpt?.reply).toMatch(/^550 .*No such user here/);
    expect(report.error).toMatch(/^rcpt failed: RCPT TO:<nobody@lab.test> refused/);
    expect(report.remedy).toMatch(/refused the recipient/);
    expect(report.messageId).toBeNull();
    expect(received).toHaveLength(0);
  });

  it('reports each recipient when only some are refused, and still sends to the others', async () => {
    const { port, received } = await smtpServer({
      onRcptTo(address, _session, callback) {
        callback(address.address.startsWith('nobody') ? Object.assign(new Error('No such user'), { responseCode: 550 }) : null);
      },
    });
    const report = await probeSmtp(config(port), { noSend: false, to: ['nobody@lab.test', 'admin@lab.test'], messageId: MESSAGE_ID });

    expect(report.success).toBe(false);
    expect(report.sent).toBe(true);
    expect(report.steps.filter((s) => s.step === 'rcpt').map((s) => s.ok)).toEqual([false, true]);
    expect(report.steps.at(-1)?.step).toBe('data');
    expect(report.error).toContain('nobody@lab.test');
    expect(received[0].to).toEqual(['admin@lab.test']);
  });
});

describe('probeSmtp with TLS', () => {
  it('verifies the STARTTLS certificate against the given CA', async () => {
    const { port } = await smtpServer({ key: certs.keyPem, cert: certs.certPem });
    const report = await probeSmtp(config(port, { tlsMode: 'StartTls', caCertificate: certs.caPem }), { noSend: true, messageId: MESSAGE_ID });

    expect(report.success).toBe(true);
    expect(stepNames(report)).toEqual(['connect', 'tls', 'ehlo', 'auth']);
    const tlsStep = report.steps[1];
    expect(tlsStep.ok).toBe(true);
    expect(tlsStep.reply).toMatch(/^220 /);
    expect(tlsStep.detail).toMatch(/^STARTTLS: TLSv1\.[23]/);
    expect(report.tls).toMatchObject({ verified: true, verifyError: null, subject: 'CN=localhost', issuer: 'CN=Herald Test CA' });
    expect(report.tls?.protocol).toMatch(/^TLSv1\.[23]$/);
    expect(report.tls?.cipher).toBeTruthy();
    expect(new Date(report.tls?.validTo ?? '').getTime()).toBeGreaterThan(Date.now());
    // The capabilities are the ones announced over TLS.
    expect(report.capabilities).not.toContain('STARTTLS');
  });

  it('fails at tls without the CA, naming the verify error and -CaCertificate', async () => {
    const { port } = await smtpServer({ key: certs.keyPem, cert: certs.certPem, onAuth: (_a, _s, cb) => cb(new Error('must not be reached')) });
    const report = await probeSmtp(config(port, { tlsMode: 'StartTls', auth: { kind: 'basic', user: 'relay', pass: PASSWORD } }), { noSend: true, messageId: MESSAGE_ID });

    expect(report.success).toBe(false);
    expect(failedStep(report)?.step).toBe('tls');
    expect(stepNames(report)).toEqual(['connect', 'tls']);
    expect(report.tls?.verified).toBe(false);
    expect(report.tls?.verifyError).toMatch(/^(SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT_LOCALLY)$/);
    expect(report.tls?.subject).toBe('CN=localhost');
    expect(report.error).toContain(report.tls?.verifyError ?? '?');
    expect(report.remedy).toContain('-CaCertificate');
    expect(report.remedy).toContain('Set-SmtpServer -IdentityStore Lab');
  });

  it('goes on with an unverified certificate when the store skips the check, and says so', async () => {
    const { port } = await smtpServer({ key: certs.keyPem, cert: certs.certPem });
    const report = await probeSmtp(config(port, { tlsMode: 'StartTls', skipCertificateCheck: true }), { noSend: true, messageId: MESSAGE_ID });
    expect(report.success).toBe(true);
    expect(report.tls).toMatchObject({ verified: false });
    expect(report.tls?.verifyError).toBeTruthy();
    expect(report.steps[1].detail).toMatch(/NOT verified/);
  });

  it('probes implicit TLS: connect and tls are separate steps', async () => {
    const { port } = await smtpServer({ secure: true, key: certs.keyPem, cert: certs.certPem });
    const report = await probeSmtp(config(port, { tlsMode: 'Implicit', caCertificate: certs.caPem }), { noSend: false, messageId: MESSAGE_ID });
    expect(report.success).toBe(true);
    expect(stepNames(report)).toEqual(['connect', 'tls', 'ehlo', 'auth', 'mail', 'rcpt', 'data']);
    expect(report.steps[1].detail).toMatch(/^implicit TLS: /);
    expect(report.steps[2].detail).toMatch(/greeting: 220 /);
    expect(report.tls?.verified).toBe(true);
  });

  it('names implicit TLS when StartTls meets a port that waits for a TLS handshake', async () => {
    const { port } = await smtpServer({ secure: true, key: certs.keyPem, cert: certs.certPem });
    const report = await probeSmtp(config(port, { tlsMode: 'StartTls', caCertificate: certs.caPem }), { noSend: true, messageId: MESSAGE_ID, timeoutMs: 1_000 });
    expect(report.success).toBe(false);
    expect(failedStep(report)?.step).toBe('connect');
    expect(failedStep(report)?.detail).toMatch(/no SMTP greeting.*TLS handshake on the same port succeeded/);
    expect(report.remedy).toMatch(/expects implicit TLS/);
    expect(report.remedy).toContain('-TlsMode Implicit');
  });

  it('names STARTTLS when implicit TLS meets a plain SMTP port', async () => {
    const { port } = await smtpServer();
    const report = await probeSmtp(config(port, { tlsMode: 'Implicit' }), { noSend: true, messageId: MESSAGE_ID, timeoutMs: 2_000 });
    expect(report.success).toBe(false);
    expect(stepNames(report)).toEqual(['connect', 'tls']);
    expect(failedStep(report)?.step).toBe('tls');
    expect(report.remedy).toMatch(new RegExp(`Port ${port} speaks plain SMTP`));
    expect(report.remedy).toContain('-TlsMode StartTls');
  });

  it('fails at tls when StartTls is required but the server does not offer it', async () => {
    const { port } = await smtpServer({ disabledCommands: ['STARTTLS'] });
    const report = await probeSmtp(config(port, { tlsMode: 'StartTls' }), { noSend: true, messageId: MESSAGE_ID });
    expect(report.success).toBe(false);
    expect(failedStep(report)?.step).toBe('tls');
    expect(failedStep(report)?.reply).toMatch(/^5\d\d /);
    expect(report.error).toMatch(/does not offer STARTTLS/);
    expect(report.remedy).toMatch(/does not offer STARTTLS/);
  });

  it('goes on in plain text when Opportunistic finds no STARTTLS', async () => {
    const { port } = await smtpServer({ hideSTARTTLS: true });
    const report = await probeSmtp(config(port, { tlsMode: 'Opportunistic' }), { noSend: true, messageId: MESSAGE_ID });
    expect(report.success).toBe(true);
    expect(report.steps[1]).toMatchObject({ step: 'tls', ok: true });
    expect(report.steps[1].detail).toMatch(/did not offer STARTTLS/);
  });
});

describe('probeSmtp authentication', () => {
  const checkPassword: SMTPServerOptions['onAuth'] = (auth, _session, callback) => {
    if (auth.username === 'relay' && auth.password === PASSWORD) callback(null, { user: 'relay' });
    else callback(Object.assign(new Error('5.7.8 Authentication credentials invalid'), { responseCode: 535 }));
  };

  it('logs in with PLAIN over STARTTLS and never shows the password', async () => {
    const { port, received } = await smtpServer({ key: certs.keyPem, cert: certs.certPem, authOptional: false, onAuth: checkPassword });
    const report = await probeSmtp(config(port, { tlsMode: 'StartTls', caCertificate: certs.caPem, auth: { kind: 'basic', user: 'relay', pass: PASSWORD } }),
      { noSend: false, to: ['admin@lab.test'], messageId: MESSAGE_ID });

    expect(report.success).toBe(true);
    expect(report.authMechanism).toBe('PLAIN');
    const auth = report.steps.find((s) => s.step === 'auth');
    expect(auth).toMatchObject({ ok: true });
    expect(auth?.reply).toMatch(/^235 /);
    expect(auth?.detail).toContain('relay');
    expect(received).toHaveLength(1);
    expect(JSON.stringify(report)).not.toContain(PASSWORD);
    expect(JSON.stringify(report)).not.toContain(Buffer.from(PASSWORD).toString('base64'));
  });

  it('uses LOGIN when that is all the server offers', async () => {
    const { port } = await smtpServer({ hideSTARTTLS: true, allowInsecureAuth: true, authMethods: ['LOGIN'], onAuth: checkPassword });
    const report = await probeSmtp(config(port, { auth: { kind: 'basic', user: 'relay', pass: PASSWORD } }), { noSend: true, messageId: MESSAGE_ID });
    expect(report.success).toBe(true);
    expect(report.authMechanism).toBe('LOGIN');
    expect(JSON.stringify(report)).not.toContain(PASSWORD);
  });

  it('fails at auth with the 535 reply and a remedy, without the password', async () => {
    const { port } = await smtpServer({ hideSTARTTLS: true, allowInsecureAuth: true, onAuth: checkPassword });
    const report = await probeSmtp(config(port, { auth: { kind: 'basic', user: 'relay', pass: 'wrong-' + PASSWORD } }), { noSend: false, messageId: MESSAGE_ID });

    expect(report.success).toBe(false);
    expect(report.sent).toBe(false);
    expect(stepNames(report)).toEqual(['connect', 'tls', 'ehlo', 'auth']);
    expect(failedStep(report)?.reply).toMatch(/^535 /);
    expect(report.error).toMatch(/^auth failed: AUTH PLAIN as relay refused/);
    expect(report.remedy).toMatch(/user name or password/);
    expect(report.remedy).toContain('-Credential');
    expect(JSON.stringify(report)).not.toContain(PASSWORD);
  });

  it('fails at auth when credentials are set but the server offers no AUTH', async () => {
    const { port } = await smtpServer({ hideSTARTTLS: true, disabledCommands: ['AUTH'] });
    const report = await probeSmtp(config(port, { tlsMode: 'Opportunistic', auth: { kind: 'basic', user: 'relay', pass: PASSWORD } }), { noSend: true, messageId: MESSAGE_ID });
    expect(failedStep(report)?.step).toBe('auth');
    expect(report.remedy).toMatch(/does not offer authentication/);
  });

  it('gets a token and logs in with XOAUTH2, never showing the token or the client secret', async () => {
    const TOKEN = 'eyJ0eXAiOiJKV1QiLCJhbGciOi.access-token-4242';
    const { port } = await smtpServer({
      hideSTARTTLS: true, allowInsecureAuth: true, authMethods: ['PLAIN', 'XOAUTH2'],
      onAuth(auth, _session, callback) {
        callback(null, auth.method === 'XOAUTH2' && auth.accessToken === TOKEN ? { user: auth.username } : { data: { status: '401', schemes: 'bearer' } });
      },
    });
    const source = tokens(TOKEN);
    const report = await probeSmtp(config(port, { auth: oauth() }), { noSend: true, tokens: source, messageId: MESSAGE_ID });

    expect(report.success).toBe(true);
    expect(stepNames(report)).toEqual(['connect', 'tls', 'ehlo', 'token', 'auth']);
    expect(report.authMechanism).toBe('XOAUTH2');
    expect(report.steps[3].detail).toContain('https://login.example.test/corp/oauth2/v2.0/token');
    expect(report.steps[4].reply).toMatch(/^235 /);
    expect(source.calls).toEqual([false]);
    const json = JSON.stringify(report);
    expect(json).not.toContain(TOKEN);
    expect(json).not.toContain('client-Secret-9911');
  });

  it('renews a refused token once, then fails at auth with Exchange hints', async () => {
    const { port } = await smtpServer({
      hideSTARTTLS: true, allowInsecureAuth: true, authMethods: ['XOAUTH2'],
      onAuth(_auth, _session, callback) {
        callback(null, { data: { status: '401', schemes: 'bearer', scope: 'https://outlook.office365.com/.default' } });
      },
    });
    const source = tokens('stale-token-123456');
    const report = await probeSmtp(config(port, { auth: oauth() }), { noSend: true, tokens: source, messageId: MESSAGE_ID });
    expect(report.success).toBe(false);
    expect(failedStep(report)?.step).toBe('auth');
    expect(source.calls).toEqual([false, true]);
    expect(report.remedy).toContain('New-ServicePrincipal');
    expect(JSON.stringify(report)).not.toContain('stale-token-123456');
  });

  it('fails at token with the AADSTS remedy, without reaching AUTH', async () => {
    const { port } = await smtpServer({ hideSTARTTLS: true, allowInsecureAuth: true, authMethods: ['XOAUTH2'] });
    const source = tokens(new Error('invalid_client: AADSTS7000215: Invalid client secret provided.'));
    const report = await probeSmtp(config(port, { auth: oauth() }), { noSend: true, tokens: source, messageId: MESSAGE_ID });
    expect(stepNames(report)).toEqual(['connect', 'tls', 'ehlo', 'token']);
    expect(failedStep(report)?.step).toBe('token');
    expect(report.remedy).toMatch(/client secret is wrong/);
    expect(JSON.stringify(report)).not.toContain('client-Secret-9911');
  });

  it('checks only the token for Microsoft Graph and says what would be called', async () => {
    const source = tokens('graph-token-777777');
    const report = await probeSmtp(config(1, { server: 'graph.microsoft.com', auth: oauth({ provider: 'Office365Graph', scope: 'https://graph.microsoft.com/.default' }) }),
      { noSend: true, tokens: source, messageId: MESSAGE_ID });
    expect(report.success).toBe(true);
    expect(report.sent).toBe(false);
    expect(stepNames(report)).toEqual(['token', 'graph']);
    expect(report.steps[1].detail).toContain('POST https://graph.microsoft.com/v1.0/users/herald%40lab.test/sendMail');
    expect(JSON.stringify(report)).not.toContain('graph-token-777777');
  });
});

describe('probeSmtp network failures', () => {
  it('fails at connect when nothing listens', async () => {
    const port = await closedPort();
    const report = await probeSmtp(config(port), { noSend: true, messageId: MESSAGE_ID });
    expect(report.success).toBe(false);
    expect(stepNames(report)).toEqual(['connect']);
    expect(report.error).toMatch(/ECONNREFUSED/);
    expect(report.remedy).toMatch(new RegExp(`Nothing accepts connections on 127\\.0\\.0\\.1:${port}`));
  });

  it('times out on a server that never greets', async () => {
    const port = await silentServer();
    const started = Date.now();
    const report = await probeSmtp(config(port, { tlsMode: 'StartTls' }), { noSend: true, messageId: MESSAGE_ID, timeoutMs: 500 });
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(report.success).toBe(false);
    expect(failedStep(report)?.step).toBe('connect');
    expect(report.error).toMatch(/no SMTP greeting came within 0\.5 s/);
    expect(report.remedy).toMatch(/sent no SMTP greeting/);
    expect(report.remedy).toMatch(/implicit TLS/);
  });
});

describe('remedyFor', () => {
  const base = config(587, { server: 'smtp.corp.example', storeName: 'Corp' });
  const exchange = config(587, { server: 'smtp.office365.com', storeName: 'Corp', from: 'herald@corp.example', auth: { kind: 'basic', user: 'herald@corp.example', pass: 'x' } });
  const app = config(587, { server: 'smtp.office365.com', storeName: 'Corp', from: 'herald@corp.example', auth: oauth({ clientId: 'app-42' }) });
  const remedy = (failure: Partial<ProbeFailure> & Pick<ProbeFailure, 'step'>) => remedyFor({ config: base, ...failure }) ?? '';

  it('explains each network failure', () => {
    expect(remedy({ step: 'connect', code: 'ECONNREFUSED' })).toMatch(/Nothing accepts connections on smtp\.corp\.example:587.*firewall/);
    expect(remedy({ step: 'connect', code: 'ENOTFOUND' })).toMatch(/does not resolve/);
    expect(remedy({ step: 'connect', code: 'EHOSTUNREACH' })).toMatch(/no route/);
    expect(remedy({ step: 'connect', code: 'CONNECT_TIMEOUT' })).toMatch(/firewall/);
    expect(remedy({ step: 'connect', code: 'ETIMEDOUT' })).toMatch(/firewall/);
    expect(remedy({ step: 'connect', code: 'GREETING_TIMEOUT' })).toMatch(/no SMTP greeting.*implicit TLS/);
    expect(remedyFor({ step: 'connect', code: 'GREETING_TIMEOUT', config: { ...base, port: 465, tlsMode: 'StartTls' } })).toMatch(/Port 465 expects implicit TLS.*: use Set-SmtpServer -IdentityStore Corp -SslEnabled/);
    expect(remedyFor({ step: 'connect', code: 'GREETING_TIMEOUT', config: base, implicitTlsAnswered: true })).toMatch(/Port 587 expects implicit TLS.*-TlsMode Implicit/);
  });

  it('explains TLS failures', () => {
    const implicit = { ...base, tlsMode: 'Implicit' as const };
    expect(remedyFor({ step: 'tls', code: 'ERR_SSL_WRONG_VERSION_NUMBER', config: implicit })).toMatch(/Port 587 speaks plain SMTP.*-TlsMode StartTls/);
    expect(remedyFor({ step: 'tls', code: 'EPROTO', config: implicit })).toMatch(/-TlsMode StartTls/);
    for (const code of ['SELF_SIGNED_CERT_IN_CHAIN', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'DEPTH_ZERO_SELF_SIGNED_CERT']) {
      expect(remedy({ step: 'tls', code })).toMatch(/give the issuing CA.*-CaCertificate/);
    }
    expect(remedy({ step: 'tls', code: 'ERR_TLS_CERT_ALTNAME_INVALID' })).toMatch(/does not name smtp\.corp\.example/);
    expect(remedy({ step: 'tls', code: 'CERT_HAS_EXPIRED' })).toMatch(/expired/);
    expect(remedy({ step: 'tls', code: 'ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION' })).toMatch(/TLS version/);
    expect(remedy({ step: 'tls', code: 'STARTTLS_NOT_OFFERED', response: '502 5.5.2 Error: command not recognized' })).toMatch(/does not offer STARTTLS.*-TlsMode Implicit/);
    expect(remedy({ step: 'mail', response: '530 5.7.0 Must issue a STARTTLS command first' })).toMatch(/only over TLS.*-TlsMode StartTls/);
  });

  it('gives Exchange Online hints for 535', () => {
    const basic = remedyFor({ step: 'auth', responseCode: 535, response: '535 5.7.3 Authentication unsuccessful', config: exchange }) ?? '';
    expect(basic).toContain('Set-CASMailbox -Identity herald@corp.example -SmtpClientAuthenticationDisabled $false');
    expect(basic).toMatch(/OAuth2/);

    const token = remedyFor({ step: 'auth', response: '535 5.7.3 Authentication unsuccessful', config: app }) ?? '';
    expect(token).toContain('Set-CASMailbox');
    expect(token).toContain('New-ServicePrincipal -AppId app-42');
    expect(token).toContain('https://outlook.office365.com/.default');
    expect(token).toContain('Add-MailboxPermission -Identity herald@corp.example');

    const graphScope = { ...app, auth: { ...(app.auth as Extract<SmtpConfig['auth'], { kind: 'oauth2' }>), scope: 'https://graph.microsoft.com/.default' } };
    expect(remedyFor({ step: 'auth', response: '535 5.7.3 Authentication unsuccessful', config: graphScope })).toMatch(/^The server refused the OAuth2 token\. The token is for the wrong API/);

    // A generic server gets the plain advice only.
    const generic = remedy({ step: 'auth', response: '535 5.7.8 Error: authentication failed' });
    expect(generic).toMatch(/user name or password/);
    expect(generic).not.toContain('Set-CASMailbox');
  });

  it('explains Exchange Online submission errors', () => {
    expect(remedyFor({ step: 'auth', response: '550 5.7.30 Basic authentication is not supported for Client Submission', config: exchange })).toMatch(/basic authentication.*-Authentication OAuth2/);
    expect(remedy({ step: 'mail', response: '530 5.7.57 Client not authenticated to send mail' })).toMatch(/authenticated clients/);
    expect(remedy({ step: 'mail', response: '550 5.7.60 SMTP; Client does not have permissions to send as this sender' })).toMatch(/may not send as herald@lab\.test.*SendAs/);
    expect(remedyFor({ step: 'auth', response: '535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant', config: exchange })).toMatch(/Set-TransportConfig -SmtpClientAuthenticationDisabled \$false/);
  });

  it('explains token endpoint errors by AADSTS code', () => {
    const token = (text: string) => remedyFor({ step: 'token', response: text, config: app }) ?? '';
    expect(token('AADSTS7000215: Invalid client secret provided.')).toMatch(/client secret is wrong.*-ClientSecret/);
    expect(token('AADSTS700016: Application with identifier app-42 was not found')).toMatch(/No application with client ID app-42/);
    expect(token('AADSTS50126: Error validating credentials due to invalid username or password.')).toMatch(/user name or password/);
    expect(token('AADSTS50076: Due to a configuration change made by your administrator, you must use multi-factor authentication')).toMatch(/-OAuthFlow ClientCredentials/);
    expect(token('AADSTS50079: The user is required to use multi-factor authentication.')).toMatch(/multifactor/);
    expect(token('AADSTS65001: The user or administrator has not consented')).toMatch(/admin consent/);
    expect(token('AADSTS90002: Tenant corp not found.')).toMatch(/tenant.*-TokenEndpoint/i);
    expect(token('AADSTS1234567: something new')).toMatch(/AADSTS1234567/);
    expect(remedyFor({ step: 'token', code: 'ENOTFOUND', config: app })).toMatch(/token endpoint .* cannot be reached/);
  });

  it('explains refused recipients and temporary failures', () => {
    expect(remedy({ step: 'rcpt', response: '550 5.1.1 <x@corp.example>: Recipient address rejected: User unknown' })).toMatch(/refused the recipient/);
    expect(remedy({ step: 'rcpt', response: '553 5.7.1 <x@other.example>: Relay access denied' })).toMatch(/does not relay/);
    expect(remedy({ step: 'rcpt', response: '450 4.2.0 Greylisted, try again later' })).toMatch(/try again later/);
    expect(remedy({ step: 'data', response: '421 4.7.0 Too many messages' })).toMatch(/try again later/);
    expect(remedy({ step: 'ehlo', code: 'SOMETHING_ELSE' })).toBe('');
  });
});

describe('queueIdOf', () => {
  it('finds the id where common servers put it', () => {
    expect(queueIdOf('250 2.0.0 Ok: queued as 4F2A1')).toBe('4F2A1');
    expect(queueIdOf('250 OK id=1uA2b3-0004Xy-7Z')).toBe('1uA2b3-0004Xy-7Z');
    expect(queueIdOf('250 2.6.0 <abc@corp.example> [InternalId=12345678, Hostname=EX01.corp.example] Queued mail for delivery')).toBe('12345678');
    expect(queueIdOf('250 2.0.0 OK <AB12CD@AM0PR01MB1234.eurprd01.prod.outlook.com> [Hostname=AM0PR01MB1234.eurprd01.prod.outlook.com]'))
      .toBe('<AB12CD@AM0PR01MB1234.eurprd01.prod.outlook.com>');
    expect(queueIdOf('250 2.0.0 5BAB1cA3 Message accepted for delivery')).toBe('5BAB1cA3');
    expect(queueIdOf('250 OK: message queued')).toBeNull();
  });
});
