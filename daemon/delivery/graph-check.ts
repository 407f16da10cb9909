import type { ProbeSteps } from './probe-steps.js';
import { tokenStep } from './probe-token.js';
import { addressOf } from './smtp-config.js';

/**
 * The probe of an Office365Graph store. Graph sends over HTTPS, not SMTP: checking the token is
 * all a probe can do without sending.
 */
export async function checkGraph(probe: ProbeSteps): Promise<void> {
  const { config, options } = probe;
  if (config.auth.kind !== 'oauth2') return;
  await tokenStep(probe);
  const sendMail = `POST ${config.auth.graphEndpoint.replace(/\/+$/, '')}/users/${encodeURIComponent(addressOf(config.from))}/sendMail`;
  probe.record('graph', true,
    `mail for this store goes through Microsoft Graph (${sendMail}), not SMTP; the probe checked the token only${options.noSend ? '' : ' and sent nothing: a test mail through Graph goes through the queue'}`,
    0, null);
}
