import { describe, expect, it } from 'vitest';
import { IncompleteInputError, ParseError } from './errors.js';
import { Lexer, parseNumber, tokenize } from './tokenize.js';

const types = (src: string, mode?: 'command' | 'argument' | 'key') => tokenize(src, mode).map((t) => t.type);

describe('tokenize', () => {
  it('splits punctuation, words and values', () => {
    expect(types("a | b; c, 'd' (e)")).toEqual([
      'word', 'pipe', 'word', 'semicolon', 'word', 'comma', 'value', 'lparen', 'word', 'rparen', 'eof',
    ]);
    expect(types('$(x) @(y) @{}')).toEqual(['subexpr', 'word', 'rparen', 'arrayexpr', 'word', 'rparen', 'hashtable', 'rbrace', 'eof']);
  });

  it('tells parameters from negative numbers and lone dashes', () => {
    const [p, n, d, w, dec] = tokenize('-Name -5 - -a/b -.5');
    expect(p).toMatchObject({ type: 'parameter', name: 'Name', colon: false });
    expect(n).toMatchObject({ type: 'value', expr: { kind: 'literal', value: -5 } });
    expect(d).toMatchObject({ type: 'word', value: '-' });
    expect(w).toMatchObject({ type: 'word', value: '-a/b' });
    expect(dec).toMatchObject({ type: 'value', expr: { kind: 'literal', value: -0.5 } });
  });

  it('accepts en and em dashes as parameter prefixes', () => {
    expect(tokenize('–Name —Other ―Third')).toMatchObject([
      { type: 'parameter', name: 'Name' },
      { type: 'parameter', name: 'Other' },
      { type: 'parameter', name: 'Third' },
      { type: 'eof' },
    ]);
    expect(tokenize('–3')[0]).toMatchObject({ type: 'value', expr: { value: -3 } });
  });

  it('marks the colon form of a parameter', () => {
    expect(tokenize('-Confirm:$false')).toMatchObject([
      { type: 'parameter', name: 'Confirm', colon: true, end: 9 },
      { type: 'value', spaceBefore: false, expr: { kind: 'literal', value: false } },
      { type: 'eof' },
    ]);
  });

  it('ends words only at separators', () => {
    const words = tokenize('https://x.example/a?b=1 C:\\path *.example a#b x)').filter((t) => t.type === 'word');
    expect(words.map((t) => (t.type === 'word' ? t.value : ''))).toEqual([
      'https://x.example/a?b=1', 'C:\\path', '*.example', 'a#b', 'x',
    ]);
  });

  it('stops words at = in key mode and at { in command mode', () => {
    expect(tokenize('A=1', 'key')).toMatchObject([{ type: 'word', value: 'A' }, { type: 'equals' }, { type: 'value' }, { type: 'eof' }]);
    expect(tokenize('A=1')).toMatchObject([{ type: 'word', value: 'A=1' }, { type: 'eof' }]);
    expect(tokenize('?{ 1 }', 'command')).toMatchObject([
      { type: 'word', value: '?' },
      { type: 'value', expr: { kind: 'scriptblock', text: ' 1 ' } },
      { type: 'eof' },
    ]);
  });

  it('escapes characters in words with a backtick', () => {
    expect(tokenize('a` b')).toMatchObject([{ type: 'word', value: 'a b' }, { type: 'eof' }]);
  });

  it('rejects quotes inside an unquoted word', () => {
    expect(() => tokenize("it's")).toThrow(/quote the whole value/);
  });

  it('parses numbers as whole words only', () => {
    expect(parseNumber('587')).toBe(587);
    expect(parseNumber('1.5')).toBe(1.5);
    expect(parseNumber('-2')).toBe(-2);
    expect(parseNumber('1KB')).toBe(1024);
    expect(parseNumber('2mb')).toBe(2 * 1024 * 1024);
    expect(parseNumber('1GB')).toBe(2 ** 30);
    expect(parseNumber('0x1F')).toBe(31);
    expect(parseNumber('1e3')).toBe(1000);
    expect(parseNumber('10.0.0.1')).toBeUndefined();
    expect(parseNumber('2fa')).toBeUndefined();
    expect(tokenize('10.0.0.1')[0]).toMatchObject({ type: 'word', value: '10.0.0.1' });
  });

  it('skips comments, block comments and line continuations', () => {
    expect(types('a # comment | b\nc')).toEqual(['word', 'newline', 'word', 'eof']);
    expect(types('a <# x\n y #> b')).toEqual(['word', 'word', 'eof']);
    expect(types('a `\n b')).toEqual(['word', 'word', 'eof']);
    expect(types('a `  \r\n b')).toEqual(['word', 'word', 'eof']);
    expect(types('a\r\nb')).toEqual(['word', 'newline', 'word', 'eof']);
  });

  it('records positions and whether whitespace precedes a token', () => {
    const [a, b, c] = tokenize('a  b\n  c');
    expect(a).toMatchObject({ pos: { line: 1, column: 1 }, spaceBefore: false });
    expect(b).toMatchObject({ pos: { line: 1, column: 4 }, spaceBefore: true });
    expect(tokenize('a  b\n  c')[3]).toMatchObject({ type: 'word', value: 'c', pos: { line: 2, column: 3 } });
    expect(c.type).toBe('newline');
  });

  it('maps offsets to positions across CRLF and CR line ends', () => {
    const lexer = new Lexer('ab\r\ncd\ref');
    expect(lexer.posAt(0)).toEqual({ line: 1, column: 1 });
    expect(lexer.posAt(4)).toEqual({ line: 2, column: 1 });
    expect(lexer.posAt(8)).toEqual({ line: 3, column: 2 });
  });

  it('lexes variables with scopes, braces and accessors', () => {
    expect(tokenize('$env:HOME')[0]).toMatchObject({ expr: { kind: 'variable', name: 'HOME', scope: 'env', path: [] } });
    expect(tokenize('${my var}')[0]).toMatchObject({ expr: { kind: 'variable', name: 'my var', path: [] } });
    expect(tokenize('$a.B[0].C[-1]')[0]).toMatchObject({
      expr: { kind: 'variable', name: 'a', path: [{ prop: 'B' }, { index: 0 }, { prop: 'C' }, { index: -1 }] },
    });
    expect(tokenize('$NULL')[0]).toMatchObject({ expr: { kind: 'literal', value: null } });
    expect(tokenize('$True')[0]).toMatchObject({ expr: { kind: 'literal', value: true } });
    expect(() => tokenize('$ x')).toThrow(ParseError);
  });

  it('keeps typographic quotes as quotes', () => {
    expect(tokenize('‘it’’s’')[0]).toMatchObject({ expr: { kind: 'literal', value: 'it’s' } });
    expect(tokenize('“Corp”')[0]).toMatchObject({ expr: { kind: 'literal', value: 'Corp' } });
  });

  it('finds the end of script blocks past strings, comments and nested braces', () => {
    const src = "{ if ($x) { '}' } \"}$(')')\" # }\n }";
    expect(tokenize(src)).toMatchObject([{ type: 'value', expr: { kind: 'scriptblock', text: src.slice(1, -1) } }, { type: 'eof' }]);
  });

  it('reports input that stops too early as incomplete', () => {
    for (const src of ["'abc", '"abc', '{ a', 'a `', '<# x', '$a[0', '${x']) {
      expect(() => tokenize(src), src).toThrow(IncompleteInputError);
    }
  });
});
