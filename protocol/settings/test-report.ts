import { z } from 'zod';

export const TEST_STEPS = ['connect', 'tls', 'ehlo', 'token', 'auth', 'mail', 'rcpt', 'data', 'graph'] as const;

export const TestStep = z.object({
  step: z.enum(TEST_STEPS),
  ok: z.boolean(),
  /** What happened, for a person: `connected to 192.0.2.10:587`, `250-PIPELINING …`, `535 5.7.3 …`. */
  detail: z.string(),
  durationMs: z.number(),
  /** The server's reply to this step, when it sent one. */
  reply: z.string().nullable(),
});
export type TestStep = z.infer<typeof TestStep>;

export const TlsReport = z.object({
  protocol: z.string().nullable(),
  cipher: z.string().nullable(),
  subject: z.string().nullable(),
  issuer: z.string().nullable(),
  validTo: z.string().nullable(),
  verified: z.boolean(),
  /** Why the certificate was not trusted (e.g. SELF_SIGNED_CERT_IN_CHAIN), when it was not. */
  verifyError: z.string().nullable(),
});
export type TlsReport = z.infer<typeof TlsReport>;

/** Test-SmtpServer's step-by-step account of one attempt, with a remedy when it failed. */
export const SmtpTestReport = z.object({
  identityStore: z.string(),
  server: z.string(),
  port: z.number().int(),
  tlsMode: z.string(),
  authentication: z.string(),
  success: z.boolean(),
  /** A mail went out (false with -NoSend, or when a step failed). */
  sent: z.boolean(),
  steps: z.array(TestStep),
  tls: TlsReport.nullable(),
  capabilities: z.array(z.string()).describe('What the server announced after EHLO'),
  authMechanism: z.string().nullable(),
  messageId: z.string().nullable(),
  /** The queue id from the server's reply to DATA, when it gave one. */
  queueId: z.string().nullable(),
  totalMs: z.number(),
  error: z.string().nullable(),
  remedy: z.string().nullable(),
});
export type SmtpTestReport = z.infer<typeof SmtpTestReport>;
