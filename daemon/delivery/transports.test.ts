import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SMTPServer, type SMTPServerOptions, type SMTPServerSession } from 'smtp-server';
import { makeCertificates, type TestCertificates } from '../../test/helpers/certificates.js';
import { DeliveryError, type OutgoingMessage, type TokenSource } from './mail-transport.js';
import type { SmtpAuth, SmtpConfig } from './smtp-config.js';
import { createSmtpTransport } from './smtp-transport.js';
import { createTokenSource } from './token-cache.js';
import { createTransport } from './transports.js';

let certs: TestCertificates;
beforeAll(() => {
  certs = makeCertificates();
});
afterAll(() => certs?.cleanup());

/** Everything a test opened, closed after it whatever happened. */
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

const MESSAGE: OutgoingMessage = {
  messageId: '<herald-1.test@herald.example>',
  from: 'Herald Notifications <herald@example.com>',
  to: ['Alice Example <alice@example.com>', 'bob@example.com'],
  cc: ['carol@example.com'],
  subject: 'Membership changed',
  text: 'You were added to Sales.',
  html: '<p>You were added to <b>Sales</b>.</p>',
  headers: { 'X-Herald-Kind': 'MembershipOnJoin' },
  date: new Date('2026-11-20T10:00:00Z'),
};

interface Received { raw: string; from: string; to: string[]; secure: boolean; user?: unknown }

/** A real SMTP server on 127.0.0.1 (smtp-server) keeping what it accepts. */
async function smtpServer(options: SMTPServerOptions & { rejectData?: (session: SMTPServerSession) => Error | 'disconnect' | undefined } = {}) {
  const received: Received[] = [];
  const { rejectData, ...serverOptions } = options;
  const server: SMTPServer = new SMTPServer({
    logger: false,
    authOptional: true,
    ...serverOptions,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const verdict = rejectData?.(session);
        if (verdict === 'disconnect') {
          // Gone before answering the final dot.
          const connection = [...server.connections].find((c) => c.session === session) as unknown as { _socket: { destroy(): void } } | undefined;
          connection?._socket.destroy();
          return;
        }
        if (verdict) return callback(verdict);
        received.push({
          raw: Buffer.concat(chunks).toString('utf8'),
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          secure: session.secure,
          user: session.user,
        });
        callback(null, `Ok: queued as Q${received.length}`);
      });
    },
  });
  // A client that gives up on the certificate leaves the server a failed handshake to report.
  server.on('error', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { port: (server.server.address() as AddressInfo).port, received };
}

const smtpError = (responseCode: number, message: string) => Object.assign(new Error(message), { responseCode });

function config(port: number, overrides: Partial<SmtpConfig> = {}): SmtpConfig {
  return {
    storeName: 'test',
    server: '127.0.0.1',
    port,
    tlsMode: 'None',
    skipCertificateCheck: false,
    caCertificate: null,
    minTlsVersion: 'TLSv1.2',
    from: 'Herald Notifications <herald@example.com>',
    auth: { kind: 'none' },
    ...overrides,
  };
}

/** A TokenSource that must never be asked: for transports without OAuth. */
const noTokens: TokenSource = {
  token: () => Promise.reject(new Error('no token expected')),
};

async function expectDeliveryError(promise: Promise<unknown>): Promise<DeliveryError> {
  const err = await promise.then(
    () => { throw new Error('expected a DeliveryError'); },
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(DeliveryError);
  return err as DeliveryError;
}

/** The transport for one test, closed after it. */
function smtpTransport(cfg: SmtpConfig, tokens: TokenSource = noTokens) {
  const transport = createSmtpTransport(cfg, tokens);
  cleanups.push(() => transport.close());
  return transport;
}

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

type Handler = (req: IncomingMessage, body: string, res: ServerResponse) => void;

/** A local HTTPS server with the test CA's localhost certificate. */
async function httpsServer(handler: Handler): Promise<{ url: string; hits: () => number }> {
  let hits = 0;
  const server: HttpsServer = createHttpsServer({ key: certs.keyPem, cert: certs.certPem }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      hits += 1;
      handler(req, Buffer.concat(chunks).toString('utf8'), res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  }));
  return { url: `https://127.0.0.1:${(server.address() as AddressInfo).port}`, hits: () => hits };
}

