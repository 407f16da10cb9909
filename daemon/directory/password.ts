import { randomBytes, scrypt, scryptSync, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/**
 * Directory passwords, stored as `scrypt$N$r$p$salt$hash` (salt and hash in base64). The cost
 * parameters travel with each hash, so raising them later leaves existing hashes checkable.
 * N=16384, r=8 costs 16 MiB and roughly 50–100 ms per hash: slow for a guesser, bearable for a sign-in.
 */
const N = 16384;
const R = 8;
const P = 1;
const SALT_BYTES = 16;
const KEY_BYTES = 32;

interface Parsed {
  options: ScryptOptions;
  salt: Buffer;
  hash: Buffer;
}

function parse(stored: string): Parsed | undefined {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return undefined;
  const [n, r, p] = parts.slice(1, 4).map(Number);
  if (![n, r, p].every((x) => Number.isInteger(x) && x > 0)) return undefined;
  // maxmem: Node's default (32 MiB) is too small for anything above N=16384, r=8.
  const hash = Buffer.from(parts[5], 'base64');
  if (hash.length === 0) return undefined;
  return { options: { N: n, r, p, maxmem: 256 * n * r + 1024 * 1024 }, salt: Buffer.from(parts[4], 'base64'), hash };
}

export function hashPassword(password: string): string {
  const salt = randomBytes(SALT_BYTES);
  const hash = scryptSync(password.normalize('NFC'), salt, KEY_BYTES, { N, r: R, p: P });
  return `scrypt$${N}$${R}$${P}$${salt.toString('base64')}$${hash.toString('base64')}`;
}

export function checkPassword(stored: string, password: string): boolean {
  const parsed = parse(stored);
  if (!parsed) return false;
  const actual = scryptSync(password.normalize('NFC'), parsed.salt, parsed.hash.length, parsed.options);
  return timingSafeEqual(actual, parsed.hash);
}

/** The same check off the event loop (libuv's thread pool), for sign-in where the daemon must stay responsive. */
export function checkPasswordAsync(stored: string, password: string): Promise<boolean> {
  const parsed = parse(stored);
  if (!parsed) return Promise.resolve(false);
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFC'), parsed.salt, parsed.hash.length, parsed.options, (error, actual) => {
      if (error) reject(error);
      else resolve(timingSafeEqual(actual, parsed.hash));
    });
  });
}
