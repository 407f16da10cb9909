import { spawn, type ChildProcess } from 'node:child_process';
import { SHELL } from './daemon.js';

export interface Terminal {
  /** Types text (use \r for Enter, \t for Tab). */
  type(text: string): void;
  /** Resolves with everything shown so far once `pattern` appears after the previous mark. */
  waitFor(pattern: string | RegExp, timeoutMs?: number): Promise<string>;
  screen(): string;
  exited: Promise<number | null>;
  process: ChildProcess;
}

/**
 * The interactive shell on a real pseudo-terminal: util-linux `script` allocates one, so the
 * shell sees a TTY exactly as at a keyboard (REPL, Tab completion, hidden input).
 */
export function openTerminal(env: NodeJS.ProcessEnv): Terminal {
  const child = spawn('script', ['-qfec', `stty cols 120 rows 40; ${process.execPath} ${SHELL}`, '/dev/null'], {
    env: { ...process.env, TERM: 'xterm', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let output = '';
  let mark = 0;
  // Colours and cursor moves are not what the person reads: keep the text.
  const text = (chunk: Buffer) => chunk.toString().replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '');
  child.stdout!.on('data', (chunk: Buffer) => { output += text(chunk); });
  child.stderr!.on('data', (chunk: Buffer) => { output += text(chunk); });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    process: child,
    exited,
    type: (text) => child.stdin!.write(text),
    screen: () => output,
    waitFor(pattern, timeoutMs = 10_000) {
      const found = () => {
        const rest = output.slice(mark);
        const index = typeof pattern === 'string' ? rest.indexOf(pattern) : rest.search(pattern);
        if (index < 0) return false;
        mark += index + 1;
        return true;
      };
      return new Promise((resolve, reject) => {
        const started = Date.now();
        const poll = setInterval(() => {
          if (found()) {
            clearInterval(poll);
            resolve(output);
          } else if (Date.now() - started > timeoutMs) {
            clearInterval(poll);
            reject(new Error(`never saw ${pattern}; the terminal shows:\n${output}`));
          }
        }, 20);
      });
    },
  };
}
