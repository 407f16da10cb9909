import { Writable } from 'node:stream';
import { createInterface, type Interface } from 'node:readline';

export type ConfirmAnswer = 'yes' | 'yesToAll' | 'no' | 'noToAll';

/** How the shell asks the person at the keyboard; scripts get one that refuses to ask. */
export interface Prompter {
  readonly interactive: boolean;
  confirm(question: string): Promise<ConfirmAnswer>;
  readLine(prompt: string): Promise<string>;
  readSecret(prompt: string): Promise<string>;
}

export class PromptRefused extends Error {}

/** For scripts, -Command and piped input: nobody can answer, so asking is an error with a remedy. */
export function nonInteractivePrompter(): Prompter {
  const refuse = (what: string) => Promise.reject(new PromptRefused(what));
  return {
    interactive: false,
    confirm: () => refuse('confirmation needed, but this shell is not interactive: add -Force or -Confirm:$false'),
    readLine: (prompt) => refuse(`'${prompt.trim()}' needs an answer, but this shell is not interactive: pass the value as a parameter`),
    readSecret: (prompt) => refuse(`'${prompt.trim()}' is a secret that must be typed, but this shell is not interactive: pass it as a parameter`),
  };
}

/**
 * Asks on a terminal. `shared` is the REPL's own readline, when there is one, so that prompts
 * during a command do not fight the REPL for the keyboard.
 */
export function terminalPrompter(input: NodeJS.ReadableStream, output: NodeJS.WritableStream, shared?: Interface): Prompter {
  let muted = false;
  const mutableOutput = new Writable({
    write(chunk, encoding, callback) {
      if (!muted) output.write(chunk, encoding);
      callback();
    },
  });
  const ask = (prompt: string, secret: boolean): Promise<string> => {
    if (shared && !secret) return new Promise((resolve) => shared.question(prompt, resolve));
    shared?.pause();
    const rl = createInterface({ input, output: mutableOutput, terminal: true });
    return new Promise<string>((resolve) => {
      rl.question(prompt, (answer) => {
        muted = false;
        if (secret) output.write('\n');
        rl.close();
        shared?.resume();
        resolve(answer);
      });
      // Muting after the prompt is written hides what is typed next.
      muted = secret;
    });
  };
  return {
    interactive: true,
    async confirm(question) {
      for (;;) {
        const answer = (await ask(`${question}\n[Y] Yes  [A] Yes to All  [N] No  [L] No to All  (default is "Y"): `, false)).trim().toLowerCase();
        if (answer === '' || answer === 'y' || answer === 'yes') return 'yes';
        if (answer === 'a') return 'yesToAll';
        if (answer === 'n' || answer === 'no') return 'no';
        if (answer === 'l') return 'noToAll';
      }
    },
    readLine: (prompt) => ask(prompt, false),
    readSecret: (prompt) => ask(prompt, true),
  };
}
