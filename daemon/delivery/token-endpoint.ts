import { request as httpsRequest } from 'node:https';
import { rootCertificates } from 'node:tls';
import * as msal from '@azure/msal-node';
import { DeliveryError } from './mail-transport.js';
import { isCertificateErrorCode } from './certificate-errors.js';

/*
 * Talking to OAuth token endpoints: MSAL's network module on node:https, the authority that keeps
 * MSAL on the endpoint the admin typed, and what the endpoint's (or MSAL's) errors mean for
 * delivery. What is cached, and when a token is renewed, is token-cache.ts's business.
 */

/**
 * Error codes this module's network client gives the AuthErrors it throws. MSAL passes an
 * AuthError from the network module through untouched, while any other error becomes a bare
 * `network_error` that has lost its cause, so these carry what the classification needs.
 */
const NETWORK_ERROR = 'network_error'; // MSAL's own code for the same thing
const ENDPOINT_UNAVAILABLE = 'herald_endpoint_unavailable';
const CERTIFICATE_ERROR = 'herald_certificate_error';
const INVALID_RESPONSE = 'herald_invalid_response';

/** A token answer is JSON of a few KB; anything far larger is not a token endpoint. */
const MAX_RESPONSE_BYTES = 1024 * 1024;

function authError(code: string, message: string, extra: Record<string, unknown> = {}): msal.AuthError {
  // AuthError resets its prototype in its constructor, so a subclass would not survive
  // `instanceof`: the extra facts ride as own properties instead.
  return Object.assign(new msal.AuthError(code, '', message), extra);
}

/**
 * MSAL's network module on node:https. MSAL's default client uses fetch, which cannot be given
 * a CA per request and has no timeout on POST (a hung token endpoint would hang a delivery
 * forever). It also lets MSAL see 429/5xx answers, and MSAL then throttles the same request for
 * 60 s and answers it from that throttle cache with an error that no longer says it was an
 * outage; here 429/5xx become an `herald_endpoint_unavailable` AuthError instead.
 */
export function createHttpsNetworkClient(options: { ca?: string | string[]; timeoutMs?: number } = {}): msal.INetworkModule {
  const extra = options.ca === undefined ? [] : Array.isArray(options.ca) ? options.ca : [options.ca];
  const ca = extra.length ? [...rootCertificates, ...extra] : undefined;
  const timeoutMs = options.timeoutMs ?? 15_000;

  const send = <T>(url: string, method: 'GET' | 'POST', init?: msal.NetworkRequestOptions): Promise<msal.NetworkResponse<T>> =>
    new Promise((resolve, reject) => {
      const target = new URL(url);
      // Named in errors without the query string MSAL appends (client-request-id and the like).
      const where = `${target.protocol}//${target.host}${target.pathname}`;
      if (target.protocol !== 'https:') {
        reject(authError(INVALID_RESPONSE, `token endpoint ${where} is not https`));
        return;
      }
      const body = method === 'POST' ? Buffer.from(init?.body ?? '', 'utf8') : undefined;
      const req = httpsRequest(target, {
        method,
        headers: { ...(init?.headers ?? {}), ...(body ? { 'content-length': String(body.length) } : {}) },
        ...(ca ? { ca } : {}),
        timeout: timeoutMs,
      });
      req.on('timeout', () => req.destroy(Object.assign(new Error(`no answer within ${timeoutMs} ms`), { code: 'ETIMEDOUT' })));
      req.on('error', (err: NodeJS.ErrnoException) => {
        if (isCertificateErrorCode(err.code)) {
          reject(authError(CERTIFICATE_ERROR, `certificate of token endpoint ${where} not trusted: ${err.message}`, { cause: err.code }));
        } else {
          reject(authError(NETWORK_ERROR, `token endpoint ${where} unreachable: ${err.code ?? ''} ${err.message}`.replace(/\s+/g, ' '), { cause: err.code }));
        }
      });
      req.on('response', (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_RESPONSE_BYTES) {
            req.destroy(Object.assign(new Error('answer too large'), { code: 'EMSGSIZE' }));
            return;
          }
          chunks.push(chunk);
        });
        res.on('error', () => undefined); // the request's 'error' handler reports it
        res.on('end', () => {
          const status = res.statusCode ?? 0;
          const headers: Record<string, string> = {};
          for (const [name, value] of Object.entries(res.headers)) {
            if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
          }
          const text = Buffer.concat(chunks).toString('utf8');
          let json: unknown;
          try {
            json = text ? JSON.parse(text) : {};
          } catch {
            json = undefined;
          }
          if (status === 429 || status >= 500) {
            const aadsts = json && typeof json === 'object' ? aadstsCode(json as Record<string, unknown>) : undefined;
            const retryAfter = headers['retry-after'];
            reject(authError(ENDPOINT_UNAVAILABLE,
              `token endpoint ${where} answered HTTP ${status}${aadsts ? ` (${aadsts})` : ''}${retryAfter ? `, retry after ${retryAfter}` : ''}`,
              { status, retryAfter, aadsts }));
            return;
          }
          if (json === undefined || typeof json !== 'object' || json === null) {
            // An HTML page or similar: the URL does not name a token endpoint.
            reject(authError(INVALID_RESPONSE, `token endpoint ${where} answered HTTP ${status} without a JSON body`, { status }));
            return;
          }
          resolve({ status, headers, body: json as T });
        });
      });
      req.end(body);
    });

  return {
    sendGetRequestAsync: (url, init) => send(url, 'GET', init),
    sendPostRequestAsync: (url, init) => send(url, 'POST', init),
  };
}

