import { describe, expect, it } from 'vitest';
import { formatDefault } from './default.js';

describe('formatDefault', () => {
  it('uses a table for objects with up to four properties', () => {
    expect(formatDefault([{ Name: 'a', Port: 25, Enabled: true, Tls: 'none' }])).toBe(`
Name Port Enabled Tls
---- ---- ------- ---
a      25 True    none

`);
  });

  it('uses a list for objects with more than four properties', () => {
    expect(formatDefault([{ Name: 'a', Port: 25, Enabled: true, Tls: 'none', Retries: 3 }])).toBe(`
Name    : a
Port    : 25
Enabled : True
Tls     : none
Retries : 3

`);
  });

  it('counts the properties of all consecutive objects together', () => {
    expect(formatDefault([{ A: 1, B: 2, C: 3 }, { D: 4, E: 5 }])).toBe(`
A : 1
B : 2
C : 3

D : 4
E : 5

`);
  });

  it('prints strings, numbers and booleans one per line', () => {
    expect(formatDefault(['alpha', 42, false])).toBe('alpha\n42\nFalse\n');
  });

  it('passes the width on to tables', () => {
    expect(formatDefault([{ Name: 'mail', Description: 'Primary outbound relay' }], { width: 20 })).toBe(`
Name Description
---- -----------
mail Primary outbou…

`);
  });

  it('returns an empty string for empty input', () => {
    expect(formatDefault([])).toBe('');
  });
});
