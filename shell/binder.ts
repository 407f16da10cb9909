import { getProperty } from './format/index.js';
import type { BoundParameters, Command, Parameter } from './commands/command.js';
import { PSCredential, SecureString } from './credential.js';
import { ShellError } from './errors.js';

/** An argument after evaluation: a parameter name (with its `-Name:value` value) or a value. */
export type ArgumentValue =
  | { kind: 'parameter'; name: string; value?: unknown; hasValue: boolean }
  | { kind: 'value'; value: unknown };

function allNames(parameter: Parameter): string[] {
  return [parameter.name, ...parameter.aliases];
}

/** Exact name or alias first, then a unique prefix, case-insensitively, as PowerShell does. */
export function resolveParameter(command: Command, typed: string): Parameter {
  const lower = typed.toLowerCase();
  const exact = command.parameters.find((p) => allNames(p).some((n) => n.toLowerCase() === lower));
  if (exact) return exact;
  const candidates = command.parameters.filter((p) => allNames(p).some((n) => n.toLowerCase().startsWith(lower)));
  if (candidates.length === 1) return candidates[0];
  if (candidates.length > 1) {
    throw new ShellError(`${command.name}: parameter -${typed} is ambiguous: it could be ${candidates.map((c) => `-${c.name}`).join(', ')}`);
  }
  throw new ShellError(
    `${command.name}: no parameter matches -${typed}`,
    `its parameters are ${command.parameters.map((p) => `-${p.name}`).join(', ')} (Get-Help ${command.name} -Full)`,
  );
}

