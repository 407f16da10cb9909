import { firstCommandName, IncompleteInputError, parseScript } from './language/index.js';
import { isIncompleteJavaScript } from './javascript.js';
import type { CommandTable } from './session.js';

export type ChunkKind = 'shell' | 'javascript' | 'incomplete' | 'empty';

/**
 * Decides what a piece of input is: a command line (it starts with a known command, or is a
 * shell expression such as `$s.Name` or `$x = 'a','b'`), JavaScript, or not finished yet.
 */
export function classify(text: string, commands: CommandTable): ChunkKind {
  const trimmed = text.trim();
  if (trimmed === '' || /^#[^!]/.test(trimmed) || trimmed === '#') {
    if (trimmed.split('\n').every((line) => line.trim() === '' || line.trim().startsWith('#'))) return 'empty';
  }
  const name = firstCommandName(text);
  const startsAsShell = (name !== undefined && commands.find(name) !== undefined) || /^[$@]/.test(trimmed);
  try {
    const script = parseScript(text);
    if (startsAsShell) return 'shell';
    const first = script.statements[0]?.pipeline.elements[0];
    if (first?.kind === 'expression' && name === undefined && !looksLikeJavaScript(trimmed)) return 'shell';
  } catch (error) {
    if (error instanceof IncompleteInputError && startsAsShell) return 'incomplete';
    if (startsAsShell) return 'shell'; // runs, and reports the syntax error
  }
  return isIncompleteJavaScript(text) ? 'incomplete' : 'javascript';
}

/** Literals both languages read alike are left to JavaScript when they continue as code. */
function looksLikeJavaScript(text: string): boolean {
  return /^[\d'"(]/.test(text) && /[+\-*/%<>=!?:.[\]]/.test(text.replace(/'[^']*'|"[^"]*"/g, ''));
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
