import MailComposer from 'nodemailer/lib/mail-composer';
import type { SmtpConfig } from './smtp-config.js';

const SUBJECT = 'herald test message';

/** A small, plain test message naming the store and server. */
export function testMessage(c: SmtpConfig, messageId: string, to: string[]): Promise<Buffer> {
  const text = [
    `This is a test message from herald for the identity store "${c.storeName}".`,
    '',
    `Server: ${c.server}:${c.port} (TLS mode ${c.tlsMode}, authentication ${{ none: 'Default', basic: 'Basic', oauth2: 'OAuth2' }[c.auth.kind]})`,
    `The Message-ID of this mail is ${messageId}.`,
    '',
    'If it arrived, notifications from this store can be delivered. No reply is needed.',
  ].join('\n');
  return new MailComposer({
    from: c.from, to, subject: SUBJECT, text, messageId, date: new Date(),
    headers: { 'X-Herald-Kind': 'test' },
    disableFileAccess: true, disableUrlAccess: true,
  }).compile().build();
}
