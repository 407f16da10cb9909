import { createHash } from 'node:crypto';
import type { MailTransport, TokenSource } from './mail-transport.js';
import type { SmtpConfig } from './smtp-config.js';
import type { createTransport } from './transports.js';

// nodemailer and MSAL are loaded with the first mail: an idle daemon does without them.
const loadTransports = () => import('./transports.js');

/**
 * One pooled transport per identity store, rebuilt when the store's sending configuration
 * changes. The configuration (which holds secrets) is kept only as a hash.
 */
export class TransportCache {
  private readonly entries = new Map<string, { fingerprint: string; transport: MailTransport; config: SmtpConfig }>();

  constructor(private readonly tokens: TokenSource, private readonly options: Parameters<typeof createTransport>[2] = undefined) {}

  /** `as` names who sends: the store's own settings, or a signed-in user (one pool each). */
  async get(storeId: number, config: SmtpConfig, as = ''): Promise<MailTransport> {
    const key = `${storeId}:${as}`;
    // The mails of one batch share one configuration object: no need to hash it again.
    const known = this.entries.get(key);
    if (known?.config === config) return known.transport;
    const fingerprint = createHash('sha256').update(JSON.stringify(config)).digest('hex');
    const entry = this.entries.get(key);
    if (entry?.fingerprint === fingerprint) {
      entry.config = config;
      return entry.transport;
    }
    const { createTransport } = await loadTransports();
    // Another mail of the same store may have built it while the module loaded.
    const current = this.entries.get(key);
    if (current?.fingerprint === fingerprint) return current.transport;
    current?.transport.close();
    const transport = createTransport(config, this.tokens, this.options);
    this.entries.set(key, { fingerprint, transport, config });
    return transport;
  }

  forget(storeId: number): void {
    for (const [key, entry] of this.entries) {
      if (!key.startsWith(`${storeId}:`)) continue;
      entry.transport.close();
      this.entries.delete(key);
    }
  }

  closeAll(): void {
    for (const entry of this.entries.values()) entry.transport.close();
    this.entries.clear();
  }
}
