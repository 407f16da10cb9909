import { createHash } from 'node:crypto';
import * as msal from '@azure/msal-node';
import { DeliveryError, type TokenSource } from './mail-transport.js';
import type { SmtpAuth, SmtpConfig } from './smtp-config.js';
import { authorityFor, createHttpsNetworkClient, tokenError } from './token-endpoint.js';

type OAuthAuth = Extract<SmtpAuth, { kind: 'oauth2' }>;

export interface TokenSourceOptions {
  /**
   * Extra CA certificates (PEM) trusted for token endpoints, on top of the system's. Tests use it
   * for a local endpoint with a private CA; in the daemon NODE_EXTRA_CA_CERTS does the same.
   */
  ca?: string | string[];
  /** Replaces the built-in node:https network module (and with it `ca` and `timeoutMs`). */
  networkClient?: msal.INetworkModule;
  /** How long one token request may take, 15 s by default. */
  timeoutMs?: number;
}

/** A token's lifetime is cut short by this much: a token about to expire may die mid-session (MSAL's own margin). */
const EXPIRY_MARGIN_MS = 5 * 60 * 1000;

interface CachedToken { accessToken: string; expiresOn: Date }

/**
 * Tokens from Microsoft Entra (or any token endpoint speaking its protocol) through MSAL. One
 * ConfidentialClientApplication per (token endpoint, client id, client secret): MSAL keeps its
 * token cache per application, so reusing it is what makes tokens cached; a changed secret
 * gets a fresh application.
 */
export function createTokenSource(options: TokenSourceOptions = {}): TokenSource {
  const networkClient = options.networkClient ?? createHttpsNetworkClient({ ca: options.ca, timeoutMs: options.timeoutMs });
  const apps = new Map<string, msal.ConfidentialClientApplication>();
  // acquireTokenByUsernamePassword never reads MSAL's cache (it always posts to the endpoint),
  // so password-flow tokens are remembered here.
  const passwordTokens = new Map<string, CachedToken>();
  // Five pool connections opening at once would otherwise fetch five tokens.
  const inFlight = new Map<string, Promise<CachedToken>>();

  const appFor = (auth: OAuthAuth): { key: string; app: msal.ConfidentialClientApplication } => {
    // Hashed so the secret is not spread around in map keys.
    const key = createHash('sha256').update(JSON.stringify([auth.tokenEndpoint, auth.clientId, auth.clientSecret, auth.tenant])).digest('hex');
    let app = apps.get(key);
    if (!app) {
      const { authority, knownAuthorities, authorityMetadata } = authorityFor(auth.tokenEndpoint, auth.tenant);
      app = new msal.ConfidentialClientApplication({
        auth: { clientId: auth.clientId, clientSecret: auth.clientSecret, authority, knownAuthorities, authorityMetadata },
        system: { networkClient },
      });
      // Settings changes leave old applications behind; a bound keeps that from growing forever.
      if (apps.size >= 64) apps.delete(apps.keys().next().value as string);
      apps.set(key, app);
    }
    return { key, app };
  };

  const fetchToken = async (auth: OAuthAuth, renew: boolean): Promise<CachedToken> => {
    const { key, app } = appFor(auth);
    const scopes = [auth.scope];
    if (auth.flow === 'ClientCredentials') {
      // MSAL 7 spells "bypass the cache" `skipCache` for this flow (there is no forceRefresh).
      const result = await app.acquireTokenByClientCredential({ scopes, skipCache: renew });
      return toToken(result);
    }
    const cacheKey = `${key}\n${auth.user}\n${auth.scope}`;
    const cached = passwordTokens.get(cacheKey);
    if (!renew && cached && cached.expiresOn.getTime() - EXPIRY_MARGIN_MS > Date.now()) return cached;
    passwordTokens.delete(cacheKey);
    const result = await app.acquireTokenByUsernamePassword({ scopes, username: auth.user, password: auth.pass ?? '' });
    const token = toToken(result);
    passwordTokens.set(cacheKey, token);
    return token;
  };

  return {
    async token(config: SmtpConfig, renew: boolean) {
      const auth = config.auth;
      if (auth.kind !== 'oauth2') throw new DeliveryError(`store ${config.storeName} does not use OAuth2`, false, { code: 'ECONFIG' });
      if (!auth.tokenEndpoint || !auth.clientId || !auth.scope) {
        throw new DeliveryError('OAuth2 needs a token endpoint, a client id and a scope', false, { code: 'ECONFIG' });
      }
      const flightKey = createHash('sha256')
        .update(JSON.stringify([auth.tokenEndpoint, auth.clientId, auth.clientSecret, auth.tenant, auth.flow, auth.user, auth.pass, auth.scope, renew]))
        .digest('hex');
      let pending = inFlight.get(flightKey);
      if (!pending) {
        pending = fetchToken(auth, renew).finally(() => inFlight.delete(flightKey));
        inFlight.set(flightKey, pending);
      }
      try {
        return await pending;
      } catch (err) {
        // A fresh error per caller: nodemailer decorates the error it gets (code, command), and
        // callers sharing one in-flight request must not see each other's decorations.
        const mapped = tokenError(err);
        throw new DeliveryError(mapped.message, mapped.transient, { ...mapped.details });
      }
    },
  };
}

function toToken(result: msal.AuthenticationResult | null): CachedToken {
  if (!result?.accessToken) throw new DeliveryError('token endpoint returned no access token', true, { code: 'EOAUTH2' });
  // Without an expiry, assume an hour (Entra's usual lifetime) rather than forever.
  return { accessToken: result.accessToken, expiresOn: result.expiresOn ?? new Date(Date.now() + 3600_000) };
}
