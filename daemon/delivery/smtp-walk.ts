import net from 'node:net';
import tls, { type TLSSocket } from 'node:tls';
import { format } from 'node:util';
import SMTPConnection from 'nodemailer/lib/smtp-connection';
import XOAuth2 from 'nodemailer/lib/xoauth2';
import type { TlsReport } from '../../protocol/settings/test-report.js';
import { altNames, authMechanisms, capabilitiesOf, codeOf, describe, queueIdOf, round, seconds, tlsReportOf, type WireError } from './probe-readings.js';
import { testMessage } from './probe-message.js';
import { answersTls, implicitTls, openSocket } from './probe-sockets.js';
import { StepFailed, type ProbeSteps } from './probe-steps.js';
import { tokenStep } from './probe-token.js';
import { addressOf, tlsModeOptions, tlsOptions, type SmtpConfig } from './smtp-config.js';
import { Transcript, type Line } from './smtp-transcript.js';

/**
 * Walks one SMTP session step by step — connect, TLS, EHLO, token, AUTH, MAIL, RCPT, DATA —
 * recording each step's outcome, the server's replies and timings, and stopping at the first
 * failure (a StepFailed). What it learnt along the way stays readable for the report.
 */
export class SmtpWalk {
  // What the walk learnt, read by probeSmtp() for the report.
  tls: TlsReport | null = null;
  capabilities: string[] = [];
  authMechanism: string | null = null;
  queueId: string | null = null;
  messageIdSent = false;
  sent = false;
  /** A failure that did not end the walk (a refused recipient while others took the mail). */
  softFailure: StepFailed | null = null;

  // The SMTP session: our own socket(s) until nodemailer takes over, then its connection.
  private rawSocket: net.Socket | null = null;
  private tlsSocket: TLSSocket | null = null;
  private conn: SMTPConnection | null = null;
  private readonly transcript = new Transcript();
  private upgradedAt: number | null = null;
  /** Rejects the SMTP operation in flight when the connection fails under it. */
  private pending: ((err: unknown) => void) | null = null;
  /** A connection failure that happened while no operation was in flight (e.g. during the token fetch). */
  private lateError: unknown = null;

  private readonly config: SmtpConfig;
  private readonly timeoutMs: number;

  constructor(private readonly probe: ProbeSteps) {
    this.config = probe.config;
    this.timeoutMs = probe.timeoutMs;
  }

  async run(): Promise<void> {
    const implicit = this.config.tlsMode === 'Implicit';
    const t0 = this.probe.now();
    const socket = await openSocket(this.probe, t0, (s) => { this.rawSocket = s; });
    const connectedAt = this.probe.now();
    const where = `${socket.remoteAddress}:${socket.remotePort}${net.isIP(this.config.server) ? '' : ` (${this.config.server})`}`;
    let tlsEnd = connectedAt;
    if (implicit) {
      // Connect and handshake separately so the report tells a closed port from a TLS problem.
      this.probe.record('connect', true, `connected to ${where}`, connectedAt - t0, null);
      const secure = await implicitTls(this.probe, socket, connectedAt, (s) => { this.tlsSocket = s; });
      tlsEnd = this.probe.now();
      this.checkCertificate(secure, tlsEnd - connectedAt, 'implicit TLS');
    }

    const conn = this.connection(implicit ? (this.tlsSocket as TLSSocket) : socket);
    let connectError: unknown = null;
    try {
      await this.call<void>((done) => conn.connect((err) => done(err ?? null)));
    } catch (err) {
      connectError = err;
    }
    const handshakeEnd = this.probe.now();
    await this.sessionSteps({ implicit, t0, connectedAt, tlsEnd, handshakeEnd, where, connectError });

    await this.authenticate();
    if (!this.probe.options.noSend) await this.send();
  }

