import { z } from 'zod';
import { objectName } from '../fields.js';
import { defineMethod } from '../method.js';
import { FIELD_SCHEMAS, secretValue } from '../settings/fields.js';
import { SmtpServerView } from '../settings/views.js';

export const storeParam = objectName('identity store name').describe('Name of the identity store');
export const STORE_PARAMETER = { aliases: ['IdentityStoreName'], position: 0, fromPipeline: true, pipelineProperties: ['Name'] };

const relay: SmtpServerView = {
  identityStore: 'Corp', configured: true, server: 'smtp.corp.example', port: 587, from: 'Directory <herald@corp.example>',
  sslEnabled: true, tlsMode: 'StartTls', skipCertificateCheck: false, caCertificate: null, minTlsVersion: 'TLSv1.2',
  authentication: 'Basic', userName: 'relay', passwordSet: true, provider: 'Generic', tokenEndpoint: null, clientId: null,
  clientSecretSet: false, scope: null, oauthFlow: 'Password', graphEndpoint: null, tenant: null,
  rateLimitPerMinute: null, maxRecipientsPerMessage: 100,
};

export const Credential = z.strictObject({
  userName: z.string().trim().min(1, 'credential user name must not be empty').max(256),
  password: z.string().min(1, 'credential password must not be empty').max(4096),
}).describe('User name and password: for Basic, and for the OAuth2 password flow');

export const smtpServerGet = defineMethod({
  name: 'smtpServer.get',
  access: 'read',
  summary: 'Shows the SMTP server settings of an identity store.',
  description: 'Secrets appear only as PasswordSet / ClientSecretSet.',
  params: z.strictObject({ identityStore: storeParam }),
  result: SmtpServerView,
  errors: ['NotFound'],
  examples: [{ name: 'a relay with basic authentication', params: { identityStore: 'Corp' }, result: relay }],
  cmdlet: {
    name: 'Get-SmtpServer',
    parameters: { identityStore: STORE_PARAMETER },
    display: ['IdentityStore', 'Server', 'Port', 'From', 'TlsMode', 'Authentication'],
    examples: [{ command: 'Get-SmtpServer -IdentityStore Corp | Format-List', description: 'Every SMTP setting of Corp.' }],
  },
});

