import { DEFAULT_SETTINGS, effectivePort, HeraldError, SECRET_FIELDS, type ValidParamsOf } from '../../protocol/index.js';
import type { Handler, Services } from '../context.js';
import { changeSettings, readState, type SettingsPatch } from '../settings/change.js';
import type { SecretPatch } from '../settings/settings-store.js';
import { smtpView } from '../settings/views.js';
import { checkSettings } from '../settings/rules.js';
import { readSecret } from '../settings/settings-store.js';
import { addressOf, smtpConfig } from '../delivery/smtp-config.js';
import { randomUUID } from 'node:crypto';

type SetParams = ValidParamsOf<'smtpServer.set'>;

const STORED = ['server', 'port', 'from', 'tlsMode', 'skipCertificateCheck', 'caCertificate', 'minTlsVersion', 'authentication',
  'userName', 'provider', 'tokenEndpoint', 'clientId', 'scope', 'oauthFlow', 'graphEndpoint', 'tenant', 'rateLimitPerMinute',
  'maxRecipientsPerMessage', 'to'] as const;

function conflict(field: string, message: string): never {
  throw new HeraldError('ValidationFailed', message, { field });
}

/** The reference shell's shorthands (-SslEnabled, -UseSmtpUserAuthentication, -Credential) as plain fields. */
function toPatch(params: SetParams, current: typeof DEFAULT_SETTINGS): { patch: SettingsPatch; secrets: SecretPatch } {
  const patch: SettingsPatch = {};
  for (const field of STORED) {
    if (params[field] !== undefined) (patch as Record<string, unknown>)[field] = params[field];
  }
  if (params.sslEnabled !== undefined) {
    if (params.tlsMode !== undefined) conflict('sslEnabled', 'give -SslEnabled or -TlsMode, not both: -TlsMode says exactly what -SslEnabled says roughly');
    const port = effectivePort({ port: patch.port !== undefined ? patch.port : current.port, tlsMode: 'StartTls' });
    patch.tlsMode = params.sslEnabled ? (port === 465 ? 'Implicit' : 'StartTls') : 'Opportunistic';
  }
  if (params.useSmtpUserAuthentication !== undefined) {
    if (params.authentication !== undefined) conflict('useSmtpUserAuthentication', 'give -UseSmtpUserAuthentication or -Authentication, not both');
    patch.authentication = params.useSmtpUserAuthentication ? 'Basic' : 'Default';
  }
  const secrets: SecretPatch = {};
  for (const field of SECRET_FIELDS) if (params[field] !== undefined) secrets[field] = params[field];
  if (params.credential) {
    if (params.userName !== undefined || params.password !== undefined) conflict('credential', 'give -Credential or -UserName/-Password, not both');
    patch.userName = params.credential.userName;
    secrets.password = params.credential.password;
  }
  return { patch, secrets };
}

export function smtpServerHandlers(services: Services) {
  const get: Handler<'smtpServer.get'> = ({ identityStore }) => smtpView(readState(services, identityStore));

  const set: Handler<'smtpServer.set'> = (params, caller) => {
    const state = changeSettings(services, caller, 'smtpServer.set', params.identityStore, (current) => toPatch(params, current));
    return { ...smtpView(state), ...(state.warnings.length ? { warnings: state.warnings } : {}) };
  };

  // As in the reference product: without an SMTP server nothing is sent, so every section goes.
  const clear: Handler<'smtpServer.clear'> = ({ identityStore }, caller) => {
    changeSettings(services, caller, 'smtpServer.clear', identityStore, () => ({
      patch: {},
      reset: true,
      secrets: Object.fromEntries(SECRET_FIELDS.map((field) => [field, null])),
    }));
    return null;
  };

  // Tries the saved settings with the given ones laid over them, saving nothing.
  const test: Handler<'smtpServer.test'> = async (params) => {
    const state = readState(services, params.identityStore);
    const { to, noSend, ...overrides } = params;
    const { patch, secrets } = toPatch(overrides as SetParams, state.settings);
    const settings = { ...state.settings, ...patch };
    const secretsSet = { ...state.secrets };
    for (const field of SECRET_FIELDS) if (secrets[field] !== undefined) secretsSet[field] = secrets[field] !== null;
    checkSettings(settings, secretsSet, state.store);
    if (!noSend && !to?.length) {
      throw new HeraldError('InvalidParams', 'name who receives the test mail with -To, or stop before sending with -NoSend', { field: 'to' });
    }
    const storeId = state.store.id;
    const config = smtpConfig(state.store.name, settings, (field) =>
      secrets[field] !== undefined ? secrets[field] ?? undefined : readSecret(services.db, services.secrets, storeId, field));
    if (!config) {
      throw new HeraldError('ValidationFailed', `identity store '${state.store.name}' has no SMTP server to test`, { field: 'server', remedy: 'give -Server, or save one with Set-SmtpServer' });
    }
    const domain = addressOf(config.from).split('@')[1] ?? 'herald.invalid';
    // The probe brings nodemailer's SMTP client: loaded when a test is asked for.
    const { probeSmtp } = await import('../delivery/smtp-probe.js');
    const report = await probeSmtp(config, { to, noSend: noSend === true, tokens: services.delivery.tokens, messageId: `<${randomUUID()}@${domain}>` });
    return { identityStore: state.store.name, ...report };
  };

  return { 'smtpServer.get': get, 'smtpServer.set': set, 'smtpServer.clear': clear, 'smtpServer.test': test };
}