const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
};

const TENANT = '11111111-2222-3333-4444-555555555555';

/**
 * A token endpoint speaking Entra's v2 protocol: checks the grant's form fields and issues
 * `token-1`, `token-2`, … in turn. `refuse` can answer a request with an error instead.
 */
async function tokenEndpoint(
  expect: Record<string, string>,
  refuse?: (form: URLSearchParams) => { status: number; body: unknown } | undefined,
  path = `/${TENANT}/oauth2/v2.0/token`,
) {
  const issued: string[] = [];
  const forms: URLSearchParams[] = [];
  const server = await httpsServer((req, body, res) => {
    const form = new URLSearchParams(body);
    forms.push(form);
    if (req.method !== 'POST' || req.url?.split('?')[0] !== path) {
      return json(res, 404, { error: 'not_found', error_description: `unexpected ${req.method} ${req.url}` });
    }
    const refusal = refuse?.(form);
    if (refusal) return json(res, refusal.status, refusal.body);
    for (const [name, value] of Object.entries(expect)) {
      if (form.get(name) !== value) {
        return json(res, 400, { error: 'invalid_request', error_description: `AADSTS900144: bad ${name}`, error_codes: [900144] });
      }
    }
    const token = `token-${issued.length + 1}`;
    issued.push(token);
    json(res, 200, { token_type: 'Bearer', expires_in: 3599, ext_expires_in: 3599, access_token: token });
  });
  return { ...server, endpoint: `${server.url}${path}`, issued, forms };
}

function oauth(endpoint: string, overrides: Partial<Extract<SmtpAuth, { kind: 'oauth2' }>> = {}): SmtpAuth {
  return {
    kind: 'oauth2',
    provider: 'ExchangeOnline',
    tokenEndpoint: endpoint,
    clientId: 'client-1',
    clientSecret: 'secret-value-1',
    scope: 'https://outlook.office365.com/.default',
    flow: 'ClientCredentials',
    user: 'herald@example.com',
    graphEndpoint: 'https://graph.microsoft.com/v1.0',
    tenant: null,
    ...overrides,
  };
}

/** Wraps a token source to see what the transports ask of it. */
function recording(tokens: TokenSource) {
  const renews: boolean[] = [];
  const source: TokenSource = {
    token(cfg, renew) {
      renews.push(renew);
      return tokens.token(cfg, renew);
    },
  };
  return { source, renews };
}

const header = (raw: string, name: string) => new RegExp(`^${name}: (.*)$`, 'mi').exec(raw)?.[1];

