import type { CmdletExample } from '../../protocol/index.js';
import type { Command, CommandInvocation, Parameter, ParameterType } from './command.js';

type ParameterShorthand = Partial<Parameter> & { name: string; type?: ParameterType };

/** Declares a shell-only command; parameters default to optional strings keyed by their name. */
export function builtin(spec: {
  name: string;
  aliases?: string[];
  summary: string;
  description?: string;
  parameters?: ParameterShorthand[];
  examples: CmdletExample[];
  /** Hand the piped objects over whole (formatters, filters) instead of one call per object. */
  wholeInput?: boolean;
  invoke(invocation: CommandInvocation): Promise<unknown[]> | unknown[];
}): Command {
  return {
    name: spec.name,
    aliases: spec.aliases ?? [],
    kind: 'Builtin',
    summary: spec.summary,
    description: spec.description,
    parameters: (spec.parameters ?? []).map((p) => ({
      key: p.name,
      aliases: [],
      type: 'string',
      required: false,
      ...p,
      isSwitch: p.isSwitch ?? p.type === 'boolean',
    })),
    examples: spec.examples,
    supportsShouldProcess: false,
    processesEachInput: !spec.wholeInput,
    invoke: async (invocation) => spec.invoke(invocation),
  };
}
