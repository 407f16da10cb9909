import { Script, type Context } from 'node:vm';

const RECOVERABLE = /Unexpected end of input|Unterminated template literal|missing \) after argument list$/;

/** True when the JavaScript is cut short and another line could complete it. */
export function isIncompleteJavaScript(code: string): boolean {
  try {
    new Script(code);
    return false;
  } catch (error) {
    if (error instanceof SyntaxError && RECOVERABLE.test(error.message)) return true;
    // `await` outside a function is not an error here: the wrapped form decides.
    if (error instanceof SyntaxError && /await/.test(error.message)) {
      try {
        new Script(`(async () => {\n${code}\n})`);
        return false;
      } catch (inner) {
        return inner instanceof SyntaxError && RECOVERABLE.test(inner.message);
      }
    }
    return false;
  }
}

export function compilesAsJavaScript(code: string): boolean {
  try {
    compile(code);
    return true;
  } catch {
    return false;
  }
}

/**
 * Compiles code for the shell's context, allowing top-level await the way an interactive
 * user expects: an awaited expression yields its value, and `const x = await …` leaves x
 * defined for the next line.
 */
function compile(code: string): Script {
  try {
    return new Script(code, { filename: 'herald' });
  } catch (error) {
    if (!(error instanceof SyntaxError) || !/await/.test(code)) throw error;
  }
  try {
    return new Script(`(async () => (\n${code}\n))()`, { filename: 'herald' });
  } catch {
    // Not a single expression: run as statements, with declarations lifted to the context,
    // and the last statement's value returned when it is an expression.
    const lifted = code.replace(/(^|;)(\s*)(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*=/gm, '$1$2$3 =');
    const split = lastStatementStart(lifted);
    if (split > 0) {
      try {
        return new Script(`(async () => {\n${lifted.slice(0, split)}\nreturn (${lifted.slice(split)}\n);\n})()`, { filename: 'herald' });
      } catch {
        // The last statement is not an expression: run without a value.
      }
    }
    return new Script(`(async () => {\n${lifted}\n})()`, { filename: 'herald' });
  }
}

export async function runJavaScript(code: string, context: Context): Promise<unknown> {
  const value = compile(code).runInContext(context, { breakOnSigint: true });
  return value instanceof Object && typeof (value as PromiseLike<unknown>).then === 'function' ? await value : value;
}

/** Where the last top-level statement begins (after the last `;` outside strings and brackets), or -1. */
function lastStatementStart(code: string): number {
  let depth = 0;
  let quote: string | undefined;
  let last = -1;
  for (let i = 0; i < code.length; i++) {
    const c = code[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = undefined;
      continue;
    }
    if (c === '"' || c === "'" || c === '`') quote = c;
    else if ('([{'.includes(c)) depth++;
    else if (')]}'.includes(c)) depth--;
    else if (c === ';' && depth === 0 && code.slice(i + 1).trim() !== '') last = i + 1;
  }
  return last;
}