describe('SMTP transport: TLS modes', () => {
  it('delivers in plain text (None) and builds the fixed MIME message', async () => {
    const server = await smtpServer({ hideSTARTTLS: true });
    const outcome = await smtpTransport(config(server.port)).send(MESSAGE);

    expect(outcome.recipients).toEqual([
      { address: 'alice@example.com', accepted: true },
      { address: 'bob@example.com', accepted: true },
      { address: 'carol@example.com', accepted: true },
    ]);
    expect(outcome.response).toMatch(/^250 .*Q1/);

    const [mail] = server.received;
    expect(mail.secure).toBe(false);
    expect(mail.from).toBe('herald@example.com');
    expect(mail.to).toEqual(['alice@example.com', 'bob@example.com', 'carol@example.com']);
    expect(header(mail.raw, 'Message-ID')).toBe('<herald-1.test@herald.example>');
    expect(header(mail.raw, 'Date')).toBe('Fri, 20 Nov 2026 10:00:00 +0000');
    expect(header(mail.raw, 'From')).toBe('Herald Notifications <herald@example.com>');
    expect(header(mail.raw, 'To')).toBe('Alice Example <alice@example.com>, bob@example.com');
    expect(header(mail.raw, 'Cc')).toBe('carol@example.com');
    expect(header(mail.raw, 'Subject')).toBe('Membership changed');
    expect(header(mail.raw, 'X-Herald-Kind')).toBe('MembershipOnJoin');
    expect(header(mail.raw, 'X-Mailer')).toBeUndefined();
    expect(mail.raw).toMatch(/Content-Type: multipart\/alternative/i);
    expect(mail.raw).toMatch(/Content-Type: text\/plain[\s\S]*You were added to Sales\./);
    expect(mail.raw).toMatch(/Content-Type: text\/html[\s\S]*<p>You were added to <b>Sales<\/b>\.<\/p>/);
  });

  it('upgrades with STARTTLS, trusting the store\'s CA', async () => {
    const server = await smtpServer({ key: certs.keyPem, cert: certs.certPem });
    const outcome = await smtpTransport(config(server.port, { tlsMode: 'StartTls', caCertificate: certs.caPem })).send(MESSAGE);
    expect(outcome.recipients.every((r) => r.accepted)).toBe(true);
    expect(server.received[0].secure).toBe(true);
  });

  it('refuses a certificate it cannot verify, as a permanent (configuration) error', async () => {
    const server = await smtpServer({ key: certs.keyPem, cert: certs.certPem });
    const err = await expectDeliveryError(smtpTransport(config(server.port, { tlsMode: 'StartTls' })).send(MESSAGE));
    expect(err.transient).toBe(false);
    expect(err.details.code).toBe('ETLS');
    expect(err.message).toMatch(/^TLS with 127\.0\.0\.1:\d+ failed: .*certificate/);
    expect(server.received).toHaveLength(0);
  });

  it('speaks implicit TLS to a secure server', async () => {
    const server = await smtpServer({ secure: true, key: certs.keyPem, cert: certs.certPem });
    const outcome = await smtpTransport(config(server.port, { tlsMode: 'Implicit', caCertificate: certs.caPem })).send(MESSAGE);
    expect(outcome.recipients.every((r) => r.accepted)).toBe(true);
    expect(server.received[0].secure).toBe(true);
  });

  it('refuses an untrusted certificate with implicit TLS too', async () => {
    const server = await smtpServer({ secure: true, key: certs.keyPem, cert: certs.certPem });
    const err = await expectDeliveryError(smtpTransport(config(server.port, { tlsMode: 'Implicit' })).send(MESSAGE));
    expect(err.transient).toBe(false);
    expect(err.details.code).toBe('ETLS');
  });

  it('fails permanently when Implicit meets a plain-text port (wrong TLS mode)', async () => {
    const server = await smtpServer({ hideSTARTTLS: true });
    const err = await expectDeliveryError(smtpTransport(config(server.port, { tlsMode: 'Implicit', caCertificate: certs.caPem })).send(MESSAGE));
    expect(err.transient).toBe(false);
    expect(err.message).toBe(`TLS with 127.0.0.1:${server.port} failed: wrong version number`);
  });

  it('goes on in plain text when Opportunistic and the server offers no STARTTLS', async () => {
    const server = await smtpServer({ hideSTARTTLS: true, key: certs.keyPem, cert: certs.certPem });
    const outcome = await smtpTransport(config(server.port, { tlsMode: 'Opportunistic', caCertificate: certs.caPem })).send(MESSAGE);
    expect(outcome.recipients.every((r) => r.accepted)).toBe(true);
    expect(server.received[0].secure).toBe(false);
  });

  it('fails permanently when StartTls is required and the server has none', async () => {
    const server = await smtpServer({ disabledCommands: ['STARTTLS'] });
    const err = await expectDeliveryError(smtpTransport(config(server.port, { tlsMode: 'StartTls', caCertificate: certs.caPem })).send(MESSAGE));
    expect(err.transient).toBe(false);
    expect(err.details.command).toBe('STARTTLS');
    expect(server.received).toHaveLength(0);
  });

  it('still upgrades when StartTls is required and the server only hides STARTTLS', async () => {
    // requireTLS sends STARTTLS whether or not EHLO announced it.
    const server = await smtpServer({ hideSTARTTLS: true, key: certs.keyPem, cert: certs.certPem });
    await smtpTransport(config(server.port, { tlsMode: 'StartTls', caCertificate: certs.caPem })).send(MESSAGE);
    expect(server.received[0].secure).toBe(true);
  });
});

