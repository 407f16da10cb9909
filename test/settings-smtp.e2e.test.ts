import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { HeraldError, type ParamsOf } from '../client/index.js';
import { failure, useDaemon } from './helpers/suite.js';

// SMTP server settings end to end through the typed client: every field's valid and invalid
// values, the reference shell's shorthands (-SslEnabled, -UseSmtpUserAuthentication,
// -Credential), the whole-settings authentication rules, warnings and patch semantics. Every
// test works on an identity store of its own.

// A real self-signed CA certificate; the key is thrown away.
const caPem = execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=Herald Test CA', '-days', '1', '-keyout', '/dev/null', '-out', '-'], {
  encoding: 'utf8',
  stdio: ['ignore', 'pipe', 'pipe'],
});
const suite = useDaemon();


let storeCount = 0;
/** A new identity store with a name no other test uses. */
async function newStore(prefix = 'Smtp'): Promise<string> {
  const name = `${prefix}-${++storeCount}`;
  await suite.client.call('identityStore.create', { name, type: 'Builtin' });
  return name;
}

type SmtpParams = Omit<ParamsOf<'smtpServer.set'>, 'identityStore'>;
const setSmtp = (identityStore: string, params: SmtpParams) => suite.client.call('smtpServer.set', { identityStore, ...params });
const getSmtp = (identityStore: string) => suite.client.call('smtpServer.get', { identityStore });
const everything = (identityStore: string) => suite.client.call('notificationSettings.get', { identityStore });

/** A store whose SMTP settings are all away from the defaults, so a change would show. */
async function configuredStore(): Promise<string> {
  const store = await newStore('Configured');
  await setSmtp(store, {
    server: 'smtp.before.example', port: 2525, from: 'Before <before@corp.example>', tlsMode: 'StartTls', minTlsVersion: 'TLSv1.3',
    caCertificate: caPem, tokenEndpoint: 'https://login.before.example/token', graphEndpoint: 'https://graph.before.example/v1.0',
    to: ['before@corp.example'],
  });
  return store;
}

/**
 * Sends params (possibly of the wrong type, hence untyped) and expects the call refused with
 * `code` on `field`, and every setting of the store as it was.
 */
async function expectRefused(store: string, params: Record<string, unknown>, field: string, code = -32602): Promise<HeraldError> {
  const smtpBefore = await getSmtp(store);
  const before = await everything(store);
  const error = await failure(suite.client.callUntyped('smtpServer.set', { identityStore: store, ...params }));
  expect({ code: error.code, field: error.data?.field }).toEqual({ code, field });
  // The message is one line whatever the value held: no CR/LF echoed back.
  expect(error.message).not.toMatch(/[\r\n]/);
  expect(await getSmtp(store)).toEqual(smtpBefore);
  expect(await everything(store)).toEqual(before);
  return error;
}

