/**
 * PowerShell wildcard patterns (`-like`, property names in Select-Object):
 * `*` any run, `?` one character, `[abc]` / `[a-z]` one of a set, and a
 * backtick escapes the next character. PowerShell has no `[!abc]` negation,
 * so neither do we.
 */

/** Characters that mean something to RegExp outside a character class. */
const REGEXP_SYNTAX = /[\\^$.*+?()[\]{}|/]/g;

/** Whether a name should be matched as a pattern rather than looked up literally. */
export function hasWildcard(pattern: string): boolean {
  return /[*?[]/.test(pattern);
}

export function wildcardToRegExp(pattern: string, caseSensitive = false): RegExp {
  const chars = Array.from(pattern);
  let source = '';
  for (let i = 0; i < chars.length; i++) {
    const char = chars[i];
    if (char === '`' && i + 1 < chars.length) {
      source += escapeLiteral(chars[++i]);
    } else if (char === '*') {
      source += '.*';
    } else if (char === '?') {
      source += '.';
    } else if (char === '[') {
      const end = chars.indexOf(']', i + 1);
      if (end < 0) throw invalidPattern(pattern);
      source += `[${escapeClass(chars.slice(i + 1, end).join(''))}]`;
      i = end;
    } else {
      source += escapeLiteral(char);
    }
  }
  // `s` so `*` and `?` also cross line breaks; `u` so `?` takes a whole emoji.
  try {
    return new RegExp(`^${source}$`, caseSensitive ? 'su' : 'isu');
  } catch {
    // A reversed range such as `[z-a]` is the only way to get here.
    throw invalidPattern(pattern);
  }
}

function escapeLiteral(char: string): string {
  return char.replace(REGEXP_SYNTAX, '\\$&');
}

/** Inside brackets `-` keeps its range meaning; `^` is literal, as in PowerShell. */
function escapeClass(body: string): string {
  return body.replace(/[\\[^]/g, '\\$&');
}

function invalidPattern(pattern: string): Error {
  return new Error(`The wildcard pattern '${pattern}' is not valid.`);
}
