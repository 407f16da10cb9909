import { describe, expect, it } from 'vitest';
import { escapeDnValue, formatDn, parseDn } from './dn.js';

describe('distinguished names', () => {
  it('splits components, dropping the spaces people type around them', () => {
    expect(parseDn('CN=Users, DC=corp ,DC=herald')).toEqual([{ type: 'CN', value: 'Users' }, { type: 'DC', value: 'corp' }, { type: 'DC', value: 'herald' }]);
    expect(parseDn('1.2.3=x')).toEqual([{ type: '1.2.3', value: 'x' }]);
  });

  it('reads escaped specials, escaped spaces and hex escapes (UTF-8)', () => {
    expect(parseDn('CN=Smith\\, John,OU=Staff')?.[0].value).toBe('Smith, John');
    expect(parseDn('CN=\\ padded\\ ,DC=x')?.[0].value).toBe(' padded ');
    expect(parseDn('CN=Ren\\C3\\A9e\\2C B,DC=x')?.[0].value).toBe('Renée, B');
  });

  it('refuses what is not a DN', () => {
    for (const text of ['', 'jdoe', 'CN=', 'CN=a,', '=a', 'C N=a', 'CN=a\\']) expect(parseDn(text), text).toBeUndefined();
  });

  it('escapes what must be escaped, and reads back what it wrote', () => {
    expect(escapeDnValue('a,b+c"d<e>f;g=h\\i')).toBe('a\\,b\\+c\\"d\\<e\\>f\\;g\\=h\\\\i');
    expect(escapeDnValue(' #lead trail ')).toBe('\\ #lead trail\\ ');
    expect(escapeDnValue('#x')).toBe('\\#x');
    for (const value of ['Smith, John', ' x ', '#1', 'a\\ ', "O'Brien (Sales)"]) {
      expect(parseDn(formatDn([{ type: 'CN', value }, { type: 'DC', value: 'corp' }]))?.[0].value, value).toBe(value);
    }
  });
});
