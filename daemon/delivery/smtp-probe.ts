import net from 'node:net';
import { performance } from 'node:perf_hooks';
import tls, { type TLSSocket } from 'node:tls';
import { format } from 'node:util';
import MailComposer from 'nodemailer/lib/mail-composer';
import SMTPConnection from 'nodemailer/lib/smtp-connection';
import XOAuth2 from 'nodemailer/lib/xoauth2';
import type { SmtpTestReport, TestStep, TlsReport } from '../../protocol/settings/test-report.js';
import type { TokenSource } from './mail-transport.js';
import {
  altNames, authMechanisms, capabilitiesOf, codeOf, describe, messageOf, queueIdOf, replyCode, round, seconds, tlsReportOf, withTimeout, type WireError,
} from './probe-readings.js';
import { remedyFor } from './remedies.js';
import { addressOf, tlsModeOptions, tlsOptions, type SmtpConfig } from './smtp-config.js';

export { queueIdOf } from './probe-readings.js';

/** The report without the store's name, which the caller knows and fills in. */
export type SmtpProbeReport = Omit<SmtpTestReport, 'identityStore'>;

export interface SmtpProbeOptions {
  /** Recipients of the test message; the sender's own address when none are given. */
  to?: string[];
  /** Stop after authentication: nothing is sent. */
  noSend: boolean;
  /** Where OAuth2 access tokens come from (required for OAuth2 configurations). */
  tokens?: TokenSource;
  /** Limit for connecting, for the greeting and TLS setup, and for each wait on the server (default 15 s). */
  timeoutMs?: number;
  messageId: string;
  /** Clock for step durations, in milliseconds (tests inject one). */
  now?: () => number;
}

type StepName = TestStep['step'];


/** Ends the walk at a failed step; run() records it and asks remedies.ts what to do. */
class StepFailed extends Error {
  constructor(
    readonly step: StepName,
    readonly detail: string,
    readonly durationMs: number,
    readonly info: { code?: string; reply?: string; implicitTlsAnswered?: boolean } = {},
    /** Already in the step list (a refused recipient among several): run() must not add it again. */
    readonly recorded = false,
  ) {
    super(detail);
  }
}

/** One line of the SMTP conversation, as nodemailer's transaction log reports it. */
interface Line {
  at: number;
  from: 'client' | 'server';
  text: string;
}

const DEFAULT_TIMEOUT_MS = 15_000;
const SUBJECT = 'herald test message';

/**
 * Walks one SMTP session step by step — connect, TLS, EHLO, token, AUTH, MAIL, RCPT, DATA —
 * and reports each step's outcome, the server's replies and timings, stopping at the first
 * failure with a remedy. Office365Graph configurations cannot speak SMTP: only their token is
 * checked. Secrets never appear in the report.
 */
export async function probeSmtp(config: SmtpConfig, options: SmtpProbeOptions): Promise<SmtpProbeReport> {
  return new SmtpProbe(config, options).run();
}

class SmtpProbe {
  private readonly now: () => number;
  private readonly timeoutMs: number;
  private readonly steps: TestStep[] = [];
  private tls: TlsReport | null = null;
  private capabilities: string[] = [];
  private authMechanism: string | null = null;
  private queueId: string | null = null;
  private messageIdSent = false;
  private sent = false;
  /** A failure that did not end the walk (a refused recipient while others took the mail). */
  private softFailure: StepFailed | null = null;
  /** Every access token seen, so the final redaction can remove them whatever text they got into. */
  private readonly tokensSeen: string[] = [];

  // The SMTP session: our own socket(s) until nodemailer takes over, then its connection.
  private rawSocket: net.Socket | null = null;
  private tlsSocket: TLSSocket | null = null;
  private conn: SMTPConnection | null = null;
  private readonly lines: Line[] = [];
  private upgradedAt: number | null = null;
  /** Rejects the SMTP operation in flight when the connection fails under it. */
  private pending: ((err: unknown) => void) | null = null;
  /** A connection failure that happened while no operation was in flight (e.g. during the token fetch). */
  private lateError: unknown = null;

