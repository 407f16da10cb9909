import type { Command, Parameter } from './commands/command.js';

const INDENT = '    ';

function typeLabel(parameter: Parameter): string {
  if (parameter.enumValues) return `<${parameter.enumValues.join('|')}>`;
  const labels: Record<string, string> = {
    string: 'string', number: 'double', integer: 'int', 'string[]': 'string[]', object: 'hashtable', credential: 'PSCredential', any: 'object',
  };
  return `<${labels[parameter.type] ?? 'object'}>`;
}

function syntaxOf(parameter: Parameter): string {
  if (parameter.isSwitch || (parameter.type === 'boolean' && !parameter.required)) return `[-${parameter.name}]`;
  const name = parameter.position !== undefined ? `[-${parameter.name}]` : `-${parameter.name}`;
  const text = `${name} ${typeLabel(parameter)}`;
  return parameter.required ? text : `[${text}]`;
}

export function syntax(command: Command): string {
  const ordered = [...command.parameters].sort((a, b) => {
    const rank = (p: Parameter) => (p.position !== undefined ? p.position : p.required ? 100 : 1000);
    return rank(a) - rank(b);
  });
  return [command.name, ...ordered.map(syntaxOf)].join(' ');
}

function section(title: string, lines: string[]): string {
  return `${title}\n${lines.map((line) => (line ? INDENT + line : '')).join('\n')}\n`;
}

function examples(command: Command): string {
  return command.examples
    .map((example, i) => `${INDENT}-------------------------- EXAMPLE ${i + 1} --------------------------\n\n${INDENT}PS> ${example.command}\n\n${INDENT}${example.description}\n`)
    .join('\n');
}

function parameterDetails(parameter: Parameter): string[] {
  const lines = [`-${parameter.name} ${parameter.isSwitch ? '' : typeLabel(parameter)}`.trimEnd()];
  if (parameter.description) lines.push(`    ${parameter.description}`);
  lines.push(`    Required: ${parameter.required}; Position: ${parameter.position ?? 'named'}; Pipeline input: ${parameter.fromPipeline ? 'by value and by property name' : 'no'}`);
  if (parameter.aliases.length) lines.push(`    Aliases: ${parameter.aliases.join(', ')}`);
  lines.push('');
  return lines;
}

/** Get-Help's text, built from the command table (itself built from the protocol table). */
export function helpText(command: Command, detail: 'default' | 'examples' | 'full'): string {
  const parts = [section('NAME', [command.name]), section('SYNOPSIS', [command.summary])];
  if (detail === 'examples') return [...parts, `EXAMPLES\n${examples(command)}`].join('\n');
  parts.push(section('SYNTAX', [syntax(command)]));
  const description = [command.description ?? command.summary];
  if (command.method) description.push('', `Calls the JSON-RPC method ${command.method}.`);
  parts.push(section('DESCRIPTION', description));
  if (command.aliases.length) parts.push(section('ALIASES', [command.aliases.join(', ')]));
  if (detail === 'full') {
    parts.push(section('PARAMETERS', command.parameters.flatMap(parameterDetails)));
    parts.push(`EXAMPLES\n${examples(command)}`);
  } else {
    parts.push(section('REMARKS', [`For examples, type: Get-Help ${command.name} -Examples`, `For all details, type: Get-Help ${command.name} -Full`]));
  }
  return parts.join('\n');
}
