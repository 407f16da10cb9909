import { describeError } from './errors.js';
import { CommandFailure } from './evaluator.js';
import { ParseError } from './language/index.js';

/** One error as the person sees it on stderr: where, which command, what, and the remedy. */
export function reportError(error: unknown, where?: string): string {
  const prefix = where ? `${where}: ` : '';
  if (error instanceof CommandFailure) {
    const { command } = error;
    const parameterName = (field: string) => {
      const key = field.split('.')[0];
      return command.parameters.find((p) => p.key === key)?.name;
    };
    const text = describeError(error.cause, parameterName);
    // Binding errors already start with the command's name.
    return `${prefix}${text.startsWith(`${command.name}:`) ? '' : `${command.name}: `}${text}\n`;
  }
  if (error instanceof ParseError) return `${prefix}syntax error at ${error.message}\n`;
  return `${prefix}${describeError(error)}\n`;
}
