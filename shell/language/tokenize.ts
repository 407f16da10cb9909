// Lexer for the command language. PowerShell tokenisation depends on where
// the parser is (a hashtable key stops at `=`, a URL argument does not), so
// the parser pulls one token at a time and says which mode it wants. The
// lexer's whole state is `offset`, which lets the parser peek by saving and
// restoring it.

import type { Accessor, Expr, ExprOf, Position } from './ast.js';
import { IncompleteInputError, ParseError } from './errors.js';

/**
 * `command`: a word also stops at `{`, so `?{ ... }` is `?` plus a script block.
 * `key`: a word also stops at `=`, and `=` is a token (hashtable keys, `$x =`).
 */
export type LexMode = 'command' | 'argument' | 'key';

interface TokenBase {
  start: number;
  end: number;
  pos: Position;
  /** Whitespace, a comment or a line continuation precedes the token. */
  spaceBefore: boolean;
}

type PunctuationType =
  | 'eof' | 'newline' | 'semicolon' | 'pipe' | 'comma' | 'lparen' | 'rparen' | 'rbrace'
  | 'equals' | 'subexpr' | 'arrayexpr' | 'hashtable';

type TokenKind =
  | { type: PunctuationType }
  | { type: 'parameter'; name: string; colon: boolean }
  | { type: 'word'; value: string }
  /** Complete values: strings, numbers, $true/$false/$null, variables, script blocks. */
  | { type: 'value'; expr: Expr };

export type Token = TokenBase & TokenKind;

/** Called on `$(` inside a double-quoted string and on a method's `(`, positioned after the
 * `(`; must consume through the matching `)`. */
export type SubexpressionReader = (pos: Position) => ExprOf<'subexpression'>;

