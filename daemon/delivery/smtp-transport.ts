import nodemailer from 'nodemailer';
import type { NodemailerError, SMTPPoolOptions, SMTPPoolSentMessageInfo, SendMailOptions } from 'nodemailer';
import { isCertificateErrorCode } from './certificate-errors.js';
import { DeliveryError, type MailTransport, type OutgoingMessage, type RecipientOutcome, type SendOutcome, type TokenSource } from './mail-transport.js';
import { parseMailbox, type Mailbox } from '../../protocol/addresses.js';
import { tlsModeOptions, tlsOptions, type SmtpConfig } from './smtp-config.js';
import { MimeMessages } from './mime-message.js';

/**
 * Headers a message's extra headers may not set: they are built from the message's own fields
 * (or by the MIME builder), and a second copy would make the message ambiguous.
 */
const RESERVED_HEADERS = new Set([
  'message-id', 'date', 'from', 'sender', 'to', 'cc', 'bcc', 'reply-to', 'subject', 'mime-version',
  'content-type', 'content-transfer-encoding', 'content-disposition', 'content-id', 'return-path',
]);

/** A header name as RFC 5322 §2.2 allows it: printable ASCII without a colon. */
const HEADER_NAME = /^[!-9;-~]+$/;

/** What a recipient that was never offered to the server is reported with. */
const INVALID_ADDRESS_REPLY = 'not sent: not a valid mail address';

export interface PreparedRecipients {
  /** Parsed valid recipients, deduplicated by address (case-insensitively), To before Cc. */
  to: Mailbox[];
  cc: Mailbox[];
  /** One outcome per invalid entry, already decided. */
  invalid: RecipientOutcome[];
}

/**
 * Parses To and Cc with herald's own address rules. nodemailer's address parser is lenient
 * (`bad address` becomes an empty address), so parsed mailboxes are handed to it as objects,
 * which it does not parse again. An invalid entry is reported as not sent rather than failing
 * the whole message: the other recipients still get it.
 */
export function prepareRecipients(message: OutgoingMessage): PreparedRecipients {
  const seen = new Set<string>();
  const invalid: RecipientOutcome[] = [];
  const pick = (list: string[]) => {
    const out: Mailbox[] = [];
    for (const entry of list) {
      const mailbox = parseMailbox(entry);
      if (!mailbox) {
        invalid.push({ address: entry, accepted: false, reply: INVALID_ADDRESS_REPLY });
        continue;
      }
      const key = mailbox.address.toLowerCase();
      if (seen.has(key)) continue; // the server sees each address once; so does the outcome
      seen.add(key);
      out.push(mailbox);
    }
    return out;
  };
  const to = pick(message.to);
  const cc = pick(message.cc);
  return { to, cc, invalid };
}

/** The sender as a mailbox, or a permanent error: no server would take a message without one. */
export function senderOf(message: OutgoingMessage): Mailbox {
  const from = parseMailbox(message.from);
  if (!from) throw new DeliveryError(`sender ${JSON.stringify(message.from)} is not a valid mail address`, false, { code: 'EENVELOPE' });
  return from;
}

/** Extra headers that may go out as given (see RESERVED_HEADERS); values are folded by nodemailer. */
function extraHeaders(headers: Record<string, string> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (!HEADER_NAME.test(name) || RESERVED_HEADERS.has(name.toLowerCase())) continue;
    out[name] = value;
  }
  return out;
}

/**
 * An SMTP transport: a nodemailer pool (up to 5 connections, kept open between messages) for
 * one store's settings. Errors come back as DeliveryError, transient or permanent as RFC 5321
 * reads them.
 */
