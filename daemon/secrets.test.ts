import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadSecretBox, SecretError, type SecretBox } from './secrets.js';

let stateDir: string;
let keyPath: string;

beforeEach(() => {
  stateDir = mkdtempSync(join(tmpdir(), 'herald-secrets-'));
  keyPath = join(stateDir, 'secret.key');
});

afterEach(() => {
  rmSync(stateDir, { recursive: true, force: true });
});

const fileBox = (): SecretBox => loadSecretBox({ stateDir, env: {} });
const envBox = (key: string): SecretBox => loadSecretBox({ stateDir, env: { HERALD_SECRET_KEY: key } });
const mode = (path: string) => statSync(path).mode & 0o777;

/** Flips one bit in one base64url part of a sealed value: 1 nonce, 2 ciphertext, 3 tag. */
function tamper(sealed: string, index: 1 | 2 | 3): string {
  const parts = sealed.split(':');
  const bytes = Buffer.from(parts[index], 'base64url');
  bytes[bytes.length - 1] ^= 0x01;
  parts[index] = bytes.toString('base64url');
  return parts.join(':');
}

function thrown(action: () => unknown): Error {
  try {
    action();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected an error');
}

describe('SecretBox', () => {
  it('opens what it sealed, in the announced form', () => {
    const box = fileBox();
    for (const plaintext of ['hunter2', '', 'pässwörd ✓ 🔑', 'x'.repeat(5000)]) {
      const sealed = box.seal(plaintext, 'store:12:password');
      expect(sealed).toMatch(/^v1:[A-Za-z0-9_-]{16}:[A-Za-z0-9_-]*:[A-Za-z0-9_-]{22}$/);
      expect(box.open(sealed, 'store:12:password')).toBe(plaintext);
    }
  });

  it('seals the same value differently each time', () => {
    const box = fileBox();
    const first = box.seal('hunter2', 'store:1:password');
    const second = box.seal('hunter2', 'store:1:password');
    expect(first).not.toBe(second);
    expect(first.split(':')[1]).not.toBe(second.split(':')[1]);
  });

  it('refuses a value moved to another store or field', () => {
    const box = fileBox();
    const sealed = box.seal('hunter2', 'store:12:password');
    for (const context of ['store:13:password', 'store:12:clientSecret', '', 'store:12:password ']) {
      expect(() => box.open(sealed, context)).toThrow(SecretError);
    }
  });

  it('refuses a tampered nonce, ciphertext or tag', () => {
    const box = fileBox();
    const sealed = box.seal('hunter2', 'c');
    for (const index of [1, 2, 3] as const) expect(() => box.open(tamper(sealed, index), 'c')).toThrow(SecretError);
  });

  it('refuses malformed values, including a shortened tag and non-canonical base64url', () => {
    const box = fileBox();
    const sealed = box.seal('hunter2', 'c');
    const [, nonce, ciphertext, tag] = sealed.split(':');
    const shortTag = Buffer.from(tag, 'base64url').subarray(0, 12).toString('base64url');
    // The tag's last character carries 4 unused bits; flipping one decodes to the same bytes.
    const lastBits = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const paddedTag = tag.slice(0, -1) + lastBits[lastBits.indexOf(tag.at(-1)!) ^ 1];
    const bad = [
      '',
      'hunter2',
      `v2:${nonce}:${ciphertext}:${tag}`,
      `v1:${nonce}:${ciphertext}`,
      `v1:${nonce}:${ciphertext}:${tag}:x`,
      `v1:${nonce}:${ciphertext}:${shortTag}`,
      `v1:${nonce}:${ciphertext}:${paddedTag}`,
      `v1:${nonce}:${ciphertext}+:${tag}`,
      `v1:${nonce}=:${ciphertext}:${tag}`,
    ];
    for (const value of bad) {
      expect(() => box.open(value, 'c'), value).toThrow(SecretError);
    }
  });

  it('refuses a value sealed under another key', () => {
    const sealed = envBox(randomBytes(32).toString('base64')).seal('hunter2', 'c');
    expect(() => envBox(randomBytes(32).toString('base64')).open(sealed, 'c')).toThrow(SecretError);
  });

  it('never shows the plaintext in the sealed value or an error', () => {
    const plaintext = 'correct horse battery staple';
    const box = fileBox();
    const sealed = box.seal(plaintext, 'c');
    for (const form of [plaintext, Buffer.from(plaintext).toString('base64'), Buffer.from(plaintext).toString('base64url'), Buffer.from(plaintext).toString('hex')]) {
      expect(sealed).not.toContain(form);
    }
    expect(thrown(() => box.open(sealed, 'd')).message).not.toContain(plaintext);
  });
});

describe('the key file', () => {
  it('is created 0600 with 32 bytes and reused by the next start', () => {
    const sealed = fileBox().seal('hunter2', 'store:1:password');
    expect(mode(keyPath)).toBe(0o600);
    const content = readFileSync(keyPath, 'utf8');
    expect(content).toMatch(/\n$/);
    expect(Buffer.from(content.trim(), 'base64')).toHaveLength(32);
    // The key is published by a link from a temporary file, which must not be left behind.
    expect(readdirSync(stateDir)).toEqual(['secret.key']);

    expect(fileBox().open(sealed, 'store:1:password')).toBe('hunter2');
    expect(readFileSync(keyPath, 'utf8')).toBe(content);
  });

  it('is tightened to 0600 when group or others may read it', () => {
    writeFileSync(keyPath, randomBytes(32).toString('base64') + '\n');
    chmodSync(keyPath, 0o644);
    fileBox();
    expect(mode(keyPath)).toBe(0o600);
  });

  it('is read in base64url too', () => {
    const key = randomBytes(32);
    writeFileSync(keyPath, key.toString('base64url') + '\n', { mode: 0o600 });
    const sealed = envBox(key.toString('base64')).seal('hunter2', 'c');
    expect(fileBox().open(sealed, 'c')).toBe('hunter2');
  });

  it('fails naming its path, not its content, when it holds no key', () => {
    for (const content of ['', 'not a key at all\n', randomBytes(16).toString('base64'), randomBytes(32).toString('hex')]) {
      writeFileSync(keyPath, content, { mode: 0o600 });
      const error = thrown(fileBox);
      expect(error).toBeInstanceOf(SecretError);
      expect(error.message).toContain(keyPath);
      if (content) expect(error.message).not.toContain(content.trim());
      // A broken key must never be silently replaced: secrets sealed with it would be lost.
      expect(readFileSync(keyPath, 'utf8')).toBe(content);
    }
  });
});

describe('HERALD_SECRET_KEY', () => {
  it('takes precedence over the key file, and no file is created', () => {
    const key = randomBytes(32);
    const sealed = envBox(key.toString('base64')).seal('hunter2', 'c');
    expect(existsSync(keyPath)).toBe(false);
    expect(envBox(key.toString('base64url')).open(sealed, 'c')).toBe('hunter2');
    expect(envBox(key.toString('base64url').replace(/=+$/, '') + '\n').open(sealed, 'c')).toBe('hunter2');
    expect(existsSync(keyPath)).toBe(false);

    writeFileSync(keyPath, randomBytes(32).toString('base64') + '\n', { mode: 0o600 });
    expect(envBox(key.toString('base64')).open(sealed, 'c')).toBe('hunter2');
    expect(() => fileBox().open(sealed, 'c')).toThrow(SecretError);
  });

  it('fails naming the variable, never echoing the value', () => {
    const bad = [
      randomBytes(16).toString('base64'),
      randomBytes(33).toString('base64'),
      randomBytes(32).toString('hex'),
      '*'.repeat(43),
      'my secret passphrase that is long enough!!',
      '',
    ];
    for (const value of bad) {
      const error = thrown(() => envBox(value));
      expect(error).toBeInstanceOf(SecretError);
      expect(error.message).toContain('HERALD_SECRET_KEY');
      expect(error.message).toMatch(/base64/);
      if (value) expect(error.message).not.toContain(value);
    }
    expect(existsSync(keyPath)).toBe(false);
  });
});
