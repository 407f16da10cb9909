import { describe, expect, it } from 'vitest';
import { hasWildcard, wildcardToRegExp } from './wildcard.js';

describe('wildcardToRegExp', () => {
  it('matches * and ? against the whole text, case-insensitively by default', () => {
    const re = wildcardToRegExp('smtp*');
    expect(re.test('SmtpHost')).toBe(true);
    expect(re.test('smtp')).toBe(true);
    expect(re.test('xsmtp')).toBe(false);
    expect(wildcardToRegExp('a?c').test('abc')).toBe(true);
    expect(wildcardToRegExp('a?c').test('ac')).toBe(false);
  });

  it('honours case when asked', () => {
    expect(wildcardToRegExp('Smtp*', true).test('smtpHost')).toBe(false);
    expect(wildcardToRegExp('Smtp*', true).test('SmtpHost')).toBe(true);
  });

  it('supports character sets and ranges', () => {
    const re = wildcardToRegExp('srv[0-2][ab]');
    expect(re.test('srv1a')).toBe(true);
    expect(re.test('SRV2B')).toBe(true);
    expect(re.test('srv3a')).toBe(false);
    expect(wildcardToRegExp('[^x]').test('^')).toBe(true);
  });

  it('treats regular-expression characters literally', () => {
    expect(wildcardToRegExp('a.c').test('abc')).toBe(false);
    expect(wildcardToRegExp('a.c').test('a.c')).toBe(true);
    expect(wildcardToRegExp('(x)+$').test('(x)+$')).toBe(true);
  });

  it('lets a backtick escape wildcard characters', () => {
    const re = wildcardToRegExp('what`?');
    expect(re.test('what?')).toBe(true);
    expect(re.test('whats')).toBe(false);
    expect(wildcardToRegExp('`[x`]').test('[x]')).toBe(true);
  });

  it('matches across line breaks and whole emoji', () => {
    expect(wildcardToRegExp('a*b').test('a\nb')).toBe(true);
    expect(wildcardToRegExp('?').test('📨')).toBe(true);
  });

  it('rejects malformed patterns', () => {
    expect(() => wildcardToRegExp('abc[')).toThrow("The wildcard pattern 'abc[' is not valid.");
    expect(() => wildcardToRegExp('[z-a]')).toThrow(/not valid/);
  });
});

describe('hasWildcard', () => {
  it('spots *, ? and [', () => {
    expect(hasWildcard('Name')).toBe(false);
    expect(hasWildcard('Smtp*')).toBe(true);
    expect(hasWildcard('N?me')).toBe(true);
    expect(hasWildcard('[NM]ame')).toBe(true);
  });
});