export function createSmtpTransport(config: SmtpConfig, tokens: TokenSource): MailTransport {
  // Secrets this transport holds or has handed out, blanked from any text it returns: a server
  // could echo a credential back in a reply, and replies end up in the queue and history.
  const held = config.auth.kind === 'basic' ? [config.auth.pass] : config.auth.kind === 'oauth2' ? [config.auth.pass, config.auth.clientSecret] : [];
  const secrets = held.filter((secret): secret is string => !!secret);
  const recentTokens: string[] = [];
  const remember = (token: string) => {
    recentTokens.push(token);
    if (recentTokens.length > 4) recentTokens.shift();
  };

  let auth: SMTPPoolOptions['auth'];
  if (config.auth.kind === 'basic') {
    auth = { user: config.auth.user, pass: config.auth.pass };
  } else if (config.auth.kind === 'oauth2') {
    auth = {
      type: 'OAuth2',
      user: config.auth.user,
      // nodemailer asks again with renew=true once when the server refuses a token (334 with an
      // error challenge, then 535), then fails with EAUTH: the token source bypasses its cache
      // for that second call. Each pooled connection caches its token until `expires`.
      provisionCallback: (_user, renew, callback) => {
        tokens.token(config, renew).then(
          (token) => {
            remember(token.accessToken);
            callback(null, token.accessToken, token.expiresOn.getTime());
          },
          (err: unknown) => callback(err instanceof Error ? err : new Error(String(err))),
        );
      },
    };
  }

  const options: SMTPPoolOptions & { pool: true } = {
    pool: true,
    host: config.server,
    port: config.port,
    maxConnections: 5,
    // The default recycles a connection every 100 messages, which cost ~40% of throughput.
    maxMessages: Infinity,
    // nodemailer waits up to 2 min to connect and 10 min on a silent socket by default; a
    // delivery worker would sit on a dead server that long before retrying.
    connectionTimeout: 15_000,
    greetingTimeout: 15_000,
    socketTimeout: 60_000,
    // maxRequeues keeps its default (5): the pool only requeues a message whose connection
    // closed before the greeting or before a byte of the message went out, so nothing can be
    // delivered twice by it.
    ...tlsModeOptions(config.tlsMode),
    tls: tlsOptions(config),
    auth,
    logger: false,
    disableFileAccess: true,
    disableUrlAccess: true,
  };
  const transporter = nodemailer.createTransport(options);
  const mime = new MimeMessages();

  const redact = (text: string): string =>
    [...secrets, ...recentTokens].reduce((out, secret) => (secret.length >= 4 ? out.split(secret).join('***') : out), text);

  return {
    async send(message: OutgoingMessage): Promise<SendOutcome> {
      const from = senderOf(message);
      const { to, cc, invalid } = prepareRecipients(message);
      if (!to.length && !cc.length) {
        throw new DeliveryError('no valid recipient', false, { code: 'EENVELOPE', recipients: invalid });
      }
      // The message goes out prebuilt, its envelope given apart: the same bytes on every retry.
      const mail: SendMailOptions = {
        raw: await mime.build({ ...message, headers: extraHeaders(message.headers) }, from, to, cc),
        envelope: { from: from.address, to: [...to, ...cc].map((mailbox) => mailbox.address) },
        // Already in the raw message; given again so that nodemailer does not make one up.
        messageId: message.messageId,
        // Nothing in a notification may name a local file or a URL to inline.
        disableFileAccess: true,
        disableUrlAccess: true,
      };
      const recipients = [...to, ...cc];
      let info: SMTPPoolSentMessageInfo;
      try {
        info = await transporter.sendMail(mail);
      } catch (err) {
        throw smtpError(err, { server: `${config.server}:${config.port}`, recipients, invalid, redact });
      }
      const accepted = new Set(info.accepted.map((address) => String(address).toLowerCase()));
      const rejections = new Map<string, string>();
      for (const rejected of info.rejectedErrors ?? []) {
        if (rejected.recipient) rejections.set(rejected.recipient.toLowerCase(), redact(rejected.response ?? rejected.message));
      }
      const outcomes: RecipientOutcome[] = recipients.map(({ address }) => {
        const key = address.toLowerCase();
        if (accepted.has(key)) return { address, accepted: true };
        return { address, accepted: false, reply: rejections.get(key) ?? 'refused by the server' };
      });
      return { recipients: [...outcomes, ...invalid], response: redact(info.response) };
    },
    close() {
      // Idle connections close now; one in the middle of a message finishes it first.
      transporter.close();
    },
  };
}

/**
 * nodemailer codes that mean the connection failed rather than the server refusing something.
 * EDNS included: a name that does not resolve now may resolve later, and a typo shows up at
 * once in the settings test rather than only in the queue.
 */
const CONNECTION_CODES = new Set(['ECONNECTION', 'ETIMEDOUT', 'ESOCKET', 'EDNS', 'EPROXY', 'EPROTOCOL', 'EOAUTH2']);

/**
 * Codes for things herald itself got wrong, or settings that cannot work: sending the same
 * message again with the same settings fails the same way.
 */
const CONFIGURATION_CODES = new Set(['ENOAUTH', 'EREQUIRETLS', 'ECONFIG', 'EFILEACCESS', 'EURLACCESS', 'ESTREAM', 'EMAXRECIPIENTS']);

