import { inspect } from 'node:util';

/**
 * A secret typed at a prompt or made with ConvertTo-SecureString. It never prints itself,
 * so a secret cannot end up in a table, a transcript or JSON output by accident.
 */
export class SecureString {
  readonly #value: string;
  constructor(value: string) {
    this.#value = value;
  }
  reveal(): string {
    return this.#value;
  }
  get Length(): number {
    return this.#value.length;
  }
  toString(): string {
    return 'System.Security.SecureString';
  }
  toJSON(): string {
    return '********';
  }
  [inspect.custom](): string {
    return 'SecureString(********)';
  }
}

/** What Get-Credential returns and `-Credential` parameters take. */
export class PSCredential {
  constructor(readonly UserName: string, readonly Password: SecureString) {}
  GetNetworkCredential(): { UserName: string; Password: string } {
    return { UserName: this.UserName, Password: this.Password.reveal() };
  }
}

/** Unwraps secrets just before a value leaves for the daemon. */
export function revealSecrets(value: unknown): unknown {
  if (value instanceof SecureString) return value.reveal();
  if (value instanceof PSCredential) return { userName: value.UserName, password: value.Password.reveal() };
  if (Array.isArray(value)) return value.map(revealSecrets);
  return value;
}