  /** nodemailer's connection over our socket: it speaks SMTP, we listen to its transaction log. */
  private connection(socket: net.Socket): SMTPConnection {
    const mode = tlsModeOptions(this.config.tlsMode);
    const record = (level: string) => (entry: { tnx?: string } | undefined, message?: string, ...args: unknown[]) => {
      const text = format(message ?? '', ...args);
      if (entry?.tnx === 'client' || entry?.tnx === 'server') this.transcript.add({ at: this.probe.now(), from: entry.tnx, text });
      // Logged inside the STARTTLS handshake callback, before the second EHLO goes out: the
      // moment the upgrade finished, and the TLS socket is nodemailer's current one.
      if (level === 'info' && entry?.tnx === 'smtp' && text === 'Connection upgraded with STARTTLS') this.upgradedAt = this.probe.now();
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
    const server = this.transcript.serverLines();
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
        const implicitTlsAnswered = failCode === 'GREETING_TIMEOUT' ? await answersTls(this.probe) : undefined;
        throw new StepFailed('connect', implicitTlsAnswered ? `${detail}; a TLS handshake on the same port succeeded` : detail,
          s.handshakeEnd - s.t0, { code: failCode, reply: greeting?.text ?? reply, implicitTlsAnswered });
      }
      this.probe.record('connect', true, `connected to ${s.where} in ${round(s.connectedAt - s.t0)} ms; greeting received`,
        greeting.at - s.t0, greeting.text);
      this.starttlsStep(greeting, err, s.handshakeEnd);
    }