// Documentation examples are often pasted from word processors, so the
// typographic dashes and quotes PowerShell accepts are accepted too.
const DASHES = '-\u2013\u2014\u2015';
const SQUOTES = "'\u2018\u2019\u201a\u201b";
const DQUOTES = '"\u201c\u201d\u201e';
const SPACE = /[ \t\f\v\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000\ufeff]/;
const NAME_CHAR = /[\p{L}\p{N}_]/u;
const PARAM_START = /[\p{L}_?]/u;
const PARAM_CHAR = /[\p{L}\p{N}_?-]/u;
const NUMBER = /^([-\u2013\u2014\u2015])?(?:0x([0-9a-f]+)|((?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?))(kb|mb|gb|tb|pb)?$/i;
const MULTIPLIER: Record<string, number> = { kb: 2 ** 10, mb: 2 ** 20, gb: 2 ** 30, tb: 2 ** 40, pb: 2 ** 50 };
const ESCAPES: Record<string, string> = {
  '0': '\0', a: '\x07', b: '\b', e: '\x1b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v',
};
const INDEX = /\[[ \t]*(-?\d+)[ \t]*\]/y;

const isIn = (set: string, c: string | undefined): boolean => c !== undefined && set.includes(c);
const isSpace = (c: string | undefined): boolean => c !== undefined && SPACE.test(c);
const isNewline = (c: string | undefined): boolean => c === '\n' || c === '\r';
const isNameChar = (c: string | undefined): boolean => c !== undefined && NAME_CHAR.test(c);
const escape = (c: string): string => ESCAPES[c] ?? c;

export class Lexer {
  offset = 0;
  private readonly lineStarts = [0];

  constructor(
    readonly source: string,
    private readonly subexpression: SubexpressionReader = (pos) => {
      throw new ParseError('$( ) needs the parser', pos);
    },
  ) {
    for (let j = 0; j < source.length; j++) {
      const c = source[j];
      if (c === '\n' || (c === '\r' && source[j + 1] !== '\n')) this.lineStarts.push(j + 1);
    }
  }

  posAt(offset: number): Position {
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - this.lineStarts[lo] + 1 };
  }

  next(mode: LexMode = 'argument'): Token {
    const before = this.offset;
    this.skipTrivia();
    const start = this.offset;
    const space = start !== before;
    const src = this.source;
    const c = src[start];
    const d = src[start + 1];
    const punct = (type: PunctuationType, length: number): Token => {
      this.offset += length;
      return this.token(start, space, { type });
    };
    const value = (expr: Expr): Token => this.token(start, space, { type: 'value', expr });

    if (c === undefined) return punct('eof', 0);
    if (isNewline(c)) return punct('newline', c === '\r' && d === '\n' ? 2 : 1);
    switch (c) {
      case ';': return punct('semicolon', 1);
      case '|': return punct('pipe', 1);
      case ',': return punct('comma', 1);
      case '(': return punct('lparen', 1);
      case ')': return punct('rparen', 1);
      case '}': return punct('rbrace', 1);
      case '{': return value(this.scriptBlock(start));
    }
    if (c === '=' && mode === 'key') return punct('equals', 1);
    if (c === '$') {
      if (d === '(') return punct('subexpr', 2);
      const v = this.variable(start, true);
      if (!v) throw new ParseError("expected a variable name after '$'", this.posAt(start));
      return value(v);
    }
    if (c === '@') {
      if (d === '(') return punct('arrayexpr', 2);
      if (d === '{') return punct('hashtable', 2);
      if (isIn(SQUOTES + DQUOTES, d)) throw new ParseError('here-strings are not supported', this.posAt(start));
    }
    if (isIn(SQUOTES, c)) return value(this.singleQuoted(start));
    if (isIn(DQUOTES, c)) return value(this.doubleQuoted(start));
    if (isIn(DASHES, c) && d !== undefined && PARAM_START.test(d)) {
      let j = start + 1;
      while (j < src.length && PARAM_CHAR.test(src[j])) j++;
      const name = src.slice(start + 1, j);
      if (src[j] === ':') {
        this.offset = j + 1;
        return this.token(start, space, { type: 'parameter', name, colon: true });
      }
      if (this.isWordEnd(j, mode)) {
        this.offset = j;
        return this.token(start, space, { type: 'parameter', name, colon: false });
      }
      // Something like `-a/b`: not a parameter name, so it is a plain word.
    }
    const word = this.word(mode);
    const number = parseNumber(word);
    if (number !== undefined) return value({ kind: 'literal', value: number, pos: this.posAt(start) });
    return this.token(start, space, { type: 'word', value: word });
  }

  /** `.Name`, `.Method(...)` and `[0]` directly after a variable or a closing parenthesis. */
  readAccessors(): Accessor[] {
    const src = this.source;
    const path: Accessor[] = [];
    for (;;) {
      const at = this.offset;
      if (src[at] === '.' && isNameChar(src[at + 1])) {
        let j = at + 1;
        while (isNameChar(src[j])) j++;
        const name = src.slice(at + 1, j);
        if (src[j] === '(') {
          // As in PowerShell, a method call has no space before its parenthesis.
          this.offset = j + 1;
          path.push({ method: name, args: this.subexpression(this.posAt(j)), pos: this.posAt(at + 1) });
          continue;
        }
        path.push({ prop: name });
        this.offset = j;
      } else if (src[at] === '[') {
        INDEX.lastIndex = at;
        const m = INDEX.exec(src);
        if (!m) {
          if (!src.includes(']', at)) throw new IncompleteInputError("missing closing ']'", this.posAt(at));
          throw new ParseError("expected an integer index inside '[ ]'", this.posAt(at));
        }
        path.push({ index: Number(m[1]) });
        this.offset = INDEX.lastIndex;
      } else {
        return path;
      }
    }
  }

  private token(start: number, spaceBefore: boolean, kind: TokenKind): Token {
    // Object.assign rather than spread: V8 builds spread objects several times slower.
    return Object.assign(kind, { start, end: this.offset, pos: this.posAt(start), spaceBefore });
  }

  /** Backtick, optional trailing blanks, then a line end (or the input end). */
  private isContinuation(at: number): boolean {
    if (this.source[at] !== '`') return false;
    let j = at + 1;
    while (isSpace(this.source[j])) j++;
    return j >= this.source.length || isNewline(this.source[j]);
  }

  private isWordEnd(at: number, mode: LexMode): boolean {
    const c = this.source[at];
    if (c === undefined || isSpace(c) || isNewline(c) || '|;,)}'.includes(c)) return true;
    if ((mode === 'key' && c === '=') || (mode === 'command' && c === '{')) return true;
    return this.isContinuation(at);
  }

  /** Blanks, comments and line continuations; stops before a line end. */
  private skipTrivia(): void {
    const src = this.source;
    for (;;) {
      const c = src[this.offset];
      if (isSpace(c)) {
        this.offset++;
      } else if (this.isContinuation(this.offset)) {
        const at = this.offset++;
        while (isSpace(src[this.offset])) this.offset++;
        if (this.offset >= src.length) {
          throw new IncompleteInputError('expected another line after the continuation backtick', this.posAt(at));
        }
        this.offset += src.startsWith('\r\n', this.offset) ? 2 : 1;
      } else if (c === '#') {
        while (this.offset < src.length && !isNewline(src[this.offset])) this.offset++;
      } else if (c === '<' && src[this.offset + 1] === '#') {
        this.skipBlockComment();
      } else {
        return;
      }
    }
  }

  private skipBlockComment(): void {
    const end = this.source.indexOf('#>', this.offset + 2);
    if (end < 0) throw new IncompleteInputError("missing closing '#>'", this.posAt(this.offset));
    this.offset = end + 2;
  }

  /** An unquoted word; a backtick escapes the next character as in strings. */
  private word(mode: LexMode): string {
    const src = this.source;
    const start = this.offset;
    let out = '';
    while (!this.isWordEnd(this.offset, mode)) {
      const c = src[this.offset];
      if (c === '`') {
        out += escape(src[this.offset + 1]);
        this.offset += 2;
        continue;
      }
      if (isIn(SQUOTES + DQUOTES, c)) {
        // PowerShell would splice the quoted part into the word; that is
        // rarely intended (`it's`), so make the user quote the whole value.
        throw new ParseError(
          `unexpected quote in the unquoted word '${src.slice(start, this.offset + 1)}'; quote the whole value`,
          this.posAt(this.offset),
        );
      }
      out += c;
      this.offset++;
    }
    return out;
  }

  /**
   * `$name`, `$scope:name`, `${any name}`, `$_`, `$?`; with accessors unless
   * inside a string, where `"$a.b"` expands only `$a` as in PowerShell.
   * Returns undefined (offset unchanged) when no name follows the `$`.
   */
  private variable(start: number, withPath: boolean): Expr | undefined {
    const src = this.source;
    const pos = this.posAt(start);
    let j = start + 1;
    let name: string;
    let scope: string | undefined;
    if (src[j] === '{') {
      const close = src.indexOf('}', j);
      if (close < 0) throw new IncompleteInputError("missing closing '}'", this.posAt(j));
      const m = /^([\p{L}_][\p{L}\p{N}_]*):(.+)$/su.exec(src.slice(j + 1, close));
      [scope, name] = m ? [m[1], m[2]] : [undefined, src.slice(j + 1, close)];
      if (!name) throw new ParseError("expected a variable name inside '${ }'", pos);
      j = close + 1;
    } else if (isIn('?$^', src[j])) {
      name = src[j++];
    } else if (isNameChar(src[j])) {
      const begin = j;
      while (isNameChar(src[j])) j++;
      name = src.slice(begin, j);
      if (src[j] === ':' && isNameChar(src[j + 1])) {
        scope = name;
        const nameStart = ++j;
        while (isNameChar(src[j])) j++;
        name = src.slice(nameStart, j);
      }
    } else {
      return undefined;
    }
    this.offset = j;
    if (scope === undefined && /^(true|false|null)$/i.test(name)) {
      const lower = name.toLowerCase();
      return { kind: 'literal', value: lower === 'null' ? null : lower === 'true', pos };
    }
    const path = withPath ? this.readAccessors() : [];
    return scope === undefined ? { kind: 'variable', name, path, pos } : { kind: 'variable', name, scope, path, pos };
  }

  /** `'...'`: no escapes at all; a doubled quote stands for one quote. */
  private singleQuoted(start: number): Expr {
    const src = this.source;
    let out = '';
    this.offset = start + 1;
    for (;;) {
      const c = src[this.offset];
      if (c === undefined) throw new IncompleteInputError(`missing closing "'"`, this.posAt(start));
      if (isIn(SQUOTES, c)) {
        if (!isIn(SQUOTES, src[this.offset + 1])) break;
        out += src[this.offset + 1];
        this.offset += 2;
        continue;
      }
      out += c;
      this.offset++;
    }
    this.offset++;
    return { kind: 'literal', value: out, pos: this.posAt(start) };
  }

  /** `"..."` with backtick escapes, `""`, `$name` and `$( )`. */
  private doubleQuoted(start: number): Expr {
    const src = this.source;
    const parts: (string | Expr)[] = [];
    let text = '';
    const flush = (): void => {
      if (text) parts.push(text);
      text = '';
    };
    this.offset = start + 1;
    for (;;) {
      const c = src[this.offset];
      const d = src[this.offset + 1];
      if (c === undefined || (c === '`' && d === undefined)) {
        throw new IncompleteInputError(`missing closing '"'`, this.posAt(start));
      }
      if (isIn(DQUOTES, c)) {
        if (!isIn(DQUOTES, d)) break;
        text += d;
        this.offset += 2;
      } else if (c === '`') {
        text += escape(d);
        this.offset += 2;
      } else if (c === '$' && d === '(') {
        flush();
        const pos = this.posAt(this.offset);
        this.offset += 2;
        parts.push(this.subexpression(pos));
      } else {
        const v = c === '$' ? this.variable(this.offset, false) : undefined;
        if (v) {
          flush();
          parts.push(v);
        } else {
          text += c;
          this.offset++;
        }
      }
    }
    this.offset++;
    flush();
    const pos = this.posAt(start);
    if (parts.every((p) => typeof p === 'string')) return { kind: 'literal', value: parts.join(''), pos };
    return { kind: 'expandable', parts, pos };
  }

  /** `{ ... }` is kept as raw text, so only its extent has to be found. */
  private scriptBlock(start: number): Expr {
    this.offset = start + 1;
    this.skipBalanced('}', start);
    return { kind: 'scriptblock', text: this.source.slice(start + 1, this.offset - 1), pos: this.posAt(start) };
  }

  /** Skips to just after `closer`, stepping over nested brackets, strings and comments. */
  private skipBalanced(closer: string, openAt: number): void {
    const src = this.source;
    for (;;) {
      const at = this.offset;
      const c = src[at];
      if (c === undefined) throw new IncompleteInputError(`missing closing '${closer}'`, this.posAt(openAt));
      if (c === closer) {
        this.offset++;
        return;
      }
      if (c === '{' || c === '(') {
        this.offset++;
        this.skipBalanced(c === '{' ? '}' : ')', at);
      } else if (c === '}' || c === ')') {
        throw new ParseError(`unexpected '${c}'`, this.posAt(at));
      } else if (isIn(SQUOTES, c)) {
        this.singleQuoted(at);
      } else if (isIn(DQUOTES, c)) {
        this.skipDoubleQuoted(at);
      } else if (c === '#' && (at === 0 || /[\s;{(|]/.test(src[at - 1]))) {
        while (this.offset < src.length && !isNewline(src[this.offset])) this.offset++;
      } else if (c === '<' && src[at + 1] === '#') {
        this.skipBlockComment();
      } else {
        this.offset += c === '`' ? 2 : 1;
      }
    }
  }

  private skipDoubleQuoted(start: number): void {
    const src = this.source;
    this.offset = start + 1;
    for (;;) {
      const c = src[this.offset];
      if (c === undefined) throw new IncompleteInputError(`missing closing '"'`, this.posAt(start));
      if (isIn(DQUOTES, c)) {
        if (!isIn(DQUOTES, src[this.offset + 1])) {
          this.offset++;
          return;
        }
        this.offset += 2;
      } else if (c === '$' && src[this.offset + 1] === '(') {
        const at = this.offset;
        this.offset += 2;
        this.skipBalanced(')', at);
      } else {
        this.offset += c === '`' ? 2 : 1;
      }
    }
  }
}

/** Numbers are whole words, so `10.0.0.1` and `2fa` stay words. */
export function parseNumber(word: string): number | undefined {
  const m = NUMBER.exec(word);
  if (!m) return undefined;
  const [, sign, hex, decimal, suffix] = m;
  let n = hex !== undefined ? parseInt(hex, 16) : Number(decimal);
  if (suffix) n *= MULTIPLIER[suffix.toLowerCase()];
  return sign ? -n : n;
}

/** All tokens of `source` lexed in one mode; for tests and diagnostics. */
export function tokenize(source: string, mode: LexMode = 'argument'): Token[] {
  const lexer = new Lexer(source);
  const tokens: Token[] = [];
  for (;;) {
    const t = lexer.next(mode);
    tokens.push(t);
    if (t.type === 'eof') return tokens;
  }
}
