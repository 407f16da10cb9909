import { createServer, type Server } from 'node:https';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SMTPServer } from 'smtp-server';
import type { HeraldClient } from '../client/index.js';
import { makeCertificates } from './helpers/certificates.js';
import { startTestDaemon, tempDir, type TestDaemon } from './helpers/daemon.js';

// OAuth 2.0 end to end through the daemon: a local HTTPS token endpoint (trusted through
// NODE_EXTRA_CA_CERTS, as an admin would with a private CA), an SMTP server checking XOAUTH2
// tokens, and the outbox riding out a token endpoint that is down for a while.
const certs = makeCertificates();
const temp = tempDir();
let daemon: TestDaemon;
let client: HeraldClient;
let smtp: SMTPServer;
let smtpPort = 0;
let tokenServer: Server | undefined;
let tokenPort = 0;
const issued: string[] = [];
const delivered: string[] = [];

async function freePort(): Promise<number> {
  const probe = createNetServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

async function startTokenEndpoint(): Promise<void> {
  tokenServer = createServer({ key: certs.keyPem, cert: certs.certPem }, (req, res) => {
    let body = '';
    req.on('data', (chunk) => { body += chunk; });
    req.on('end', () => {
      const form = new URLSearchParams(body);
      res.setHeader('content-type', 'application/json');
      if (form.get('client_secret') !== 'app-secret' || form.get('grant_type') !== 'client_credentials') {
        res.statusCode = 401;
        return res.end(JSON.stringify({ error: 'invalid_client', error_description: 'AADSTS7000215: Invalid client secret provided.', error_codes: [7000215] }));
      }
      const token = `tok-${issued.length + 1}`;
      issued.push(token);
      res.end(JSON.stringify({ token_type: 'Bearer', expires_in: 3599, ext_expires_in: 3599, access_token: token }));
    });
  });
  await new Promise<void>((resolve) => tokenServer!.listen(tokenPort, '127.0.0.1', resolve));
}

beforeAll(async () => {
  smtp = new SMTPServer({
    authMethods: ['XOAUTH2'],
    allowInsecureAuth: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === 'herald@corp.example' && auth.accessToken && issued.includes(auth.accessToken)) return callback(null, { user: auth.username });
      callback(null, { data: { status: '401', schemes: 'bearer', scope: 'https://outlook.office365.com/.default' } });
    },
    onData(stream, session, callback) {
      stream.on('data', () => undefined);
      stream.on('end', () => {
        delivered.push(...session.envelope.rcptTo.map((r) => r.address));
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  smtpPort = (smtp.server.address() as AddressInfo).port;
  tokenPort = await freePort();
  daemon = await startTestDaemon({ stateDir: temp.dir, extraArgs: ['--retry-first', '0.2', '--retry-max', '0.4'], env: { NODE_EXTRA_CA_CERTS: certs.caFile } });
  client = await daemon.client();
  await client.call('identityStore.create', { name: 'Cloud', type: 'Builtin' });
  await client.call('smtpServer.set', {
    identityStore: 'Cloud', server: '127.0.0.1', port: smtpPort, tlsMode: 'None', from: 'herald@corp.example',
    authentication: 'OAuth2', provider: 'ExchangeOnline', oauthFlow: 'ClientCredentials',
    tokenEndpoint: `https://127.0.0.1:${tokenPort}/corp-tenant/oauth2/v2.0/token`, clientId: 'herald-app', clientSecret: 'app-secret',
    scope: 'https://outlook.office365.com/.default',
  });
});

afterAll(async () => {
  await client.close();
  expect(await daemon.stop()).toBe(0);
  await new Promise<void>((resolve) => smtp.close(() => resolve()));
  await new Promise((resolve) => (tokenServer ? tokenServer.close(resolve) : resolve(undefined)));
  certs.cleanup();
  temp.cleanup();
});

async function statusOf(id: number) {
  return (await client.call('notificationQueue.get', { status: 'All' })).find((m) => m.id === id)!;
}

describe('OAuth 2.0 delivery', () => {
  it('keeps mail queued while the token endpoint is down, and delivers it once it is back', async () => {
    const [mail] = await client.call('notification.send', { identityStore: 'Cloud', to: ['jane@corp.example'], subject: 'Token later', body: 'x' });
    let seen = await statusOf(mail.id);
    for (let i = 0; i < 100 && seen.retryCount < 2; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      seen = await statusOf(mail.id);
    }
    expect(seen.status).toMatch(/Pending|Sending/);
    expect(seen.lastError).toMatch(/token/i);
    expect(delivered).toEqual([]);

    await startTokenEndpoint();
    for (let i = 0; i < 200 && seen.status !== 'Sent'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      seen = await statusOf(mail.id);
    }
    expect(seen.status).toBe('Sent');
    expect(delivered).toEqual(['jane@corp.example']);
    expect(issued.length).toBeGreaterThanOrEqual(1);
  });

  it('fails a mail at once when the token endpoint refuses the client secret', async () => {
    await client.call('smtpServer.set', { identityStore: 'Cloud', clientSecret: 'wrong-secret' });
    const [mail] = await client.call('notification.send', { identityStore: 'Cloud', to: ['john@corp.example'], subject: 'Bad secret', body: 'x' });
    let seen = await statusOf(mail.id);
    for (let i = 0; i < 200 && seen.status !== 'Failed'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      seen = await statusOf(mail.id);
    }
    expect(seen.status).toBe('Failed');
    expect(seen.lastError).toContain('AADSTS7000215');
    expect(seen.lastError).not.toContain('wrong-secret');
  });
});
