import { createContext, type Context } from 'node:vm';
import type { HeraldClient } from '../client/index.js';
import { chunks, type ChunkKind } from './chunks.js';
import type { ArgumentValue } from './binder.js';
import { createCommandTable } from './commands/registry.js';
import { openConnection, type DaemonTarget } from './connection.js';
import { collect, Evaluator } from './evaluator.js';
import { runJavaScript } from './javascript.js';
import { parseScript } from './language/index.js';
import type { Prompter } from './prompter.js';
import type { OutputFormat, Session } from './session.js';

export interface ShellOptions {
  target: DaemonTarget;
  prompter: Prompter;
  outputFormat: OutputFormat;
  /** Where people's lines go (stdout normally, stderr when stdout carries JSON). */
  inform: (line: string) => void;
  warn: (line: string) => void;
}

/** A cmdlet as a JavaScript function: `await GetIdentityStore({ Name: 'corp' })`. */
function functionName(command: string): string {
  return command.replace(/-/g, '');
}

/**
 * One shell: the session, its commands, and the JavaScript context both share. The REPL and
 * the script runner differ only in how they feed it text and print what comes out.
 */
export class Shell {
  readonly session: Session;
  readonly evaluator: Evaluator;
  readonly context: Context;
  private connection: Promise<HeraldClient> | undefined;

  constructor(private readonly options: ShellOptions) {
    this.context = createContext({
      console, process, setTimeout, clearTimeout, setInterval, clearInterval, URL, Buffer, structuredClone, fetch,
    });
    const commands = createCommandTable((text) => this.evaluator.evaluateText(text));
    this.session = {
      client: () => this.client(),
      setClient: async (client) => {
        const previous = this.connection;
        this.connection = Promise.resolve(client);
        this.watch(client);
        if (previous) await previous.then((old) => old.close(), () => undefined);
      },
      commands,
      variables: this.context,
      prompter: options.prompter,
      outputFormat: options.outputFormat,
      inform: options.inform,
      warn: options.warn,
    };
    this.evaluator = new Evaluator(this.session);
    for (const command of commands.all()) {
      this.context[functionName(command.name)] = (named: Record<string, unknown> = {}) => {
        const args: ArgumentValue[] = Object.entries(named).map(([name, value]) => ({ kind: 'parameter', name, value, hasValue: true }));
        return this.evaluator.invoke(command, args, undefined, command.name).then((outputs) => (command.returnsList ? outputs : collect(outputs)));
      };
    }
  }

  private client(): Promise<HeraldClient> {
    if (!this.connection) {
      const opening = openConnection(this.options.target, this.options.inform, this.options.warn);
      this.connection = opening;
      opening.then((client) => this.watch(client), () => {
        // A failed attempt is not kept: the next command tries again.
        if (this.connection === opening) this.connection = undefined;
      });
    }
    return this.connection;
  }

  private watch(client: HeraldClient): void {
    client.onClose(() => {
      // The daemon went away (restart, stop): the next command reconnects.
      void this.connection?.then((current) => {
        if (current === client) this.connection = undefined;
      });
    });
  }

  /** Runs one chunk; `onOutput` receives each statement's output as soon as it is complete. */
  async run(text: string, kind: ChunkKind, onOutput: (objects: unknown[], kind: 'shell' | 'javascript') => void): Promise<void> {
    if (kind === 'javascript') {
      const value = await runJavaScript(text, this.context);
      if (value !== undefined) onOutput([value], 'javascript');
      return;
    }
    if (kind !== 'shell') return;
    for (const statement of parseScript(text).statements) {
      const outputs = await this.evaluator.runStatement(statement);
      if (outputs.length) onOutput(outputs, 'shell');
    }
  }

  /** Splits a whole script into chunks, in order. */
  chunks(source: string) {
    return chunks(source, this.session.commands);
  }

  async close(): Promise<void> {
    const connection = this.connection;
    this.connection = undefined;
    if (connection) await connection.then((client) => client.close(), () => undefined);
  }
}