/**
 * A TLS failure that retrying will not fix: the certificate is not trusted (wrong CA, wrong
 * name, expired, self-signed), the server does not speak TLS on that port (implicit TLS against
 * a plain port: "wrong version number"), or no common protocol version. These are
 * configuration errors, reported as permanent so they surface as Failed with the reason instead
 * of sitting in the queue for days. A handshake cut off half-way is an outage (transient).
 */
function isTlsConfigurationError(err: NodemailerError): boolean {
  if (isCertificateErrorCode(err.originalCode) || isCertificateErrorCode(err.code)) return true;
  if (err.code !== 'ETLS' && err.code !== 'ESOCKET') return false;
  return /certificate|self[- ]signed|unable to (?:get|verify)|altname|wrong version number|no protocols available|unsupported protocol|version too low|tlsv1 alert protocol version/i.test(err.message);
}

/** OpenSSL's reason out of its error string (`…:SSL routines:ssl3_get_record:wrong version number:…`). */
function tlsReason(message: string): string {
  return /SSL routines:[^:]*:([^:]+)/.exec(message)?.[1] ?? message.replace(/^Error initiating TLS - /, '');
}

/** Maps a nodemailer error to DeliveryError (RFC 5321: 4xx and lost connections are worth retrying). */
export function smtpError(
  raw: unknown,
  context: { server: string; recipients: Mailbox[]; invalid: RecipientOutcome[]; redact?: (text: string) => string },
): DeliveryError {
  const { server, recipients, invalid, redact = (text: string) => text } = context;
  // The token source's own verdict (a bad client secret, an unreachable token endpoint), which
  // nodemailer hands back re-labelled EAUTH: copied, since nodemailer decorated the original.
  if (raw instanceof DeliveryError) return new DeliveryError(raw.message, raw.transient, { ...raw.details });
  const err = (raw instanceof Error ? raw : new Error(String(raw))) as NodemailerError;
  const response = err.response ? redact(err.response) : undefined;
  const details: DeliveryError['details'] = {
    code: err.code,
    ...(err.responseCode ? { responseCode: err.responseCode } : {}),
    ...(response ? { response } : {}),
    ...(err.command ? { command: err.command } : {}),
  };
  const message = redact(err.message);

  if (err.code === 'EENVELOPE' && err.rejectedErrors?.length) {
    // Every recipient was refused (nodemailer goes on with DATA when one is accepted).
    const replies = new Map<string, string>();
    for (const rejected of err.rejectedErrors) {
      if (rejected.recipient) replies.set(rejected.recipient.toLowerCase(), redact(rejected.response ?? rejected.message));
    }
    details.recipients = [
      ...recipients.map(({ address }) => ({ address, accepted: false, reply: replies.get(address.toLowerCase()) ?? response ?? message })),
      ...invalid,
    ];
  }

  if (err.responseCode) {
    // 4xx: try again later. 5xx: refused for good, except 503 "bad sequence of commands",
    // which reports the session's state rather than a verdict on the message (nodemailer's
    // `permanent` flag reads it the same way): a new connection may well succeed, and if the
    // server keeps answering 503 the retry policy's limit ends it.
    const code = err.responseCode;
    const transient = code < 500 || code === 503 || code >= 600;
    return new DeliveryError(message, transient, details);
  }
  // nodemailer reports a refused certificate as ESOCKET (implicit TLS) or ETLS (STARTTLS):
  // one code for both, as the token and Graph clients use.
  if (isTlsConfigurationError(err)) {
    return new DeliveryError(`TLS with ${server} failed: ${tlsReason(message)}`, false, { ...details, code: 'ETLS' });
  }
  if (err.code === 'EAUTH' || err.code === 'EENVELOPE' || err.code === 'EMESSAGE') {
    // Without a server reply these come from nodemailer's own checks (missing credentials, a
    // refused address, a message over the announced SIZE): the same message fails again.
    return new DeliveryError(message, false, details);
  }
  if (err.code && CONFIGURATION_CODES.has(err.code)) return new DeliveryError(message, false, details);
  if (err.code && CONNECTION_CODES.has(err.code)) return new DeliveryError(message, true, details);
  // Anything else (the pool closed under a queued message, an unknown failure) is retried:
  // when in doubt RFC 5321 prefers trying again, and the retry policy bounds it.
  return new DeliveryError(message, true, { ...details, code: err.code ?? 'ECONNECTION' });
}