describe('SMTP field values', () => {
  it('accepts a host name, IPv4, IPv6 and bracketed IPv6 as server, lower-casing names', async () => {
    const store = await newStore();
    for (const [server, shown] of [
      ['smtp.corp.example', 'smtp.corp.example'],
      ['SMTP.Corp.Example', 'smtp.corp.example'],
      ['192.0.2.25', '192.0.2.25'],
      ['2001:db8::25', '2001:db8::25'],
      ['[2001:db8::25]', '[2001:db8::25]'],
    ]) {
      expect((await setSmtp(store, { server })).server, server).toBe(shown);
      expect(await getSmtp(store), server).toMatchObject({ server: shown, configured: true });
    }
  });

  for (const server of ['smtp..x', 'host:25', '-x.example', 'smtp\u0007.example', 'smtp.exa\nmple', 'smtp.example\r\nRCPT TO:<x@y.example>']) {
    it(`refuses the server ${JSON.stringify(server)} on field server`, async () => {
      const error = await expectRefused(await configuredStore(), { server }, 'server');
      expect(error.message).toContain('server');
    });
  }

  it('accepts ports 1 and 65535', async () => {
    const store = await newStore();
    expect((await setSmtp(store, { port: 1 })).port).toBe(1);
    expect((await setSmtp(store, { port: 65535 })).port).toBe(65535);
    expect((await getSmtp(store)).port).toBe(65535);
  });

  for (const port of [0, 65536, 1.5, '25']) {
    it(`refuses the port ${JSON.stringify(port)} on field port`, async () => {
      await expectRefused(await configuredStore(), { port }, 'port');
    });
  }

  it('accepts a plain address, a display name and a quoted display name as from', async () => {
    const store = await newStore();
    for (const from of ['herald@corp.example', 'Directory <herald@corp.example>', '"Doe, Jane" <jane@corp.example>']) {
      expect((await setSmtp(store, { from })).from).toBe(from);
      expect((await getSmtp(store)).from).toBe(from);
    }
  });

  for (const from of ['bad', 'a@b', '<a@x.example>', 'Name <a@x.example>\r\nBcc: evil@x.example', 'a@x.example\nBcc: evil@x.example', 'Na\rme <a@x.example>']) {
    it(`refuses the sender ${JSON.stringify(from)} on field from`, async () => {
      await expectRefused(await configuredStore(), { from }, 'from');
    });
  }

  it('accepts every value of the enumerated fields', async () => {
    const store = await newStore();
    for (const tlsMode of ['Implicit', 'StartTls', 'Opportunistic', 'None'] as const) expect((await setSmtp(store, { tlsMode })).tlsMode).toBe(tlsMode);
    for (const minTlsVersion of ['TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'] as const) expect((await setSmtp(store, { minTlsVersion })).minTlsVersion).toBe(minTlsVersion);
    for (const provider of ['Generic', 'ExchangeOnline'] as const) expect((await setSmtp(store, { provider })).provider).toBe(provider);
    for (const oauthFlow of ['ClientCredentials', 'Password'] as const) expect((await setSmtp(store, { oauthFlow })).oauthFlow).toBe(oauthFlow);
    expect((await setSmtp(store, { authentication: 'Default' })).authentication).toBe('Default');
  });

  for (const [field, value] of [['tlsMode', 'Ssl'], ['minTlsVersion', 'TLSv1.4'], ['authentication', 'Ntlm'], ['provider', 'Gmail'], ['oauthFlow', 'DeviceCode']]) {
    it(`refuses ${field} ${JSON.stringify(value)} with InvalidParams naming ${field}`, async () => {
      const error = await expectRefused(await configuredStore(), { [field]: value }, field);
      expect(error.message).toContain(field);
    });
  }

  it('accepts https token and graph endpoints', async () => {
    const store = await newStore();
    const tokenEndpoint = 'https://login.microsoftonline.com/corp.onmicrosoft.com/oauth2/v2.0/token';
    const graphEndpoint = 'https://graph.microsoft.com/v1.0';
    expect(await setSmtp(store, { tokenEndpoint, graphEndpoint })).toMatchObject({ tokenEndpoint, graphEndpoint });
    expect(await getSmtp(store)).toMatchObject({ tokenEndpoint, graphEndpoint });
  });

  for (const field of ['tokenEndpoint', 'graphEndpoint']) {
    for (const url of ['http://login.example/token', 'https://user:pw@login.example/token', 'login.example/token']) {
      it(`refuses ${field} ${url}`, async () => {
        const error = await expectRefused(await configuredStore(), { [field]: url }, field);
        // The refused URL's password is not repeated in the message.
        expect(error.message).not.toContain('pw@');
      });
    }
  }

  it('takes a PEM CA certificate, shows its subject, and clears it with null', async () => {
    const store = await newStore();
    const set = await setSmtp(store, { caCertificate: caPem });
    expect(set.caCertificate).toContain('Herald Test CA');
    expect(set.caCertificate).not.toContain('BEGIN CERTIFICATE');
    expect((await getSmtp(store)).caCertificate).toContain('Herald Test CA');
    expect((await setSmtp(store, { caCertificate: null })).caCertificate).toBeNull();
  });

  for (const [what, caCertificate] of [
    ['garbage', 'not a certificate'],
    ['a block that does not parse', '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----'],
    ['a private key', '-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----'],
  ]) {
    it(`refuses ${what} as caCertificate`, async () => {
      await expectRefused(await configuredStore(), { caCertificate }, 'caCertificate');
    });
  }

  it('takes to as one string separated by ; and , or as an array', async () => {
    const store = await newStore();
    await setSmtp(store, { to: 'a@corp.example; b@corp.example, c@corp.example' });
    expect((await suite.client.call('notificationRecipients.get', { identityStore: store })).to).toEqual(['a@corp.example', 'b@corp.example', 'c@corp.example']);
    await setSmtp(store, { to: ['d@corp.example', 'e@corp.example'] });
    expect((await suite.client.call('notificationRecipients.get', { identityStore: store })).to).toEqual(['d@corp.example', 'e@corp.example']);
  });

  it('refuses an invalid to element on field to.1', async () => {
    const error = await expectRefused(await configuredStore(), { to: ['ok@corp.example', 'bad'] }, 'to.1');
    expect(error.message).toContain("'bad'");
  });

  it('refuses an invalid entry of a to string on field to.1, saying what is wrong with it', async () => {
    const error = await expectRefused(await configuredStore(), { to: 'ok@corp.example; bad' }, 'to.1');
    expect(error.message).toContain("'bad'");
    expect(error.message).toContain('not a valid mail address');
  });
});

