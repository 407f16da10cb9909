import { join } from 'node:path';
import { Recoverable, start, type REPLServer } from 'node:repl';
import { inspect } from 'node:util';
import { STATE_FILES } from '../protocol/index.js';
import { ExitRequest } from './errors.js';
import { classify } from './chunks.js';
import { terminalPrompter } from './prompter.js';
import { createCompleter } from './completion.js';
import { outputWidth, renderForPeople } from './output.js';
import { reportError } from './report.js';
import type { Shell } from './shell.js';

/**
 * The interactive shell, on a terminal only (piped input goes through the script runner,
 * which waits for each command). Output is printed here; the REPL's own writer only shows
 * JavaScript values.
 */
export function startRepl(shell: Shell, options: { stateDir: string; banner: string }): Promise<number> {
  const completer = createCompleter(shell.session);
  const stdout = process.stdout;
  let server: REPLServer;

  const evaluate = (input: string, _context: unknown, _file: string, callback: (error: Error | null, result?: unknown) => void) => {
    const text = input.replace(/\n$/, '');
    const kind = classify(text, shell.session.commands);
    if (kind === 'incomplete') return callback(new Recoverable(new Error('incomplete input')));
    if (kind === 'empty') return callback(null);
    shell
      .run(text, kind, (objects, outputKind) => {
        if (outputKind === 'javascript') stdout.write(inspect(objects[0], { colors: true, depth: 4 }) + '\n');
        else stdout.write(renderForPeople(objects, shell.session.outputFormat, outputWidth(stdout)));
      })
      .then(
        () => callback(null),
        (error) => {
          if (error instanceof ExitRequest) {
            process.exitCode = error.code;
            server.close();
            return callback(null);
          }
          process.stderr.write(reportError(error));
          callback(null);
        },
      );
  };

  stdout.write(options.banner);
  server = start({
    prompt: 'herald> ',
    eval: evaluate,
    ignoreUndefined: true,
    completer: (line: string, callback: (error: Error | null, result: [string[], string]) => void) => {
      completer(line).then((result) => callback(null, result), () => callback(null, [[], line]));
    },
  });
  // Prompts during a command go through the REPL's own line reader.
  shell.session.prompter = terminalPrompter(process.stdin, process.stdout, server);
  server.setupHistory(join(options.stateDir, STATE_FILES.history), () => undefined);
  return new Promise((resolve) => server.on('exit', () => resolve(Number(process.exitCode ?? 0))));
}
