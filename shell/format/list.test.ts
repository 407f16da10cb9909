import { describe, expect, it } from 'vitest';
import { formatList } from './list.js';

describe('formatList', () => {
  it('pads names per object and separates objects with a blank line', () => {
    const objects = [
      { Name: 'smtp1', Port: 25, Enabled: true, Tags: ['a', 'b'], Owner: null },
      { Name: 'x', Description: 'relay', Settings: { tls: false } },
    ];
    expect(formatList(objects)).toBe(`
Name    : smtp1
Port    : 25
Enabled : True
Tags    : {a, b}
Owner   :

Name        : x
Description : relay
Settings    : @{tls=False}

`);
  });

  it('continues multi-line values under the first line', () => {
    expect(formatList([{ Id: 1, Description: 'line one\nline two' }])).toBe(`
Id          : 1
Description : line one
              line two

`);
  });

  it('shows only the requested properties, with wildcards', () => {
    const objects = [{ Name: 'a', SmtpHost: 'h', SmtpPort: 25 }];
    expect(formatList(objects, { properties: ['smtp*'] })).toBe(`
SmtpHost : h
SmtpPort : 25

`);
    expect(formatList(objects, { properties: ['smtpport', 'Nope'] })).toBe(`
SmtpPort : 25
Nope     :

`);
  });

  it('prints plain values one per line', () => {
    expect(formatList(['a', 2])).toBe('a\n2\n');
  });

  it('returns an empty string for no input or empty objects', () => {
    expect(formatList([])).toBe('');
    expect(formatList([{}])).toBe('');
  });
});