describe('-SslEnabled', () => {
  it('means implicit TLS on port 465, STARTTLS on 587 or no port, opportunistic when false', async () => {
    const store = await newStore();
    expect(await setSmtp(store, { port: 465, sslEnabled: true })).toMatchObject({ tlsMode: 'Implicit', sslEnabled: true, port: 465 });
    expect(await setSmtp(store, { port: 587, sslEnabled: true })).toMatchObject({ tlsMode: 'StartTls', sslEnabled: true, port: 587 });
    expect(await setSmtp(store, { port: null, sslEnabled: true })).toMatchObject({ tlsMode: 'StartTls', sslEnabled: true, port: 587 });
    expect(await setSmtp(store, { sslEnabled: false })).toMatchObject({ tlsMode: 'Opportunistic', sslEnabled: false });
    // The stored port counts when the call gives none.
    await setSmtp(store, { port: 465 });
    expect(await setSmtp(store, { sslEnabled: true })).toMatchObject({ tlsMode: 'Implicit', port: 465 });
    expect((await getSmtp(store)).tlsMode).toBe('Implicit');
  });

  it('refuses -SslEnabled together with -TlsMode: ValidationFailed on sslEnabled', async () => {
    const store = await configuredStore();
    const error = await expectRefused(store, { sslEnabled: true, tlsMode: 'Implicit' }, 'sslEnabled', -32004);
    expect(error.errorName).toBe('ValidationFailed');
  });

  it('shows the effective port: 587 when unset, 465 with implicit TLS', async () => {
    const store = await newStore();
    expect(await getSmtp(store)).toMatchObject({ port: 587, tlsMode: 'Opportunistic', configured: false });
    expect((await setSmtp(store, { tlsMode: 'Implicit' })).port).toBe(465);
    expect((await getSmtp(store)).port).toBe(465);
    expect((await setSmtp(store, { tlsMode: 'StartTls' })).port).toBe(587);
  });
});