    // EHLO: after the greeting, or after the TLS upgrade.
    const ehloStart = this.upgradedAt ?? (s.implicit ? s.tlsEnd : greeting?.at ?? s.tlsEnd);
    const lastEhlo = this.transcript.lastReplyTo(/^(EHLO|HELO) /);
    if (err) {
      const code = failCode;
      const what = s.implicit && !greetingOk
        ? (greeting ? 'the server refused the session' : code === 'GREETING_TIMEOUT' ? `no SMTP greeting came within ${seconds(this.timeoutMs)} after the TLS handshake` : `the connection ended before the greeting: ${describe(err)}`)
        : `EHLO failed: ${describe(err)}`;
      throw new StepFailed('ehlo', what, s.handshakeEnd - ehloStart, { code, reply: reply ?? greeting?.text });
    }
    if (lastEhlo) this.capabilities = capabilitiesOf(lastEhlo.text);
    const greetingNote = s.implicit && greeting ? `greeting: ${greeting.text}; ` : '';
    const helo = this.transcript.indexOfClientLine((text) => text.startsWith('HELO ')) >= 0;
    this.probe.record('ehlo', true,
      `${greetingNote}${helo ? 'EHLO refused, HELO accepted: no extensions' : `the server announced ${this.capabilities.length ? this.capabilities.join(', ') : 'no extensions'}`}`,
      s.handshakeEnd - ehloStart, lastEhlo?.text ?? null);
  }

  /** The tls step of a plain connection: STARTTLS, or why TLS was not used. */
  private starttlsStep(greeting: Line, err: WireError | null, handshakeEnd: number): void {
    const mode = this.config.tlsMode;
    const firstEhlo = this.transcript.lastReplyTo(/^EHLO /, 0);
    const starttlsSent = this.transcript.indexOfClientLine((text) => text === 'STARTTLS');
    if (mode === 'None') {
      this.probe.record('tls', true, 'TLS not used: TlsMode None sends in plain text', 0, null);
      return;
    }
    if (starttlsSent < 0) {
      // Without STARTTLS sent, either the session failed before (EHLO's failure, reported by
      // the caller) or Opportunistic found nothing to upgrade with.
      if (err || mode !== 'Opportunistic') return;
      const why = firstEhlo?.text.startsWith('2') ? 'the server did not offer STARTTLS' : 'the server does not speak EHLO, so it offers no STARTTLS';
      this.probe.record('tls', true, `TLS not used: ${why}, and TlsMode Opportunistic goes on in plain text`, 0, null);
      return;
    }
    const offered = firstEhlo !== undefined && /^\d{3}[ -]STARTTLS\b/im.test(firstEhlo.text);
    const starttlsReply = this.transcript.serverLineFrom(starttlsSent);
    const duration = (this.upgradedAt ?? handshakeEnd) - greeting.at;
    if (starttlsReply && !starttlsReply.text.startsWith('2')) {
      if (mode === 'Opportunistic' && !err) {
        this.probe.record('tls', true, 'TLS not used: the server refused STARTTLS, and TlsMode Opportunistic goes on in plain text (without AUTH)', duration, starttlsReply.text);
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
      this.probe.record('tls', true, `${summary}; verified`, durationMs, reply);
      return;
    }
    if (this.config.skipCertificateCheck) {
      this.probe.record('tls', true, `${summary}; NOT verified (${report.verifyError}), accepted because of SkipCertificateCheck`, durationMs, reply);
      return;
    }
    throw new StepFailed('tls', `${summary}; not trusted: ${report.verifyError}`, durationMs, { code: report.verifyError ?? undefined, reply: reply ?? undefined });
  }

  private async authenticate(): Promise<void> {
    const auth = this.config.auth;
    const conn = this.conn as SMTPConnection;
    if (auth.kind === 'none') {
      this.probe.record('auth', true, 'skipped: Default authentication sends without AUTH (the server must accept mail from this host)', 0, null);
      return;
    }
    const offered = authMechanisms(this.capabilities);
    let accessToken = '';
    if (auth.kind === 'oauth2') accessToken = await tokenStep(this.probe);

    const start = this.probe.now();
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
        this.probe.options.tokens!.token(this.config, true).then(
          (t) => { this.probe.tokensSeen.push(t.accessToken); cb(null, t.accessToken, t.expiresOn.getTime()); },
          (err: unknown) => cb(err instanceof Error ? err : new Error(String(err))),
        );
      };
      login = { type: 'OAuth2', user: auth.user, method: 'XOAUTH2', oauth2: new XOAuth2({ user: auth.user, accessToken, provisionCallback }) };
    } else {
      const method = ['PLAIN', 'LOGIN', 'CRAM-MD5'].find((m) => offered.includes(m));
      this.authMechanism = method ?? 'PLAIN';
      login = { user: auth.user, pass: auth.pass, method: this.authMechanism };
    }
    const mark = this.transcript.mark();
    try {
      await this.call<boolean>((done) => conn.login(login, (err, ok) => done(err, ok)));
    } catch (err) {
      const e = err as WireError;
      const reply = e.response ?? this.transcript.lastServerLine(mark)?.text;
      throw new StepFailed('auth', `AUTH ${this.authMechanism} as ${auth.user} refused${reply ? '' : `: ${describe(e)}`}`, this.probe.now() - start, { code: codeOf(e), reply });
    }
    const reply = this.transcript.lastServerLine(mark)?.text ?? null;
    this.probe.record('auth', true, `AUTH ${this.authMechanism} as ${auth.user}: accepted`, this.probe.now() - start, reply);
  }

  private async send(): Promise<void> {
    const conn = this.conn as SMTPConnection;
    const from = addressOf(this.config.from);
    const to = (this.probe.options.to?.length ? this.probe.options.to : [from]).map(addressOf);
    const message = await testMessage(this.config, this.probe.options.messageId, to);

    const mark = this.transcript.mark();
    let sendError: WireError | null = null;
    let info: SMTPConnection.SentMessageInfo | undefined;
    try {
      info = await this.call<SMTPConnection.SentMessageInfo>((done) => conn.send({ from, to }, message, (err, result) => done(err, result)));
    } catch (err) {
      sendError = err as WireError;
    }
    const end = this.probe.now();

    const { timed, final: finalReply } = this.transcript.commandsSince(mark, end);

    const mail = timed.find((t) => /^MAIL FROM:/i.test(t.command.text));
    if (!mail || !mail.reply || !mail.reply.text.startsWith('2')) {
      throw new StepFailed('mail', mail?.reply ? `${mail.command.text} refused` : `MAIL FROM failed: ${describe(sendError)}`,
        mail?.durationMs ?? 0, { code: codeOf(sendError), reply: mail?.reply?.text ?? sendError?.response });
    }
    this.probe.record('mail', true, `${mail.command.text} accepted`, mail.durationMs, mail.reply.text);

    let accepted = 0;
    for (const rcpt of timed.filter((t) => /^RCPT TO:/i.test(t.command.text))) {
      if (!rcpt.reply) throw new StepFailed('rcpt', `${rcpt.command.text}: no reply: ${describe(sendError)}`, rcpt.durationMs, { code: codeOf(sendError) });
      const ok = rcpt.reply.text.startsWith('2');
      if (ok) accepted++;
      const detail = `${rcpt.command.text} ${ok ? 'accepted' : 'refused'}`;
      this.probe.record('rcpt', ok, detail, rcpt.durationMs, rcpt.reply.text);
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
    const final = info?.response ?? sendError?.response ?? finalReply;
    if (sendError || !final || !final.startsWith('2')) {
      throw new StepFailed('data', final ? 'the server refused the message' : `the message was not confirmed: ${describe(sendError)}`,
        end - dataStart, { code: codeOf(sendError), reply: final });
    }
    this.sent = true;
    this.queueId = queueIdOf(final);
    this.probe.record('data', true, `message ${this.probe.options.messageId} accepted${this.queueId ? `, queue id ${this.queueId}` : ''} (${info?.messageSize ?? message.length} bytes)`,
      end - dataStart, final);
  }

  /** Ends the session: QUIT after success, a plain close after a failure. */
  async close(failed: boolean): Promise<void> {
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
  }}
