import net from 'node:net';
import tls, { type TLSSocket } from 'node:tls';
import { describe, seconds, type WireError } from './probe-readings.js';
import { StepFailed, type ProbeSteps } from './probe-steps.js';
import { tlsOptions } from './smtp-config.js';

/**
 * The sockets the probe opens itself, before nodemailer takes over: its own so that timings and
 * errors are exact. Each is handed to `opened` at once, so the walk can close it whatever happens.
 */

/** A plain TCP connection: ours, so its timing and errors (ECONNREFUSED, ENOTFOUND) are exact. */
export function openSocket(probe: ProbeSteps, t0: number, opened: (socket: net.Socket) => void): Promise<net.Socket> {
  const { config, timeoutMs } = probe;
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: config.server, port: config.port });
    opened(socket);
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new StepFailed('connect', `no answer from ${config.server}:${config.port} within ${seconds(timeoutMs)}`, probe.now() - t0, { code: 'CONNECT_TIMEOUT' }));
    }, timeoutMs);
    // Kept for the socket's whole life: errors later surface through nodemailer or the TLS
    // socket wrapping it, and an 'error' without any listener would crash the daemon.
    socket.on('error', (err: WireError) => {
      clearTimeout(timer);
      reject(new StepFailed('connect', `cannot connect to ${config.server}:${config.port}: ${err.message || err.code}`, probe.now() - t0, { code: err.code }));
    });
    socket.once('connect', () => {
      clearTimeout(timer);
      resolve(socket);
    });
  });
}

/**
 * The handshake for implicit TLS, done here rather than by nodemailer so the step is timed
 * and a plain-SMTP port shows up as such. Verification is decided by the walk's certificate
 * check, not by the handshake: that way a refused certificate is still described (subject, issuer).
 */
export function implicitTls(probe: ProbeSteps, socket: net.Socket, start: number, opened: (secure: TLSSocket) => void): Promise<TLSSocket> {
  const { config, timeoutMs } = probe;
  return new Promise((resolve, reject) => {
    const secure = tls.connect({ ...tlsOptions(config), socket, host: config.server, rejectUnauthorized: false });
    opened(secure);
    const fail = (detail: string, code?: string) => {
      clearTimeout(timer);
      reject(new StepFailed('tls', detail, probe.now() - start, { code }));
    };
    const timer = setTimeout(() => {
      secure.destroy();
      fail(`the TLS handshake did not finish within ${seconds(timeoutMs)}`, 'UPGRADE_TIMEOUT');
    }, timeoutMs);
    secure.on('error', (err: WireError) => fail(`TLS handshake failed: ${describe(err)}`, err.code));
    secure.once('secureConnect', () => {
      clearTimeout(timer);
      resolve(secure);
    });
  });
}

/** After a greeting timeout: does the port answer a TLS handshake (so it expects implicit TLS)? */
export function answersTls(probe: ProbeSteps): Promise<boolean> {
  const { config, timeoutMs } = probe;
  return new Promise((resolve) => {
    const socket = tls.connect({ ...tlsOptions(config), host: config.server, port: config.port, rejectUnauthorized: false });
    const done = (answered: boolean) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(answered);
    };
    const timer = setTimeout(() => done(false), Math.min(timeoutMs, 5_000));
    socket.once('secureConnect', () => done(true));
    socket.on('error', () => done(false));
  });
}
