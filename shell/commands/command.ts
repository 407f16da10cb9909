import type { CmdletExample } from '../../protocol/index.js';
import type { Session } from '../session.js';

export type ParameterType = 'string' | 'number' | 'integer' | 'boolean' | 'string[]' | 'object' | 'credential' | 'any';

/** One parameter as the shell sees it: PascalCase name, aliases, type for coercion and help. */
export interface Parameter {
  /** PascalCase shell name, e.g. `IdentityStore`. */
  name: string;
  /** The RPC field it fills; built-in commands use the shell name. */
  key: string;
  aliases: string[];
  type: ParameterType;
  /** Accepted values, canonical spelling first; binding matches them case-insensitively. */
  enumValues?: string[];
  required: boolean;
  position?: number;
  /** Strings piped in bind here; so do piped objects' properties named like the parameter. */
  fromPipeline?: boolean;
  /** More property names a piped object may fill this parameter from. */
  pipelineProperties?: string[];
  secret?: boolean;
  /** The value is a file path; the file's text (or parsed JSON) is what gets sent. */
  file?: 'text' | 'json';
  /** A switch: present means true, and it never takes the next argument as its value. */
  isSwitch?: boolean;
  description?: string;
}

/** Parameters after binding, keyed by `Parameter.key`. */
export type BoundParameters = Record<string, unknown>;

export interface CommandInvocation {
  bound: BoundParameters;
  /** Objects from the previous pipeline element, or undefined when this element starts the pipeline. */
  input: unknown[] | undefined;
  session: Session;
  /** The source text of the statement, for -WhatIf and errors. */
  text: string;
}

export interface Command {
  name: string;
  aliases: string[];
  /** 'Cmdlet' fronts an RPC method; 'Builtin' runs in the shell only. */
  kind: 'Cmdlet' | 'Builtin';
  summary: string;
  description?: string;
  /** The RPC method behind a cmdlet. */
  method?: string;
  parameters: Parameter[];
  examples: CmdletExample[];
  /** Takes -WhatIf and -Confirm. */
  supportsShouldProcess: boolean;
  /** Its output is a list even when it holds one object (JavaScript callers get an array). */
  returnsList?: boolean;
  /** Objects piped in are bound per object (true) or handed over whole (false, e.g. Format-Table). */
  processesEachInput: boolean;
  invoke(invocation: CommandInvocation): Promise<unknown[]>;
}