  constructor(private readonly config: SmtpConfig, private readonly options: SmtpProbeOptions) {
    this.now = options.now ?? (() => performance.now());
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  }

  async run(): Promise<SmtpProbeReport> {
    const started = this.now();
    let failure: StepFailed | null = null;
    try {
      if (this.config.auth.kind === 'oauth2' && this.config.auth.provider === 'Office365Graph') await this.graph();
      else await this.smtp();
    } catch (err) {
      // Anything else is a bug or an unforeseen error: still a report, never a thrown secret.
      failure = err instanceof StepFailed ? err : new StepFailed(this.nextStep(), `unexpected error: ${messageOf(err)}`, 0);
      if (!failure.recorded) this.record(failure.step, false, failure.detail, failure.durationMs, failure.info.reply ?? null);
    } finally {
      await this.close(failure !== null);
    }
    failure ??= this.softFailure;

    let remedy: string | null = null;
    if (failure) {
      const reply = failure.info.reply;
      remedy = remedyFor({
        step: failure.step,
        code: failure.info.code,
        responseCode: reply ? replyCode(reply) : undefined,
        response: reply,
        config: this.config,
        implicitTlsAnswered: failure.info.implicitTlsAnswered,
      });
    }
    const report: SmtpProbeReport = {
      server: this.config.server,
      port: this.config.port,
      tlsMode: this.config.tlsMode,
      authentication: { none: 'Default', basic: 'Basic', oauth2: 'OAuth2' }[this.config.auth.kind],
      success: failure === null,
      sent: this.sent,
      steps: this.steps,
      tls: this.tls,
      capabilities: this.capabilities,
      authMechanism: this.authMechanism,
      messageId: this.messageIdSent ? this.options.messageId : null,
      queueId: this.queueId,
      totalMs: round(this.now() - started),
      error: failure ? `${failure.step} failed: ${failure.detail}` : null,
      remedy,
    };
    return this.redact(report);
  }

  // --- Microsoft Graph -------------------------------------------------------------------

  /** Graph sends over HTTPS, not SMTP: checking the token is all a probe can do without sending. */
  private async graph(): Promise<void> {
    if (this.config.auth.kind !== 'oauth2') return;
    await this.token();
    const sendMail = `POST ${this.config.auth.graphEndpoint.replace(/\/+$/, '')}/users/${encodeURIComponent(addressOf(this.config.from))}/sendMail`;
    this.record('graph', true,
      `mail for this store goes through Microsoft Graph (${sendMail}), not SMTP; the probe checked the token only${this.options.noSend ? '' : ' and sent nothing: a test mail through Graph goes through the queue'}`,
      0, null);
  }

  // --- SMTP ------------------------------------------------------------------------------

  private async smtp(): Promise<void> {
    const implicit = this.config.tlsMode === 'Implicit';
    const t0 = this.now();
    const socket = await this.openSocket(t0);
    const connectedAt = this.now();
    const where = `${socket.remoteAddress}:${socket.remotePort}${net.isIP(this.config.server) ? '' : ` (${this.config.server})`}`;
    let tlsEnd = connectedAt;
    if (implicit) {
      // Connect and handshake separately so the report tells a closed port from a TLS problem.
      this.record('connect', true, `connected to ${where}`, connectedAt - t0, null);
      const secure = await this.implicitTls(socket, connectedAt);
      tlsEnd = this.now();
      this.checkCertificate(secure, tlsEnd - connectedAt, 'implicit TLS');
    }

    const conn = this.connection(implicit ? (this.tlsSocket as TLSSocket) : socket);
    let connectError: unknown = null;
    try {
      await this.call<void>((done) => conn.connect((err) => done(err ?? null)));
    } catch (err) {
      connectError = err;
    }
    const handshakeEnd = this.now();
    await this.sessionSteps({ implicit, t0, connectedAt, tlsEnd, handshakeEnd, where, connectError });

    await this.authenticate();
    if (!this.options.noSend) await this.send();
  }

