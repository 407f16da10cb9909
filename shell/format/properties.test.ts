import { describe, expect, it } from 'vitest';
import { findKey, getProperty, resolvePropertyNames, unionKeys } from './properties.js';

describe('getProperty', () => {
  const mailbox = {
    DisplayName: 'Alice',
    Smtp: { Port: 587, 'tls.mode': 'starttls' },
    'Quota.MB': 500,
    Aliases: ['a@example.org', 'alice@example.org'],
    Manager: null,
    Devices: [
      { Name: 'phone', Ids: [1, 2] },
      { Name: 'laptop', Ids: [3] },
      { Model: 'unnamed' },
    ],
  };

  it('ignores case', () => {
    expect(getProperty(mailbox, 'displayname')).toBe('Alice');
    expect(getProperty(mailbox, 'DISPLAYNAME')).toBe('Alice');
  });

  it('walks dotted paths', () => {
    expect(getProperty(mailbox, 'smtp.port')).toBe(587);
    expect(getProperty(mailbox, 'Smtp.TLS.Mode')).toBe('starttls');
    expect(getProperty(mailbox, 'quota.mb')).toBe(500);
  });

  it('tells a missing property (undefined) from a null one', () => {
    expect(getProperty(mailbox, 'Manager')).toBeNull();
    expect(getProperty(mailbox, 'Nope')).toBeUndefined();
    expect(getProperty(mailbox, 'Manager.Name')).toBeUndefined();
    expect(getProperty(42, 'Name')).toBeUndefined();
  });

  it('enumerates members through arrays, skipping elements without them', () => {
    expect(getProperty(mailbox, 'Devices.Name')).toEqual(['phone', 'laptop']);
    expect(getProperty(mailbox, 'Devices.Ids')).toEqual([1, 2, 3]);
    expect(getProperty(mailbox, 'Devices.Model')).toBe('unnamed');
    expect(getProperty(mailbox, 'Devices.Serial')).toBeUndefined();
  });

  it('answers Count and Length like PowerShell', () => {
    expect(getProperty(mailbox, 'Aliases.Count')).toBe(2);
    expect(getProperty(mailbox, 'Devices.length')).toBe(3);
    expect(getProperty('Alice', 'Length')).toBe(5);
    expect(getProperty(mailbox, 'DisplayName.Length')).toBe(5);
  });
});

describe('findKey', () => {
  it('prefers the exact spelling', () => {
    expect(findKey({ name: 1, Name: 2 }, 'Name')).toBe('Name');
    expect(findKey({ name: 1 }, 'NAME')).toBe('name');
    expect(findKey({ name: 1 }, 'other')).toBeUndefined();
  });
});

describe('unionKeys', () => {
  it('keeps first-seen order and merges spellings', () => {
    expect(unionKeys([{ b: 1, a: 2 }, { A: 3, c: 4 }])).toEqual(['b', 'a', 'c']);
  });
});

describe('resolvePropertyNames', () => {
  const keys = ['Name', 'SmtpHost', 'SmtpPort', 'Id'];

  it('expands wildcards in request order and keeps literal spellings from the keys', () => {
    expect(resolvePropertyNames(keys, ['id', 'smtp*'])).toEqual(['Id', 'SmtpHost', 'SmtpPort']);
  });

  it('keeps unknown literal names as typed but lets unmatched wildcards vanish', () => {
    expect(resolvePropertyNames(keys, ['Missing', 'x*'])).toEqual(['Missing']);
  });

  it('lists each property once', () => {
    expect(resolvePropertyNames(keys, ['name', '*'])).toEqual(['Name', 'SmtpHost', 'SmtpPort', 'Id']);
  });

  it('selects everything without patterns', () => {
    expect(resolvePropertyNames(keys)).toEqual(keys);
    expect(resolvePropertyNames(keys, [])).toEqual(keys);
  });
});
