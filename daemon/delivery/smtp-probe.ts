import type { SmtpTestReport } from '../../protocol/settings/test-report.js';
import { checkGraph } from './graph-check.js';
import { messageOf, replyCode, round } from './probe-readings.js';
import { redactSecrets } from './probe-redaction.js';
import { ProbeSteps, StepFailed, type SmtpProbeOptions } from './probe-steps.js';
import { remedyFor } from './remedies.js';
import type { SmtpConfig } from './smtp-config.js';
import { SmtpWalk } from './smtp-walk.js';

/** The report without the store's name, which the caller knows and fills in. */
export type SmtpProbeReport = Omit<SmtpTestReport, 'identityStore'>;

/**
 * Walks one SMTP session step by step — connect, TLS, EHLO, token, AUTH, MAIL, RCPT, DATA —
 * and reports each step's outcome, the server's replies and timings, stopping at the first
 * failure with a remedy. Office365Graph configurations cannot speak SMTP: only their token is
 * checked. Secrets never appear in the report.
 */
export async function probeSmtp(config: SmtpConfig, options: SmtpProbeOptions): Promise<SmtpProbeReport> {
  const probe = new ProbeSteps(config, options);
  const started = probe.now();
  const graph = config.auth.kind === 'oauth2' && config.auth.provider === 'Office365Graph';
  const walk = graph ? null : new SmtpWalk(probe);
  let failure: StepFailed | null = null;
  try {
    if (walk) await walk.run();
    else await checkGraph(probe);
  } catch (err) {
    // Anything else is a bug or an unforeseen error: still a report, never a thrown secret.
    failure = err instanceof StepFailed ? err : new StepFailed(probe.nextStep(), `unexpected error: ${messageOf(err)}`, 0);
    if (!failure.recorded) probe.record(failure.step, false, failure.detail, failure.durationMs, failure.info.reply ?? null);
  } finally {
    await walk?.close(failure !== null);
  }
  failure ??= walk?.softFailure ?? null;

  const report: SmtpProbeReport = {
    server: config.server,
    port: config.port,
    tlsMode: config.tlsMode,
    authentication: { none: 'Default', basic: 'Basic', oauth2: 'OAuth2' }[config.auth.kind],
    success: failure === null,
    sent: walk?.sent ?? false,
    steps: probe.steps,
    tls: walk?.tls ?? null,
    capabilities: walk?.capabilities ?? [],
    authMechanism: walk?.authMechanism ?? null,
    messageId: walk?.messageIdSent ? options.messageId : null,
    queueId: walk?.queueId ?? null,
    totalMs: round(probe.now() - started),
    error: failure ? `${failure.step} failed: ${failure.detail}` : null,
    remedy: failure ? remedyOf(failure, config) : null,
  };
  return redactSecrets(report, config.auth, probe.tokensSeen);
}

/** What remedies.ts advises for the step that failed. */
function remedyOf(failure: StepFailed, config: SmtpConfig): string | null {
  const reply = failure.info.reply;
  return remedyFor({
    step: failure.step,
    code: failure.info.code,
    responseCode: reply ? replyCode(reply) : undefined,
    response: reply,
    config,
    implicitTlsAnswered: failure.info.implicitTlsAnswered,
  });
}
