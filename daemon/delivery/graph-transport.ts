import { request as httpsRequest } from 'node:https';
import { rootCertificates } from 'node:tls';
import { isCertificateErrorCode } from './certificate-errors.js';
import { DeliveryError, type MailTransport, type OutgoingMessage, type SendOutcome, type TokenSource } from './mail-transport.js';
import { prepareRecipients, senderOf } from './smtp-transport.js';
import type { Mailbox } from '../../protocol/addresses.js';
import { DEFAULT_GRAPH_ENDPOINT, type SmtpConfig } from './smtp-config.js';

export interface GraphTransportOptions {
  /** Extra CA certificates (PEM) trusted for the Graph endpoint, on top of the system's. */
  ca?: string | string[];
  /** How long one sendMail request may take, 30 s by default. */
  timeoutMs?: number;
}

interface GraphAnswer { status: number; statusText: string; headers: Record<string, string>; body: string }

/** Graph's error body: `{ "error": { "code": "ErrorInvalidRecipients", "message": "…" } }`. */
function graphError(body: string): { code?: string; message?: string } {
  try {
    const parsed = JSON.parse(body) as { error?: { code?: unknown; message?: unknown } };
    return {
      code: typeof parsed.error?.code === 'string' ? parsed.error.code : undefined,
      message: typeof parsed.error?.message === 'string' ? parsed.error.message : undefined,
    };
  } catch {
    return {};
  }
}

/**
 * Graph only takes custom Internet headers named `x-…` (case-insensitive) and refuses the whole
 * request otherwise; anything else is left out rather than failing the notification.
 */
function internetHeaders(headers: Record<string, string> | undefined): { name: string; value: string }[] {
  return Object.entries(headers ?? {})
    .filter(([name]) => /^x-[!-9;-~]+$/i.test(name))
    .map(([name, value]) => ({ name, value: value.replace(/[\r\n]+\s*/g, ' ') }));
}

const recipient = ({ name, address }: Mailbox) => ({ emailAddress: name ? { name, address } : { address } });

/**
 * Sends through Microsoft Graph (`POST /users/{sender}/sendMail`) for stores whose provider is
 * Office365Graph: HTTPS with a Graph-scoped token instead of SMTP AUTH, which tenants that
 * turned SMTP AUTH off still allow.
 */
