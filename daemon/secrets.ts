import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmodSync, closeSync, existsSync, fsyncSync, linkSync, openSync, readFileSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** Seals write-only settings (SMTP password, OAuth client secret) with AES-256-GCM. */
export interface SecretBox {
  /** `v1:<nonce>:<ciphertext>:<tag>`, each part base64url; `context` is bound as additional data. */
  seal(plaintext: string, context: string): string;
  /** Throws SecretError when the value was tampered with, sealed under another key, or for another context. */
  open(sealed: string, context: string): string;
}

/** Never carries plaintext or key material, so it is safe to log and to return to clients. */
export class SecretError extends Error {
  override name = 'SecretError';
}

export const SECRET_KEY_FILE = 'secret.key';
export const SECRET_KEY_ENV = 'HERALD_SECRET_KEY';

const KEY_BYTES = 32;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const VERSION = 'v1';
// 32 bytes are 43 base64 characters plus one '=' of padding; Node's base64 decoder reads both
// alphabets but silently skips characters it does not know, so the form is checked first.
const KEY_FORM = /^[A-Za-z0-9+/_-]{43}=?$/;

/** The key comes from HERALD_SECRET_KEY when set (even empty: falling back to the file would seal with another key), else from `secret.key`. */
export function loadSecretBox(options: { stateDir: string; env: NodeJS.ProcessEnv }): SecretBox {
  const fromEnv = options.env[SECRET_KEY_ENV];
  const key =
    fromEnv !== undefined
      ? decodeKey(fromEnv, `${SECRET_KEY_ENV} must be ${KEY_BYTES} random bytes as base64 or base64url (e.g. \`openssl rand -base64 32\`)`)
      : loadOrCreateKeyFile(join(options.stateDir, SECRET_KEY_FILE));
  return {
    seal(plaintext, context) {
      const nonce = randomBytes(NONCE_BYTES);
      const cipher = createCipheriv('aes-256-gcm', key, nonce, { authTagLength: TAG_BYTES });
      cipher.setAAD(Buffer.from(context, 'utf8'));
      const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return [VERSION, ...[nonce, ciphertext, cipher.getAuthTag()].map((part) => part.toString('base64url'))].join(':');
    },
    open(sealed, context) {
      const parts = sealed.split(':');
      const [nonce, ciphertext, tag] = parts.slice(1).map(decodePart);
      if (parts.length !== 4 || parts[0] !== VERSION || nonce?.length !== NONCE_BYTES || !ciphertext || tag?.length !== TAG_BYTES) {
        throw new SecretError(`the secret for ${context} is not a sealed ${VERSION} value`);
      }
      try {
        // authTagLength makes Node refuse a shortened tag, which would otherwise weaken the check.
        const decipher = createDecipheriv('aes-256-gcm', key, nonce, { authTagLength: TAG_BYTES });
        decipher.setAAD(Buffer.from(context, 'utf8'));
        decipher.setAuthTag(tag);
        return Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString('utf8');
      } catch {
        // Node's own message is generic; ours says what the caller can act on, and nothing more.
        throw new SecretError(`the secret for ${context} cannot be opened: it was sealed under another key or for another field, or was altered`);
      }
    },
  };
}

/** Only the canonical encoding is accepted, so a changed padding bit cannot pass as the same value. */
function decodePart(text: string): Buffer | undefined {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) return undefined;
  const bytes = Buffer.from(text, 'base64url');
  return bytes.toString('base64url') === text ? bytes : undefined;
}

function decodeKey(text: string, problem: string): Buffer {
  const trimmed = text.trim();
  const key = KEY_FORM.test(trimmed) ? Buffer.from(trimmed, 'base64') : undefined;
  if (key?.length !== KEY_BYTES) throw new SecretError(problem);
  return key;
}

function loadOrCreateKeyFile(path: string): Buffer {
  // Checked first so that an ordinary start does not write and sync a key it throws away.
  if (!existsSync(path)) {
    const created = createKeyFile(path);
    if (created) return created;
  }
  if ((statSync(path).mode & 0o077) !== 0) chmodSync(path, 0o600);
  return decodeKey(readFileSync(path, 'utf8'), `${path} does not hold a secret key (${KEY_BYTES} bytes as base64); restore it from a backup, since secrets sealed with it cannot be opened otherwise`);
}

/**
 * Writes a fresh key beside the target and links it into place. The link fails with EEXIST when
 * another process got there first, so both use one key; and unlike writing the target with
 * `flag: 'wx'`, no reader or crash can ever see it empty or half written. The key is synced before
 * use: a secret the database keeps after a power loss must not outlive its key.
 */
function createKeyFile(path: string): Buffer | undefined {
  const key = randomBytes(KEY_BYTES);
  const temp = `${path}.${process.pid}.${randomBytes(6).toString('hex')}`;
  const fd = openSync(temp, 'wx', 0o600);
  try {
    writeSync(fd, key.toString('base64') + '\n');
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    linkSync(temp, path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return undefined;
    throw error;
  } finally {
    unlinkSync(temp);
  }
  syncDirectory(dirname(path));
  return key;
}

/** Makes the new name itself durable; some platforms cannot sync a directory, and lose only that guarantee. */
function syncDirectory(dir: string): void {
  try {
    const fd = openSync(dir, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // Best effort: see above.
  }
}