describe('SMTP transport: authentication and replies', () => {
  const basicServer = () =>
    smtpServer({
      hideSTARTTLS: true,
      allowInsecureAuth: true,
      authOptional: false,
      authMethods: ['PLAIN', 'LOGIN'],
      onAuth(auth, _session, callback) {
        if (auth.username === 'mailer' && auth.password === 'right-password') return callback(null, { user: auth.username });
        callback(smtpError(535, '5.7.8 Authentication credentials invalid'));
      },
    });

  it('logs in with Basic credentials', async () => {
    const server = await basicServer();
    const outcome = await smtpTransport(config(server.port, { auth: { kind: 'basic', user: 'mailer', pass: 'right-password' } })).send(MESSAGE);
    expect(outcome.recipients.every((r) => r.accepted)).toBe(true);
    expect(server.received[0].user).toBe('mailer');
  });

  it('reports a wrong password as permanent with the 535 reply, without the password', async () => {
    const server = await basicServer();
    const err = await expectDeliveryError(smtpTransport(config(server.port, { auth: { kind: 'basic', user: 'mailer', pass: 'wrong-password' } })).send(MESSAGE));
    expect(err.transient).toBe(false);
    expect(err.details.responseCode).toBe(535);
    expect(err.details.response).toMatch(/^535/);
    expect(JSON.stringify({ message: err.message, details: err.details })).not.toContain('wrong-password');
  });

  it('reports each recipient: one refused with its reply, the others accepted', async () => {
    const server = await smtpServer({
      hideSTARTTLS: true,
      onRcptTo(address, _session, callback) {
        callback(address.address === 'bob@example.com' ? smtpError(550, '5.1.1 bob@example.com: no such user') : undefined);
      },
    });
    const outcome = await smtpTransport(config(server.port)).send(MESSAGE);
    expect(outcome.recipients).toEqual([
      { address: 'alice@example.com', accepted: true },
      { address: 'bob@example.com', accepted: false, reply: '550 5.1.1 bob@example.com: no such user' },
      { address: 'carol@example.com', accepted: true },
    ]);
    expect(server.received[0].to).toEqual(['alice@example.com', 'carol@example.com']);
  });

  it('fails permanently with every recipient\'s reply when all are refused', async () => {
    const server = await smtpServer({
      hideSTARTTLS: true,
      onRcptTo(address, _session, callback) {
        callback(smtpError(550, `5.1.1 ${address.address}: no such user`));
      },
    });
    const err = await expectDeliveryError(smtpTransport(config(server.port)).send(MESSAGE));
    expect(err.transient).toBe(false);
    expect(err.details.code).toBe('EENVELOPE');
    expect(err.details.recipients).toEqual([
      { address: 'alice@example.com', accepted: false, reply: '550 5.1.1 alice@example.com: no such user' },
      { address: 'bob@example.com', accepted: false, reply: '550 5.1.1 bob@example.com: no such user' },
      { address: 'carol@example.com', accepted: false, reply: '550 5.1.1 carol@example.com: no such user' },
    ]);
  });

  it('reports an invalid recipient as not sent and delivers to the others', async () => {
    const server = await smtpServer({ hideSTARTTLS: true });
    const outcome = await smtpTransport(config(server.port)).send({ ...MESSAGE, to: ['bad address', 'alice@example.com'], cc: [] });
    expect(outcome.recipients).toEqual([
      { address: 'alice@example.com', accepted: true },
      { address: 'bad address', accepted: false, reply: expect.stringMatching(/not sent/) },
    ]);
    expect(server.received[0].to).toEqual(['alice@example.com']);
  });

  it('treats 451 on DATA as transient', async () => {
    const server = await smtpServer({ hideSTARTTLS: true, rejectData: () => smtpError(451, '4.3.0 try again later') });
    const err = await expectDeliveryError(smtpTransport(config(server.port)).send(MESSAGE));
    expect(err.transient).toBe(true);
    expect(err.details).toMatchObject({ responseCode: 451, response: '451 4.3.0 try again later', command: 'DATA' });
  });

  it('treats 554 on DATA as permanent', async () => {
    const server = await smtpServer({ hideSTARTTLS: true, rejectData: () => smtpError(554, '5.6.0 message refused') });
    const err = await expectDeliveryError(smtpTransport(config(server.port)).send(MESSAGE));
    expect(err.transient).toBe(false);
    expect(err.details.responseCode).toBe(554);
  });

  it('treats 503 as transient (bad sequence: a session problem, not a verdict on the message)', async () => {
    const server = await smtpServer({ hideSTARTTLS: true, rejectData: () => smtpError(503, '5.5.1 bad sequence of commands') });
    const err = await expectDeliveryError(smtpTransport(config(server.port)).send(MESSAGE));
    expect(err.transient).toBe(true);
    expect(err.details.responseCode).toBe(503);
  });

  it('treats a connection lost before the final reply as transient', async () => {
    const server = await smtpServer({ hideSTARTTLS: true, rejectData: () => 'disconnect' });
    const err = await expectDeliveryError(smtpTransport(config(server.port)).send(MESSAGE));
    expect(err.transient).toBe(true);
    expect(err.details.code).toBe('ECONNECTION');
  });

  it('treats an unreachable server as transient', async () => {
    const err = await expectDeliveryError(smtpTransport(config(await closedPort())).send(MESSAGE));
    expect(err.transient).toBe(true);
  });

  it('keeps using the pool for several messages', async () => {
    const server = await smtpServer({ hideSTARTTLS: true });
    const transport = smtpTransport(config(server.port));
    const outcomes = await Promise.all(
      Array.from({ length: 12 }, (_, i) => transport.send({ ...MESSAGE, messageId: `<m${i}@herald.example>` })),
    );
    expect(outcomes).toHaveLength(12);
    expect(new Set(server.received.map((m) => header(m.raw, 'Message-ID')))).toHaveProperty('size', 12);
  });
});

