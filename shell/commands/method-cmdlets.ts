import { readFile, writeFile } from 'node:fs/promises';
import { z } from 'zod';
import { METHODS, toPascalCase, type CmdletSpec, type MethodSpec } from '../../protocol/index.js';
import { bindPipelineObject } from '../binder.js';
import { revealSecrets } from '../credential.js';
import { ShellError } from '../errors.js';
import { toShellObject } from '../shell-object.js';
import type { Session } from '../session.js';
import type { BoundParameters, Command, Parameter, ParameterType } from './command.js';
import { CONFIRM, FORCE, PASS_THRU, SHELL_ONLY_KEYS, WHAT_IF } from './common-parameters.js';
import { shouldProcess } from './should-process.js';

interface JsonSchema {
  type?: string | string[];
  enum?: unknown[];
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  description?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
}

function typeOf(schema: JsonSchema): { type: ParameterType; enumValues?: string[] } {
  const options = schema.anyOf?.filter((s) => s.type !== 'null') ?? [schema];
  const main = options.length === 1 ? options[0] : schema;
  if (main.enum) return { type: 'string', enumValues: main.enum.filter((v): v is string => typeof v === 'string') };
  switch (main.type) {
    case 'string': return { type: 'string' };
    case 'integer': return { type: 'integer' };
    case 'number': return { type: 'number' };
    case 'boolean': return { type: 'boolean' };
    case 'array':
      if (main.items?.enum) return { type: 'string[]', enumValues: main.items.enum.filter((v): v is string => typeof v === 'string') };
      return main.items?.type === 'string' ? { type: 'string[]' } : { type: 'any' };
    case 'object': return { type: 'object' };
    default: return { type: 'any' };
  }
}

/** The shell's parameters for a method: its params, PascalCased, with the cmdlet's aliases and positions. */
export function methodParameters(spec: MethodSpec): Parameter[] {
  const schema = z.toJSONSchema(spec.params, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  const required = new Set(schema.required ?? []);
  const parameters = Object.entries(schema.properties ?? {}).map(([key, property]): Parameter => {
    const shell = spec.cmdlet.parameters?.[key] ?? {};
    const { type, enumValues } = shell.file ? { type: 'string' as const, enumValues: undefined } : shell.credential ? { type: 'credential' as const, enumValues: undefined } : typeOf(property);
    return {
      name: toPascalCase(key),
      key,
      aliases: shell.aliases ?? [],
      type,
      ...(enumValues ? { enumValues } : {}),
      required: required.has(key),
      position: shell.position,
      fromPipeline: shell.fromPipeline,
      pipelineProperties: shell.pipelineProperties,
      secret: shell.secret,
      file: shell.file,
      description: property.description,
    };
  });
  for (const [key, shell] of Object.entries(spec.cmdlet.parameters ?? {})) {
    if (shell.fileVariant) {
      parameters.push({ name: shell.fileVariant, key: shell.fileVariant, aliases: [], type: 'string', required: false, file: 'text', description: `File whose text is sent as -${toPascalCase(key)}` });
    }
  }
  const { saveResultTo, saveResultProperty } = spec.cmdlet;
  if (saveResultTo) {
    parameters.push({
      name: saveResultTo, key: saveResultTo, aliases: [], type: 'string', required: !saveResultProperty,
      description: saveResultProperty ? `File the result's ${toPascalCase(saveResultProperty)} is written to (nothing is output then)` : 'File the result is written to, as JSON',
    });
  }
  if (spec.access === 'write') parameters.push(WHAT_IF, CONFIRM);
  if (spec.cmdlet.confirmImpact === 'High') parameters.push(FORCE);
  if (spec.cmdlet.output === 'passThru') parameters.push(PASS_THRU);
  return parameters;
}

async function fillMissing(command: Command, params: BoundParameters, session: Session) {
  const prompt = session.prompter;
  let introduced = false;
  for (const parameter of command.parameters) {
    if (!parameter.required || params[parameter.key] !== undefined) continue;
    if (prompt.interactive) {
      if (!introduced) session.inform(`${command.name}: supply values for the following parameters:`);
      introduced = true;
      const answer = parameter.secret ? await prompt.readSecret(`${parameter.name}: `) : await prompt.readLine(`${parameter.name}: `);
      if (answer !== '') {
        params[parameter.key] = answer;
        continue;
      }
    }
    throw new ShellError(`${command.name}: -${parameter.name} is required`, `Get-Help ${command.name} -Examples shows how to call it`);
  }
}

async function readParameterFile(command: Command, parameter: Parameter, path: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new ShellError(`${command.name}: cannot read -${parameter.name} ${path}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`);
  }
  if (parameter.file === 'text') return text;
  try {
    return JSON.parse(text);
  } catch {
    throw new ShellError(`${command.name}: -${parameter.name} ${path} is not JSON`, 'give a file written by the matching Export- command');
  }
}

/**
 * What travels to the daemon: shell-only switches dropped, files read (a file variant's text sent
 * as the field it stands for), secrets revealed at the last moment.
 */
async function toRpcParams(command: Command, params: BoundParameters, localOnly: Set<string>, fileVariants: Map<string, string>): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(params)) {
    if (SHELL_ONLY_KEYS.has(key) || localOnly.has(key)) continue;
    const field = fileVariants.get(key) ?? key;
    if (field !== key && params[field] !== undefined) throw new ShellError(`${command.name}: give -${toPascalCase(field)} or -${key}, not both`);
    const parameter = command.parameters.find((p) => p.key === key);
    out[field] = parameter?.file && typeof value === 'string' ? await readParameterFile(command, parameter, value) : revealSecrets(value);
  }
  return out;
}

