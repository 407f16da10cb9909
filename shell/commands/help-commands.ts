import { wildcardToRegExp } from '../format/index.js';
import { ShellError } from '../errors.js';
import { helpText } from '../help.js';
import { FormattedText } from '../output.js';
import type { CommandTable } from '../session.js';
import type { Command } from './command.js';
import { builtin } from './builtin.js';

const OVERVIEW = `herald management shell

  Get-Command                    lists every command
  Get-Command -Noun IdentityStore  commands about one kind of object
  Get-Help <command> -Examples   shows how to use a command
  Get-Help <command> -Full       every parameter

Commands take -Parameter value pairs; Tab completes commands, parameters and values.
A line that is not a command runs as JavaScript; every cmdlet is also an async function there
(await GetIdentityStore({ Name: 'corp' })).
`;

export function helpCommands(table: () => CommandTable): Command[] {
  return [
    builtin({
      name: 'Get-Help',
      aliases: ['help'],
      summary: 'Shows help for a command, with examples.',
      parameters: [
        { name: 'Name', position: 0 },
        { name: 'Examples', type: 'boolean', isSwitch: true },
        { name: 'Full', type: 'boolean', isSwitch: true },
        { name: 'Detailed', type: 'boolean', isSwitch: true },
      ],
      examples: [
        { command: 'Get-Help New-IdentityStore -Examples', description: 'Examples of creating identity stores.' },
        { command: 'Get-Help Set-IdentityStore -Full', description: 'Every parameter of Set-IdentityStore.' },
      ],
      invoke: ({ bound, session }) => {
        const name = bound.Name as string | undefined;
        if (!name) return [new FormattedText(OVERVIEW)];
        const command = table().find(name);
        if (!command) {
          throw new ShellError(`Get-Help: no command named '${name}'`, `Get-Command *${name.replace(/^\w+-/, '')}* finds similar names`);
        }
        const detail = bound.Examples ? 'examples' : bound.Full || bound.Detailed ? 'full' : 'default';
        const text = helpText(command, detail);
        return session.outputFormat === 'Json' ? [{ name: command.name, help: text }] : [new FormattedText(text)];
      },
    }),
    builtin({
      name: 'Get-Command',
      aliases: ['gcm'],
      summary: 'Lists the commands, filtered by verb, noun or name.',
      parameters: [
        { name: 'Name', position: 0 },
        { name: 'Verb' },
        { name: 'Noun' },
      ],
      examples: [
        { command: 'Get-Command', description: 'Every command.' },
        { command: 'Get-Command -Noun IdentityStore*', description: 'Commands for identity stores and their portals.' },
        { command: 'Get-Command *Portal*', description: 'Commands whose name contains Portal.' },
      ],
      invoke: ({ bound }) => {
        const matches = (pattern: unknown, text: string) => pattern === undefined || wildcardToRegExp(String(pattern)).test(text);
        return table()
          .all()
          .filter((c) => {
            const [verb, noun = ''] = c.name.split(/-(.*)/s);
            return matches(bound.Name, c.name) && matches(bound.Verb, verb) && matches(bound.Noun, noun);
          })
          .sort((a, b) => a.name.localeCompare(b.name))
          .map((c) => ({ CommandType: c.kind, Name: c.name, Method: c.method ?? '', Synopsis: c.summary }));
      },
    }),
  ];
}