describe('SMTP transport: XOAUTH2 with tokens from MSAL', () => {
  /** An SMTP server that takes only the tokens the test says are good. */
  const xoauthServer = (accepts: (token: string | undefined) => boolean, seen: string[] = [], user = 'herald@example.com') =>
    smtpServer({
      hideSTARTTLS: true,
      allowInsecureAuth: true,
      authOptional: false,
      authMethods: ['XOAUTH2'],
      onAuth(auth, _session, callback) {
        seen.push(auth.accessToken ?? '');
        if (auth.username === user && accepts(auth.accessToken)) return callback(null, { user: auth.username });
        callback(null, { data: { status: '401', schemes: 'bearer', scope: 'https://outlook.office365.com/.default' } });
      },
    });

  it('gets an app-only token (client credentials) and logs in with it', async () => {
    const endpoint = await tokenEndpoint({
      grant_type: 'client_credentials',
      client_id: 'client-1',
      client_secret: 'secret-value-1',
      scope: 'https://outlook.office365.com/.default',
    });
    const server = await xoauthServer((token) => token === 'token-1');
    const tokens = createTokenSource({ ca: certs.caPem });
    const outcome = await smtpTransport(config(server.port, { auth: oauth(endpoint.endpoint) }), tokens).send(MESSAGE);
    expect(outcome.recipients.every((r) => r.accepted)).toBe(true);
    expect(server.received[0].user).toBe('herald@example.com');

    // A second transport with the same settings reuses MSAL's cached token.
    await smtpTransport(config(server.port, { auth: oauth(endpoint.endpoint) }), tokens).send(MESSAGE);
    expect(endpoint.hits()).toBe(1);
  });

  it('gets a delegated token (password flow) and logs in with it', async () => {
    const endpoint = await tokenEndpoint({
      grant_type: 'password',
      client_id: 'client-1',
      client_secret: 'secret-value-1',
      username: 'mailer@example.com',
      password: 'user-password',
    });
    const seen: string[] = [];
    const server = await xoauthServer((token) => token === 'token-1', seen, 'mailer@example.com');
    const auth = oauth(endpoint.endpoint, { flow: 'Password', user: 'mailer@example.com', pass: 'user-password', scope: 'https://outlook.office.com/SMTP.Send' });
    const outcome = await smtpTransport(config(server.port, { auth }), createTokenSource({ ca: certs.caPem })).send(MESSAGE);
    expect(outcome.recipients.every((r) => r.accepted)).toBe(true);
    expect(endpoint.forms[0].get('scope')?.split(' ')).toContain('https://outlook.office.com/SMTP.Send');
    expect(seen).toEqual(['token-1']);
  });

  it('renews a refused token once and succeeds with the new one', async () => {
    const endpoint = await tokenEndpoint({ grant_type: 'client_credentials' });
    const seen: string[] = [];
    const server = await xoauthServer((token) => token === 'token-2', seen);
    const { source, renews } = recording(createTokenSource({ ca: certs.caPem }));
    const outcome = await smtpTransport(config(server.port, { auth: oauth(endpoint.endpoint) }), source).send(MESSAGE);
    expect(outcome.recipients.every((r) => r.accepted)).toBe(true);
    expect(seen).toEqual(['token-1', 'token-2']);
    expect(renews).toEqual([false, true]);
    expect(endpoint.hits()).toBe(2);
  });

  it('renews a refused password-flow token too (bypassing the remembered one)', async () => {
    const endpoint = await tokenEndpoint({ grant_type: 'password' });
    const server = await xoauthServer((token) => token === 'token-2', [], 'mailer@example.com');
    const auth = oauth(endpoint.endpoint, { flow: 'Password', user: 'mailer@example.com', pass: 'user-password' });
    const outcome = await smtpTransport(config(server.port, { auth }), createTokenSource({ ca: certs.caPem })).send(MESSAGE);
    expect(outcome.recipients.every((r) => r.accepted)).toBe(true);
    expect(endpoint.hits()).toBe(2);
  });

  it('fails permanently with the AADSTS code when the token endpoint refuses the client', async () => {
    const endpoint = await tokenEndpoint({}, () => ({
      status: 400,
      body: {
        error: 'invalid_client',
        error_description: "AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID.\r\nTrace ID: 0000\r\nCorrelation ID: 1111\r\nTimestamp: 2026-11-20 10:00:00Z",
        error_codes: [7000215],
      },
    }));
    const server = await xoauthServer(() => true);
    const err = await expectDeliveryError(
      smtpTransport(config(server.port, { auth: oauth(endpoint.endpoint) }), createTokenSource({ ca: certs.caPem })).send(MESSAGE),
    );
    expect(err.transient).toBe(false);
    expect(err.details.code).toBe('AADSTS7000215');
    expect(err.message).toContain('AADSTS7000215: Invalid client secret provided');
    expect(err.message).not.toContain('secret-value-1');
    expect(server.received).toHaveLength(0);
  });

  it('fails permanently when the user needs MFA (password flow)', async () => {
    const endpoint = await tokenEndpoint({}, () => ({
      status: 400,
      body: { error: 'invalid_grant', error_description: 'AADSTS50076: Due to a configuration change made by your administrator, you must use multi-factor authentication.', error_codes: [50076], suberror: 'basic_action' },
    }));
    const tokens = createTokenSource({ ca: certs.caPem });
    const cfg = config(25, { auth: oauth(endpoint.endpoint, { flow: 'Password', user: 'mailer@example.com', pass: 'p' }) });
    const err = await expectDeliveryError(tokens.token(cfg, false));
    expect(err.transient).toBe(false);
    expect(err.details.code).toBe('AADSTS50076');
  });

  it('treats a token endpoint that is down as transient', async () => {
    const server = await xoauthServer(() => true);
    const down = `https://127.0.0.1:${await closedPort()}/${TENANT}/oauth2/v2.0/token`;
    const err = await expectDeliveryError(
      smtpTransport(config(server.port, { auth: oauth(down) }), createTokenSource({ ca: certs.caPem })).send(MESSAGE),
    );
    expect(err.transient).toBe(true);
    expect(err.message).toMatch(/ECONNREFUSED/);
  });

  it('treats a 503 from the token endpoint as transient, and asks again next time', async () => {
    let down = true;
    const endpoint = await tokenEndpoint({}, () => (down ? { status: 503, body: { error: 'temporarily_unavailable' } } : undefined));
    const tokens = createTokenSource({ ca: certs.caPem });
    const cfg = config(25, { auth: oauth(endpoint.endpoint) });
    const err = await expectDeliveryError(tokens.token(cfg, false));
    expect(err.transient).toBe(true);
    expect(err.details.responseCode).toBe(503);
    down = false;
    // MSAL would have answered this from its 60 s throttle cache had it seen the 503.
    await expect(tokens.token(cfg, false)).resolves.toMatchObject({ accessToken: 'token-1' });
  });

  it('posts to the token endpoint exactly as typed, with no discovery requests', async () => {
    const endpoint = await tokenEndpoint({ grant_type: 'client_credentials' }, undefined, '/adfs/oauth2/token');
    const token = await createTokenSource({ ca: certs.caPem }).token(config(25, { auth: oauth(endpoint.endpoint) }), false);
    expect(token.accessToken).toBe('token-1');
    expect(token.expiresOn.getTime()).toBeGreaterThan(Date.now() + 3000_000);
    expect(endpoint.hits()).toBe(1);
  });

  it('refuses a token endpoint whose certificate it cannot verify, permanently', async () => {
    const endpoint = await tokenEndpoint({});
    const err = await expectDeliveryError(createTokenSource().token(config(25, { auth: oauth(endpoint.endpoint) }), false));
    expect(err.transient).toBe(false);
    expect(endpoint.hits()).toBe(0);
  });
});

