import { inspect } from 'node:util';
import { ExitRequest } from './errors.js';
import { outputWidth, renderForMachines, renderForPeople } from './output.js';
import { reportError } from './report.js';
import type { Shell } from './shell.js';

export interface RunnerIo {
  stdout: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  stderr: NodeJS.WritableStream;
}

/** Text for a statement's output: shell objects formatted like PowerShell, JavaScript values inspected. */
export function renderOutput(objects: unknown[], kind: 'shell' | 'javascript', shell: Shell, io: RunnerIo): string {
  if (kind === 'javascript') return inspect(objects[0], { colors: Boolean(io.stdout.isTTY), depth: 4 }) + '\n';
  return renderForPeople(objects, shell.session.outputFormat, outputWidth(io.stdout));
}

/**
 * Runs a script (-Command, -File, piped stdin) strictly in order. The first terminating error
 * stops it: reported on stderr with its line, exit code 1. In Json mode stdout carries exactly
 * one JSON array: every object the script output.
 */
export async function runScript(shell: Shell, source: string, io: RunnerIo, origin: string): Promise<number> {
  const json = shell.session.outputFormat === 'Json';
  const collected: unknown[] = [];
  let code = 0;
  let line = 0;
  try {
    for (const chunk of shell.chunks(source)) {
      line = chunk.line;
      await shell.run(chunk.text, chunk.kind, (objects, kind) => {
        if (json) collected.push(...objects);
        else io.stdout.write(renderOutput(objects, kind, shell, io));
      });
    }
  } catch (error) {
    if (error instanceof ExitRequest) code = error.code;
    else {
      io.stderr.write(reportError(error, `${origin}:${line}`));
      code = 1;
    }
  }
  if (json) io.stdout.write(renderForMachines(collected));
  return code;
}
