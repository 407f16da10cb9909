// Syntax tree of herald's command language (a PowerShell subset).
// The parser only describes what was written; binding parameters and
// evaluating values is left to the caller, so nothing here is resolved.

/** 1-based; carried by every node a user may get an error about. */
export interface Position {
  line: number;
  column: number;
}

/**
 * `.Name`, `[0]` or `.Method(args)` following a variable or a parenthesised group. A method's
 * arguments are one group: `(a, b)` evaluates to the array of its arguments.
 */
export type Accessor = { prop: string } | { index: number } | { method: string; args: ExprOf<'subexpression'>; pos: Position };

export interface HashtableEntry {
  /** Original spelling; keys compare case-insensitively (duplicates are rejected). */
  key: string;
  value: Expr;
  pos: Position;
}

export type Expr =
  /** Quoted string without expansion, number, `$true` / `$false` / `$null`. */
  | { kind: 'literal'; value: string | number | boolean | null; pos: Position }
  /** Unquoted word used as a value, e.g. `corp`, `C:\path`, `*.example`. */
  | { kind: 'bareword'; value: string; pos: Position }
  /** Double-quoted string containing `$var` or `$( )`; plain double-quoted strings are literals. */
  | { kind: 'expandable'; parts: (string | Expr)[]; pos: Position }
  | { kind: 'variable'; name: string; scope?: string; path: Accessor[]; pos: Position }
  | { kind: 'array'; items: Expr[]; pos: Position }
  | { kind: 'hashtable'; entries: HashtableEntry[]; pos: Position }
  /**
   * `( ... )` or `$( ... )`, optionally followed by accessors. `array` marks an
   * `@( ... )` whose items are only known at run time (it runs commands or
   * enumerates variables): its output must always be collected into an array.
   */
  | { kind: 'subexpression'; statements: Statement[]; path: Accessor[]; array?: true; pos: Position }
  /** `{ ... }`: the source between the braces, untouched (not trimmed). */
  | { kind: 'scriptblock'; text: string; pos: Position };

export type ExprOf<K extends Expr['kind']> = Extract<Expr, { kind: K }>;

export type Argument =
  /** `-Name` (no value) or `-Name:value`; `name` is without the dash and colon. */
  | { kind: 'parameter'; name: string; value?: Expr; pos: Position }
  | { kind: 'value'; value: Expr; pos: Position };

export interface CommandElement {
  kind: 'command';
  name: string;
  args: Argument[];
  pos: Position;
}

/** Only ever the first element of a pipeline, e.g. `$s | Format-List`. */
export interface ExpressionElement {
  kind: 'expression';
  expr: Expr;
  pos: Position;
}

export type PipelineElement = CommandElement | ExpressionElement;

export interface Pipeline {
  elements: PipelineElement[];
}

export interface Statement {
  /** Variable name (without `$`) for `$name = ...`. */
  assign?: string;
  pipeline: Pipeline;
  /** The statement's source, for error messages and -WhatIf. */
  text: string;
  pos: Position;
}

export interface Script {
  statements: Statement[];
}