export const smtpServerSet = defineMethod({
  name: 'smtpServer.set',
  access: 'write',
  summary: 'Sets the SMTP server an identity store sends its notifications through.',
  description: [
    'Only the parameters given change. -SslEnabled means implicit TLS on port 465 and STARTTLS (required) on any other port;',
    '-TlsMode says it exactly. Basic authentication to an Office 365 / Exchange Online host is refused: mandatory',
    'multifactor authentication makes it fail; use OAuth2. -ToEmail sets the To recipients, as in the reference shell.',
  ].join(' '),
  params: z.strictObject({
    identityStore: storeParam,
    server: FIELD_SCHEMAS.server.optional().describe('SMTP server: host name, IPv4 or IPv6 address'),
    port: FIELD_SCHEMAS.port.optional().describe('1–65535; $null uses 465 for implicit TLS, else 587'),
    from: FIELD_SCHEMAS.from.optional().describe("Sender: 'herald@corp.example' or 'Directory <herald@corp.example>'"),
    sslEnabled: z.boolean().optional().describe('The page\'s SSL check box: TLS required (implicit on 465, else STARTTLS)'),
    tlsMode: FIELD_SCHEMAS.tlsMode.optional().describe('Implicit, StartTls (required), Opportunistic or None'),
    skipCertificateCheck: FIELD_SCHEMAS.skipCertificateCheck.optional().describe('Accept any server certificate (unsafe)'),
    caCertificate: FIELD_SCHEMAS.caCertificate.optional().describe('PEM certificate(s) trusted besides the system CAs'),
    minTlsVersion: FIELD_SCHEMAS.minTlsVersion.optional(),
    authentication: FIELD_SCHEMAS.authentication.optional().describe('Default (the signed-in user), Basic or OAuth2'),
    useSmtpUserAuthentication: z.boolean().optional().describe('Reference switch: with -Credential, Basic authentication; $false: Default'),
    credential: Credential.optional(),
    userName: FIELD_SCHEMAS.userName.optional(),
    password: secretValue('password').optional().describe('Write-only'),
    provider: FIELD_SCHEMAS.provider.optional().describe('Generic, ExchangeOnline, or Office365Graph (send through Microsoft Graph)'),
    tokenEndpoint: FIELD_SCHEMAS.tokenEndpoint.optional().describe('OAuth2 token endpoint (https)'),
    clientId: FIELD_SCHEMAS.clientId.optional(),
    clientSecret: secretValue('clientSecret').optional().describe('Write-only'),
    scope: FIELD_SCHEMAS.scope.optional().describe('e.g. https://outlook.office365.com/.default'),
    oauthFlow: FIELD_SCHEMAS.oauthFlow.optional().describe('Password (with -Credential) or ClientCredentials (app-only)'),
    graphEndpoint: FIELD_SCHEMAS.graphEndpoint.optional().describe('For Office365Graph, e.g. https://graph.microsoft.com/v1.0'),
    tenant: FIELD_SCHEMAS.tenant.optional().describe('For Office365Graph, e.g. corp.onmicrosoft.com'),
    rateLimitPerMinute: FIELD_SCHEMAS.rateLimitPerMinute.optional().describe('Send at most this many mails a minute (Exchange Online allows 30); $null: no limit'),
    maxRecipientsPerMessage: FIELD_SCHEMAS.maxRecipientsPerMessage.optional().describe('Split larger recipient lists into several mails (default 100)'),
    to: FIELD_SCHEMAS.to.optional().describe('To recipients (the reference -ToEmail)'),
  }),
  result: SmtpServerView,
  errors: ['NotFound', 'ValidationFailed'],
  examples: [{
    name: 'a relay with basic authentication',
    params: { identityStore: 'Corp', server: 'smtp.corp.example', port: 587, from: 'Directory <herald@corp.example>', sslEnabled: true, credential: { userName: 'relay', password: 's3cret' }, authentication: 'Basic' },
    result: relay,
  }],
  cmdlet: {
    name: 'Set-SmtpServer',
    parameters: {
      identityStore: STORE_PARAMETER,
      server: { aliases: ['SmtpServer'] },
      from: { aliases: ['FromEmail'] },
      to: { aliases: ['ToEmail'] },
      useSmtpUserAuthentication: { aliases: ['UseSmptUserAuthentication'] },
      caCertificate: { file: 'text' },
      password: { secret: true },
      clientSecret: { secret: true },
      credential: { credential: true },
    },
    target: 'identityStore',
    output: 'passThru',
    display: ['IdentityStore', 'Server', 'Port', 'From', 'TlsMode', 'Authentication'],
    examples: [
      { command: "Set-SmtpServer -IdentityStore Corp -Server smtp.corp.example -Port 587 -From 'Directory <herald@corp.example>' -SslEnabled", description: 'A relay that requires STARTTLS, authenticating as the signed-in user.' },
      { command: 'Set-SmtpServer -IdentityStoreName Corp -SmtpServer smtp.corp.example -FromEmail herald@corp.example -ToEmail admins@corp.example -Port 25', description: 'The reference shell\'s form: -ToEmail sets the To recipients.' },
      { command: 'Set-SmtpServer Corp -UseSmtpUserAuthentication -Credential (Get-Credential relay) -SslEnabled', description: 'Basic authentication with a dedicated account; the password is asked for, hidden.' },
      { command: "Set-SmtpServer Corp -Server smtp.office365.com -Port 587 -SslEnabled -Authentication OAuth2 -Provider ExchangeOnline -TokenEndpoint https://login.microsoftonline.com/corp.onmicrosoft.com/oauth2/v2.0/token -ClientId 00000000-0000-0000-0000-000000000001 -ClientSecret (Read-Host -AsSecureString) -Scope https://outlook.office365.com/.default -OAuthFlow ClientCredentials", description: 'Exchange Online with app-only OAuth 2.0.' },
    ],
  },
});

export const smtpServerClear = defineMethod({
  name: 'smtpServer.clear',
  access: 'write',
  summary: 'Removes the SMTP settings of an identity store, and with them every notification setting.',
  description: 'As in the reference product, the recipients, password-expiry and life-cycle sections are cleared too. At a terminal the shell asks first (-Force skips); scripts proceed, as reference scripts expect.',
  params: z.strictObject({ identityStore: storeParam }),
  result: z.null(),
  errors: ['NotFound'],
  examples: [{ name: 'clear', params: { identityStore: 'Lab' }, result: null }],
  cmdlet: {
    name: 'Clear-SmtpServer',
    parameters: { identityStore: STORE_PARAMETER },
    target: 'identityStore',
    confirmImpact: 'High',
    confirmWhen: 'interactive',
    output: 'none',
    examples: [{ command: 'Clear-SmtpServer -IdentityStoreName Lab -Force', description: 'Clears every notification setting of Lab without asking.' }],
  },
});
