import type { HeraldClient } from '../client/index.js';
import type { Command } from './commands/command.js';
import type { Prompter } from './prompter.js';

export type OutputFormat = 'Default' | 'Table' | 'List' | 'Json';

/** Everything a running shell carries from one statement to the next. */
export interface Session {
  /** The daemon connection, opened on first use. */
  client(): Promise<HeraldClient>;
  /** Replaces the connection (Connect-Daemon). */
  setClient(client: HeraldClient): Promise<void>;
  commands: CommandTable;
  /** Shell variables, shared with the JavaScript context (`$s` in both). */
  variables: Record<string, unknown>;
  prompter: Prompter;
  outputFormat: OutputFormat;
  /** Lines for people (warnings, -WhatIf, progress); stderr when stdout is for machines. */
  inform(line: string): void;
  warn(line: string): void;
}

export interface CommandTable {
  find(name: string): Command | undefined;
  all(): Command[];
}
