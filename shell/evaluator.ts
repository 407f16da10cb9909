import { findKey } from './format/index.js';
import type { Accessor, Argument, Expr, Pipeline, Statement } from './language/index.js';
import { parseScript } from './language/index.js';
import { bindArguments, type ArgumentValue } from './binder.js';
import type { Command } from './commands/command.js';
import { ExitRequest, ShellError } from './errors.js';
import { invokeMethod, valueProperty } from './methods.js';
import { ScriptBlock } from './script-block.js';
import type { Session } from './session.js';

/** An error raised while a command ran, kept with the command so messages can name its parameters. */
export class CommandFailure extends Error {
  constructor(readonly command: Command, override readonly cause: unknown) {
    super(cause instanceof Error ? cause.message : String(cause));
    this.name = 'CommandFailure';
  }
}

/** PowerShell's rule for a collected output: nothing is $null, one object is itself, more are an array. */
export function collect(outputs: unknown[]): unknown {
  if (outputs.length === 0) return null;
  return outputs.length === 1 ? outputs[0] : outputs;
}

export function lookupVariable(variables: Record<string, unknown>, name: string): { found: boolean; value: unknown } {
  const key = findKey(variables, `$${name}`);
  return key === undefined ? { found: false, value: undefined } : { found: true, value: variables[key] };
}

export function assignVariable(variables: Record<string, unknown>, name: string, value: unknown): void {
  // Keep the first spelling, as PowerShell does, so $S and $s stay one variable.
  variables[findKey(variables, `$${name}`) ?? `$${name}`] = value;
}

type DataAccessor = Exclude<Accessor, { method: string }>;

function access(value: unknown, path: DataAccessor[]): unknown {
  let current = value;
  for (const step of path) {
    // PowerShell gives every value a Count: 0 for nothing, 1 for a single object.
    const isCount = 'prop' in step && /^count$/i.test(step.prop);
    if (current === null || current === undefined) return isCount ? 0 : null;
    if ('index' in step) {
      if (!Array.isArray(current)) current = step.index === 0 || step.index === -1 ? current : null;
      else current = current.at(step.index) ?? null;
      continue;
    }
    if (Array.isArray(current) && !/^(count|length)$/i.test(step.prop)) {
      // Member enumeration: $stores.Name is the Name of each store.
      current = current.map((item) => access(item, [step]));
      continue;
    }
    const computed = valueProperty(current, step.prop);
    if (computed.found) {
      current = computed.value;
      continue;
    }
    if (typeof current === 'object' || typeof current === 'string') {
      if (Array.isArray(current) || typeof current === 'string') {
        current = current.length;
        continue;
      }
      const record = current as Record<string, unknown>;
      const key = findKey(record, step.prop) ?? (step.prop in record ? step.prop : undefined);
      current = key === undefined ? (isCount ? 1 : null) : record[key];
      continue;
    }
    current = null;
  }
  return current;
}

function toText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) return value.map(toText).join(' ');
  return String(value);
}

/** Runs statements of the command language against a session. */
export class Evaluator {
  constructor(private readonly session: Session) {}

  /** Runs one statement; returns what it writes to the output (nothing for an assignment). */
  async runStatement(statement: Statement): Promise<unknown[]> {
    const outputs = await this.runPipeline(statement.pipeline, statement.text);
    if (statement.assign === undefined) return outputs;
    assignVariable(this.session.variables, statement.assign, collect(outputs));
    return [];
  }

  async runPipeline(pipeline: Pipeline, text: string): Promise<unknown[]> {
    let input: unknown[] | undefined;
    for (const element of pipeline.elements) {
      if (element.kind === 'expression') {
        const value = await this.evaluate(element.expr);
        input = Array.isArray(value) ? value : value === null || value === undefined ? [] : [value];
        continue;
      }
      const command = this.session.commands.find(element.name);
      if (!command) {
        throw new ShellError(`'${element.name}' is not a command`, 'Get-Command lists the commands; a line that is not a command runs as JavaScript');
      }
      const args = await this.evaluateArguments(element.args);
      input = await this.invoke(command, args, input, text);
    }
    return input ?? [];
  }

  /** Binds and runs one command; `input` is undefined when it starts the pipeline. */
  async invoke(command: Command, args: ArgumentValue[], input: unknown[] | undefined, text: string): Promise<unknown[]> {
    try {
      const bound = bindArguments(command, args);
      // A per-object command downstream of nothing does not run, as in PowerShell.
      if (input !== undefined && input.length === 0 && command.processesEachInput) return [];
      return await command.invoke({ bound, input, session: this.session, text });
    } catch (error) {
      throw error instanceof CommandFailure || error instanceof ExitRequest ? error : new CommandFailure(command, error);
    }
  }

  private async evaluateArguments(args: Argument[]): Promise<ArgumentValue[]> {
    const values: ArgumentValue[] = [];
    for (const argument of args) {
      if (argument.kind === 'value') values.push({ kind: 'value', value: await this.evaluate(argument.value) });
      else if (argument.value) values.push({ kind: 'parameter', name: argument.name, value: await this.evaluate(argument.value), hasValue: true });
      else values.push({ kind: 'parameter', name: argument.name, hasValue: false });
    }
    return values;
  }

  async evaluate(expr: Expr): Promise<unknown> {
    switch (expr.kind) {
      case 'literal':
      case 'bareword':
        return expr.value;
      case 'expandable': {
        const parts = await Promise.all(expr.parts.map(async (part) => (typeof part === 'string' ? part : toText(await this.evaluate(part)))));
        return parts.join('');
      }
      case 'variable': {
        if (expr.scope?.toLowerCase() === 'env') return this.access(process.env[expr.name] ?? null, expr.path);
        const { found, value } = lookupVariable(this.session.variables, expr.name);
        if (!found) return null;
        return this.access(value, expr.path);
      }
      case 'array': {
        const items: unknown[] = [];
        for (const item of expr.items) items.push(await this.evaluate(item));
        return items;
      }
      case 'hashtable': {
        const table: Record<string, unknown> = {};
        for (const entry of expr.entries) table[entry.key] = await this.evaluate(entry.value);
        return table;
      }
      case 'subexpression': {
        const outputs: unknown[] = [];
        for (const statement of expr.statements) outputs.push(...(await this.runStatement(statement)));
        return this.access(expr.array ? outputs : collect(outputs), expr.path);
      }
      case 'scriptblock':
        return new ScriptBlock(expr.text);
    }
  }

  /** Follows `.Prop`, `[i]` and `.Method(...)` steps; a method's arguments are evaluated when it is reached. */
  private async access(value: unknown, path: Accessor[]): Promise<unknown> {
    let current = value;
    let start = 0;
    for (let i = 0; i < path.length; i++) {
      const step = path[i];
      if (!('method' in step)) continue;
      const target = access(current, path.slice(start, i) as DataAccessor[]);
      const args = await this.evaluate(step.args);
      current = invokeMethod(target, step.method, step.args.statements.length === 0 ? [] : Array.isArray(args) ? args : [args]);
      start = i + 1;
    }
    return access(current, path.slice(start) as DataAccessor[]);
  }

  /** Evaluates a value written as text (the right side of a script-block filter). */
  async evaluateText(text: string): Promise<unknown> {
    const [statement] = parseScript(text).statements;
    const [element] = statement?.pipeline.elements ?? [];
    if (!element) return null;
    // A lone bare word parses as a command name; as a value it is a string.
    if (element.kind === 'command' && element.args.length === 0 && !this.session.commands.find(element.name)) return element.name;
    return collect(await this.runPipeline(statement.pipeline, text));
  }
}