describe('authentication rules', () => {
  it('refuses Basic without a credential: ValidationFailed', async () => {
    const store = await configuredStore();
    const error = await expectRefused(store, { authentication: 'Basic' }, 'userName', -32004);
    expect(error.errorName).toBe('ValidationFailed');
    await expectRefused(store, { authentication: 'Basic', userName: 'relay' }, 'password', -32004);
  });

  it('takes Basic with a credential: the user name shown, the password never', async () => {
    const store = await newStore();
    const password = 'Pa55-word-never-shown';
    const set = await setSmtp(store, { server: 'smtp.corp.example', authentication: 'Basic', credential: { userName: 'relay', password } });
    expect(set).toMatchObject({ authentication: 'Basic', userName: 'relay', passwordSet: true });
    expect(JSON.stringify(set)).not.toContain(password);
    const got = await getSmtp(store);
    expect(got).toMatchObject({ authentication: 'Basic', userName: 'relay', passwordSet: true });
    expect(JSON.stringify(got)).not.toContain(password);
    expect(JSON.stringify(await everything(store))).not.toContain(password);
  });

  it('turns -UseSmtpUserAuthentication with a credential into Basic', async () => {
    const store = await newStore();
    const set = await setSmtp(store, { server: 'smtp.corp.example', useSmtpUserAuthentication: true, credential: { userName: 'relay', password: 'x-secret-1' } });
    expect(set).toMatchObject({ authentication: 'Basic', userName: 'relay', passwordSet: true });
    expect((await setSmtp(store, { useSmtpUserAuthentication: false })).authentication).toBe('Default');
  });

  for (const server of ['smtp.office365.com', 'outlook.office365.com', 'smtp-mail.outlook.com', 'x.mail.protection.outlook.com', 'SMTP.OFFICE365.COM']) {
    it(`refuses Basic to ${server}, pointing to OAuth2`, async () => {
      const store = await configuredStore();
      const error = await expectRefused(store, { server, authentication: 'Basic', credential: { userName: 'relay@corp.example', password: 'x-secret-2' } }, 'authentication', -32004);
      expect(String(error.data?.remedy)).toContain('OAuth2');
      expect((await getSmtp(store)).passwordSet).toBe(false);
    });
  }

  it('refuses moving a Basic store to an Office 365 host', async () => {
    const store = await newStore();
    await setSmtp(store, { server: 'smtp.corp.example', authentication: 'Basic', credential: { userName: 'relay', password: 'x-secret-3' } });
    await expectRefused(store, { server: 'smtp.office365.com' }, 'authentication', -32004);
  });

  const oauth = {
    tokenEndpoint: 'https://login.microsoftonline.com/corp.onmicrosoft.com/oauth2/v2.0/token',
    clientId: '00000000-0000-0000-0000-000000000001',
    clientSecret: 'client-secret-value',
    scope: 'https://outlook.office365.com/.default',
  };

  for (const missing of ['tokenEndpoint', 'clientId', 'clientSecret', 'scope'] as const) {
    it(`refuses OAuth2 without ${missing}: ValidationFailed naming it`, async () => {
      const { [missing]: _left, ...rest } = oauth;
      // A store with no OAuth2 setting yet: only what this call gives counts.
      const store = await newStore();
      await setSmtp(store, { server: 'smtp.corp.example', from: 'herald@corp.example' });
      const error = await expectRefused(store, { authentication: 'OAuth2', oauthFlow: 'ClientCredentials', ...rest }, missing, -32004);
      expect(error.message.toLowerCase()).toContain(missing.toLowerCase());
    });
  }

  it('accepts OAuth2 client credentials to smtp.office365.com with no user, the secret never shown', async () => {
    const store = await newStore();
    const set = await setSmtp(store, { server: 'smtp.office365.com', port: 587, sslEnabled: true, authentication: 'OAuth2', provider: 'ExchangeOnline', oauthFlow: 'ClientCredentials', ...oauth });
    expect(set).toMatchObject({
      server: 'smtp.office365.com', tlsMode: 'StartTls', authentication: 'OAuth2', provider: 'ExchangeOnline', oauthFlow: 'ClientCredentials',
      tokenEndpoint: oauth.tokenEndpoint, clientId: oauth.clientId, scope: oauth.scope, clientSecretSet: true, userName: null, passwordSet: false,
    });
    expect(JSON.stringify(set)).not.toContain(oauth.clientSecret);
    expect(JSON.stringify(await getSmtp(store))).not.toContain(oauth.clientSecret);
  });

  it('needs a credential for the OAuth2 password flow', async () => {
    const store = await configuredStore();
    await expectRefused(store, { authentication: 'OAuth2', oauthFlow: 'Password', ...oauth }, 'credential', -32004);
    const set = await setSmtp(store, { authentication: 'OAuth2', oauthFlow: 'Password', ...oauth, credential: { userName: 'svc@corp.example', password: 'x-secret-4' } });
    expect(set).toMatchObject({ authentication: 'OAuth2', oauthFlow: 'Password', userName: 'svc@corp.example', passwordSet: true, clientSecretSet: true });
  });

  it('requires OAuth2 for the Office365Graph provider', async () => {
    const store = await configuredStore();
    await expectRefused(store, { provider: 'Office365Graph' }, 'provider', -32004);
    const set = await setSmtp(store, {
      provider: 'Office365Graph', authentication: 'OAuth2', oauthFlow: 'ClientCredentials', ...oauth,
      graphEndpoint: 'https://graph.microsoft.com/v1.0', tenant: 'corp.onmicrosoft.com',
    });
    expect(set).toMatchObject({ provider: 'Office365Graph', authentication: 'OAuth2', graphEndpoint: 'https://graph.microsoft.com/v1.0', tenant: 'corp.onmicrosoft.com' });
    // Leaving OAuth2 while the provider still needs it is refused as well.
    await expectRefused(store, { authentication: 'Default' }, 'provider', -32004);
  });
});

