import { ShellError } from './errors.js';
import type { OutputFormat } from './session.js';

export interface ShellArguments {
  command?: string;
  file?: string;
  outputFormat: OutputFormat;
  url?: string;
  token?: string;
  stateDir?: string;
  noAutoStart: boolean;
  help: boolean;
}

export const SHELL_USAGE = `usage: herald [-Command <text> | -File <script>] [-OutputFormat Json|Table|List]
              [-Url <ws-url> -Token <token>] [-StateDir <dir>] [-NoAutoStart]

  (no arguments)       interactive shell on a terminal; with piped input, runs it as a script
  -Command, -c <text>  runs the commands and exits (exit code 1 after an error)
  -File, -f <script>   runs a script file
  -OutputFormat <fmt>  Json: stdout carries one JSON array of every output object, nothing else
  -Url, -Token         another daemon (or HERALD_URL / HERALD_TOKEN)
  -StateDir <dir>      the local daemon of another state directory (or HERALD_STATE_DIR)
  -NoAutoStart         fail instead of starting a local daemon when none answers`;

const FORMATS: OutputFormat[] = ['Json', 'Table', 'List'];

/** PowerShell-style flags (-Command, case-insensitive, unique prefixes), and --flag spellings too. */
export function parseShellArguments(argv: string[], env: NodeJS.ProcessEnv): ShellArguments {
  const result: ShellArguments = {
    outputFormat: 'Default',
    url: env.HERALD_URL || undefined,
    token: env.HERALD_TOKEN || undefined,
    noAutoStart: env.HERALD_NO_AUTOSTART === '1',
    help: false,
  };
  const flags = ['Command', 'File', 'OutputFormat', 'Url', 'Token', 'StateDir', 'NoAutoStart', 'Help'];
  for (let i = 0; i < argv.length; i++) {
    const raw = argv[i];
    if (!/^[-–—]/.test(raw)) {
      // `herald script.ps1` runs a file, as `pwsh script.ps1` does.
      if (result.file === undefined && result.command === undefined) { result.file = raw; continue; }
      throw new ShellError(`unexpected argument '${raw}'`, 'see herald -Help');
    }
    const typed = raw.replace(/^[-–—]+/, '').toLowerCase();
    const aliases: Record<string, string> = { c: 'Command', f: 'File', o: 'OutputFormat', h: 'Help', '?': 'Help' };
    const matches = aliases[typed] ? [aliases[typed]] : flags.filter((flag) => flag.toLowerCase().startsWith(typed));
    if (matches.length !== 1) throw new ShellError(`unknown option '${raw}'`, 'see herald -Help');
    const value = () => {
      const next = argv[++i];
      if (next === undefined) throw new ShellError(`-${matches[0]} needs a value`);
      return next;
    };
    switch (matches[0]) {
      // Everything after -Command is the command, as with pwsh.
      case 'Command': result.command = argv.slice(i + 1).join(' '); i = argv.length; break;
      case 'File': result.file = value(); break;
      case 'OutputFormat': {
        const format = value();
        const match = FORMATS.find((f) => f.toLowerCase() === format.toLowerCase());
        if (!match) throw new ShellError(`-OutputFormat must be Json, Table or List, not '${format}'`);
        result.outputFormat = match;
        break;
      }
      case 'Url': result.url = value(); break;
      case 'Token': result.token = value(); break;
      case 'StateDir': result.stateDir = value(); break;
      case 'NoAutoStart': result.noAutoStart = true; break;
      case 'Help': result.help = true; break;
    }
  }
  if (result.command !== undefined && result.command.trim() === '') throw new ShellError('-Command needs the commands to run');
  return result;
}
