import type { CommandTable } from '../session.js';
import type { Command, CommandInvocation } from './command.js';
import { helpCommands } from './help-commands.js';
import { methodCmdlets } from './method-cmdlets.js';
import { pipelineCommands } from './pipeline-commands.js';
import { sessionCommands } from './session-commands.js';
import { daemonProfileCommands } from './daemon-profile-commands.js';
import { utilityCommands } from './utility-commands.js';
import { builtin } from './builtin.js';
import { ExitRequest } from '../errors.js';

const exitCommand = builtin({
  name: 'Exit-Shell',
  aliases: ['exit', 'quit'],
  summary: 'Leaves the shell (or ends the script) with an exit code.',
  parameters: [{ name: 'Code', type: 'integer', position: 0 }],
  examples: [{ command: 'exit 3', description: 'Ends a script with exit code 3.' }],
  invoke: ({ bound }) => {
    throw new ExitRequest((bound.Code as number | undefined) ?? 0);
  },
});

/** Every command of the shell, found by name or alias regardless of case. */
export function createCommandTable(evaluateText: (text: string, invocation: CommandInvocation) => Promise<unknown>): CommandTable {
  const commands: Command[] = [];
  const byName = new Map<string, Command>();
  const table: CommandTable = {
    find: (name) => byName.get(name.toLowerCase()),
    all: () => [...commands],
  };
  commands.push(...methodCmdlets(), ...pipelineCommands(evaluateText), ...helpCommands(() => table), ...sessionCommands(), ...utilityCommands(), ...daemonProfileCommands(), exitCommand);
  for (const command of commands) {
    for (const name of [command.name, ...command.aliases]) {
      const key = name.toLowerCase();
      if (byName.has(key)) throw new Error(`two commands answer to '${name}'`);
      byName.set(key, command);
    }
  }
  return table;
}
