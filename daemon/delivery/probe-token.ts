import { messageOf, withTimeout, type WireError } from './probe-readings.js';
import { StepFailed, type ProbeSteps } from './probe-steps.js';

/**
 * The token step, for SMTP's XOAUTH2 and for Microsoft Graph alike: one access token from the
 * store's token source, described by where it came from (never by its value).
 */
export async function tokenStep(probe: ProbeSteps): Promise<string> {
  const { config, options } = probe;
  const auth = config.auth;
  if (auth.kind !== 'oauth2') throw new Error('token() without OAuth2');
  const start = probe.now();
  if (!options.tokens) throw new StepFailed('token', 'no token source is available for OAuth2', 0);
  const flow = auth.flow === 'ClientCredentials' ? `client credentials of app ${auth.clientId}` : `password flow for ${auth.user} (app ${auth.clientId})`;
  const source = `${auth.tokenEndpoint || '(no token endpoint)'} (${flow}, scope ${auth.scope || '(none)'})`;
  let result: { accessToken: string; expiresOn: Date };
  try {
    result = await withTimeout(options.tokens.token(config, false), probe.timeoutMs, 'the token endpoint did not answer');
  } catch (err) {
    const e = err as WireError & { errorCode?: string };
    const text = messageOf(err);
    throw new StepFailed('token', `no access token from ${source}: ${text}`, probe.now() - start, { code: e.code ?? e.errorCode, reply: text });
  }
  probe.tokensSeen.push(result.accessToken);
  probe.record('token', true, `access token from ${source}, valid until ${result.expiresOn.toISOString()}`, probe.now() - start, null);
  return result.accessToken;
}