  /** A plain TCP connection: ours, so its timing and errors (ECONNREFUSED, ENOTFOUND) are exact. */
  private openSocket(t0: number): Promise<net.Socket> {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ host: this.config.server, port: this.config.port });
      this.rawSocket = socket;
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new StepFailed('connect', `no answer from ${this.config.server}:${this.config.port} within ${seconds(this.timeoutMs)}`, this.now() - t0, { code: 'CONNECT_TIMEOUT' }));
      }, this.timeoutMs);
      // Kept for the socket's whole life: errors later surface through nodemailer or the TLS
      // socket wrapping it, and an 'error' without any listener would crash the daemon.
      socket.on('error', (err: WireError) => {
        clearTimeout(timer);
        reject(new StepFailed('connect', `cannot connect to ${this.config.server}:${this.config.port}: ${err.message || err.code}`, this.now() - t0, { code: err.code }));
      });
      socket.once('connect', () => {
        clearTimeout(timer);
        resolve(socket);
      });
    });
  }

  /**
   * The handshake for implicit TLS, done here rather than by nodemailer so the step is timed
   * and a plain-SMTP port shows up as such. Verification is decided by checkCertificate(), not
   * by the handshake: that way a refused certificate is still described (subject, issuer).
   */
  private implicitTls(socket: net.Socket, start: number): Promise<TLSSocket> {
    return new Promise((resolve, reject) => {
      const secure = tls.connect({ ...tlsOptions(this.config), socket, host: this.config.server, rejectUnauthorized: false });
      this.tlsSocket = secure;
      const fail = (detail: string, code?: string) => {
        clearTimeout(timer);
        reject(new StepFailed('tls', detail, this.now() - start, { code }));
      };
      const timer = setTimeout(() => {
        secure.destroy();
        fail(`the TLS handshake did not finish within ${seconds(this.timeoutMs)}`, 'UPGRADE_TIMEOUT');
      }, this.timeoutMs);
      secure.on('error', (err: WireError) => fail(`TLS handshake failed: ${describe(err)}`, err.code));
      secure.once('secureConnect', () => {
        clearTimeout(timer);
        resolve(secure);
      });
    });
  }

  /** nodemailer's connection over our socket: it speaks SMTP, we listen to its transaction log. */
  private connection(socket: net.Socket): SMTPConnection {
    const mode = tlsModeOptions(this.config.tlsMode);
    const record = (level: string) => (entry: { tnx?: string } | undefined, message?: string, ...args: unknown[]) => {
      const text = format(message ?? '', ...args);
      if (entry?.tnx === 'client' || entry?.tnx === 'server') this.lines.push({ at: this.now(), from: entry.tnx, text });
      // Logged inside the STARTTLS handshake callback, before the second EHLO goes out: the
      // moment the upgrade finished, and the TLS socket is nodemailer's current one.
      if (level === 'info' && entry?.tnx === 'smtp' && text === 'Connection upgraded with STARTTLS') this.upgradedAt = this.now();
    };
    const conn = new SMTPConnection({
      host: this.config.server,
      port: this.config.port,
      connection: socket,
      ...mode,
      // Our socket is already TLS for implicit mode: nodemailer must not handshake again.
      secured: mode.secure,
      // As for implicit TLS: STARTTLS completes whatever the certificate, checkCertificate()
      // decides before anything secret (AUTH) is sent. Only EHLO crosses an unverified channel.
      tls: { ...tlsOptions(this.config), rejectUnauthorized: false },
      connectionTimeout: this.timeoutMs,
      greetingTimeout: this.timeoutMs,
      socketTimeout: this.timeoutMs,
      // nodemailer masks AUTH secrets in this log; the report never quotes client lines anyway.
      transactionLog: true,
      logger: { trace: record('trace'), debug: record('debug'), info: record('info'), warn: record('warn'), error: record('error'), fatal: record('fatal') },
    });
    conn.on('error', (err) => this.connectionFailed(err));
    conn.on('end', () => this.connectionFailed(Object.assign(new Error('the server closed the connection'), { code: 'ECONNECTION' })));
    this.conn = conn;
    return conn;
  }

  private connectionFailed(err: unknown): void {
    const pending = this.pending;
    this.pending = null;
    if (pending) pending(err);
    else this.lateError ??= err;
  }

  /** Runs one nodemailer operation; a connection failure while it waits rejects it too. */
  private call<T>(start: (done: (err: unknown, value?: T) => void) => void): Promise<T> {
    if (this.lateError) return Promise.reject(this.lateError);
    return new Promise<T>((resolve, reject) => {
      this.pending = reject;
      start((err, value) => {
        this.pending = null;
        if (err) reject(err);
        else resolve(value as T);
      });
    });
  }

  /**
   * Turns the greeting / EHLO / STARTTLS part of the transcript into steps. nodemailer runs it
   * as one operation (connect()), so the boundaries come from the transcript's timestamps.
   */
  private async sessionSteps(s: {
    implicit: boolean; t0: number; connectedAt: number; tlsEnd: number; handshakeEnd: number; where: string; connectError: unknown;
  }): Promise<void> {
    const err = s.connectError as WireError | null;
    const server = this.lines.filter((l) => l.from === 'server');
    const greeting = server[0];
    const greetingOk = greeting !== undefined && greeting.text.startsWith('220');
    // Before the greeting the socket's inactivity timer may beat nodemailer's greeting timer
    // (both run for timeoutMs): either way the server said nothing.
    const silent = !greeting && err?.code === 'ETIMEDOUT';
    const failCode = silent ? 'GREETING_TIMEOUT' : err ? codeOf(err) : undefined;
    const reply = err?.response;

    if (!s.implicit) {
      if (!greetingOk) {
        if (!err) throw new StepFailed('connect', 'no greeting', s.handshakeEnd - s.t0);
        const detail = greeting
          ? `connected to ${s.where}, but the server refused the session`
          : failCode === 'GREETING_TIMEOUT'
            ? `connected to ${s.where}, but no SMTP greeting came within ${seconds(this.timeoutMs)}`
            : `connected to ${s.where}, but the connection ended before the greeting: ${describe(err)}`;
        // A silent server may be waiting for a TLS handshake: asking settles which it is.
        const implicitTlsAnswered = failCode === 'GREETING_TIMEOUT' ? await this.answersTls() : undefined;
        throw new StepFailed('connect', implicitTlsAnswered ? `${detail}; a TLS handshake on the same port succeeded` : detail,
          s.handshakeEnd - s.t0, { code: failCode, reply: greeting?.text ?? reply, implicitTlsAnswered });
      }
      this.record('connect', true, `connected to ${s.where} in ${round(s.connectedAt - s.t0)} ms; greeting received`,
        greeting.at - s.t0, greeting.text);
      this.starttlsStep(greeting, err, s.handshakeEnd);
    }

    // EHLO: after the greeting, or after the TLS upgrade.
    const ehloStart = this.upgradedAt ?? (s.implicit ? s.tlsEnd : greeting?.at ?? s.tlsEnd);
    const lastEhlo = this.lastReplyTo(/^(EHLO|HELO) /);
    if (err) {
      const code = failCode;
      const what = s.implicit && !greetingOk
        ? (greeting ? 'the server refused the session' : code === 'GREETING_TIMEOUT' ? `no SMTP greeting came within ${seconds(this.timeoutMs)} after the TLS handshake` : `the connection ended before the greeting: ${describe(err)}`)
        : `EHLO failed: ${describe(err)}`;
      throw new StepFailed('ehlo', what, s.handshakeEnd - ehloStart, { code, reply: reply ?? greeting?.text });
    }
    if (lastEhlo) this.capabilities = capabilitiesOf(lastEhlo.text);
    const greetingNote = s.implicit && greeting ? `greeting: ${greeting.text}; ` : '';
    const helo = this.lines.some((l) => l.from === 'client' && l.text.startsWith('HELO '));
    this.record('ehlo', true,
      `${greetingNote}${helo ? 'EHLO refused, HELO accepted: no extensions' : `the server announced ${this.capabilities.length ? this.capabilities.join(', ') : 'no extensions'}`}`,
      s.handshakeEnd - ehloStart, lastEhlo?.text ?? null);
  }

  /** The tls step of a plain connection: STARTTLS, or why TLS was not used. */
  private starttlsStep(greeting: Line, err: WireError | null, handshakeEnd: number): void {
    const mode = this.config.tlsMode;
    const firstEhlo = this.lastReplyTo(/^EHLO /, 0);
    const starttlsSent = this.lines.findIndex((l) => l.from === 'client' && l.text === 'STARTTLS');
    if (mode === 'None') {
      this.record('tls', true, 'TLS not used: TlsMode None sends in plain text', 0, null);
      return;
    }
    if (starttlsSent < 0) {
      // Without STARTTLS sent, either the session failed before (EHLO's failure, reported by
      // the caller) or Opportunistic found nothing to upgrade with.
      if (err || mode !== 'Opportunistic') return;
      const why = firstEhlo?.text.startsWith('2') ? 'the server did not offer STARTTLS' : 'the server does not speak EHLO, so it offers no STARTTLS';
      this.record('tls', true, `TLS not used: ${why}, and TlsMode Opportunistic goes on in plain text`, 0, null);
      return;
    }
    const offered = firstEhlo !== undefined && /^\d{3}[ -]STARTTLS\b/im.test(firstEhlo.text);
    const starttlsReply = this.lines.slice(starttlsSent).find((l) => l.from === 'server');
    const duration = (this.upgradedAt ?? handshakeEnd) - greeting.at;
    if (starttlsReply && !starttlsReply.text.startsWith('2')) {
      if (mode === 'Opportunistic' && !err) {
        this.record('tls', true, 'TLS not used: the server refused STARTTLS, and TlsMode Opportunistic goes on in plain text (without AUTH)', duration, starttlsReply.text);
        return;
      }
      throw new StepFailed('tls', offered ? 'the server refused STARTTLS' : 'TLS is required but the server does not offer STARTTLS',
        duration, { code: offered ? codeOf(err) : 'STARTTLS_NOT_OFFERED', reply: starttlsReply.text });
    }
    if (this.upgradedAt === null) {
      throw new StepFailed('tls', `STARTTLS failed: ${describe(err)}`, duration, { code: codeOf(err), reply: starttlsReply?.text });
    }
    const socket = this.conn?._socket;
    if (!(socket instanceof tls.TLSSocket)) throw new StepFailed('tls', 'STARTTLS finished without a TLS socket', duration);
    this.checkCertificate(socket, duration, 'STARTTLS', starttlsReply?.text ?? null);
  }

  /**
   * Records the tls step from a finished handshake, failing it when the certificate is not
   * trusted and the store does not skip the check: the same decision node:tls would take with
   * rejectUnauthorized, but with the certificate described.
   */
  private checkCertificate(socket: TLSSocket, durationMs: number, how: string, reply: string | null = null): void {
    const report = tlsReportOf(socket);
    this.tls = report;
    const summary = `${how}: ${report.protocol ?? 'TLS'}${report.cipher ? ` ${report.cipher}` : ''}; certificate ${report.subject ?? '(none)'} issued by ${report.issuer ?? '(unknown)'}, valid to ${report.validTo ?? '(unknown)'}${altNames(socket)}`;
    if (report.verified) {
      this.record('tls', true, `${summary}; verified`, durationMs, reply);
      return;
    }
    if (this.config.skipCertificateCheck) {
      this.record('tls', true, `${summary}; NOT verified (${report.verifyError}), accepted because of SkipCertificateCheck`, durationMs, reply);
      return;
    }
    throw new StepFailed('tls', `${summary}; not trusted: ${report.verifyError}`, durationMs, { code: report.verifyError ?? undefined, reply: reply ?? undefined });
  }

  /** After a greeting timeout: does the port answer a TLS handshake (so it expects implicit TLS)? */
  private answersTls(): Promise<boolean> {
    return new Promise((resolve) => {
      const socket = tls.connect({ ...tlsOptions(this.config), host: this.config.server, port: this.config.port, rejectUnauthorized: false });
      const done = (answered: boolean) => {
        clearTimeout(timer);
        socket.destroy();
        resolve(answered);
      };
      const timer = setTimeout(() => done(false), Math.min(this.timeoutMs, 5_000));
      socket.once('secureConnect', () => done(true));
      socket.on('error', () => done(false));
    });
  }

  // --- Token and AUTH ---------------------------------------------------------------------

  private async token(): Promise<string> {
    const auth = this.config.auth;
    if (auth.kind !== 'oauth2') throw new Error('token() without OAuth2');
    const start = this.now();
    if (!this.options.tokens) throw new StepFailed('token', 'no token source is available for OAuth2', 0);
    const flow = auth.flow === 'ClientCredentials' ? `client credentials of app ${auth.clientId}` : `password flow for ${auth.user} (app ${auth.clientId})`;
    const source = `${auth.tokenEndpoint || '(no token endpoint)'} (${flow}, scope ${auth.scope || '(none)'})`;
    let result: { accessToken: string; expiresOn: Date };
    try {
      result = await withTimeout(this.options.tokens.token(this.config, false), this.timeoutMs, 'the token endpoint did not answer');
    } catch (err) {
      const e = err as WireError & { errorCode?: string };
      const text = messageOf(err);
      throw new StepFailed('token', `no access token from ${source}: ${text}`, this.now() - start, { code: e.code ?? e.errorCode, reply: text });
    }
    this.tokensSeen.push(result.accessToken);
    this.record('token', true, `access token from ${source}, valid until ${result.expiresOn.toISOString()}`, this.now() - start, null);
    return result.accessToken;
  }

  private async authenticate(): Promise<void> {
    const auth = this.config.auth;
    const conn = this.conn as SMTPConnection;
    if (auth.kind === 'none') {
      this.record('auth', true, 'skipped: Default authentication sends without AUTH (the server must accept mail from this host)', 0, null);
      return;
    }
    const offered = authMechanisms(this.capabilities);
    let accessToken = '';
    if (auth.kind === 'oauth2') accessToken = await this.token();

    const start = this.now();
    if (!conn.allowsAuth) {
      throw new StepFailed('auth', `the server offers no authentication on this session${this.tls ? '' : ' (no TLS)'}; credentials were not sent`, 0, { code: 'AUTH_NOT_OFFERED' });
    }
    let login: SMTPConnection.AuthenticationType;
    if (auth.kind === 'oauth2') {
      if (offered.length && !offered.includes('XOAUTH2')) {
        throw new StepFailed('auth', `the server does not offer XOAUTH2 (it offers ${offered.join(', ')})`, 0, { code: 'XOAUTH2_NOT_OFFERED' });
      }
      this.authMechanism = 'XOAUTH2';
      // As the transport does: a refused token is renewed once before giving up.
      const provisionCallback = (_user: string, _renew: boolean, cb: (err: Error | null, token?: string, expires?: number) => void) => {
        this.options.tokens!.token(this.config, true).then(
          (t) => { this.tokensSeen.push(t.accessToken); cb(null, t.accessToken, t.expiresOn.getTime()); },
          (err: unknown) => cb(err instanceof Error ? err : new Error(String(err))),
        );
      };
      login = { type: 'OAuth2', user: auth.user, method: 'XOAUTH2', oauth2: new XOAuth2({ user: auth.user, accessToken, provisionCallback }) };
    } else {
      const method = ['PLAIN', 'LOGIN', 'CRAM-MD5'].find((m) => offered.includes(m));
      this.authMechanism = method ?? 'PLAIN';
      login = { user: auth.user, pass: auth.pass, method: this.authMechanism };
    }
    const mark = this.lines.length;
    try {
      await this.call<boolean>((done) => conn.login(login, (err, ok) => done(err, ok)));
    } catch (err) {
      const e = err as WireError;
      const reply = e.response ?? this.lastServerLine(mark)?.text;
      throw new StepFailed('auth', `AUTH ${this.authMechanism} as ${auth.user} refused${reply ? '' : `: ${describe(e)}`}`, this.now() - start, { code: codeOf(e), reply });
    }
    const reply = this.lastServerLine(mark)?.text ?? null;
    this.record('auth', true, `AUTH ${this.authMechanism} as ${auth.user}: accepted`, this.now() - start, reply);
  }

  // --- Sending ----------------------------------------------------------------------------

  private async send(): Promise<void> {
    const conn = this.conn as SMTPConnection;
    const from = addressOf(this.config.from);
    const to = (this.options.to?.length ? this.options.to : [from]).map(addressOf);
    const message = await this.message(to);

    const mark = this.lines.length;
    let sendError: WireError | null = null;
    let info: SMTPConnection.SentMessageInfo | undefined;
    try {
      info = await this.call<SMTPConnection.SentMessageInfo>((done) => conn.send({ from, to }, message, (err, result) => done(err, result)));
    } catch (err) {
      sendError = err as WireError;
    }
    const end = this.now();

    // Replies come in command order, pipelined or not: pair them up to time each command.
    const after = this.lines.slice(mark);
    const commands = after.filter((l) => l.from === 'client' && /^(MAIL FROM:|RCPT TO:|DATA$)/i.test(l.text));
    const replies = after.filter((l) => l.from === 'server');
    let previous = mark > 0 ? this.lines[mark - 1].at : end;
    const timed = commands.map((command, i) => {
      const reply = replies[i];
      const durationMs = (reply?.at ?? end) - Math.max(command.at, previous);
      previous = reply?.at ?? end;
      return { command, reply, durationMs };
    });

    const mail = timed.find((t) => /^MAIL FROM:/i.test(t.command.text));
    if (!mail || !mail.reply || !mail.reply.text.startsWith('2')) {
      throw new StepFailed('mail', mail?.reply ? `${mail.command.text} refused` : `MAIL FROM failed: ${describe(sendError)}`,
        mail?.durationMs ?? 0, { code: codeOf(sendError), reply: mail?.reply?.text ?? sendError?.response });
    }
    this.record('mail', true, `${mail.command.text} accepted`, mail.durationMs, mail.reply.text);

    let accepted = 0;
    for (const rcpt of timed.filter((t) => /^RCPT TO:/i.test(t.command.text))) {
      if (!rcpt.reply) throw new StepFailed('rcpt', `${rcpt.command.text}: no reply: ${describe(sendError)}`, rcpt.durationMs, { code: codeOf(sendError) });
      const ok = rcpt.reply.text.startsWith('2');
      if (ok) accepted++;
      const detail = `${rcpt.command.text} ${ok ? 'accepted' : 'refused'}`;
      this.record('rcpt', ok, detail, rcpt.durationMs, rcpt.reply.text);
      // The other recipients still get the mail, as the transport would send it: note the
      // first refusal and carry on, so the report shows every recipient's outcome.
      if (!ok) this.softFailure ??= new StepFailed('rcpt', detail, rcpt.durationMs, { reply: rcpt.reply.text }, true);
    }
    if (accepted === 0) {
      // Every recipient refused: nothing was sent, the walk ends without a data step.
      const refused = this.softFailure;
      this.softFailure = null;
      throw refused ?? new StepFailed('rcpt', `no recipient accepted: ${describe(sendError)}`, 0, { code: codeOf(sendError), reply: sendError?.response });
    }

    const data = timed.find((t) => t.command.text.toUpperCase() === 'DATA');
    // With PIPELINING, DATA leaves together with MAIL FROM: its time starts at the reply before it.
    const dataStart = data ? (data.reply ? data.reply.at - data.durationMs : data.command.at) : end;
    if (!data?.reply || !/^[23]/.test(data.reply.text)) {
      throw new StepFailed('data', data?.reply ? 'DATA refused' : `DATA failed: ${describe(sendError)}`, (data?.reply?.at ?? end) - dataStart,
        { code: codeOf(sendError), reply: data?.reply?.text ?? sendError?.response });
    }
    // The message went over the wire from here on: its Message-ID may exist at the server.
    this.messageIdSent = true;
    const final = info?.response ?? sendError?.response ?? replies[commands.length]?.text;
    if (sendError || !final || !final.startsWith('2')) {
      throw new StepFailed('data', final ? 'the server refused the message' : `the message was not confirmed: ${describe(sendError)}`,
        end - dataStart, { code: codeOf(sendError), reply: final });
    }
    this.sent = true;
    this.queueId = queueIdOf(final);
    this.record('data', true, `message ${this.options.messageId} accepted${this.queueId ? `, queue id ${this.queueId}` : ''} (${info?.messageSize ?? message.length} bytes)`,
      end - dataStart, final);
  }

  /** A small, plain test message naming the store and server. */
  private message(to: string[]): Promise<Buffer> {
    const c = this.config;
    const text = [
      `This is a test message from herald for the identity store "${c.storeName}".`,
      '',
      `Server: ${c.server}:${c.port} (TLS mode ${c.tlsMode}, authentication ${{ none: 'Default', basic: 'Basic', oauth2: 'OAuth2' }[c.auth.kind]})`,
      `The Message-ID of this mail is ${this.options.messageId}.`,
      '',
      'If it arrived, notifications from this store can be delivered. No reply is needed.',
    ].join('\n');
    return new MailComposer({
      from: c.from, to, subject: SUBJECT, text, messageId: this.options.messageId, date: new Date(),
      headers: { 'X-Herald-Kind': 'test' },
      disableFileAccess: true, disableUrlAccess: true,
    }).compile().build();
  }

  // --- Bookkeeping -----------------------------------------------------------------------

  private record(step: StepName, ok: boolean, detail: string, durationMs: number, reply: string | null): void {
    this.steps.push({ step, ok, detail, durationMs: round(Math.max(durationMs, 0)), reply });
  }

  /** The step an unexpected error belongs to: the one after the last recorded. */
  private nextStep(): StepName {
    const order: StepName[] = ['connect', 'tls', 'ehlo', 'token', 'auth', 'mail', 'rcpt', 'data'];
    const last = this.steps[this.steps.length - 1]?.step;
    return last ? order[Math.min(order.indexOf(last) + 1, order.length - 1)] : 'connect';
  }

  /** The server's reply to the last client line matching `command` (or to the nth such line). */
  private lastReplyTo(command: RegExp, nth?: number): Line | undefined {
    const sent = this.lines.flatMap((l, i) => (l.from === 'client' && command.test(l.text) ? [i] : []));
    const index = nth === undefined ? sent[sent.length - 1] : sent[nth];
    if (index === undefined) return undefined;
    return this.lines.slice(index + 1).find((l) => l.from === 'server');
  }

  private lastServerLine(since: number): Line | undefined {
    return this.lines.slice(since).filter((l) => l.from === 'server').pop();
  }

  /** Ends the session: QUIT after success, a plain close after a failure. */
  private async close(failed: boolean): Promise<void> {
    this.pending = null;
    const conn = this.conn;
    if (conn && !conn.destroyed) {
      const ended = new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 1_000);
        conn.once('end', () => { clearTimeout(timer); resolve(); });
      });
      if (failed) conn.close();
      else conn.quit();
      await ended;
    }
    this.tlsSocket?.destroy();
    this.rawSocket?.destroy();
  }

  /** Removes every secret from every text of the report, should one have slipped into a reply or error. */
  private redact(report: SmtpProbeReport): SmtpProbeReport {
    const auth = this.config.auth;
    const secrets = [...this.tokensSeen];
    if (auth.kind === 'basic') secrets.push(auth.pass);
    if (auth.kind === 'oauth2') secrets.push(auth.clientSecret, auth.pass ?? '');
    // Very short secrets would blank out ordinary words; they cannot be recognised in text anyway.
    const known = secrets.filter((s) => s.length >= 4).sort((a, b) => b.length - a.length);
    if (!known.length) return report;
    const clean = (text: string) => known.reduce((t, s) => t.split(s).join('********'), text);
    const walk = (value: unknown): unknown => {
      if (typeof value === 'string') return clean(value);
      if (Array.isArray(value)) return value.map(walk);
      if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v)]));
      return value;
    };
    return walk(report) as SmtpProbeReport;
  }
}
