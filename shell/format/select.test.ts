import { describe, expect, it } from 'vitest';
import { selectObject } from './select.js';

const users = [
  { Name: 'alice', SmtpHost: 'mx1', SmtpPort: 25, Id: 1, Groups: ['admins', 'mail'] },
  { Name: 'bob', SmtpHost: 'mx2', SmtpPort: 587, Id: 2, Groups: ['mail'] },
  { Name: 'carol', SmtpHost: 'mx1', SmtpPort: 25, Id: 3, Groups: [] },
];
const numbers = [1, 2, 3, 4, 5, 6];

describe('selectObject properties', () => {
  it('keeps only the requested properties, in request order, with the object spelling', () => {
    expect(selectObject(users.slice(0, 1), { properties: ['id', 'NAME'] })).toEqual([{ Id: 1, Name: 'alice' }]);
    expect(Object.keys(selectObject(users, { properties: ['id', 'NAME'] })[0] as object)).toEqual(['Id', 'Name']);
  });

  it('expands wildcards against each object', () => {
    expect(selectObject(users.slice(0, 1), { properties: ['name', 'smtp*'] })).toEqual([
      { Name: 'alice', SmtpHost: 'mx1', SmtpPort: 25 },
    ]);
    expect(selectObject([{ a: 1, b: 2 }], { properties: ['*'] })).toEqual([{ a: 1, b: 2 }]);
  });

  it('adds a missing property as null and reads dotted paths', () => {
    expect(selectObject([{ Name: 'x', Smtp: { Port: 25 } }], { properties: ['Name', 'Phone', 'smtp.port'] })).toEqual([
      { Name: 'x', Phone: null, 'smtp.port': 25 },
    ]);
  });

  it('builds new objects without touching the input', () => {
    const input = [{ Name: 'x', Secret: 's' }];
    const [result] = selectObject(input, { properties: ['Name'] });
    expect(result).not.toBe(input[0]);
    expect(input).toEqual([{ Name: 'x', Secret: 's' }]);
  });

  it('keeps a "__proto__" key as plain data', () => {
    const input = [JSON.parse('{"__proto__": 1, "a": 2}') as unknown];
    const [result] = selectObject(input, { properties: ['*'] });
    expect(Object.getPrototypeOf(result)).toBe(Object.prototype);
    expect(Object.keys(result as object)).toEqual(['__proto__', 'a']);
  });
});

describe('selectObject positions', () => {
  it('takes -First and -Last', () => {
    expect(selectObject(numbers, { first: 2 })).toEqual([1, 2]);
    expect(selectObject(numbers, { last: 2 })).toEqual([5, 6]);
    expect(selectObject(numbers, { first: 0 })).toEqual([]);
    expect(selectObject(numbers, { first: 10 })).toEqual(numbers);
  });

  it('skips from the start, or from the end together with -Last', () => {
    expect(selectObject(numbers, { skip: 4 })).toEqual([5, 6]);
    expect(selectObject(numbers, { skip: 1, first: 2 })).toEqual([2, 3]);
    expect(selectObject(numbers, { skip: 1, last: 2 })).toEqual([4, 5]);
    expect(selectObject(numbers, { skip: 9 })).toEqual([]);
  });

  it('keeps both ends with -First and -Last, listing an overlap once', () => {
    expect(selectObject(numbers, { first: 1, last: 2 })).toEqual([1, 5, 6]);
    expect(selectObject(numbers, { first: 4, last: 4 })).toEqual(numbers);
  });

  it('rejects negative or fractional counts', () => {
    expect(() => selectObject(numbers, { first: -1 })).toThrow('-first must be a non-negative integer, got -1.');
    expect(() => selectObject(numbers, { skip: 1.5 })).toThrow(RangeError);
  });

  it('applies positions before projecting', () => {
    expect(selectObject(users, { last: 1, properties: ['Name'] })).toEqual([{ Name: 'carol' }]);
  });
});

describe('selectObject -ExpandProperty', () => {
  it('returns the values, flattening arrays one level and skipping objects without the property', () => {
    expect(selectObject(users, { expandProperty: 'groups' })).toEqual(['admins', 'mail', 'mail']);
    expect(selectObject([{ T: [[1], 2] }, { T: null }, {}], { expandProperty: 'T' })).toEqual([[1], 2, null]);
  });

  it('adds -Property values to expanded objects', () => {
    const input = [{ Name: 'alice', Smtp: { Port: 25 } }];
    expect(selectObject(input, { expandProperty: 'Smtp', properties: ['Name'] })).toEqual([{ Port: 25, Name: 'alice' }]);
  });
});

describe('selectObject -Unique', () => {
  it('drops repeated values case-sensitively', () => {
    expect(selectObject(['a', 'b', 'a', 'A', 1, '1'], { unique: true })).toEqual(['a', 'b', 'A', 1, '1']);
  });

  it('compares projected objects by content', () => {
    expect(selectObject(users, { properties: ['SmtpHost', 'SmtpPort'], unique: true })).toEqual([
      { SmtpHost: 'mx1', SmtpPort: 25 },
      { SmtpHost: 'mx2', SmtpPort: 587 },
    ]);
  });

  it('works on expanded values', () => {
    expect(selectObject(users, { expandProperty: 'Groups', unique: true })).toEqual(['admins', 'mail']);
  });

  it('de-duplicates after -First, like PowerShell', () => {
    expect(selectObject(['a', 'a', 'b', 'c'], { first: 2, unique: true })).toEqual(['a']);
  });
});
