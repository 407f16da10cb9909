import { firstCommandName, IncompleteInputError, parseScript } from './language/index.js';
import { compilesAsJavaScript, isIncompleteJavaScript } from './javascript.js';
import type { CommandTable } from './session.js';

export type ChunkKind = 'shell' | 'javascript' | 'incomplete' | 'empty';

/**
 * Decides what a piece of input is: a command line (it starts with a known command, or is a
 * shell expression such as `$s.Name` or `$x = 'a','b'`), JavaScript, or not finished yet.
 */
export function classify(text: string, commands: CommandTable): ChunkKind {
  const trimmed = text.trim();
  if (trimmed.split('\n').every((line) => line.trim() === '' || /^#(?!!)/.test(line.trim()))) return 'empty';
  const name = firstCommandName(text);
  const knownCommand = name !== undefined && commands.find(name) !== undefined;
  try {
    const first = parseScript(text).statements[0]?.pipeline.elements[0];
    if (knownCommand) return 'shell';
    // `$x = 1`, `'a','b' | Format-Table`, `42`: shell expressions. `{ … }` alone is JavaScript.
    if (first?.kind === 'expression' && first.expr.kind !== 'scriptblock') return 'shell';
  } catch (error) {
    if (knownCommand) return error instanceof IncompleteInputError ? 'incomplete' : 'shell'; // runs, and reports the syntax error
    if (/^[$@]/.test(trimmed)) {
      if (error instanceof IncompleteInputError) return 'incomplete';
      // `$s.Name.toUpperCase()` is JavaScript over a shell variable; anything else is a shell syntax error.
      if (!compilesAsJavaScript(text)) return 'shell';
    }
  }
  return isIncompleteJavaScript(text) ? 'incomplete' : 'javascript';
}

/**
 * Splits script text into runnable chunks: one logical command (continued over lines when
 * incomplete) or one JavaScript statement run at a time, in order.
 */
export function* chunks(source: string, commands: CommandTable): Generator<{ text: string; kind: ChunkKind; line: number }> {
  const lines = source.split(/\r?\n/);
  let buffer: string[] = [];
  let start = 1;
  for (let i = 0; i < lines.length; i++) {
    if (buffer.length === 0) start = i + 1;
    buffer.push(lines[i]);
    const text = buffer.join('\n');
    const kind = classify(text, commands);
    if (kind === 'incomplete') continue;
    buffer = [];
    if (kind !== 'empty') yield { text, kind, line: start };
  }
  if (buffer.length > 0) {
    const text = buffer.join('\n');
    // Input that ends unfinished still runs, so the user sees the syntax error.
    yield { text, kind: /^[\s]*[$@]/.test(text) || commands.find(firstCommandName(text) ?? '') ? 'shell' : 'javascript', line: start };
  }
}
