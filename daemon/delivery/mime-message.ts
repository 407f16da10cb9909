import MailComposer from 'nodemailer/lib/mail-composer';
import MimeNode from 'nodemailer/lib/mime-node';
import type { Mailbox } from '../../protocol/addresses.js';
import type { OutgoingMessage } from './mail-transport.js';

/** Stands in for each mail's own Message-ID while the shared part is built. */
const PLACEHOLDER_ID = '<shared-part@herald.invalid>';
/** Shared parts kept per transport: a notification's mails arrive together, so few are enough. */
const KEPT = 32;

/** What the mails of one content have in common: every header but Message-ID, To and Cc, and the body. */
interface SharedPart {
  headers: string;
  body: Buffer;
}

/**
 * Builds outgoing MIME messages, the expensive part once per distinct content. The mails of one
 * notification differ only in Message-ID, To and Cc: those few headers are built per mail (by
 * nodemailer, so addresses are encoded exactly as it would encode them), and the rest (sender,
 * subject, date, the encoded text and HTML bodies) is built once and reused.
 */
export class MimeMessages {
  private readonly shared = new Map<string, SharedPart>();
  /** A parent for the per-mail header nodes, so that they do not add Date and MIME-Version of their own. */
  private readonly root = new MimeNode();

  async build(message: OutgoingMessage, from: Mailbox, to: Mailbox[], cc: Mailbox[]): Promise<Buffer> {
    const part = await this.sharedPart(message, from);
    // A header-only node needs no boundary: giving one spares a call for random bytes per mail.
    const own = new MimeNode(undefined, { rootNode: this.root, baseBoundary: 'unused' });
    own.setHeader('Message-ID', message.messageId);
    if (to.length) own.setHeader('To', to);
    if (cc.length) own.setHeader('Cc', cc);
    return Buffer.concat([Buffer.from(`${own.buildHeaders()}\r\n${part.headers}\r\n\r\n`), part.body]);
  }

  private async sharedPart(message: OutgoingMessage, from: Mailbox): Promise<SharedPart> {
    // The content key names subject and bodies; sender, date and headers can still differ
    // between two mails of one content (a follow-up, a changed sender), so they join the key.
    const key = message.contentKey === undefined
      ? undefined
      : JSON.stringify([message.contentKey, from.name, from.address, message.date.getTime(), message.headers ?? {}]);
    const known = key === undefined ? undefined : this.shared.get(key);
    if (known) return known;
    const part = splitShared(await new MailComposer({
      messageId: PLACEHOLDER_ID,
      date: message.date,
      from,
      subject: message.subject,
      text: message.text,
      ...(message.html !== undefined ? { html: message.html } : {}),
      headers: message.headers,
      disableFileAccess: true,
      disableUrlAccess: true,
      xMailer: false,
    }).compile().build());
    if (key !== undefined) {
      if (this.shared.size >= KEPT) this.shared.delete(this.shared.keys().next().value!);
      this.shared.set(key, part);
    }
    return part;
  }
}

/** Splits a built message into its header fields without the placeholder Message-ID, and its body. */
function splitShared(built: Buffer): SharedPart {
  const end = built.indexOf('\r\n\r\n');
  // A field runs until a line break not followed by whitespace (RFC 5322 folding).
  const fields = built.subarray(0, end).toString('latin1').split(/\r\n(?![ \t])/)
    .filter((field) => !/^message-id:/i.test(field));
  return { headers: fields.join('\r\n'), body: built.subarray(end + 4) };
}