function describeValue(value: unknown): string {
  if (typeof value === 'string') return `'${value}'`;
  if (value instanceof SecureString || value instanceof PSCredential) return String(value);
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/** Converts a value to what the parameter takes, or explains why it cannot. */
export function coerce(command: Command, parameter: Parameter, value: unknown): unknown {
  const fail = (wanted: string): never => {
    throw new ShellError(`${command.name}: -${parameter.name} takes ${wanted}, not ${describeValue(value)}`);
  };
  if (value === null) return null;
  switch (parameter.type) {
    case 'string': {
      // A secret may arrive hidden (Read-Host -AsSecureString) and stays so until it is sent.
      if (parameter.secret && value instanceof SecureString) return value;
      const text = Array.isArray(value) && value.length === 1 ? value[0] : value;
      if (typeof text === 'number' || typeof text === 'boolean') return String(text);
      // A date (Get-Date) travels as the ISO 8601 text every date parameter reads.
      if (text instanceof Date) return Number.isNaN(text.getTime()) ? fail('a valid date') : text.toISOString();
      if (typeof text !== 'string') return fail('a string');
      if (parameter.enumValues) {
        const match = parameter.enumValues.find((v) => v.toLowerCase() === text.toLowerCase());
        if (!match) return fail(`one of ${parameter.enumValues.join(', ')}`);
        return match;
      }
      return text;
    }
    case 'number':
    case 'integer': {
      const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
      if (typeof number !== 'number' || Number.isNaN(number)) return fail(parameter.type === 'integer' ? 'a whole number' : 'a number');
      if (parameter.type === 'integer' && !Number.isInteger(number)) return fail('a whole number');
      return number;
    }
    case 'boolean': {
      if (typeof value === 'boolean') return value;
      if (typeof value === 'number') return value !== 0;
      if (typeof value === 'string' && /^(true|false|\$true|\$false)$/i.test(value)) return /true/i.test(value);
      return fail('$true or $false');
    }
    case 'string[]': {
      const items = Array.isArray(value) ? value : [value];
      return items.map((item) => {
        if (typeof item === 'number') return String(item);
        if (typeof item !== 'string') return fail('strings');
        if (!parameter.enumValues) return item;
        return parameter.enumValues.find((v) => v.toLowerCase() === item.toLowerCase()) ?? fail(`values among ${parameter.enumValues.join(', ')}`);
      });
    }
    case 'credential':
      if (value instanceof PSCredential) return value;
      return fail('a credential (Get-Credential)');
    default:
      return value;
  }
}

/** True for what may follow a switch as its value: `-SslEnabled $false`, as reference scripts write it. */
function isBooleanValue(argument: ArgumentValue | undefined): boolean {
  return argument?.kind === 'value' && typeof argument.value === 'boolean';
}

/**
 * Binds evaluated arguments to the command's parameters: named ones first, then the rest by
 * position. Pipeline input is bound later, per object, by `bindPipelineObject`.
 */
export function bindArguments(command: Command, args: ArgumentValue[]): BoundParameters {
  const bound: BoundParameters = {};
  const positional: unknown[] = [];
  const set = (parameter: Parameter, value: unknown) => {
    if (parameter.key in bound) throw new ShellError(`${command.name}: -${parameter.name} is given more than once`);
    bound[parameter.key] = coerce(command, parameter, value);
  };
  for (let i = 0; i < args.length; i++) {
    const argument = args[i];
    if (argument.kind === 'value') {
      positional.push(argument.value);
      continue;
    }
    const parameter = resolveParameter(command, argument.name);
    if (argument.hasValue) {
      set(parameter, argument.value);
    } else if (parameter.type === 'boolean') {
      // A boolean setting reads like a switch (-SslEnabled) but also takes a following
      // $true/$false (-NotifyOwners $true), as reference scripts write it. True switches do not.
      if (!parameter.isSwitch && isBooleanValue(args[i + 1])) set(parameter, (args[++i] as { value: unknown }).value);
      else set(parameter, true);
    } else {
      const next = args[i + 1];
      if (next === undefined || next.kind !== 'value') {
        throw new ShellError(`${command.name}: -${parameter.name} needs a value`, `for example: ${command.name} -${parameter.name} ${example(parameter)}`);
      }
      set(parameter, next.value);
      i++;
    }
  }
  const byPosition = command.parameters
    .filter((p) => p.position !== undefined && !(p.key in bound))
    .sort((a, b) => a.position! - b.position!);
  for (const value of positional) {
    const parameter = byPosition.shift();
    if (!parameter) {
      throw new ShellError(`${command.name}: no positional parameter takes ${describeValue(value)}`, `name the parameter (Get-Help ${command.name})`);
    }
    set(parameter, value);
  }
  return bound;
}

function example(parameter: Parameter): string {
  if (parameter.enumValues) return parameter.enumValues[0];
  if (parameter.type === 'number' || parameter.type === 'integer') return '1';
  if (parameter.type === 'string[]') return "'a','b'";
  return '<value>';
}

/**
 * Binds one piped object to the parameters that take pipeline input and are not bound yet:
 * a plain value to the first such parameter, an object by property name (the parameter's name
 * first, then its aliases).
 */
export function bindPipelineObject(command: Command, bound: BoundParameters, item: unknown): BoundParameters {
  const result = { ...bound };
  const takers = command.parameters.filter((p) => p.fromPipeline && !(p.key in bound));
  if (item === null || item === undefined) return result;
  if (typeof item !== 'object' || item instanceof SecureString) {
    const taker = takers[0];
    if (!taker) throw new ShellError(`${command.name} does not take pipeline input`);
    result[taker.key] = coerce(command, taker, item);
    return result;
  }
  let matched = false;
  for (const parameter of takers) {
    for (const name of [...allNames(parameter), ...(parameter.pipelineProperties ?? [])]) {
      const value = getProperty(item, name);
      if (value !== undefined) {
        result[parameter.key] = coerce(command, parameter, value);
        matched = true;
        break;
      }
    }
  }
  if (!matched && takers.length > 0) {
    throw new ShellError(`${command.name}: the piped object has no property that matches ${takers.map((p) => `-${p.name}`).join(' or ')}`);
  }
  return result;
}