/** Writes a result to the file its -Path names: as JSON, or one property's text (saveResultProperty). */
async function saveResult(command: Command, cmdlet: CmdletSpec, path: string, result: unknown): Promise<void> {
  let text = JSON.stringify(result, null, 2) + '\n';
  if (cmdlet.saveResultProperty) {
    const value = result !== null && typeof result === 'object' ? (result as Record<string, unknown>)[cmdlet.saveResultProperty] : undefined;
    if (typeof value !== 'string') throw new ShellError(`${command.name}: the result has no ${toPascalCase(cmdlet.saveResultProperty)} to write to ${path}`);
    text = value;
  }
  try {
    await writeFile(path, text);
  } catch (error) {
    throw new ShellError(`${command.name}: cannot write -${cmdlet.saveResultTo} ${path}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`);
  }
}

/** -WhatIf on a directory change: who would be notified, by which rule, as the daemon sees it now. */
async function tellWhoWouldHear(session: Session, what: NonNullable<CmdletSpec['whatIfNotification']>, params: BoundParameters): Promise<void> {
  const described = Object.fromEntries(Object.entries(what.fields ?? {}).filter(([, key]) => params[key] !== undefined && params[key] !== null).map(([field, key]) => [field, String(params[key])]));
  const relatedValues = what.related === undefined ? [undefined] : [params[what.related]].flat() as (string | undefined)[];
  const client = await session.client();
  for (const related of relatedValues) {
    try {
      const answer = await client.callUntyped('notification.resolve', {
        ...(params.identityStore !== undefined ? { identityStore: params.identityStore } : {}),
        kind: what.kind,
        identity: String(params[what.identity]),
        ...(what.objectKind ? { objectKind: what.objectKind, ...described } : {}),
        ...(related !== undefined ? { related: String(related) } : {}),
      }) as { recipients: { address: string; reasons: string[] }[] };
      const who = answer.recipients.map((r) => `${r.address} (${r.reasons.join(', ')})`);
      session.inform(`  would notify: ${who.length ? who.join('; ') : 'nobody'}`);
    } catch (error) {
      session.inform(`  would fail: ${(error as Error).message}`);
    }
  }
}

/** Warnings travel inside results; the shell shows them once and keeps them out of the objects. */
function takeWarnings(result: unknown, session: Session): unknown {
  if (result === null || typeof result !== 'object' || !('warnings' in result)) return result;
  const { warnings, ...rest } = result as { warnings: unknown };
  if (Array.isArray(warnings)) for (const warning of warnings) session.warn(`WARNING: ${String(warning)}`);
  return rest;
}

function methodCmdlet(spec: MethodSpec): Command {
  const parameters = methodParameters(spec);
  const output = spec.cmdlet.output ?? 'result';
  const localOnly = new Set(spec.cmdlet.saveResultTo ? [spec.cmdlet.saveResultTo] : []);
  const fileVariants = new Map(Object.entries(spec.cmdlet.parameters ?? {}).flatMap(([key, p]) => (p.fileVariant ? [[p.fileVariant, key] as const] : [])));
  // One view object shared by every result, so that a run of them renders as one table.
  const view = spec.cmdlet.display ? { properties: spec.cmdlet.display, list: spec.cmdlet.view === 'list' } : undefined;
  const command: Command = {
    name: spec.cmdlet.name,
    aliases: spec.cmdlet.aliases ?? [],
    kind: 'Cmdlet',
    summary: spec.summary,
    description: spec.description,
    method: spec.name,
    parameters,
    examples: spec.cmdlet.examples,
    supportsShouldProcess: spec.access === 'write',
    processesEachInput: true,
    returnsList: spec.result instanceof z.ZodArray,
    async invoke({ bound, input, session }) {
      const outputs: unknown[] = [];
      const confirmMemory: { all?: boolean } = {};
      for (const item of input ?? [undefined]) {
        const params = input ? bindPipelineObject(command, bound, item) : { ...bound };
        await fillMissing(command, params, session);
        if (spec.access === 'write') {
          const targetKey = spec.cmdlet.target;
          const target = targetKey ? String(params[targetKey]) : spec.name;
          const go = await shouldProcess(session, params, { cmdlet: command.name, target, highImpact: spec.cmdlet.confirmImpact === 'High', askOnlyInteractively: spec.cmdlet.confirmWhen === 'interactive' }, confirmMemory);
          if (!go) {
            if (params.WhatIf === true && spec.cmdlet.whatIfNotification) await tellWhoWouldHear(session, spec.cmdlet.whatIfNotification, params);
            continue;
          }
        }
        const client = await session.client();
        const sent = await toRpcParams(command, params, localOnly, fileVariants);
        const raw = takeWarnings(await client.callUntyped(spec.name, sent), session);
        if (spec.cmdlet.saveResultTo && params[spec.cmdlet.saveResultTo] !== undefined) {
          await saveResult(command, spec.cmdlet, String(params[spec.cmdlet.saveResultTo]), raw);
          continue;
        }
        const result = toShellObject(raw, view);
        if (output === 'none' || (output === 'passThru' && params.PassThru !== true)) continue;
        // A list result streams its elements, as PowerShell cmdlets write each object.
        if (Array.isArray(result)) outputs.push(...result);
        else outputs.push(result);
      }
      return outputs;
    },
  };
  return command;
}

/** One cmdlet per method of the protocol table. */
export function methodCmdlets(): Command[] {
  return Object.values(METHODS).map((spec) => methodCmdlet(spec as unknown as MethodSpec));
}