describe('Graph transport', () => {
  interface GraphRequest { path: string; authorization?: string; body: Record<string, unknown> }

  async function graph(answer: (request: GraphRequest, n: number) => { status: number; body?: unknown; headers?: Record<string, string> }) {
    const requests: GraphRequest[] = [];
    const server = await httpsServer((req, body, res) => {
      const request = { path: req.url ?? '', authorization: req.headers.authorization, body: JSON.parse(body) as Record<string, unknown> };
      requests.push(request);
      const { status, body: out, headers } = answer(request, requests.length);
      if (out === undefined) {
        res.writeHead(status, headers);
        res.end();
      } else {
        json(res, status, out, headers);
      }
    });
    return { ...server, requests };
  }

  async function graphSetup(answer: Parameters<typeof graph>[0]) {
    const endpoint = await tokenEndpoint({ grant_type: 'client_credentials', scope: 'https://graph.microsoft.com/.default' });
    const server = await graph(answer);
    const cfg = config(0, {
      auth: oauth(endpoint.endpoint, { provider: 'Office365Graph', scope: 'https://graph.microsoft.com/.default', graphEndpoint: `${server.url}/v1.0` }),
    });
    const tokens = recording(createTokenSource({ ca: certs.caPem }));
    const transport = createTransport(cfg, tokens.source, { ca: certs.caPem });
    cleanups.push(() => transport.close());
    return { endpoint, server, transport, renews: tokens.renews };
  }

  it('posts sendMail with a bearer token; 202 accepts every recipient', async () => {
    const { server, transport } = await graphSetup(() => ({ status: 202, headers: { 'request-id': 'req-1' } }));
    const outcome = await transport.send(MESSAGE);
    expect(outcome).toEqual({
      recipients: [
        { address: 'alice@example.com', accepted: true },
        { address: 'bob@example.com', accepted: true },
        { address: 'carol@example.com', accepted: true },
      ],
      response: '202 Accepted (request-id req-1)',
    });
    const [request] = server.requests;
    expect(request.path).toBe('/v1.0/users/herald%40example.com/sendMail');
    expect(request.authorization).toBe('Bearer token-1');
    expect(request.body).toEqual({
      message: {
        subject: 'Membership changed',
        body: { contentType: 'HTML', content: '<p>You were added to <b>Sales</b>.</p>' },
        toRecipients: [
          { emailAddress: { name: 'Alice Example', address: 'alice@example.com' } },
          { emailAddress: { address: 'bob@example.com' } },
        ],
        ccRecipients: [{ emailAddress: { address: 'carol@example.com' } }],
        internetMessageId: '<herald-1.test@herald.example>',
        internetMessageHeaders: [{ name: 'X-Herald-Kind', value: 'MembershipOnJoin' }],
      },
      saveToSentItems: false,
    });
  });

  it('sends a text body when there is no HTML, and only x- headers', async () => {
    const { server, transport } = await graphSetup(() => ({ status: 202 }));
    await transport.send({ ...MESSAGE, html: undefined, headers: { 'X-Herald-Kind': 'K', 'Auto-Submitted': 'auto-generated' } });
    const message = server.requests[0].body.message as Record<string, unknown>;
    expect(message.body).toEqual({ contentType: 'Text', content: 'You were added to Sales.' });
    expect(message.internetMessageHeaders).toEqual([{ name: 'X-Herald-Kind', value: 'K' }]);
  });

  it('renews the token once after a 401', async () => {
    const { server, transport, renews, endpoint } = await graphSetup((request) =>
      request.authorization === 'Bearer token-1'
        ? { status: 401, body: { error: { code: 'InvalidAuthenticationToken', message: 'Access token has expired.' } } }
        : { status: 202 },
    );
    const outcome = await transport.send(MESSAGE);
    expect(outcome.recipients.every((r) => r.accepted)).toBe(true);
    expect(server.requests.map((r) => r.authorization)).toEqual(['Bearer token-1', 'Bearer token-2']);
    expect(renews).toEqual([false, true]);
    expect(endpoint.hits()).toBe(2);
  });

  it('treats 429 as transient and passes on Retry-After', async () => {
    const { transport } = await graphSetup(() => ({
      status: 429,
      headers: { 'retry-after': '30' },
      body: { error: { code: 'ApplicationThrottled', message: 'Application is over its MailboxConcurrency limit.' } },
    }));
    const err = await expectDeliveryError(transport.send(MESSAGE));
    expect(err.transient).toBe(true);
    expect(err.details).toMatchObject({ code: 'ApplicationThrottled', responseCode: 429 });
    expect(err.message).toMatch(/retry after 30 s/);
  });

  it('treats 400 as permanent with Graph\'s error code and message', async () => {
    const { transport } = await graphSetup(() => ({
      status: 400,
      body: { error: { code: 'ErrorInvalidRecipients', message: 'At least one recipient is not valid.' } },
    }));
    const err = await expectDeliveryError(transport.send(MESSAGE));
    expect(err.transient).toBe(false);
    expect(err.details).toMatchObject({ code: 'ErrorInvalidRecipients', responseCode: 400, response: '400 ErrorInvalidRecipients: At least one recipient is not valid.' });
  });

  it('is what createTransport picks for Office365Graph only: ExchangeOnline OAuth2 stays on SMTP', async () => {
    const endpoint = await tokenEndpoint({ grant_type: 'client_credentials' });
    const server = await smtpServer({
      hideSTARTTLS: true,
      allowInsecureAuth: true,
      authMethods: ['XOAUTH2'],
      onAuth: (auth, _session, callback) => callback(null, { user: auth.username }),
    });
    const transport = createTransport(config(server.port, { auth: oauth(endpoint.endpoint, { provider: 'ExchangeOnline' }) }), createTokenSource({ ca: certs.caPem }));
    cleanups.push(() => transport.close());
    await transport.send(MESSAGE);
    expect(server.received).toHaveLength(1);
  });
});
