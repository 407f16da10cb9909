import { ShellError } from './errors.js';
import type { OutputFormat } from './session.js';

export interface ShellArguments {
  command?: string;
  file?: string;
  outputFormat: OutputFormat;
  url?: string;
  token?: string;
  profile?: string;
  caCertificate?: string;
  stateDir?: string;
  noAutoStart: boolean;
  help: boolean;
}

export const SHELL_USAGE = `usage: herald [-Command <text> | -File <script>] [-OutputFormat Json|Table|List]
              [-Url <wss-url> -Token <token> [-CaCertificate <pem>] | -Profile <name>] [-StateDir <dir>] [-NoAutoStart]

  (no arguments)       interactive shell on a terminal; with piped input, runs it as a script
  -Command, -c <text>  runs the commands and exits (exit code 1 after an error)
  -File, -f <script>   runs a script file
  -OutputFormat <fmt>  Json: stdout carries one JSON array of every output object, nothing else
  -Url, -Token         another daemon, e.g. wss://host:7443 (or HERALD_URL / HERALD_TOKEN)
  -CaCertificate <pem> trust the private CA that signed its certificate (or HERALD_CA_CERTIFICATE)
  -Profile <name>      a daemon saved with Save-DaemonProfile (or HERALD_PROFILE)
  -StateDir <dir>      the local daemon of another state directory (or HERALD_STATE_DIR)
  -NoAutoStart         fail instead of starting a local daemon when none answers`;

const FORMATS: OutputFormat[] = ['Json', 'Table', 'List'];

/** PowerShell-style flags (-Command, case-insensitive, unique prefixes), and --flag spellings too. */
export function parseShellArguments(argv: string[], env: NodeJS.ProcessEnv): ShellArguments {
  const result: ShellArguments = {
    outputFormat: 'Default',
    noAutoStart: env.HERALD_NO_AUTOSTART === '1',
    help: false,
  };
  const flags = ['Command', 'File', 'OutputFormat', 'Url', 'Token', 'Profile', 'CaCertificate', 'StateDir', 'NoAutoStart', 'Help'];
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
      case 'Profile': result.profile = value(); break;
      case 'CaCertificate': result.caCertificate = value(); break;
      case 'StateDir': result.stateDir = value(); break;
      case 'NoAutoStart': result.noAutoStart = true; break;
      case 'Help': result.help = true; break;
    }
  }
  if (result.command !== undefined && result.command.trim() === '') throw new ShellError('-Command needs the commands to run');
  // The environment fills in what the command line left out; a named profile wins over it.
  result.profile ??= env.HERALD_PROFILE || undefined;
  if (!result.profile) {
    result.url ??= env.HERALD_URL || undefined;
    result.token ??= env.HERALD_TOKEN || undefined;
  }
  result.caCertificate ??= env.HERALD_CA_CERTIFICATE || undefined;
  if (result.url && !result.token) throw new ShellError(`-Url ${result.url} needs a token`, 'add -Token <token>, set HERALD_TOKEN, or use -Profile');
  return result;
}
