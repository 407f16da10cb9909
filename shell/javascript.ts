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
    // Not a single expression: run as statements, with declarations lifted to the context.
    const lifted = code.replace(/^(\s*)(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*=/gm, '$1$2 =');
    return new Script(`(async () => {\n${lifted}\n})()`, { filename: 'herald' });
  }
}

export async function runJavaScript(code: string, context: Context): Promise<unknown> {
  const value = compile(code).runInContext(context, { breakOnSigint: true });
  return value instanceof Object && typeof (value as PromiseLike<unknown>).then === 'function' ? await value : value;
}
