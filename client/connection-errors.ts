import { HeraldError } from '../protocol/index.js';

/**
 * Turns a failed WebSocket opening into an error that says what went wrong and what to do.
 * `status` is the HTTP status when the daemon answered the upgrade with a refusal.
 */
export function openingError(url: string, error: NodeJS.ErrnoException | undefined, status?: number): HeraldError {
  if (status === 401) {
    return new HeraldError('Unauthenticated', `the daemon at ${url} refused the token`, {
      remedy: 'check -Token / HERALD_TOKEN, or, for the local daemon, the token file in its state directory',
    });
  }
  if (status === 403) {
    return new HeraldError('AccessDenied', `the daemon at ${url} refused the connection (origin or host not allowed)`, {
      remedy: 'connect without an Origin header, or start the daemon with --allow-origin',
    });
  }
  if (status !== undefined) {
    return new HeraldError('DaemonUnreachable', `${url} answered HTTP ${status}: is it a herald daemon?`);
  }
  const code = error?.code;
  if (code === 'ENOENT' || code === 'ECONNREFUSED') {
    return new HeraldError('DaemonUnreachable', `no daemon at ${url}`, { remedy: 'start it with `npm run daemon` (or `heraldd`)' });
  }
  if (code === 'EACCES') {
    return new HeraldError('DaemonUnreachable', `no permission to open ${url}`, { remedy: 'run the shell as the user who runs the daemon' });
  }
  if (code === 'ETIMEDOUT') {
    return new HeraldError('DaemonUnreachable', `${url} did not answer in time`, { remedy: 'check the address and that the daemon is running' });
  }
  return new HeraldError('DaemonUnreachable', `cannot reach ${url}: ${error?.message ?? 'unknown error'}`);
}
