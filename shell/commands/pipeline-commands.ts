import { COMPARISON_OPERATORS, convertToJson, formatList, formatTable, selectObject } from '../format/index.js';
import { FormattedText, outputWidth } from '../output.js';
import { filterObjects, parseFilterScript, ScriptBlock } from '../script-block.js';
import { ShellError } from '../errors.js';
import type { Command, CommandInvocation } from './command.js';
import { builtin } from './builtin.js';

const asStrings = (value: unknown): string[] | undefined => (value === undefined ? undefined : (value as string[]));

/** Format-* make text for people; in Json mode the objects pass untouched, for machines. */
function formatting(invocation: CommandInvocation, make: (objects: unknown[]) => string): unknown[] {
  const objects = invocation.input ?? [];
  if (invocation.session.outputFormat === 'Json') return objects;
  return [new FormattedText(make(objects))];
}

const OPERATOR_SWITCHES = COMPARISON_OPERATORS.flatMap((op) => [op, `c${op}`]).map((op) => ({
  name: op.toUpperCase(), type: 'boolean' as const, isSwitch: true,
}));

export function pipelineCommands(evaluateText: (text: string, invocation: CommandInvocation) => Promise<unknown>): Command[] {
  return [
    builtin({
      name: 'Format-Table',
      aliases: ['ft'],
      summary: 'Shows objects as a table.',
      wholeInput: true,
      parameters: [{ name: 'Property', type: 'string[]', position: 0 }, { name: 'Width', type: 'integer' }],
      examples: [{ command: 'Get-IdentityStore | Format-Table Name, Type', description: 'A table of store names and types.' }],
      invoke: (inv) => formatting(inv, (objects) => formatTable(objects, { properties: asStrings(inv.bound.Property), width: (inv.bound.Width as number | undefined) ?? outputWidth() })),
    }),
    builtin({
      name: 'Format-List',
      aliases: ['fl'],
      summary: 'Shows each object as a list of properties.',
      wholeInput: true,
      parameters: [{ name: 'Property', type: 'string[]', position: 0 }],
      examples: [{ command: 'Get-IdentityStore corp | Format-List', description: 'Every property of one store.' }],
      invoke: (inv) => formatting(inv, (objects) => formatList(objects, { properties: asStrings(inv.bound.Property) })),
    }),
    builtin({
      name: 'Select-Object',
      aliases: ['select'],
      summary: 'Picks properties, or the first or last objects.',
      wholeInput: true,
      parameters: [
        { name: 'Property', type: 'string[]', position: 0 },
        { name: 'First', type: 'integer' },
        { name: 'Last', type: 'integer' },
        { name: 'Skip', type: 'integer' },
        { name: 'ExpandProperty' },
        { name: 'Unique', type: 'boolean', isSwitch: true },
      ],
      examples: [
        { command: 'Get-IdentityStore | Select-Object Name, Type', description: 'Only the name and type of each store.' },
        { command: 'Get-IdentityStore | Select-Object -ExpandProperty Name', description: 'The store names as plain strings.' },
      ],
      invoke: ({ bound, input }) => selectObject(input ?? [], {
        properties: asStrings(bound.Property),
        first: bound.First as number | undefined,
        last: bound.Last as number | undefined,
        skip: bound.Skip as number | undefined,
        expandProperty: bound.ExpandProperty as string | undefined,
        unique: bound.Unique === true,
      }),
    }),
    builtin({
      name: 'Where-Object',
      aliases: ['where', '?'],
      summary: 'Keeps the objects whose property compares true.',
      description: `Operators: ${COMPARISON_OPERATORS.map((op) => `-${op}`).join(' ')} (and case-sensitive -c… forms). Comparisons ignore case unless -c… is used.`,
      wholeInput: true,
      parameters: [
        { name: 'Property', type: 'any', position: 0 },
        { name: 'Value', type: 'any', position: 1 },
        ...OPERATOR_SWITCHES,
      ],
      examples: [
        { command: 'Get-IdentityStore | Where-Object Type -eq Builtin', description: 'Only the builtin stores.' },
        { command: "Get-IdentityStore | ? { $_.Name -like 'c*' }", description: 'The same filter as a script block.' },
      ],
      async invoke(inv) {
        const objects = inv.input ?? [];
        const operators = OPERATOR_SWITCHES.filter((s) => inv.bound[s.name] === true);
        if (inv.bound.Property instanceof ScriptBlock) {
          const filter = parseFilterScript(inv.bound.Property);
          return filterObjects(objects, filter.property, filter.operator, await evaluateText(filter.valueText, inv));
        }
        if (typeof inv.bound.Property !== 'string') throw new ShellError('Where-Object: name a property (Where-Object Name -eq corp) or give a script block');
        if (operators.length !== 1) throw new ShellError('Where-Object: give exactly one comparison operator, e.g. -eq or -like');
        // A switch with no value (Where-Object Enabled -eq) compares with $true, as PowerShell does.
        const value = 'Value' in inv.bound ? inv.bound.Value : true;
        return filterObjects(objects, inv.bound.Property, operators[0].name.toLowerCase(), value);
      },
    }),
    builtin({
      name: 'ConvertTo-Json',
      summary: 'Writes objects as JSON text.',
      wholeInput: true,
      parameters: [{ name: 'Depth', type: 'integer' }, { name: 'Compress', type: 'boolean', isSwitch: true }, { name: 'InputObject', type: 'any', position: 0 }],
      examples: [{ command: 'Get-IdentityStore | ConvertTo-Json', description: 'Every store as JSON.' }],
      invoke: ({ bound, input }) => {
        const value = 'InputObject' in bound ? bound.InputObject : input ?? [];
        return [convertToJson(value, { depth: bound.Depth as number | undefined, compress: bound.Compress === true, unwrapSingle: !('InputObject' in bound) })];
      },
    }),
    builtin({
      name: 'Out-Null',
      summary: 'Discards the objects piped into it.',
      wholeInput: true,
      examples: [{ command: "New-IdentityStore Lab Builtin | Out-Null", description: 'Creates a store without printing it.' }],
      invoke: () => [],
    }),
    builtin({
      name: 'Write-Output',
      aliases: ['echo'],
      summary: 'Writes objects to the pipeline.',
      wholeInput: true,
      parameters: [{ name: 'InputObject', type: 'any', position: 0 }],
      examples: [{ command: "Write-Output 'done'", description: 'Writes a string.' }],
      invoke: ({ bound, input }) => {
        if (!('InputObject' in bound)) return input ?? [];
        const value = bound.InputObject;
        return Array.isArray(value) ? value : [value];
      },
    }),
    builtin({
      name: 'Write-Host',
      summary: 'Writes text for the person at the terminal (stderr in Json mode).',
      parameters: [{ name: 'Object', type: 'any', position: 0 }],
      examples: [{ command: "Write-Host 'Stores configured'", description: 'A message that never enters the pipeline.' }],
      invoke: ({ bound, session }) => {
        const value = bound.Object;
        session.inform(Array.isArray(value) ? value.join(' ') : String(value ?? ''));
        return [];
      },
    }),
  ];
}
