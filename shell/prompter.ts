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

/** readline's private echo hook: replaced while a secret is typed so nothing of it is shown. */
type Echoing = Interface & { _writeToOutput(text: string): void };

function askOn(rl: Interface, prompt: string, secret: boolean, output: NodeJS.WritableStream): Promise<string> {
  const echoing = rl as Echoing;
  const original = echoing._writeToOutput;
  return new Promise((resolve) => {
    rl.question(prompt, (answer) => {
      // readline records every line; an answer (a password above all) is not a command to recall.
      const history = (rl as Interface & { history?: string[] }).history;
      if (history && history[0] === answer) history.shift();
      if (secret) {
        echoing._writeToOutput = original;
        output.write('\n');
      }
      resolve(answer);
    });
    // The prompt is out: from here on, what is typed is not echoed.
    if (secret) echoing._writeToOutput = () => undefined;
  });
}

/**
 * Asks on a terminal. `shared` is the REPL's own line reader, when there is one: a second
 * reader on the same terminal would fight it for every key.
 */
export function terminalPrompter(input: NodeJS.ReadableStream, output: NodeJS.WritableStream, shared?: Interface): Prompter {
  const ask = async (prompt: string, secret: boolean): Promise<string> => {
    if (shared) return askOn(shared, prompt, secret, output);
    const rl = createInterface({ input, output, terminal: true });
    try {
      return await askOn(rl, prompt, secret, output);
    } finally {
      rl.close();
    }
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