/** `AADSTS7000215` from an error answer: its `error_codes`, else its description. */
function aadstsCode(body: { error_codes?: unknown; error_description?: unknown }): string | undefined {
  if (Array.isArray(body.error_codes) && body.error_codes.length) return `AADSTS${String(body.error_codes[0])}`;
  const match = typeof body.error_description === 'string' ? /AADSTS\d+/.exec(body.error_description) : null;
  return match?.[0];
}

/**
 * Where MSAL should send token requests, as the admin typed the token endpoint. MSAL wants an
 * authority (`https://host/tenant`) and otherwise discovers the endpoints over the network
 * (instance discovery at login.microsoftonline.com, then the OpenID configuration); pinning the
 * metadata and naming the host a known authority keeps every request on the typed endpoint,
 * which also works for a sovereign cloud, a proxy, or a local test endpoint.
 */
export function authorityFor(tokenEndpoint: string, tenant: string | null): { authority: string; knownAuthorities: string[]; authorityMetadata: string } {
  let url: URL;
  try {
    url = new URL(tokenEndpoint);
  } catch {
    throw new DeliveryError(`OAuth token endpoint is not a URL: ${JSON.stringify(tokenEndpoint)}`, false, { code: 'ECONFIG' });
  }
  if (url.protocol !== 'https:') throw new DeliveryError('OAuth token endpoint must be an https URL', false, { code: 'ECONFIG' });
  // The tenant is the first path segment of Entra's endpoints (/{tenant}/oauth2/v2.0/token);
  // the configured tenant only stands in for an endpoint without one.
  const segment = url.pathname.split('/').filter(Boolean)[0];
  const base = `https://${url.host}/${segment && segment !== 'oauth2' ? segment : encodeURIComponent(tenant ?? 'organizations')}`;
  // The other endpoints share the authority's tenant: when the authorization endpoint names
  // another tenant than the authority, MSAL rewrites that path segment of the token endpoint.
  const metadata = {
    token_endpoint: tokenEndpoint,
    issuer: `${base}/v2.0`,
    authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
    end_session_endpoint: `${base}/oauth2/v2.0/logout`,
    jwks_uri: `${base}/discovery/v2.0/keys`,
  };
  return { authority: base, knownAuthorities: [url.host], authorityMetadata: JSON.stringify(metadata) };
}

/**
 * OAuth error codes (RFC 6749 §5.2 plus Entra's) that mean "try again later". Everything else
 * the endpoint refuses (invalid_client, invalid_grant with AADSTS50126 bad password or
 * AADSTS50076/50079 MFA, unauthorized_client with AADSTS700016 unknown app, invalid_scope …)
 * stays refused until an admin changes the settings: permanent.
 */
const TRANSIENT_OAUTH_ERRORS = new Set(['temporarily_unavailable', 'server_error']);

/** Maps what MSAL threw to a DeliveryError; the AADSTS code, when there is one, lands in details.code. */
export function tokenError(err: unknown): DeliveryError {
  if (err instanceof DeliveryError) return err;
  if (err instanceof msal.AuthError) {
    const extra = err as msal.AuthError & { status?: number; aadsts?: string; cause?: unknown };
    switch (err.errorCode) {
      case NETWORK_ERROR:
        return new DeliveryError(`OAuth token request failed: ${err.errorMessage}`, true, { code: 'EOAUTH2' });
      case ENDPOINT_UNAVAILABLE:
        return new DeliveryError(`OAuth token request failed: ${err.errorMessage}`, true, { code: extra.aadsts ?? 'EOAUTH2', responseCode: extra.status });
      case CERTIFICATE_ERROR:
        return new DeliveryError(`OAuth token request failed: ${err.errorMessage}`, false, { code: 'ETLS' });
      case INVALID_RESPONSE:
        return new DeliveryError(`OAuth token request failed: ${err.errorMessage}`, false, { code: 'EOAUTH2', responseCode: extra.status });
    }
    if (err instanceof msal.ServerError || err instanceof msal.InteractionRequiredAuthError) {
      const aadsts = /AADSTS\d+/.exec(err.errorMessage)?.[0] ?? (('errorNo' in err && err.errorNo) ? `AADSTS${err.errorNo}` : undefined);
      const description = describe(err.errorMessage);
      return new DeliveryError(
        `token endpoint refused the request: ${err.errorCode}${description ? ` ${description}` : ''}`,
        TRANSIENT_OAUTH_ERRORS.has(err.errorCode),
        { code: aadsts ?? err.errorCode },
      );
    }
    // ClientAuthError / ClientConfigurationError: MSAL refused the settings or the answer
    // (bad authority, unparsable token…). Retrying the same settings gives the same result.
    return new DeliveryError(`OAuth token request failed: ${err.errorCode}: ${err.errorMessage}`, false, { code: err.errorCode });
  }
  const message = err instanceof Error ? err.message : String(err);
  return new DeliveryError(`OAuth token request failed: ${message}`, true, { code: 'EOAUTH2' });
}

/**
 * The useful part of MSAL's error text: its ServerError message is "Error(s): … - Timestamp: …
 * - Description: AADSTS…: text\r\nTrace ID: … - Correlation ID: …"; keep the description's
 * first line, which is what an admin can act on.
 */
function describe(errorMessage: string): string {
  const description = /Description: ([\s\S]*?)(?: - Correlation ID:|$)/.exec(errorMessage)?.[1] ?? errorMessage;
  return description.split(/\r?\n/)[0].trim();
}
