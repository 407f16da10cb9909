import { HeraldError } from '../protocol/index.js';

/** An error found by the shell itself (binding, parsing, prompting), with an optional remedy. */
export class ShellError extends Error {
  constructor(message: string, readonly remedy?: string) {
    super(message);
    this.name = 'ShellError';
  }
}

/** The text a person sees for an error, on stderr: what failed, why, and what to do. */
export function describeError(error: unknown, parameterName?: (field: string) => string | undefined): string {
  if (error instanceof HeraldError) {
    const field = error.data?.field;
    const parameter = field ? parameterName?.(field) : undefined;
    const lines = [`${error.message}${parameter ? ` (-${parameter})` : ''} [${error.errorName}]`];
    if (error.data?.remedy) lines.push(`  remedy: ${error.data.remedy}`);
    return lines.join('\n');
  }
  if (error instanceof ShellError) return error.remedy ? `${error.message}\n  remedy: ${error.remedy}` : error.message;
  if (error instanceof Error) return error.message;
  return String(error);
}

/** Thrown by `exit`: the runner or REPL ends with this code. */
export class ExitRequest extends Error {
  constructor(readonly code: number) {
    super(`exit ${code}`);
  }
}