export function createGraphTransport(config: SmtpConfig, tokens: TokenSource, options: GraphTransportOptions = {}): MailTransport {
  const endpoint = (config.auth.kind === 'oauth2' ? config.auth.graphEndpoint : DEFAULT_GRAPH_ENDPOINT).replace(/\/+$/, '');
  const extraCa = options.ca === undefined ? [] : Array.isArray(options.ca) ? options.ca : [options.ca];
  // The Graph endpoint takes the place of the mail server here, so the store's own TLS settings
  // (its CA, the minimum version, a skipped check) apply to it as they would to SMTP.
  const ca = [...extraCa, ...(config.caCertificate ? [config.caCertificate] : [])];
  const timeoutMs = options.timeoutMs ?? 30_000;
  let closed = false;

  const post = (url: URL, token: string, payload: string): Promise<GraphAnswer> =>
    new Promise((resolve, reject) => {
      const body = Buffer.from(payload, 'utf8');
      const req = httpsRequest(url, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'content-length': String(body.length) },
        ...(ca.length ? { ca: [...rootCertificates, ...ca] } : {}),
        rejectUnauthorized: !config.skipCertificateCheck,
        minVersion: config.minTlsVersion,
        timeout: timeoutMs,
      });
      req.on('timeout', () => req.destroy(Object.assign(new Error(`no answer within ${timeoutMs} ms`), { code: 'ETIMEDOUT' })));
      req.on('error', reject);
      req.on('response', (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          // Error bodies are small; keep at most 64 KB of whatever comes back.
          size += chunk.length;
          if (size <= 65_536) chunks.push(chunk);
        });
        res.on('end', () => {
          const headers: Record<string, string> = {};
          for (const [name, value] of Object.entries(res.headers)) {
            if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
          }
          resolve({ status: res.statusCode ?? 0, statusText: res.statusMessage ?? '', headers, body: Buffer.concat(chunks).toString('utf8') });
        });
        res.on('error', reject);
      });
      req.end(body);
    });

  return {
    async send(message: OutgoingMessage): Promise<SendOutcome> {
      if (closed) throw new DeliveryError('transport closed (settings changed or shutting down)', true, { code: 'ECONNECTION' });
      const from = senderOf(message);
      const { to, cc, invalid } = prepareRecipients(message);
      if (!to.length && !cc.length) throw new DeliveryError('no valid recipient', false, { code: 'EENVELOPE', recipients: invalid });
      const headers = internetHeaders(message.headers);
      const messageId = message.messageId.replace(/^<?/, '<').replace(/>?$/, '>');
      const payload = JSON.stringify({
        message: {
          subject: message.subject,
          // Graph takes one body: the HTML one when there is one (Exchange derives the plain
          // text alternative from it), the text otherwise.
          body: message.html !== undefined ? { contentType: 'HTML', content: message.html } : { contentType: 'Text', content: message.text },
          toRecipients: to.map(recipient),
          ccRecipients: cc.map(recipient),
          // Settable when the message is created, as here: a retry carries the same Message-ID.
          internetMessageId: messageId,
          ...(headers.length ? { internetMessageHeaders: headers } : {}),
        },
        // Notifications do not belong in the sending mailbox's Sent Items.
        saveToSentItems: false,
      });
      // The sending mailbox is the sender address; Graph sends as that user (the app needs
      // Mail.Send for it). Its display name comes from the mailbox, not from the message.
      const url = new URL(`${endpoint}/users/${encodeURIComponent(from.address)}/sendMail`);

      let answer: GraphAnswer | undefined;
      for (const renew of [false, true]) {
        const token = await tokens.token(config, renew);
        try {
          answer = await post(url, token.accessToken, payload);
        } catch (err) {
          throw requestError(err, url);
        }
        // 401: the token was refused (expired early, revoked): a fresh one once, as nodemailer
        // does for SMTP. A second 401 with a fresh token is a verdict.
        if (answer.status !== 401) break;
      }
      if (!answer) throw new DeliveryError('Graph sendMail got no answer', true, { code: 'EGRAPH' });

      if (answer.status >= 200 && answer.status < 300) {
        const requestId = answer.headers['request-id'];
        return {
          // 202 means Exchange took the message for every recipient; later refusals come back
          // to the mailbox as non-delivery reports, as they would after SMTP submission.
          recipients: [...[...to, ...cc].map(({ address }) => ({ address, accepted: true })), ...invalid],
          response: `${answer.status} ${answer.statusText || 'Accepted'}${requestId ? ` (request-id ${requestId})` : ''}`,
        };
      }

      const { code, message: text } = graphError(answer.body);
      const retryAfter = answer.headers['retry-after'];
      const response = `${answer.status}${code ? ` ${code}` : ''}${text ? `: ${text}` : ''}`;
      // 408/429 and 5xx are Graph's "busy" answers (throttling, a mailbox server failing over).
      const transient = answer.status === 408 || answer.status === 429 || answer.status >= 500;
      const advice = transient && retryAfter ? ` (retry after ${retryAfter} s)` : '';
      throw new DeliveryError(`Graph sendMail failed: ${response}${advice}`, transient, {
        code: code ?? 'EGRAPH',
        responseCode: answer.status,
        response: `${response}${advice}`,
        command: 'sendMail',
      });
    },
    close() {
      // Requests already running finish (cutting one off could send the mail twice: Graph may
      // have taken it); new ones are refused. Idle keep-alive sockets belong to node's agent.
      closed = true;
    },
  };
}

/** A failed request without an HTTP answer: unreachable or cut off (transient), or an untrusted certificate (permanent). */
function requestError(err: unknown, url: URL): DeliveryError {
  const e = err as NodeJS.ErrnoException;
  const where = `${url.protocol}//${url.host}`;
  if (isCertificateErrorCode(e.code)) {
    return new DeliveryError(`certificate of ${where} not trusted: ${e.message}`, false, { code: 'ETLS' });
  }
  return new DeliveryError(`Graph endpoint ${where} unreachable: ${e.message}`, true, { code: e.code ?? 'ECONNECTION', command: 'sendMail' });
}
