#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { resolveStateDir } from '../protocol/index.js';
import { parseShellArguments, SHELL_USAGE, type ShellArguments } from './arguments.js';
import { describeError } from './errors.js';
import { nonInteractivePrompter, terminalPrompter } from './prompter.js';
import { startRepl } from './repl.js';
import { runScript } from './runner.js';
import { Shell } from './shell.js';

const VERSION = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

function readStdin(): Promise<string> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    process.stdin.on('data', (part: Buffer) => parts.push(part));
    process.stdin.on('end', () => resolve(Buffer.concat(parts).toString('utf8')));
    process.stdin.on('error', reject);
  });
}

async function main(): Promise<number> {
  let args: ShellArguments;
  try {
    args = parseShellArguments(process.argv.slice(2), process.env);
  } catch (error) {
    process.stderr.write(`herald: ${describeError(error)}\n${SHELL_USAGE}\n`);
    return 2;
  }
  if (args.help) {
    process.stdout.write(SHELL_USAGE + '\n');
    return 0;
  }
  const interactive = args.command === undefined && args.file === undefined && Boolean(process.stdin.isTTY);
  const json = args.outputFormat === 'Json';
  const shell = new Shell({
    target: { url: args.url, token: args.token, profile: args.profile, caCertificate: args.caCertificate, stateDir: args.stateDir, autoStart: !args.noAutoStart },
    prompter: process.stdin.isTTY ? terminalPrompter(process.stdin, process.stderr) : nonInteractivePrompter(),
    outputFormat: args.outputFormat,
    // With Json output, stdout is for the JSON alone.
    inform: (line) => (json ? process.stderr : process.stdout).write(line + '\n'),
    warn: (line) => process.stderr.write(line + '\n'),
  });
  try {
    if (interactive) {
      const stateDir = resolveStateDir(process.env, homedir(), args.stateDir);
      try {
        const client = await shell.session.client();
        const status = await client.call('daemon.getStatus');
        process.stdout.write(`Connected to herald daemon ${status.version} (${client.url.startsWith('ws+unix') ? stateDir : client.url}).\n`);
      } catch (error) {
        process.stderr.write(`herald: ${describeError(error)}\n`);
      }
      return await startRepl(shell, {
        stateDir,
        banner: `herald ${VERSION} management shell. Get-Help for help, Get-Command for the commands, exit to leave.\n`,
      });
    }
    let source: string;
    let origin: string;
    if (args.command !== undefined) {
      source = args.command;
      origin = '-Command';
    } else if (args.file !== undefined) {
      try {
        source = readFileSync(args.file, 'utf8');
      } catch (error) {
        process.stderr.write(`herald: cannot read ${args.file}: ${(error as NodeJS.ErrnoException).code}\n`);
        return 1;
      }
      origin = args.file;
    } else {
      source = await readStdin();
      origin = 'stdin';
    }
    return await runScript(shell, source, { stdout: process.stdout, stderr: process.stderr }, origin);
  } finally {
    await shell.close();
  }
}

main().then(
  (code) => {
    process.exitCode = code;
    // Leave once stdout is flushed; a stray handle (a prompt's stdin) must not keep us alive.
    process.stdout.write('', () => process.exit(code));
  },
  (error) => {
    process.stderr.write(`herald: ${describeError(error)}\n`);
    process.exit(1);
  },
);
