import { performance } from 'node:perf_hooks';
import type { TestStep } from '../../protocol/settings/test-report.js';
import type { TokenSource } from './mail-transport.js';
import { round } from './probe-readings.js';
import type { SmtpConfig } from './smtp-config.js';

export interface SmtpProbeOptions {
  /** Recipients of the test message; the sender's own address when none are given. */
  to?: string[];
  /** Stop after authentication: nothing is sent. */
  noSend: boolean;
  /** Where OAuth2 access tokens come from (required for OAuth2 configurations). */
  tokens?: TokenSource;
  /** Limit for connecting, for the greeting and TLS setup, and for each wait on the server (default 15 s). */
  timeoutMs?: number;
  messageId: string;
  /** Clock for step durations, in milliseconds (tests inject one). */
  now?: () => number;
}

export type StepName = TestStep['step'];

/** Ends the walk at a failed step; probeSmtp() records it and asks remedies.ts what to do. */
export class StepFailed extends Error {
  constructor(
    readonly step: StepName,
    readonly detail: string,
    readonly durationMs: number,
    readonly info: { code?: string; reply?: string; implicitTlsAnswered?: boolean } = {},
    /** Already in the step list (a refused recipient among several): probeSmtp() must not add it again. */
    readonly recorded = false,
  ) {
    super(detail);
  }
}

const DEFAULT_TIMEOUT_MS = 15_000;

/**
 * What every part of one probe shares: the configuration under test, its options and clock, the
 * steps recorded so far, and the access tokens seen (for the report's redaction).
 */
export class ProbeSteps {
  readonly now: () => number;
  readonly timeoutMs: number;
  readonly steps: TestStep[] = [];
  /** Every access token seen, so the final redaction can remove them whatever text they got into. */
  readonly tokensSeen: string[] = [];

  constructor(readonly config: SmtpConfig, readonly options: SmtpProbeOptions) {
    this.now = options.now ?? (() => performance.now());
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  }

  record(step: StepName, ok: boolean, detail: string, durationMs: number, reply: string | null): void {
    this.steps.push({ step, ok, detail, durationMs: round(Math.max(durationMs, 0)), reply });
  }

  /** The step an unexpected error belongs to: the one after the last recorded. */
  nextStep(): StepName {
    const order: StepName[] = ['connect', 'tls', 'ehlo', 'token', 'auth', 'mail', 'rcpt', 'data'];
    const last = this.steps[this.steps.length - 1]?.step;
    return last ? order[Math.min(order.indexOf(last) + 1, order.length - 1)] : 'connect';
  }
}
