import { z } from 'zod';
import { addressList } from '../addresses.js';
import { defineMethod } from '../method.js';
import { SmtpTestReport } from '../settings/test-report.js';
import { smtpServerSet } from './smtp-server.js';

const { to: _recipients, ...overrides } = smtpServerSet.params.shape;
const setParameters = smtpServerSet.cmdlet.parameters!;

export const smtpServerTest = defineMethod({
  name: 'smtpServer.test',
  access: 'write',
  summary: 'Tests an identity store\'s SMTP settings step by step, and sends a test mail.',
  description: [
    'Any Set-SmtpServer parameter given is tried instead of the saved value, without saving it: test before you save.',
    'The report shows each step (connect, TLS, EHLO, AUTH, MAIL, RCPT, DATA) with the server\'s replies, and on failure a remedy.',
    '-NoSend stops after authentication.',
  ].join(' '),
  params: z.strictObject({
    ...overrides,
    to: addressList('to').optional().describe('Who receives the test mail (the reference -ToEmail); required unless -NoSend'),
    noSend: z.boolean().optional().describe('Stop after authentication: no mail is sent'),
  }),
  result: SmtpTestReport,
  errors: ['NotFound', 'ValidationFailed'],
  examples: [{
    name: 'a relay',
    params: { identityStore: 'Corp', to: ['admin@corp.example'] },
    result: {
      identityStore: 'Corp', server: 'smtp.corp.example', port: 587, tlsMode: 'StartTls', authentication: 'Basic', success: true, sent: true,
      steps: [
        { step: 'connect', ok: true, detail: 'connected to smtp.corp.example (192.0.2.25) port 587', durationMs: 3, reply: '220 smtp.corp.example ESMTP' },
        { step: 'tls', ok: true, detail: 'TLSv1.3 TLS_AES_256_GCM_SHA384, certificate CN=smtp.corp.example verified', durationMs: 9, reply: '220 2.0.0 Ready to start TLS' },
        { step: 'auth', ok: true, detail: 'PLAIN as relay', durationMs: 4, reply: '235 2.7.0 Authentication successful' },
        { step: 'data', ok: true, detail: 'accepted', durationMs: 6, reply: '250 2.0.0 Ok: queued as 4F2A1' },
      ],
      tls: { protocol: 'TLSv1.3', cipher: 'TLS_AES_256_GCM_SHA384', subject: 'CN=smtp.corp.example', issuer: 'CN=Corp CA', validTo: 'Nov 26 09:00:00 2027 GMT', verified: true, verifyError: null },
      capabilities: ['PIPELINING', 'SIZE 10240000', 'STARTTLS', 'AUTH PLAIN LOGIN', '8BITMIME'],
      authMechanism: 'PLAIN', messageId: '<0f5b…@corp.example>', queueId: '4F2A1', totalMs: 31, error: null, remedy: null,
    },
  }],
  cmdlet: {
    name: 'Test-SmtpServer',
    aliases: ['Send-TestNotification'],
    parameters: { ...setParameters, to: { aliases: ['ToEmail'] } },
    target: 'identityStore',
    display: ['IdentityStore', 'Server', 'Port', 'TlsMode', 'Authentication', 'Success', 'Sent', 'MessageId', 'QueueId', 'TotalMs', 'Error', 'Remedy'],
    view: 'list',
    examples: [
      { command: 'Test-SmtpServer -IdentityStore Corp -To admin@corp.example', description: 'Sends a test mail with Corp\'s saved settings and says whether it worked, and if not, what to do.' },
      { command: 'Test-SmtpServer Corp -To admin@corp.example | Select-Object -ExpandProperty Steps', description: 'Every step of the session with the server\'s replies.' },
      { command: 'Test-SmtpServer Corp -Port 465 -SslEnabled -NoSend', description: 'Would port 465 with implicit TLS work? Connects and authenticates only; nothing is saved.' },
      { command: 'Send-TestNotification -IdentityStoreName Corp -SmtpServer smtp.corp.example -FromEmail herald@corp.example -ToEmail admin@corp.example -Port 25', description: 'The reference shell\'s form: tests these settings before Set-SmtpServer saves them.' },
    ],
  },
});
