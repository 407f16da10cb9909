import type { SmtpConfig } from './smtp-config.js';

/** One message ready to hand to a server: MIME built, envelope separate. */
export interface OutgoingMessage {
  /** Fixed when the mail was queued: a retry sends the identical message. */
  messageId: string;
  from: string;
  to: string[];
  cc: string[];
  subject: string;
  text: string;
  html?: string;
  /** Extra headers (e.g. X-Herald-Kind). */
  headers?: Record<string, string>;
  /** When the mail was queued: its Date header, identical on every retry. */
  date: Date;
  /** Names the subject and bodies: messages with the same key share them, so their MIME is built once. */
  contentKey?: string;
}

export interface RecipientOutcome {
  address: string;
  accepted: boolean;
  /** The server's reply for this recipient (rejections), e.g. `550 5.1.1 no such user`. */
  reply?: string;
}

/** What the server said to a message it took (some recipients may have been refused). */
export interface SendOutcome {
  recipients: RecipientOutcome[];
  /** The final reply to DATA, often carrying the server's queue id. */
  response: string;
}

/**
 * A failure to send a whole message. `transient` follows RFC 5321: 4xx replies, lost
 * connections, timeouts and an unreachable token endpoint are worth retrying; 5xx are not.
 */
export class DeliveryError extends Error {
  constructor(
    message: string,
    readonly transient: boolean,
    readonly details: { code?: string; responseCode?: number; response?: string; command?: string; recipients?: RecipientOutcome[] } = {},
  ) {
    super(message);
    this.name = 'DeliveryError';
  }
}

/** One store's way of sending mail: SMTP through a pool, or Microsoft Graph. */
export interface MailTransport {
  send(message: OutgoingMessage): Promise<SendOutcome>;
  close(): void;
}

/** Supplies OAuth access tokens for a configuration; `renew` forces a fresh one (after a rejection). */
export interface TokenSource {
  token(config: SmtpConfig, renew: boolean): Promise<{ accessToken: string; expiresOn: Date }>;
}
