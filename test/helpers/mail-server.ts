import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';

export interface ReceivedMail {
  from: string;
  to: string[];
  raw: string;
  messageId: string | undefined;
  subject: string | undefined;
}

export interface MailServer {
  port: number;
  received: ReceivedMail[];
  /** Every DATA attempt's Message-ID, accepted or not: retries show up here. */
  attempts: string[];
  /** Decides each DATA reply: undefined accepts; an error with responseCode refuses. */
  onData?: (mail: ReceivedMail, attempt: number) => (Error & { responseCode?: number }) | 'disconnect' | undefined;
  onRecipient?: (address: string) => (Error & { responseCode?: number }) | undefined;
  /** Who logged in (AUTH PLAIN/LOGIN), in order: any login is accepted and remembered. */
  logins: { username: string; password: string }[];
  /** Drops the connection while the message is being transferred, before the final dot. */
  dropDuringData?: (attempt: number) => boolean;
  close(): Promise<void>;
  /** Resolves once `count` mails have been accepted. */
  waitFor(count: number, timeoutMs?: number): Promise<ReceivedMail[]>;
}

export function smtpError(responseCode: number, message: string): Error & { responseCode: number } {
  return Object.assign(new Error(message), { responseCode });
}

const header = (raw: string, name: string) => new RegExp(`^${name}:\\s*(.*)$`, 'im').exec(raw)?.[1]?.trim();

/** A real SMTP server on loopback (the smtp-server package) that keeps what it receives. */
export async function startMailServer(options: { port?: number } = {}): Promise<MailServer> {
  const state: MailServer = {
    port: 0,
    received: [],
    attempts: [],
    logins: [],
    close: async () => undefined,
    waitFor: async () => [],
  };
  let dataAttempt = 0;
  // smtp-server keeps its connections in a set; each knows its session and its socket.
  const socketOf = (session: SMTPServerSession) => {
    const connections = (server as unknown as { connections: Set<{ session: SMTPServerSession; _socket: { destroy(): void } }> }).connections;
    return [...connections].find((connection) => connection.session === session)?._socket;
  };
  const server: SMTPServer = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    // Pooled clients keep connections open; closing should not wait 30 s for them to leave.
    closeTimeout: 200,
    // Loopback without TLS: logins are allowed in plain text here, and recorded.
    allowInsecureAuth: true,
    authMethods: ['PLAIN', 'LOGIN'],
    onAuth(auth, _session, callback) {
      state.logins.push({ username: auth.username ?? '', password: auth.password ?? '' });
      callback(null, { user: auth.username });
    },
    logger: false,
    onRcptTo(address, _session, callback) {
      callback(state.onRecipient?.(address.address) ?? undefined);
    },
    onData(stream: SMTPServerDataStream, session: SMTPServerSession, callback) {
      const chunks: Buffer[] = [];
      let dataAttempts = 0;
      stream.once('data', () => {
        if (state.dropDuringData?.(++dataAttempt)) {
          dataAttempts++;
          socketOf(session)?.destroy();
        }
      });
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const mail: ReceivedMail = {
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw,
          messageId: header(raw, 'Message-ID'),
          subject: header(raw, 'Subject'),
        };
        state.attempts.push(mail.messageId ?? '');
        if (dataAttempts) return;
        const verdict = state.onData?.(mail, state.attempts.length);
        if (verdict === 'disconnect') {
          // Lost before the reply to the final dot: the client cannot know whether it was taken.
          socketOf(session)?.destroy();
          return;
        }
        if (verdict) return callback(verdict);
        state.received.push(mail);
        callback(null, `Ok: queued as Q${state.received.length}`);
      });
    },
  });
  // A client that drops its connection (the fault tests do) is the client's business, not a crash.
  server.on('error', () => undefined);
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  state.port = (server.server.address() as AddressInfo).port;
  state.close = () => new Promise((resolve) => server.close(() => resolve()));
  state.waitFor = (count, timeoutMs = 15_000) =>
    new Promise((resolve, reject) => {
      const started = Date.now();
      const poll = setInterval(() => {
        if (state.received.length >= count) {
          clearInterval(poll);
          resolve(state.received);
        } else if (Date.now() - started > timeoutMs) {
          clearInterval(poll);
          reject(new Error(`the mail server got ${state.received.length} of ${count} mails`));
        }
      }, 20);
    });
  return state;
}
