import { describe, expect, it } from 'vitest';
import { formatDate, invokeMethod, valueProperty } from './methods.js';

const at = new Date(Date.UTC(2027, 0, 31, 17, 5, 9, 42));

describe('date methods', () => {
  it('adds days, hours and months as .NET does, in UTC', () => {
    expect((invokeMethod(at, 'AddDays', [1.5]) as Date).toISOString()).toBe('2027-02-02T05:05:09.042Z');
    expect((invokeMethod(at, 'adddays', ['-31']) as Date).toISOString()).toBe('2026-12-31T17:05:09.042Z');
    expect((invokeMethod(at, 'AddHours', [7]) as Date).toISOString()).toBe('2027-02-01T00:05:09.042Z');
    // The 31st plus a month is the month's last day; plus a year keeps the day.
    expect((invokeMethod(at, 'AddMonths', [1]) as Date).toISOString()).toBe('2027-02-28T17:05:09.042Z');
    expect((invokeMethod(at, 'AddYears', [1]) as Date).toISOString()).toBe('2028-01-31T17:05:09.042Z');
  });

  it('leaves the date it is called on unchanged', () => {
    invokeMethod(at, 'AddDays', [3]);
    expect(at.toISOString()).toBe('2027-01-31T17:05:09.042Z');
  });

  it('has Date (midnight), Year, DayOfWeek', () => {
    expect((valueProperty(at, 'date').value as Date).toISOString()).toBe('2027-01-31T00:00:00.000Z');
    expect(valueProperty(at, 'Year')).toEqual({ found: true, value: 2027 });
    expect(valueProperty(at, 'DayOfWeek')).toEqual({ found: true, value: 'Sunday' });
    expect(valueProperty(at, 'Nope')).toEqual({ found: false });
  });

  it('formats with .NET custom and standard format strings', () => {
    expect(formatDate(at, 'yyyy-MM-dd HH:mm:ss.fff')).toBe('2027-01-31 17:05:09.042');
    expect(formatDate(at, "d/M/yy 'at' H")).toBe('31/1/27 at 17');
    expect(formatDate(at, 'u')).toBe('2027-01-31 17:05:09Z');
    expect(invokeMethod(at, 'ToString', ['o'])).toBe('2027-01-31T17:05:09.042Z');
  });

  it('refuses a number that is not one, and names the methods a date has', () => {
    expect(() => invokeMethod(at, 'AddDays', ['soon'])).toThrow(/AddDays takes a number/);
    expect(() => invokeMethod(at, 'AddWeeks', [1])).toThrow(/\[DateTime\] has no method named 'AddWeeks'/);
  });
});

describe('string methods', () => {
  it('answers to .NET names, case-insensitively, and to JavaScript names', () => {
    expect(invokeMethod('Sales', 'ToUpper', [])).toBe('SALES');
    expect(invokeMethod('a.b.c', 'replace', ['.', '-'])).toBe('a-b-c');
    expect(invokeMethod('jdoe@corp.example', 'Split', ['@'])).toEqual(['jdoe', 'corp.example']);
    expect(invokeMethod('Sales', 'Substring', [1, 2])).toBe('al');
    expect(invokeMethod('Sales', 'toLowerCase', [])).toBe('sales');
  });

  it('refuses a method on nothing with a remedy', () => {
    expect(() => invokeMethod(null, 'ToUpper', [])).toThrow(/cannot call a method on a null value/);
  });
});
