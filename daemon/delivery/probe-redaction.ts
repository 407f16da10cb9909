import type { SmtpAuth } from './smtp-config.js';

/**
 * Removes every secret from every text of a probe's report, should one have slipped into a reply
 * or an error: the store's password or client secret, and the access tokens the probe saw.
 */
export function redactSecrets<T>(report: T, auth: SmtpAuth, tokensSeen: readonly string[]): T {
  const secrets = [...tokensSeen];
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
  return walk(report) as T;
}
