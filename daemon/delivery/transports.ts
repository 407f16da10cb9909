import { createGraphTransport, type GraphTransportOptions } from './graph-transport.js';
import type { MailTransport, TokenSource } from './mail-transport.js';
import type { SmtpConfig } from './smtp-config.js';
import { createSmtpTransport } from './smtp-transport.js';

export type TransportOptions = GraphTransportOptions;

/**
 * The transport a store's settings call for: Microsoft Graph for OAuth2 with the Office365Graph
 * provider (no SMTP involved), SMTP through a pool for everything else.
 */
export function createTransport(config: SmtpConfig, tokens: TokenSource, options: TransportOptions = {}): MailTransport {
  if (config.auth.kind === 'oauth2' && config.auth.provider === 'Office365Graph') return createGraphTransport(config, tokens, options);
  return createSmtpTransport(config, tokens);
}
