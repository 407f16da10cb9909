import type { Position } from './ast.js';

/** A syntax error; the message starts with `line L, column C:` so it can be shown as is. */
export class ParseError extends Error {
  /** The message without the position prefix. */
  readonly reason: string;

  constructor(reason: string, readonly pos: Position) {
    super(`line ${pos.line}, column ${pos.column}: ${reason}`);
    this.name = 'ParseError';
    this.reason = reason;
  }
}

/**
 * The input stopped where more was required (open string or bracket, trailing
 * `|`, `,`, `=` or backtick). A REPL should read another line and retry.
 */
export class IncompleteInputError extends ParseError {
  constructor(reason: string, pos: Position) {
    super(reason, pos);
    this.name = 'IncompleteInputError';
  }
}