describe('warnings', () => {
  it('warns when certificate verification is off', async () => {
    const store = await newStore();
    const set = await setSmtp(store, { server: 'smtp.corp.example', skipCertificateCheck: true });
    expect(set.skipCertificateCheck).toBe(true);
    expect(set.warnings?.some((w) => w.includes('certificate verification'))).toBe(true);
    // A read reports the setting, not warnings.
    expect(await getSmtp(store)).not.toHaveProperty('warnings');
  });

  it('has no warnings key for ordinary settings', async () => {
    const store = await newStore();
    const set = await setSmtp(store, { server: 'smtp.corp.example', port: 587, sslEnabled: true, from: 'herald@corp.example' });
    expect(set).not.toHaveProperty('warnings');
  });
});

describe('patch semantics', () => {
  it('changes only the fields given', async () => {
    const store = await newStore();
    await setSmtp(store, { server: 'smtp.corp.example', from: 'Directory <herald@corp.example>', tlsMode: 'StartTls', caCertificate: caPem });
    const before = await getSmtp(store);
    const after = await setSmtp(store, { port: 2525 });
    expect(after).toEqual({ ...before, port: 2525 });
    expect(await getSmtp(store)).toEqual({ ...before, port: 2525 });
  });

  it('clears from with null', async () => {
    const store = await newStore();
    await setSmtp(store, { server: 'smtp.corp.example', from: 'herald@corp.example' });
    expect(await setSmtp(store, { from: null })).toMatchObject({ from: null, server: 'smtp.corp.example' });
    expect((await getSmtp(store)).from).toBeNull();
  });

  it('clears the password with null (Default authentication), keeping the user name', async () => {
    const store = await newStore();
    expect(await setSmtp(store, { userName: 'relay', password: 'x-secret-5' })).toMatchObject({ authentication: 'Default', userName: 'relay', passwordSet: true });
    expect(await setSmtp(store, { password: null })).toMatchObject({ passwordSet: false, userName: 'relay' });
    expect((await getSmtp(store)).passwordSet).toBe(false);
  });

  it('refuses clearing the password Basic authentication needs', async () => {
    const store = await newStore();
    await setSmtp(store, { server: 'smtp.corp.example', authentication: 'Basic', userName: 'relay', password: 'x-secret-6' });
    await expectRefused(store, { password: null }, 'password', -32004);
    expect((await getSmtp(store)).passwordSet).toBe(true);
  });
});
