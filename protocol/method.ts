import type { z } from 'zod';
import type { ErrorName } from './errors.js';

export type Access = 'read' | 'write';

/** How the shell presents one RPC parameter. The parameter's shell name is its key in PascalCase. */
export interface CmdletParameter {
  /** Other accepted names, e.g. the reference Management Shell's spellings. */
  aliases?: string[];
  /** Position for positional binding, 0-based. */
  position?: number;
  /** Piped strings bind here, and so do piped objects' properties of the parameter's name or aliases. */
  fromPipeline?: boolean;
  /** More property names a piped object may fill this parameter from (not usable as -Name). */
  pipelineProperties?: string[];
  /** Prompted for with hidden input when left out on a terminal. */
  secret?: boolean;
  /** The shell takes a file path and sends the file's content: as text, or parsed as JSON. */
  file?: 'text' | 'json';
  /** Takes a credential (Get-Credential): sent as { userName, password }. */
  credential?: boolean;
  /**
   * Adds a shell parameter of this name that takes a file path and sends the file's text as this
   * parameter (`-Html` takes the text, `-HtmlFile` a file): the daemon never sees paths.
   */
  fileVariant?: string;
}

export interface CmdletExample {
  command: string;
  description: string;
}

export interface CmdletSpec {
  /** `Verb-Noun`, an approved PowerShell verb. */
  name: string;
  /** Other accepted cmdlet names. */
  aliases?: string[];
  parameters?: Record<string, CmdletParameter>;
  /** The parameter that names what the cmdlet acts on, shown by -WhatIf and -Confirm. */
  target?: string;
  /** High: asks before acting unless -Force or -Confirm:$false (Remove-*, Clear-*). */
  confirmImpact?: 'Medium' | 'High';
  /**
   * Where nobody can be asked (scripts), a High-impact cmdlet fails unless -Force; 'interactive'
   * makes it proceed instead, for reference cmdlets whose scripts never passed -Force.
   */
  confirmWhen?: 'always' | 'interactive';
  /** Properties the shell's default view shows (PascalCase); Format-List shows all. */
  display?: string[];
  /** The default view's layout: a table (default) or, for one wide object, a list. */
  view?: 'table' | 'list';
  /**
   * With -WhatIf the shell also says who the change would notify, by asking notification.resolve
   * about this kind of change to the object in `identity` (and each object in `related`).
   */
  whatIfNotification?: {
    kind: string;
    identity: string;
    related?: string;
    /** For a creation: what the new object would be, and which parameters describe it. */
    objectKind?: string;
    fields?: Record<string, string>;
  };
  /** The shell writes the result as JSON to the file named by this added parameter, and outputs nothing. */
  saveResultTo?: string;
  /**
   * With saveResultTo: write this property's text instead of JSON (a rendered page to open in a
   * browser). The file parameter is then optional: without it the result is output as usual.
   */
  saveResultProperty?: string;
  /** What the cmdlet writes to the pipeline: the result, nothing, or the result only with -PassThru. */
  output?: 'result' | 'none' | 'passThru';
  examples: CmdletExample[];
}

export interface RpcExample<P, R> {
  name: string;
  params: P;
  result: R;
}

export interface MethodSpec<P extends z.ZodObject = z.ZodObject, R extends z.ZodType = z.ZodType> {
  /** `noun.verb`, lowerCamel. */
  name: string;
  access: Access;
  summary: string;
  description?: string;
  params: P;
  result: R;
  /** Application errors this method may return, beyond the standard ones. */
  errors?: ErrorName[];
  examples: RpcExample<z.input<P>, z.output<R>>[];
  cmdlet: CmdletSpec;
}

/** Identity function that keeps each method's param and result types for the table. */
export function defineMethod<P extends z.ZodObject, R extends z.ZodType>(spec: MethodSpec<P, R>): MethodSpec<P, R> {
  return spec;
}

/** `identityStore` -> `IdentityStore`: the shell's name for an RPC parameter. */
export function toPascalCase(key: string): string {
  return key.charAt(0).toUpperCase() + key.slice(1);
}
